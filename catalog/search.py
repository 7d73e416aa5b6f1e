"""Diamond and gemstone search: filters, facet counts, sorting and pagination, all from the query string.

The query string is the whole state (shareable, the back button works). Every parameter is validated by a
django-filter FilterSet: a value that does not validate is ignored (the search runs without it) and reported, so
any query string gives a page with sane defaults, never an error. Ordered grades are integers, best first, so a
range is one indexed comparison."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import django_filters as filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from .grades import Clarity, Color, Cut, FancyHue, FancyIntensity, Finish, Fluorescence, GemKind, Lab, Shape
from .models import Diamond, Gemstone

PAGE_SIZE = 24
NEW_ARRIVAL_DAYS = 14
MAX_VALUE_LENGTH = 40  # longer values are never valid; dropped before validation


@dataclass(frozen=True)
class GradeScale:
    """An ordered grade with a from/to range in the URL: `color_from=d&color_to=g` means D to G."""

    param: str
    field: str
    scale: type
    label: str

    def slug(self, value: int) -> str:
        return slugify(self.scale(value).label)

    def choices(self) -> list[tuple[str, str]]:
        return [(slugify(label), label) for _value, label in self.scale.choices]

    def value_of(self, slug: str) -> int:
        return next(value for value, label in self.scale.choices if slugify(label) == slug)


DIAMOND_GRADES = [
    GradeScale("cut", "cut", Cut, "Cut"),
    GradeScale("color", "color", Color, "Colour"),
    GradeScale("clarity", "clarity", Clarity, "Clarity"),
    GradeScale("polish", "polish", Finish, "Polish"),
    GradeScale("symmetry", "symmetry", Finish, "Symmetry"),
    GradeScale("fluorescence", "fluorescence", Fluorescence, "Fluorescence"),
]
INTENSITY = GradeScale("intensity", "fancy_intensity", FancyIntensity, "Intensity")

DIAMOND_SORTS = {
    "price": ("Price: low to high", ["current_price", "pk"]),
    "-price": ("Price: high to low", ["-current_price", "-pk"]),
    "carat": ("Carat: small to large", ["carat", "current_price", "pk"]),
    "-carat": ("Carat: large to small", ["-carat", "current_price", "pk"]),
    "cut": ("Cut: best first", ["cut", "current_price", "pk"]),
    "-cut": ("Cut: lowest first", ["-cut", "current_price", "pk"]),
    "color": ("Colour: best first", ["color", "current_price", "pk"]),
    "-color": ("Colour: lowest first", ["-color", "current_price", "pk"]),
    "clarity": ("Clarity: best first", ["clarity", "current_price", "pk"]),
    "-clarity": ("Clarity: lowest first", ["-clarity", "current_price", "pk"]),
    "newest": ("Newest arrivals", ["-arrival_date", "current_price", "pk"]),
    "-newest": ("Oldest first", ["arrival_date", "current_price", "pk"]),
}
GEMSTONE_SORTS = {k: v for k, v in DIAMOND_SORTS.items() if k in {"price", "-price", "carat", "-carat", "newest"}}


def _lower(data, params: set[str]):
    """Grade slugs are case-insensitive in the URL."""
    for key in params & set(data):
        data.setlist(key, [v.lower() for v in data.getlist(key)])


# --- Filters ------------------------------------------------------------------------------------------------------
class SearchForm(forms.Form):
    """The bound form of a search. Inverted ranges are swapped, not refused, and the swap is reported."""

    range_pairs: list[tuple[str, str]] = []
    grade_pairs: list[GradeScale] = []

    def clean(self):
        data = super().clean()
        self.adjusted: list[str] = []
        for low, high in self.range_pairs:
            lo, hi = data.get(low), data.get(high)
            if lo is not None and hi is not None and lo > hi:
                data[low], data[high] = hi, lo
                self.adjusted.append(f"{self.fields[low].label} and {self.fields[high].label} were swapped")
        for grade in self.grade_pairs:
            lo, hi = data.get(f"{grade.param}_from"), data.get(f"{grade.param}_to")
            if lo and hi and grade.value_of(lo) > grade.value_of(hi):
                data[f"{grade.param}_from"], data[f"{grade.param}_to"] = hi, lo
                self.adjusted.append(f"{grade.label} range was reversed")
        return data


def _grade_filters(grade: GradeScale) -> dict[str, filters.Filter]:
    def best(qs, name, value):
        return qs.filter(**{f"{grade.field}__gte": grade.value_of(value)}) if value else qs

    def worst(qs, name, value):
        return qs.filter(**{f"{grade.field}__lte": grade.value_of(value)}) if value else qs

    return {
        f"{grade.param}_from": filters.ChoiceFilter(choices=grade.choices(), method=best, label=f"{grade.label} from"),
        f"{grade.param}_to": filters.ChoiceFilter(choices=grade.choices(), method=worst, label=f"{grade.label} to"),
    }


def _number(field_name: str, lookup: str, label: str, *, min_value=0, max_value=100000, places=2):
    return filters.NumberFilter(
        field_name=field_name,
        lookup_expr=lookup,
        label=label,
        min_value=Decimal(min_value),
        max_value=Decimal(max_value),
        decimal_places=places,
    )


class StoneFilter(filters.FilterSet):
    """Filters shared by diamonds and gemstones. Prices are in the shopper's currency (`currency_rate` per USD)."""

    shape = filters.MultipleChoiceFilter(choices=Shape.choices, label="Shape", distinct=False)
    price_min = filters.NumberFilter(method="filter_price_min", label="Minimum price", min_value=0, max_value=10**9)
    price_max = filters.NumberFilter(method="filter_price_max", label="Maximum price", min_value=0, max_value=10**9)
    carat_min = _number("carat", "gte", "Minimum carat", max_value=100)
    carat_max = _number("carat", "lte", "Maximum carat", max_value=100)
    on_sale = filters.BooleanFilter(method="filter_on_sale", label="On sale", widget=forms.CheckboxInput)
    new = filters.BooleanFilter(method="filter_new", label="New arrivals", widget=forms.CheckboxInput)

    range_pairs = [("price_min", "price_max"), ("carat_min", "carat_max")]

    def __init__(self, data=None, *args, currency_rate: Decimal = Decimal(1), **kwargs):
        self.currency_rate = currency_rate
        super().__init__(data, *args, **kwargs)

    # A shown price is usd × rate rounded to the cent, so compare against the half-cent edges of the bound.
    def filter_price_min(self, qs, name, value):
        return qs.filter(current_price__gte=(value - Decimal("0.005")) / self.currency_rate)

    def filter_price_max(self, qs, name, value):
        return qs.filter(current_price__lte=(value + Decimal("0.005")) / self.currency_rate)

    def filter_on_sale(self, qs, name, value):
        return qs.filter(sale_price__isnull=False) if value else qs

    def filter_new(self, qs, name, value):
        return qs.filter(arrival_date__gte=timezone.localdate() - timedelta(days=NEW_ARRIVAL_DAYS)) if value else qs


