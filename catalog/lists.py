"""The wish list and the compare list: services (writes) and selectors (reads).

Both refer to an item by (kind, ref): the SKU for stones and jewelry, the slug for settings, so a saved stone that
has since been sold still shows, as sold.

- Wish list: anonymous shoppers keep it in the session; signed-in shoppers in WishListItem rows. On login the
  session's items move into the account (signals.py), without duplicates.
- Compare list: in the session for everyone, up to COMPARE_MAX items of each kind.

A request reads the wish list once (one query when signed in, none otherwise) and keeps it on the request, so the
header count, every toggle button on the page and the wish list page share that one read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Prefetch
from django.utils.text import slugify

from .grades import StoneStatus
from .models import Diamond, Gemstone, ItemKind, Jewelry, RingSetting, SettingVariant, WishListItem

WISH_SESSION_KEY = "wish_list"
COMPARE_SESSION_KEY = "compare"
WISH_LIST_MAX = 100
COMPARE_MAX = 6
REF_MAX_LENGTH = 140

# kind -> (model, the field `ref` holds)
CATALOG = {
    ItemKind.DIAMOND: (Diamond, "sku"),
    ItemKind.GEMSTONE: (Gemstone, "sku"),
    ItemKind.SETTING: (RingSetting, "slug"),
    ItemKind.JEWELRY: (Jewelry, "sku"),
}
# What a shopper calls several of each kind ("You can compare up to 6 diamonds").
PLURALS = {
    ItemKind.DIAMOND: "diamonds",
    ItemKind.GEMSTONE: "gemstones",
    ItemKind.SETTING: "ring settings",
    ItemKind.JEWELRY: "jewelry pieces",
}
KIND_ORDER = [ItemKind.DIAMOND, ItemKind.GEMSTONE, ItemKind.SETTING, ItemKind.JEWELRY]

NOT_FOUND = "Sorry, we could not find that item."


class ListError(Exception):
    """A change the shopper asked for that cannot be made; the message is for the shopper."""


class ItemNotFound(ListError):
    def __init__(self, message: str = NOT_FOUND):
        super().__init__(message)


# --- Items ----------------------------------------------------------------------------------------------------------
def is_item(kind: object, ref: object) -> bool:
    """Whether (kind, ref) is well formed, without asking the database."""
    return kind in ItemKind.values and isinstance(ref, str) and 0 < len(ref) <= REF_MAX_LENGTH


def item_exists(kind: str, ref: str) -> bool:
    """Whether the catalog has that item, in any status: a sold stone may still be saved and compared."""
    if not is_item(kind, ref):
        return False
    model, ref_field = CATALOG[kind]
    return model.objects.filter(**{ref_field: ref}).exists()


def dom_id(kind: str, ref: str) -> str:
    return f"{kind}-{slugify(ref) or 'item'}"


def item_title(kind: str, item) -> str:
    """What the shop calls an item: "1.01 Carat Oval Lab-Grown Diamond", "1.50 Carat Oval Blue sapphire"."""
    if item is None:
        return ""
    if kind == ItemKind.DIAMOND:
        lab = "Lab-Grown " if item.origin == "lab" else ""
        return f"{item.carat} Carat {item.get_shape_display()} {lab}Diamond"
    if kind == ItemKind.GEMSTONE:
        return f"{item.carat} Carat {item.get_shape_display()} {item.get_kind_display()}"
    return item.name


def _load(kind: str, refs: list[str], *, with_variants: bool = False) -> dict[str, object]:
    """The items of one kind, by ref, in one query (two for settings with their metals)."""
    if not refs:
        return {}
    model, ref_field = CATALOG[kind]
    queryset = model.objects.filter(**{f"{ref_field}__in": refs})
    if kind == ItemKind.SETTING:
        if with_variants:
            queryset = queryset.prefetch_related(
                Prefetch("variants", queryset=SettingVariant.objects.order_by("price"))
            )
        else:
            queryset = queryset.annotate(from_price=Min("variants__price"))
    items = {getattr(item, ref_field): item for item in queryset}
    if with_variants and kind == ItemKind.SETTING:
        for item in items.values():
            prices = [v.price for v in item.variants.all()]
            item.from_price = min(prices) if prices else None
    return items


# --- Wish list: reads -----------------------------------------------------------------------------------------------
def _session_wish_list(session) -> list[tuple[str, str]]:
    raw = session.get(WISH_SESSION_KEY) or []
    entries, seen = [], set()
    for pair in raw if isinstance(raw, list) else []:
        if isinstance(pair, (list, tuple)) and len(pair) == 2 and is_item(*pair) and tuple(pair) not in seen:
            seen.add(tuple(pair))
            entries.append(tuple(pair))
    return entries


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def wish_list_entries(request) -> list[tuple[str, str]]:
    """(kind, ref) pairs, newest first: one query for a signed-in shopper, none otherwise; read once a request."""
    entries = getattr(request, "_wish_list_entries", None)
    if entries is None:
        if _signed_in(request):
            entries = list(
                WishListItem.objects.filter(user=request.user).order_by("-added_at", "-pk").values_list("kind", "ref")
            )
        elif hasattr(request, "session"):
            entries = _session_wish_list(request.session)
        else:
            entries = []
        request._wish_list_entries = entries
    return entries


def wish_list_count(request) -> int:
    return len(wish_list_entries(request))


def wish_list_has(request, kind: str, ref: str) -> bool:
    return (kind, ref) in wish_list_entries(request)


@dataclass
class WishListEntry:
    kind: str
    ref: str
    item: object | None  # None when the catalog no longer has it

    @property
    def kind_label(self) -> str:
        return ItemKind(self.kind).label

    @property
    def is_sold(self) -> bool:
        return getattr(self.item, "status", None) == StoneStatus.SOLD

    @property
    def is_unavailable(self) -> bool:
        """Gone from the catalog, or a setting or piece no longer offered."""
        return self.item is None or getattr(self.item, "is_active", True) is False

    @property
    def dom_id(self) -> str:
        return dom_id(self.kind, self.ref)

    @property
    def title(self) -> str:
        return item_title(self.kind, self.item) or f"{self.kind_label} {self.ref}"


def wish_list_items(request) -> list[WishListEntry]:
    """The wish list with its items, newest first: one query for the list and one for each kind in it."""
    entries = wish_list_entries(request)
    by_kind: dict[str, list[str]] = {}
    for kind, ref in entries:
        by_kind.setdefault(kind, []).append(ref)
    loaded = {kind: _load(kind, refs) for kind, refs in by_kind.items()}
    return [WishListEntry(kind, ref, loaded[kind].get(ref)) for kind, ref in entries]


# --- Wish list: writes ----------------------------------------------------------------------------------------------
def wish_list_add(request, *, kind: str, ref: str) -> bool:
    """Save an item; returns False when it was already saved. Raises ListError for an unknown item or a full list."""
    entries = wish_list_entries(request)
    if (kind, ref) in entries:
        return False
    if not item_exists(kind, ref):
        raise ItemNotFound
    if len(entries) >= WISH_LIST_MAX:
        raise ListError(f"Your wish list holds up to {WISH_LIST_MAX} items; remove one first.")
    if _signed_in(request):
        WishListItem.objects.get_or_create(user=request.user, kind=kind, ref=ref)
    else:
        request.session[WISH_SESSION_KEY] = [[kind, ref], *[list(e) for e in entries]]
    request._wish_list_entries = [(kind, ref), *entries]
    return True


def wish_list_remove(request, *, kind: str, ref: str) -> bool:
    """Remove an item; returns False when it was not saved. An item gone from the catalog can still be removed, but a
    made-up one is refused."""
    entries = wish_list_entries(request)
    if (kind, ref) not in entries:
        if not item_exists(kind, ref):
            raise ItemNotFound
        return False
    if _signed_in(request):
        WishListItem.objects.filter(user=request.user, kind=kind, ref=ref).delete()
    else:
        request.session[WISH_SESSION_KEY] = [list(e) for e in entries if e != (kind, ref)]
    request._wish_list_entries = [e for e in entries if e != (kind, ref)]
    return True


def wish_list_merge(request, *, user) -> int:
    """Move the session's wish list into `user`'s account (on login): no duplicates, the session list cleared.
    Returns how many items were added."""
    session = getattr(request, "session", None)
    if session is None:
        return 0
    entries = _session_wish_list(session)
    added = 0
    if entries:
        existing = set(WishListItem.objects.filter(user=user).values_list("kind", "ref"))
        room = max(WISH_LIST_MAX - len(existing), 0)
        # Oldest first, so the newest keeps the highest id and stays first in the list.
        new = [e for e in reversed(entries) if e not in existing][-room:] if room else []
        WishListItem.objects.bulk_create(
            [WishListItem(user=user, kind=kind, ref=ref) for kind, ref in new], ignore_conflicts=True
        )
        added = len(new)
    session.pop(WISH_SESSION_KEY, None)
    request.__dict__.pop("_wish_list_entries", None)
    return added


# --- Compare list ---------------------------------------------------------------------------------------------------
def compare_refs(request) -> dict[str, list[str]]:
    """kind -> refs in the order they were added (only kinds with items)."""
    session = getattr(request, "session", None)
    raw = session.get(COMPARE_SESSION_KEY) if session is not None else None
    refs: dict[str, list[str]] = {}
    if isinstance(raw, dict):
        for kind in KIND_ORDER:
            values = raw.get(kind)
            if isinstance(values, list):
                clean = list(dict.fromkeys(r for r in values if is_item(kind, r)))[:COMPARE_MAX]
                if clean:
                    refs[kind] = clean
    return refs


def compare_has(request, kind: str, ref: str) -> bool:
    return ref in compare_refs(request).get(kind, [])


def compare_count(request, kind: str | None = None) -> int:
    refs = compare_refs(request)
    return len(refs.get(kind, [])) if kind else sum(len(v) for v in refs.values())


def _save_compare(request, refs: dict[str, list[str]]) -> None:
    request.session[COMPARE_SESSION_KEY] = {kind: values for kind, values in refs.items() if values}


def compare_add(request, *, kind: str, ref: str) -> bool:
    refs = compare_refs(request)
    current = refs.get(kind, [])
    if ref in current:
        return False
    if not item_exists(kind, ref):
        raise ItemNotFound
    if len(current) >= COMPARE_MAX:
        raise ListError(f"You can compare up to {COMPARE_MAX} {PLURALS[kind]}; remove one first.")
    refs[kind] = [*current, ref]
    _save_compare(request, refs)
    return True


def compare_remove(request, *, kind: str, ref: str) -> bool:
    refs = compare_refs(request)
    current = refs.get(kind, [])
    if ref not in current:
        if not item_exists(kind, ref):
            raise ItemNotFound
        return False
    refs[kind] = [r for r in current if r != ref]
    _save_compare(request, refs)
    return True


# --- Compare tables -------------------------------------------------------------------------------------------------
def _text(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _ct(value) -> str:
    return "—" if value is None else f"{value} ct"


DIAMOND_ROWS = [
    ("Price", "price", lambda d: d.current_price),
    ("Shape", "text", lambda d: d.get_shape_display()),
    ("Carat", "text", lambda d: _ct(d.carat)),
    ("Cut", "text", lambda d: d.get_cut_display()),
    ("Colour", "text", lambda d: d.colour_label),
    ("Clarity", "text", lambda d: d.get_clarity_display()),
    ("Polish", "text", lambda d: d.get_polish_display()),
    ("Symmetry", "text", lambda d: d.get_symmetry_display()),
    ("Fluorescence", "text", lambda d: d.get_fluorescence_display()),
    ("L/W ratio", "text", lambda d: _text(d.lw_ratio)),
    ("Depth %", "text", lambda d: _pct(d.depth_pct)),
    ("Table %", "text", lambda d: _pct(d.table_pct)),
    ("Measurements", "text", lambda d: _text(d.measurements)),
    ("Lab", "text", lambda d: d.get_lab_display()),
    ("Certificate", "text", lambda d: _text(d.certificate_number)),
    ("Origin", "text", lambda d: d.get_origin_display()),
]
GEMSTONE_ROWS = [
    ("Price", "price", lambda g: g.current_price),
    ("Gemstone", "text", lambda g: g.get_kind_display()),
    ("Shape", "text", lambda g: g.get_shape_display()),
    ("Carat", "text", lambda g: _ct(g.carat)),
    ("Colour", "text", lambda g: _text(g.color)),
    ("Treatment", "text", lambda g: g.get_treatment_display()),
    ("Origin", "text", lambda g: _text(g.origin)),
    ("Measurements", "text", lambda g: _text(g.measurements)),
    ("Lab", "text", lambda g: _text(g.lab)),
    ("Certificate", "text", lambda g: _text(g.certificate_number)),
]
SETTING_ROWS = [
    ("Price from", "price", lambda s: s.from_price),
    ("Style", "text", lambda s: s.get_style_display()),
    ("Collection", "text", lambda s: _text(s.collection)),
    ("Metals", "text", lambda s: _text(", ".join(v.get_metal_display() for v in s.variants.all()))),
    ("Centre stone shapes", "text", lambda s: _text(", ".join(str(x).title() for x in s.shapes or []))),
    (
        "Centre stone",
        "text",
        lambda s: f"{s.min_carat}–{s.max_carat} ct" if s.requires_center_stone else "No centre stone",
    ),
    ("Side stones", "text", lambda s: _text(s.side_stones) if s.side_stones else "None"),
    ("Ring sizes", "text", lambda s: f"{s.ring_size_min:g}–{s.ring_size_max:g}"),
    ("Resizable", "text", lambda s: "Yes" if s.resizable else "No"),
    ("Made to order in", "text", lambda s: f"{s.production_days} business days"),
]
JEWELRY_ROWS = [
    ("Price", "price", lambda j: j.price),
    ("Category", "text", lambda j: j.get_category_display()),
    ("Metal", "text", lambda j: j.get_metal_display()),
    ("Collection", "text", lambda j: _text(j.collection)),
    ("Total carat weight", "text", lambda j: _ct(j.total_carat)),
    ("Availability", "text", lambda j: "In stock" if j.in_stock else "Made to order"),
]
COMPARE_ROWS = {
    ItemKind.DIAMOND: DIAMOND_ROWS,
    ItemKind.GEMSTONE: GEMSTONE_ROWS,
    ItemKind.SETTING: SETTING_ROWS,
    ItemKind.JEWELRY: JEWELRY_ROWS,
}


@dataclass
class CompareRow:
    label: str
    is_price: bool
    values: list
    differs: bool


@dataclass
class CompareTable:
    kind: str
    items: list
    rows: list[CompareRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return PLURALS[self.kind].capitalize()

    @property
    def max_items(self) -> int:
        return COMPARE_MAX

    @property
    def differing(self) -> int:
        return sum(row.differs for row in self.rows)

    @property
    def columns(self) -> list[dict]:
        ref_field = CATALOG[self.kind][1]
        return [
            {
                "item": item,
                "ref": getattr(item, ref_field),
                "title": item_title(self.kind, item),
                "dom_id": dom_id(self.kind, getattr(item, ref_field)),
                "is_sold": getattr(item, "status", None) == StoneStatus.SOLD,
                "is_unavailable": getattr(item, "is_active", True) is False,
            }
            for item in self.items
        ]


def compare_tables(request) -> list[CompareTable]:
    """One table per kind on the compare list, items as columns in the order added: one query per kind (two for
    settings). Rows whose values are not all the same are marked `differs`. Items the catalog no longer has are
    dropped from the list."""
    refs = compare_refs(request)
    tables, kept = [], {}
    for kind, kind_refs in refs.items():
        loaded = _load(kind, kind_refs, with_variants=True)
        items = [loaded[r] for r in kind_refs if r in loaded]
        kept[kind] = [r for r in kind_refs if r in loaded]
        if not items:
            continue
        table = CompareTable(kind=kind, items=items)
        for label, how, value_of in COMPARE_ROWS[kind]:
            values = [value_of(item) for item in items]
            distinct = {v if isinstance(v, Decimal) or v is None else str(v) for v in values}
            table.rows.append(CompareRow(label, how == "price", values, differs=len(items) > 1 and len(distinct) > 1))
        tables.append(table)
    if kept != refs:
        _save_compare(request, kept)
    return tables
