"""The header's site search: one box for the whole shop.

- A SKU or certificate number that names exactly one stone (diamond or gemstone, in any status) jumps straight to it.
- Otherwise settings, jewelry and gemstones are searched by words: settings by name, style, designer collection,
  description and the metals they come in; jewelry by name, category, metal and collection; gemstones by kind,
  colour, shape and origin. Only active settings and jewelry, and gemstones not yet sold, are listed.
- On PostgreSQL that is full-text search (english stemming, ranked: a word in the name or style counts most); on
  SQLite, the local fallback, each word must appear in one of the same fields (icontains).
- When no item has every word, items with any of them are shown instead, and the page says so.

Results come back grouped by kind, each group capped on the overview with a link to see all of that kind (paged).
The query is cut to MAX_QUERY characters and reduced to words, so no input can fail the search."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from .grades import GemKind, Metal, Shape
from .models import Diamond, Gemstone, ItemKind, Jewelry, JewelryCategory, RingSetting, SettingStyle, SettingVariant

MAX_QUERY = 200  # characters kept of what was typed
MAX_TERMS = 8
GROUP_CAP = 12  # items per kind on the overview
PAGE_SIZE = 48  # items per page when one kind is shown
CONFIG = "english"

# Words that name a whole kind: "halo engagement ring" should find halo settings, not nothing.
KIND_WORDS = {
    ItemKind.SETTING: "engagement ring rings setting settings",
    ItemKind.JEWELRY: "jewelry jewellery",
    ItemKind.GEMSTONE: "gemstone gemstones gem gems stone stones",
}
STOP_WORDS = {"a", "an", "and", "the", "of", "in", "with", "for", "to", "or", "on", "my"}
ACCENTED, PLAIN = (
    "àáâäãåçèéêëìíîïñòóôöõùúûüýÿÀÁÂÄÃÅÇÈÉÊËÌÍÎÏÑÒÓÔÖÕÙÚÛÜÝ",
    "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY",
)
TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,23}$")
LAB_PREFIX = re.compile(r"^(?:GIA|IGI|GCAL|AGS)[\s#:]*", re.IGNORECASE)

GROUPS = [
    (ItemKind.SETTING, "Engagement ring settings"),
    (ItemKind.JEWELRY, "Fine jewelry"),
    (ItemKind.GEMSTONE, "Gemstones"),
]
GROUP_LABELS = dict(GROUPS)


@dataclass
class Group:
    kind: str
    label: str
    items: list
    count: int
    see_all_url: str | None = None  # set when the overview shows only some


@dataclass
class SiteSearch:
    query: str  # what was searched, cleaned, for the page and the search box
    groups: list[Group] = field(default_factory=list)
    stones: list[dict] = field(
        default_factory=list
    )  # {kind, item}: several stones share the SKU or certificate number typed
    redirect_to: str | None = None
    is_empty_query: bool = False
    broadened: bool = False  # no item had every word; these have some
    kind: str | None = None  # one kind shown, paged
    page: Page | None = None
    suggestions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups) + len(self.stones)


# --- Query text -----------------------------------------------------------------------------------------------------
def clean_query(raw: object) -> str:
    """What was typed, cut to MAX_QUERY characters, without control characters, whitespace collapsed."""
    text = str(raw or "")[:MAX_QUERY]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Accents off ("pavé" → "pave"), as the indexed text has both spellings."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def query_terms(query: str) -> list[str]:
    words = re.findall(r"\w+(?:['’-]\w+)*", _fold(query).lower())
    return list(dict.fromkeys(w for w in words if w not in STOP_WORDS))[:MAX_TERMS]


# --- Exact stone numbers --------------------------------------------------------------------------------------------
def stones_by_number(query: str) -> list[dict]:
    """Diamonds and gemstones whose SKU or certificate number is `query` (trimmed, any case; "GIA 1234" too).

    Looks up the spellings shops use (as typed, upper, lower) so the unique and certificate indexes serve it."""
    token = LAB_PREFIX.sub("", query.strip().lstrip("#")).strip()
    if not TOKEN.match(token) or not any(ch.isdigit() for ch in token):
        return []
    spellings = {token, token.upper(), token.lower()}
    match = Q(sku__in=spellings) | Q(certificate_number__in=spellings)
    return [
        *({"kind": ItemKind.DIAMOND, "item": d} for d in Diamond.objects.filter(match)[:6]),
        *({"kind": ItemKind.GEMSTONE, "item": g} for g in Gemstone.objects.filter(match)[:6]),
    ]


# --- Text search ----------------------------------------------------------------------------------------------------
def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _labels(field_name: str, choices) -> Case:
    """A choice field as the words shoppers use: its label and its value ("Pavé pave", "Hidden halo hidden halo")."""
    return Case(
        *[When(**{field_name: value}, then=Value(f"{label} {value.replace('_', ' ')}")) for value, label in choices],
        default=Value(""),
        output_field=CharField(),
    )


def _unaccented(field_name: str) -> Func:
    return Func(F(field_name), Value(ACCENTED), Value(PLAIN), function="translate", output_field=CharField())


def _matching_values(choices, term: str) -> list[str]:
    term = term.lower()
    return [v for v, label in choices if term in _fold(label).lower() or term in v.replace("_", " ")]


def _stem(term: str) -> str:
    """A crude plural → singular for the SQLite fallback ("sapphires" finds "sapphire")."""
    if len(term) > 4 and term.endswith("ies"):
        return term[:-3] + "y"
    if len(term) > 3 and term.endswith("s") and not term.endswith("ss"):
        return term[:-1]
    return term


class _Kind:
    """How one kind is searched."""

    kind: str

    def base(self) -> QuerySet:
        raise NotImplementedError

    def vector(self):
        raise NotImplementedError

    def term_q(self, term: str) -> Q:
        raise NotImplementedError

    def order(self) -> list[str]:
        return ["name"]

    def search(self, terms: list[str], *, any_term: bool) -> QuerySet:
        queryset = self.base()
        if _postgres():
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = self.vector() + SearchVector(Value(KIND_WORDS[self.kind]), weight="D", config=CONFIG)
            queries = [SearchQuery(t, search_type="plain", config=CONFIG) for t in terms]
            query = reduce(or_ if any_term else and_, queries)
            return (
                queryset.alias(document=vector)
                .filter(document=query)
                .annotate(rank=SearchRank(F("document"), query))
                .order_by("-rank", *self.order())
            )
        kind_words = set(KIND_WORDS[self.kind].split())
        parts = [Q() if t in kind_words else self.term_q(_stem(t)) for t in terms]
        if any_term:
            parts = [p for p in parts if p] or [Q()]
        return queryset.filter(reduce(or_ if any_term else and_, parts)).order_by(*self.order())


class _Settings(_Kind):
    kind = ItemKind.SETTING

    def base(self):
        cheapest = SettingVariant.objects.filter(setting=OuterRef("pk")).order_by("price").values("price")[:1]
        return RingSetting.objects.filter(is_active=True).annotate(from_price=Subquery(cheapest))

    def vector(self):
        from django.contrib.postgres.aggregates import StringAgg
        from django.contrib.postgres.search import SearchVector

        metals = (
            SettingVariant.objects.filter(setting=OuterRef("pk"))
            .order_by()
            .values("setting")
            .annotate(words=StringAgg(_labels("metal", Metal.choices), delimiter=" "))
            .values("words")
        )
        return (
            SearchVector("name", _unaccented("name"), weight="A", config=CONFIG)
            + SearchVector(_labels("style", SettingStyle.choices), weight="A", config=CONFIG)
            + SearchVector("collection", _unaccented("collection"), weight="B", config=CONFIG)
            + SearchVector(Coalesce(Subquery(metals), Value(""), output_field=TextField()), weight="B", config=CONFIG)
            + SearchVector("description", "side_stones", weight="C", config=CONFIG)
        )

    def term_q(self, term):
        metals = _matching_values(Metal.choices, term)
        return (
            Q(name__icontains=term)
            | Q(collection__icontains=term)
            | Q(description__icontains=term)
            | Q(side_stones__icontains=term)
            | Q(style__in=_matching_values(SettingStyle.choices, term))
            | Q(Exists(SettingVariant.objects.filter(setting=OuterRef("pk"), metal__in=metals)))
        )


class _Jewelry(_Kind):
    kind = ItemKind.JEWELRY

    def base(self):
        return Jewelry.objects.filter(is_active=True)

    def vector(self):
        from django.contrib.postgres.search import SearchVector

        return (
            SearchVector("name", _unaccented("name"), weight="A", config=CONFIG)
            + SearchVector(_labels("category", JewelryCategory.choices), weight="A", config=CONFIG)
            + SearchVector(_labels("metal", Metal.choices), weight="B", config=CONFIG)
            + SearchVector("collection", _unaccented("collection"), weight="B", config=CONFIG)
        )

    def term_q(self, term):
        return (
            Q(name__icontains=term)
            | Q(collection__icontains=term)
            | Q(category__in=_matching_values(JewelryCategory.choices, term))
            | Q(metal__in=_matching_values(Metal.choices, term))
        )


class _Gemstones(_Kind):
    kind = ItemKind.GEMSTONE

    def base(self):
        return Gemstone.objects.for_sale()

    def order(self):
        return ["current_price", "pk"]

    def vector(self):
        from django.contrib.postgres.search import SearchVector

        return (
            SearchVector(_labels("kind", GemKind.choices), weight="A", config=CONFIG)
            + SearchVector("color", _labels("shape", Shape.choices), weight="B", config=CONFIG)
            + SearchVector("origin", weight="C", config=CONFIG)
        )

    def term_q(self, term):
        return (
            Q(kind__in=_matching_values(GemKind.choices, term))
            | Q(color__icontains=term)
            | Q(shape__in=_matching_values(Shape.choices, term))
            | Q(origin__icontains=term)
        )


SEARCHERS = {s.kind: s for s in (_Settings(), _Jewelry(), _Gemstones())}


def _capped(queryset: QuerySet, cap: int) -> tuple[list, int]:
    """The first `cap` items and how many there are, in one query."""
    items = list(queryset.annotate(search_total=Window(Count("pk")))[:cap])
    return items, (items[0].search_total if items else 0)


def _suggestions(terms: list[str]) -> list[tuple[str, str]]:
    """Diamonds are searched by their filters, not by words: point there when a word names a shape."""
    links = []
    for term in terms:
        shape = _stem(term)
        if shape in Shape.values:
            links.append((f"{Shape(shape).label} diamonds", reverse("catalog:diamonds_by_shape", args=[shape])))
    if {"lab", "grown", "lab-grown"} & set(terms):
        links.append(("Lab-grown diamonds", reverse("catalog:lab_diamonds")))
    if {"diamond", "diamonds", "loose"} & set(terms) and not links:
        links.append(("Loose diamonds", reverse("catalog:diamonds")))
    return list(dict.fromkeys(links))[:4]


def site_search(raw_query: object, *, kind: object = None, page: object = None) -> SiteSearch:
    query = clean_query(raw_query)
    terms = query_terms(query)
    result = SiteSearch(query=query)
    if not terms:
        result.is_empty_query = True
        return result

    stones = stones_by_number(query)
    if len(stones) == 1:
        result.redirect_to = stones[0]["item"].get_absolute_url()
        return result

    result.suggestions = _suggestions(terms)
    kind = kind if kind in SEARCHERS else None
    if kind is not None:
        return _one_kind(result, terms, kind, page)

    result.stones = stones
    for any_term in (False, True):
        groups = []
        for group_kind, label in GROUPS:
            items, count = _capped(SEARCHERS[group_kind].search(terms, any_term=any_term), GROUP_CAP)
            if count:
                see_all = (
                    f"{reverse('catalog:site_search')}?{_params(query, group_kind)}" if count > len(items) else None
                )
                groups.append(Group(group_kind, label, items, count, see_all))
        if groups or len(terms) == 1:
            result.groups, result.broadened = groups, any_term and bool(groups)
            break
    return result


def _one_kind(result: SiteSearch, terms: list[str], kind: str, page: object) -> SiteSearch:
    result.kind = kind
    searcher = SEARCHERS[kind]
    queryset = searcher.search(terms, any_term=False)
    paginator = Paginator(queryset, PAGE_SIZE)
    if paginator.count == 0 and len(terms) > 1:
        paginator = Paginator(searcher.search(terms, any_term=True), PAGE_SIZE)
        result.broadened = paginator.count > 0
    number = str(page) if page is not None and str(page).isdigit() else "1"
    result.page = paginator.get_page(number)
    items = list(result.page.object_list)
    result.groups = [Group(kind, GROUP_LABELS[kind], items, paginator.count)] if paginator.count else []
    return result


def _params(query: str, kind: str) -> str:
    return urlencode({"q": query, "kind": kind})