def _diamond_form_class():
    return type(
        "DiamondSearchForm",
        (SearchForm,),
        {
            "range_pairs": [
                ("price_min", "price_max"),
                ("carat_min", "carat_max"),
                ("depth_min", "depth_max"),
                ("table_min", "table_max"),
                ("lw_min", "lw_max"),
            ],
            "grade_pairs": [*DIAMOND_GRADES, INTENSITY],
        },
    )


class DiamondFilter(StoneFilter):
    lab = filters.MultipleChoiceFilter(choices=Lab.choices, label="Lab", distinct=False)
    depth_min = _number("depth_pct", "gte", "Minimum depth %", min_value=40, max_value=90, places=1)
    depth_max = _number("depth_pct", "lte", "Maximum depth %", min_value=40, max_value=90, places=1)
    table_min = _number("table_pct", "gte", "Minimum table %", min_value=40, max_value=90, places=1)
    table_max = _number("table_pct", "lte", "Maximum table %", min_value=40, max_value=90, places=1)
    lw_min = _number("lw_ratio", "gte", "Minimum L/W ratio", min_value=0.5, max_value=3)
    lw_max = _number("lw_ratio", "lte", "Maximum L/W ratio", min_value=0.5, max_value=3)
    true_hearts = filters.BooleanFilter(
        method="filter_true_hearts", label="True Hearts only", widget=forms.CheckboxInput
    )
    hue = filters.MultipleChoiceFilter(field_name="fancy_hue", choices=FancyHue.choices, label="Colour", distinct=False)
    locals().update({name: f for grade in [*DIAMOND_GRADES, INTENSITY] for name, f in _grade_filters(grade).items()})

    class Meta:
        model = Diamond
        fields: list[str] = []
        form = _diamond_form_class()

    def filter_true_hearts(self, qs, name, value):
        return qs.filter(true_hearts=True) if value else qs


