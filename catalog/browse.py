"""Browsing ring settings and jewelry: by style or category, metal, shape and price, with counts.

There are tens of settings and a few hundred jewelry pieces, not hundreds of thousands, so these filter one
prefetched list in Python: two queries whatever the filters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.paginator import Page, Paginator
from django.db.models import Min, Prefetch

from .grades import Metal, Shape
from .models import Jewelry, JewelryCategory, RingSetting, SettingStyle, SettingVariant

PAGE_SIZE = 24

SETTING_SORTS = {
    "featured": "Featured",
    "price": "Price: low to high",
    "-price": "Price: high to low",
    "name": "Name",
    "newest": "Newest",
}


@dataclass
class Browse:
    page: Page
    count: int
    sort: str
    sorts: dict
    selected: dict[str, list[str]]
    facets: dict[str, list[tuple[str, str, int]]]  # param -> [(value, label, count)]
    heading: str
    current: str | None = None  # the style or category in the path
    ignored: list[str] = field(default_factory=list)


def _multi(query, param: str, allowed: set[str], ignored: list[str]) -> list[str]:
    values = query.getlist(param)
    good = [v for v in values if v in allowed]
    if len(good) != len(values):
        ignored.append(f"{param}: {', '.join(v[:40] for v in values if v not in allowed)}")
    return good


def _price_bound(query, param: str, ignored: list[str]) -> Decimal | None:
    raw = query.get(param, "")
    if not raw:
        return None
    try:
        value = Decimal(raw[:40])
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        ignored.append(f"{param}: {raw[:40]}")
        return None
    return value


def _page(items: list, query, ignored: list[str]) -> Page:
    raw = query.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        ignored.append(f"page: {raw[:40]}")
        raw = "1"
    return Paginator(items, PAGE_SIZE).get_page(raw)


def setting_browse(query, *, style: str | None = None, currency_rate: Decimal = Decimal(1)) -> Browse | None:
    if style is not None and style.replace("-", "_") not in SettingStyle.values:
        return None
    style = style.replace("-", "_") if style else None
    ignored: list[str] = []
    metals = _multi(query, "metal", set(Metal.values), ignored)
    shapes = _multi(query, "shape", set(Shape.values), ignored)
    collections = query.getlist("collection")[:5]
    price_min, price_max = _price_bound(query, "price_min", ignored), _price_bound(query, "price_max", ignored)

    variants = SettingVariant.objects.order_by("price")
    settings = list(
        RingSetting.objects.filter(is_active=True)
        .annotate(from_price=Min("variants__price"))
        .prefetch_related(Prefetch("variants", queryset=variants))
        .order_by("name")
    )

    def price_for(setting) -> Decimal:
        prices = [v.price for v in setting.variants.all() if not metals or v.metal in metals]
        return min(prices) if prices else setting.from_price

    def keep(setting, *, skip: str = "") -> bool:
        if skip != "style" and style and setting.style != style:
            return False
        if skip != "metal" and metals and not {v.metal for v in setting.variants.all()} & set(metals):
            return False
        if skip != "shape" and shapes and not set(setting.shapes) & set(shapes):
            return False
        if skip != "collection" and collections and setting.collection not in collections:
            return False
        price = price_for(setting) * currency_rate
        return not ((price_min is not None and price < price_min) or (price_max is not None and price > price_max))

    results = [s for s in settings if keep(s)]
    for s in results:
        s.shown_price = price_for(s)
    sort = query.get("sort", "featured")
    if sort not in SETTING_SORTS:
        ignored.append(f"sort: {sort[:40]}")
        sort = "featured"
    if sort in {"price", "-price"}:
        results.sort(key=lambda s: s.shown_price, reverse=sort == "-price")
    elif sort == "newest":
        results.sort(key=lambda s: s.created_at, reverse=True)
    elif sort == "featured":
        results.sort(key=lambda s: (s.collection == "", s.style, s.shown_price))

    def counts(skip, values_of):
        counter = Counter(v for s in settings if keep(s, skip=skip) for v in values_of(s))
        return counter

    style_counts = counts("style", lambda s: [s.style])
    metal_counts = counts("metal", lambda s: {v.metal for v in s.variants.all()})
    shape_counts = counts("shape", lambda s: s.shapes)
    collection_counts = counts("collection", lambda s: [s.collection] if s.collection else [])
    return Browse(
        page=_page(results, query, ignored),
        count=len(results),
        sort=sort,
        sorts=SETTING_SORTS,
        selected={"metal": metals, "shape": shapes, "collection": collections},
        facets={
            "style": [(v.replace("_", "-"), label, style_counts[v]) for v, label in SettingStyle.choices],
            "metal": [(v, label, metal_counts[v]) for v, label in Metal.choices],
            "shape": [(v, label, shape_counts[v]) for v, label in Shape.choices],
            "collection": sorted((c, c, n) for c, n in collection_counts.items()),
        },
        heading=f"{SettingStyle(style).label} engagement rings" if style else "Engagement ring settings",
        current=style.replace("_", "-") if style else None,
        ignored=ignored,
    )


JEWELRY_SORTS = {"price": "Price: low to high", "-price": "Price: high to low", "name": "Name", "newest": "Newest"}


def jewelry_browse(query, *, category: str | None = None, currency_rate: Decimal = Decimal(1)) -> Browse | None:
    if category is not None and category not in JewelryCategory.values:
        return None
    ignored: list[str] = []
    metals = _multi(query, "metal", set(Metal.values), ignored)
    price_min, price_max = _price_bound(query, "price_min", ignored), _price_bound(query, "price_max", ignored)
    items = list(Jewelry.objects.filter(is_active=True).order_by("price", "pk"))

    def keep(item, *, skip=""):
        if skip != "category" and category and item.category != category:
            return False
        if skip != "metal" and metals and item.metal not in metals:
            return False
        price = item.price * currency_rate
        return not ((price_min is not None and price < price_min) or (price_max is not None and price > price_max))

    results = [i for i in items if keep(i)]
    sort = query.get("sort", "price")
    if sort not in JEWELRY_SORTS:
        ignored.append(f"sort: {sort[:40]}")
        sort = "price"
    if sort == "-price":
        results.sort(key=lambda i: i.price, reverse=True)
    elif sort == "name":
        results.sort(key=lambda i: i.name)
    elif sort == "newest":
        results.sort(key=lambda i: i.created_at, reverse=True)
    category_counts = Counter(i.category for i in items if keep(i, skip="category"))
    metal_counts = Counter(i.metal for i in items if keep(i, skip="metal"))
    return Browse(
        page=_page(results, query, ignored),
        count=len(results),
        sort=sort,
        sorts=JEWELRY_SORTS,
        selected={"metal": metals},
        facets={
            "category": [(v, label, category_counts[v]) for v, label in JewelryCategory.choices],
            "metal": [(v, label, metal_counts[v]) for v, label in Metal.choices],
        },
        heading=JewelryCategory(category).label if category else "Fine jewelry",
        current=category,
        ignored=ignored,
    )
