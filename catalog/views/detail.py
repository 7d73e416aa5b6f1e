"""Detail pages. A stone that existed never 404s: sold, it says so and offers similar stones."""

from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from checkout.currency import request_price
from checkout.money import format_money

from .. import imagery
from ..grades import GemKind, Shape
from ..models import Diamond, Gemstone, Jewelry, RingSetting
from ..pricing import fair_price, lab_grown_match
from ..similar import similar_diamonds, similar_gemstones

KIND_TITLES = {"natural": "Loose diamonds", "lab": "Lab-grown diamonds", "fancy": "Fancy colour diamonds"}
KIND_SEARCH = {"natural": "/loose-diamonds/", "lab": "/lab-grown-diamonds/", "fancy": "/fancy-color-diamonds/"}
DIAMOND_WORDS = {"natural": "Diamond", "lab": "Lab-Grown Diamond", "fancy": "Fancy Colour Diamond"}


def _viewer(stone):
    return imagery.viewer_data(
        stone.shape,
        lw_ratio=imagery.lw_of(stone),
        tint=imagery.tint_for(stone),
        table_pct=getattr(stone, "table_pct", None),
        depth_pct=getattr(stone, "depth_pct", None),
    )


def diamond_title(diamond: Diamond) -> str:
    return f"{diamond.carat} Carat {diamond.get_shape_display()} {DIAMOND_WORDS[diamond.kind]}"


def gemstone_title(gem: Gemstone) -> str:
    return f"{gem.carat} Carat {gem.get_shape_display()} {gem.get_kind_display().title()}"


def diamond_detail(request, sku):
    diamond = get_object_or_404(Diamond, sku=sku)
    context = {
        "diamond": diamond,
        "title": diamond_title(diamond),
        "search_url": KIND_SEARCH[diamond.kind] + (f"{diamond.shape}/" if diamond.kind != "fancy" else ""),
    }
    context["breadcrumb_items"] = [(KIND_TITLES[diamond.kind], KIND_SEARCH[diamond.kind])]
    if diamond.is_sold:
        context["similar"] = similar_diamonds(diamond)
        return render(request, "catalog/diamond_sold.html", context)
    context.update(fair=fair_price(diamond), lab_match=lab_grown_match(diamond), viewer=_viewer(diamond))
    return render(request, "catalog/diamond_detail.html", context)


def gemstone_detail(request, sku):
    gem = get_object_or_404(Gemstone, sku=sku)
    context = {
        "gem": gem,
        "title": gemstone_title(gem),
        "gem_crumbs": [
            ("Gemstones", "/gemstones/"),
            (_kind_name(gem.kind).capitalize(), f"/gemstones/?kind={gem.kind}"),
        ],
    }
    if gem.is_sold:
        context.update(similar=similar_gemstones(gem), kind_plural=_kind_name(gem.kind))
        return render(request, "catalog/gemstone_sold.html", context)
    context["viewer"] = _viewer(gem)
    return render(request, "catalog/gemstone_detail.html", context)


def setting_detail(request, slug):
    setting = get_object_or_404(RingSetting.objects.prefetch_related("variants", "images"), slug=slug, is_active=True)
    variants = list(setting.variants.all())
    chosen = request.GET.get("metal")
    current = next((v for v in variants if v.metal == chosen), variants[0] if variants else None)
    for variant in variants:  # the price each metal button shows, and hands to the script that updates the total
        variant.shown_price = format_money(request_price(request, variant.price))
        variant.family = imagery.metal_family(variant.metal)
    shapes = [
        (
            Shape(s).label,
            # Decorative icons: the name is written next to each.
            mark_safe(imagery.outline_svg(s, lw_ratio=imagery.TYPICAL_LW[s], tint=imagery.COLOURLESS_TINT, size=40)),  # noqa: S308
        )
        for s in setting.shapes
        if s in imagery.SHAPES
    ]
    return render(
        request,
        "catalog/setting_detail.html",
        {
            "setting": setting,
            "variants": variants,
            "current": current,
            "shape_names": [label for label, _icon in shapes],
            "shapes": shapes,
            "kind_groups": stone_kind_groups(setting.stone_kinds),
            "setting_crumbs": [
                ("Engagement rings", "/engagement-rings/"),
                (setting.get_style_display(), f"/engagement-rings/{setting.style.replace('_', '-')}/"),
            ],
        },
    )


def _kind_name(kind: str) -> str:
    """A gemstone kind in the plural: "blue sapphires", "rubies", "moissanite"."""
    return {"ruby": "rubies", "moissanite": "moissanite"}.get(kind) or f"{GemKind(kind).label.lower()}s"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def stone_kind_groups(kinds: list[str]) -> list[str]:
    """The centre stones a setting takes, in plain words, one line per family: "Natural, lab-grown and fancy
    colour diamonds", "Blue and pink sapphires", "Rubies, emeralds and moissanite"."""
    diamonds = [w for k, w in (("natural", "natural"), ("lab", "lab-grown"), ("fancy", "fancy colour")) if k in kinds]
    sapphires = [GemKind(k).label.split()[0].lower() for k in kinds if k.endswith("_sapphire") and k in GemKind.values]
    others = [w for k, w in (("ruby", "rubies"), ("emerald", "emeralds"), ("moissanite", "moissanite")) if k in kinds]
    groups = []
    if diamonds:
        groups.append(_and(diamonds) + " diamonds")
    if sapphires:
        groups.append(_and(sapphires) + (" sapphires" if len(sapphires) > 1 else " sapphire"))
    if others:
        groups.append(_and(others))
    return [group[0].upper() + group[1:] for group in groups]


def jewelry_detail(request, category, slug):
    item = get_object_or_404(Jewelry, category=category, slug=slug, is_active=True)
    return render(
        request,
        "catalog/jewelry_detail.html",
        {
            "item": item,
            "quantities": range(1, min(item.stock_count, 10) + 1),
            "jewelry_crumbs": [("Jewelry", "/jewelry/"), (item.get_category_display(), f"/jewelry/{item.category}/")],
        },
    )