class GemstoneFilter(StoneFilter):
    kind = filters.MultipleChoiceFilter(choices=GemKind.choices, label="Gemstone", distinct=False)

    class Meta:
        model = Gemstone
        fields: list[str] = []
        form = type("GemstoneSearchForm", (SearchForm,), {"range_pairs": StoneFilter.range_pairs})


# --- The search ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Facet:
    param: str
    field: str
    label: str
    choices: list[tuple[str, str]]  # (url value, label)
    db_value: dict[str, object]  # url value -> stored value
    excludes: tuple[str, ...]  # params left out when counting this facet


def _choice_facet(param, field_name, label, choices) -> Facet:
    return Facet(param, field_name, label, list(choices), {v: v for v, _ in choices}, (param,))


def _grade_facet(grade: GradeScale) -> Facet:
    return Facet(
        grade.param,
        grade.field,
        grade.label,
        grade.choices(),
        {grade.slug(v): v for v, _ in grade.scale.choices},
        (f"{grade.param}_from", f"{grade.param}_to"),
    )


DIAMOND_FACETS = [
    _choice_facet("shape", "shape", "Shape", Shape.choices),
    *[_grade_facet(g) for g in DIAMOND_GRADES],
    _choice_facet("lab", "lab", "Lab", Lab.choices),
]
FANCY_FACETS = [
    _choice_facet("hue", "fancy_hue", "Colour", FancyHue.choices),
    _grade_facet(INTENSITY),
    *[f for f in DIAMOND_FACETS if f.param != "color"],
]
GEMSTONE_FACETS = [
    _choice_facet("kind", "kind", "Gemstone", GemKind.choices),
    _choice_facet("shape", "shape", "Shape", Shape.choices),
]


@dataclass
class SearchResult:
    filterset: StoneFilter
    page: Page
    count: int
    sort: str
    sorts: dict
    facets: dict[str, dict[str, int]]  # param -> {url value: count}
    ignored: list[str] = field(default_factory=list)  # what the shopper asked for that could not be used

    @property
    def form(self):
        return self.filterset.form


def _clean_query(query, grade_params: set[str]):
    """A mutable copy of the query with overlong values dropped; returns it and the notes about what was dropped."""
    data = query.copy()
    notes = []
    for key in list(data):
        values = data.getlist(key)
        kept = [v for v in values if len(v) <= MAX_VALUE_LENGTH]
        if len(kept) != len(values):
            notes.append(f"an overlong value for “{key[:MAX_VALUE_LENGTH]}”")
            data.setlist(key, kept)
    _lower(data, grade_params)
    return data, notes


def _is_active(facet: Facet, cleaned: dict) -> bool:
    return any(cleaned.get(param) not in (None, "", [], False) for param in facet.excludes)


def _facet_counts(filterset: StoneFilter, data, base: QuerySet, facets: list[Facet]) -> tuple[int, dict]:
    """The number of results, and for each facet how many results each option would have with every *other*
    active filter applied.

    Facets the shopper has not touched share the full filter, so all their counts come from one pass with
    conditional aggregates (COUNT(*) FILTER (WHERE ...)); only each active facet needs a query of its own."""
    try:
        sql = str(filterset.qs.query)
    except EmptyResultSet:  # a base of .none(): nothing to count
        return 0, {facet.param: dict.fromkeys(facet.db_value, 0) for facet in facets}
    key = "facets:" + hashlib.sha256(f"{sql}|{[f.param for f in facets]}".encode()).hexdigest()
    if (cached := cache.get(key)) is not None:
        return cached
    cleaned = filterset.form.cleaned_data
    active = [f for f in facets if _is_active(f, cleaned)]
    aggregates, keys = {"total": Count("pk")}, {}
    for i, facet in enumerate(f for f in facets if f not in active):
        for j, (slug, db_value) in enumerate(facet.db_value.items()):
            keys[f"f{i}_{j}"] = (facet.param, slug)
            aggregates[f"f{i}_{j}"] = Count("pk", filter=Q(**{facet.field: db_value}))
    row = filterset.qs.order_by().aggregate(**aggregates)
    counts: dict[str, dict[str, int]] = {f.param: {} for f in facets}
    for alias, (param, slug) in keys.items():
        counts[param][slug] = row[alias]
    for facet in active:
        without = data.copy()
        for param in facet.excludes:
            without.pop(param, None)
        qs = type(filterset)(without, queryset=base, currency_rate=filterset.currency_rate).qs
        by_value = dict(qs.order_by().values_list(facet.field).annotate(n=Count("pk")))
        counts[facet.param] = {slug: by_value.get(db_value, 0) for slug, db_value in facet.db_value.items()}
    # Counts a minute old are fine (the result list itself is always live); a broad search costs 0.1–0.4 s.
    cache.set(key, (row["total"], counts), settings.SEARCH_FACET_CACHE_SECONDS)
    return row["total"], counts


