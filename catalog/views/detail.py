"""Detail pages. A stone that existed never 404s: sold, it says so and offers similar stones."""

from django.shortcuts import get_object_or_404, render
from django.utils.text import capfirst

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
        "title": f"{gem.carat} Carat {gem.get_shape_display()} {gem.get_kind_display()}",
        "gem_crumbs": [("Gemstones", "/gemstones/")],
    }
    if gem.is_sold:
        context["similar"] = similar_gemstones(gem)
        return render(request, "catalog/gemstone_sold.html", context)
    context["viewer"] = _viewer(gem)
    return render(request, "catalog/gemstone_detail.html", context)


def setting_detail(request, slug):
    setting = get_object_or_404(RingSetting.objects.prefetch_related("variants", "images"), slug=slug, is_active=True)
    variants = list(setting.variants.all())
    chosen = request.GET.get("metal")
    current = next((v for v in variants if v.metal == chosen), variants[0] if variants else None)
    kinds = [capfirst(_kind_name(k)) for k in setting.stone_kinds]
    return render(
        request,
        "catalog/setting_detail.html",
        {
            "setting": setting,
            "variants": variants,
            "current": current,
            "shape_names": [Shape(s).label for s in setting.shapes],
            "kind_names": kinds,
            "setting_crumbs": [
                ("Engagement rings", "/engagement-rings/"),
                (setting.get_style_display(), f"/engagement-rings/{setting.style.replace('_', '-')}/"),
            ],
        },
    )


def _kind_name(kind: str) -> str:
    names = {"natural": "natural diamonds", "lab": "lab-grown diamonds", "fancy": "fancy colour diamonds"}
    return names.get(kind) or f"{GemKind(kind).label.lower()}s"


def jewelry_detail(request, category, slug):
    item = get_object_or_404(Jewelry, category=category, slug=slug, is_active=True)
    return render(
        request, "catalog/jewelry_detail.html", {"item": item, "quantities": range(1, min(item.stock_count, 10) + 1)}
    )
