"""What the builder's steps list: stones for a setting, settings for a stone.

Stones: the catalog's own search (filters, facets, sorting, paging) with the setting's constraints added to its
starting set (fitting.py), so only stones that fit are found; with `show_all`, the plain search, and each stone on
the page carries check_fit's reasons. Settings: there are only tens, so all are loaded (two queries) and check_fit
decides in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from catalog.grades import GemKind, Metal
from catalog.models import Gemstone, RingSetting, SettingStyle, SettingVariant
from catalog.search import SearchResult, diamond_search, diamonds_base, gemstone_search

from .builder import default_metal
from .compatibility import Fit, SettingSpec, StoneSpec, check_fit
from .fitting import accepted_kinds, fitting_stones

SETTING_PAGE_SIZE = 24
SETTING_SORTS = {"featured": "Featured", "price": "Price: low to high", "-price": "Price: high to low", "name": "Name"}


@dataclass
class StoneChoices:
    result: SearchResult
    kind: str
    filtered: bool  # only stones that fit the setting
    kind_refused: list[str] = field(default_factory=list)  # why the setting takes none of this kind


def stone_choices(query, *, kind: str, setting: RingSetting | None, show_all: bool, currency_rate: Decimal):
    """One page of the builder's stone search. Each stone on the page gets `.fit` (None without a setting)."""
    spec = SettingSpec.of(setting) if setting is not None else None
    filtered = spec is not None and not show_all
    if kind == "gemstone":
        base = Gemstone.objects.for_sale()
        if filtered:
            base = fitting_stones(spec, Gemstone, base)
        result = gemstone_search(query, currency_rate=currency_rate, base=base)
    else:
        base = diamonds_base(kind)
        if filtered:
            base = fitting_stones(spec, base.model, base)
        result = diamond_search(query, kind=kind, currency_rate=currency_rate, base=base)
    for stone in result.page.object_list:
        stone.fit = check_fit(spec, StoneSpec.of(stone)) if spec is not None else None
        stone.misfit = stone.fit is not None and not stone.fit.fits
    refused = []
    if spec is not None:
        kinds = accepted_kinds(spec)
        wanted = list(GemKind.values) if kind == "gemstone" else [kind]
        if not set(wanted) & set(kinds):
            probe_kind = wanted[0]
            probe = StoneSpec(kind=probe_kind, shape=(spec.shapes or ("round",))[0], carat=spec.min_carat)
            refused = [r.message for r in check_fit(spec, probe).reasons]
    return StoneChoices(result=result, kind=kind, filtered=filtered, kind_refused=refused)


@dataclass
class SettingChoice:
    setting: RingSetting
    price: Decimal  # in the chosen metal, or the lowest
    metal: str  # the metal the Select button will choose
    fit: Fit | None

    @property
    def misfit(self) -> bool:
        return self.fit is not None and not self.fit.fits


@dataclass
class SettingChoices:
    page: Page
    count: int
    fitting_count: int
    total_count: int
    filtered: bool
    style: str
    metal: str
    sort: str
    sorts: dict
    styles: list[tuple[str, str, int]]
    metals: list[tuple[str, str]]
    ignored: list[str] = field(default_factory=list)


def _param(query, name: str, allowed, ignored: list[str]) -> str:
    value = query.get(name, "")
    if value and value not in allowed:
        ignored.append(f"{name}: {value[:40]}")
        return ""
    return value


def setting_choices(query, *, stone=None, show_all: bool = False, metal_hint: str = "") -> SettingChoices:
    """The settings the builder offers: every active setting with a centre stone, or with a stone chosen, the ones
    that hold it (all, with reasons, when `show_all`). Two queries."""
    ignored: list[str] = []
    style = _param(query, "style", SettingStyle.values, ignored)
    metal = _param(query, "metal", Metal.values, ignored)
    sort = query.get("sort", "featured")
    if sort not in SETTING_SORTS:
        ignored.append(f"sort: {sort[:40]}")
        sort = "featured"
    variants = Prefetch("variants", queryset=SettingVariant.objects.order_by("price", "metal"))
    settings = [
        s
        for s in RingSetting.objects.filter(is_active=True, requires_center_stone=True).prefetch_related(variants)
        if SettingSpec.of(s).holds_a_stone
    ]
    stone_spec = StoneSpec.of(stone) if stone is not None else None
    choices = []
    for s in settings:
        by_metal = {v.metal: v.price for v in s.variants.all()}
        if not by_metal or (metal and metal not in by_metal):
            continue
        chosen = metal or (metal_hint if metal_hint in by_metal else default_metal(s))
        fit = check_fit(SettingSpec.of(s), stone_spec) if stone_spec is not None else None
        choices.append(SettingChoice(setting=s, price=by_metal[chosen], metal=chosen, fit=fit))
    fitting = [c for c in choices if c.fit is None or c.fit.fits]
    style_counts: dict[str, int] = {}
    for c in choices if show_all else fitting:
        style_counts[c.setting.style] = style_counts.get(c.setting.style, 0) + 1
    shown = [c for c in (choices if show_all else fitting) if not style or c.setting.style == style]
    if sort == "price":
        shown.sort(key=lambda c: (c.price, c.setting.name))
    elif sort == "-price":
        shown.sort(key=lambda c: (-c.price, c.setting.name))
    elif sort == "name":
        shown.sort(key=lambda c: c.setting.name)
    else:  # featured: those that fit first (when all are shown), then designer collections, then by style and price
        shown.sort(
            key=lambda c: (c.fit is not None and not c.fit.fits, c.setting.collection == "", c.setting.style, c.price)
        )
    raw_page = query.get("page", "1")
    if not raw_page.isdigit() or int(raw_page) < 1:
        ignored.append(f"page: {raw_page[:40]}")
        raw_page = "1"
    return SettingChoices(
        page=Paginator(shown, SETTING_PAGE_SIZE).get_page(raw_page),
        count=len(shown),
        fitting_count=len(fitting),
        total_count=len(choices),
        filtered=stone_spec is not None and not show_all,
        style=style,
        metal=metal,
        sort=sort,
        sorts=SETTING_SORTS,
        styles=[(v, label, style_counts.get(v, 0)) for v, label in SettingStyle.choices if style_counts.get(v)],
        metals=list(Metal.choices),
        ignored=ignored,
    )