def _page_rows(results: QuerySet, order: list[str], offset: int, limit: int, *, narrowed: bool) -> list:
    """One page of results.

    Unfiltered, walking the sort column's index is fastest. Filtered, that walk can skip most of the table (the
    cheapest stones are small, so "1 ct and up, by price" skips every small one first), so on PostgreSQL the
    filtered ids are collected first through the filters' own (covering) indexes and only the page is sorted."""
    if not narrowed or results.db != "default" or connection.vendor != "postgresql" or offset < 0:
        return list(results[max(offset, 0) : max(offset, 0) + limit])
    columns = [results.model._meta.get_field("id" if o.lstrip("-") == "pk" else o.lstrip("-")).column for o in order]
    inner, params = results.order_by().values(*dict.fromkeys(["id", *columns])).query.sql_with_params()
    order_sql = ", ".join(
        f"{connection.ops.quote_name(c)}{' DESC' if o.startswith('-') else ''}"
        for c, o in zip(columns, order, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH m AS MATERIALIZED ({inner}) SELECT id FROM m ORDER BY {order_sql} LIMIT %s OFFSET %s",  # noqa: S608 - only quoted column names are interpolated
            [*params, limit, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
    by_id = results.model.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


def run_search(
    query,
    *,
    base: QuerySet,
    filter_class: type[StoneFilter],
    facets: list[Facet],
    sorts: dict,
    currency_rate: Decimal,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    grade_params = {n for n in filter_class.base_filters if n.endswith(("_from", "_to"))}
    data, ignored = _clean_query(query, grade_params)
    filterset = filter_class(data, queryset=base, currency_rate=currency_rate)
    results = filterset.qs
    form = filterset.form
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        ignored.append(f"{label}: {data.get(name, '')!s:.40} ({errors[0].rstrip('.')})")
    sort = data.get("sort", "price")
    if sort not in sorts:
        if "sort" in data:
            ignored.append(f"Sort: {sort!s:.40} (not a sort order)")
        sort = "price"
    results = results.order_by(*sorts[sort][1])
    total, facet_counts = _facet_counts(filterset, data, base, facets)
    paginator = Paginator(results, page_size)
    paginator.count = total  # known from the facet pass: no separate COUNT query
    page_param = data.get("page", "1")
    if not page_param.isdigit() or int(page_param) < 1:
        if "page" in data:
            ignored.append(f"Page: {page_param!s:.40} (not a page number)")
        page_param = "1"
    page = paginator.get_page(page_param)
    narrowed = any(v not in (None, "", [], False) for v in form.cleaned_data.values())
    page.object_list = _page_rows(results, sorts[sort][1], page.start_index() - 1, page_size, narrowed=narrowed)
    return SearchResult(
        filterset=filterset,
        page=page,
        count=total,
        sort=sort,
        sorts=sorts,
        facets=facet_counts,
        ignored=ignored + getattr(form, "adjusted", []),
    )


# --- The four diamond pages share the search with a different starting set --------------------------------------
def diamonds_base(kind: str) -> QuerySet:
    qs = Diamond.objects.for_sale()
    if kind == "natural":
        return qs.filter(origin="natural", fancy_hue="")
    if kind == "lab":
        return qs.filter(origin="lab", fancy_hue="")
    if kind == "fancy":
        return qs.exclude(fancy_hue="")
    raise ValueError(kind)


def diamond_search(query, *, kind: str = "natural", currency_rate: Decimal = Decimal(1), base: QuerySet | None = None):
    return run_search(
        query,
        base=diamonds_base(kind) if base is None else base,
        filter_class=DiamondFilter,
        facets=FANCY_FACETS if kind == "fancy" else DIAMOND_FACETS,
        sorts=DIAMOND_SORTS,
        currency_rate=currency_rate,
    )


def gemstone_search(query, *, currency_rate: Decimal = Decimal(1), base: QuerySet | None = None):
    return run_search(
        query,
        base=Gemstone.objects.for_sale() if base is None else base,
        filter_class=GemstoneFilter,
        facets=GEMSTONE_FACETS,
        sorts=GEMSTONE_SORTS,
        currency_rate=currency_rate,
    )
