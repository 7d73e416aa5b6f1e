"""The shopping bag, kept in the session: what the shopper chose, never what it cost.

A line names catalog items (SKUs, slugs) and the choices made (metal, size, engraving, quantity). Every time the bag
is shown it is priced from the catalog in the shopper's currency: each part converted, then added, so the lines
add up to the subtotal exactly. A posted price is never read. Loose stones are one of a kind: a stone is in the bag
at most once (loose, in a ring, or in a pair of earrings), and a stone sold since it was added stays listed,
flagged, and out of the subtotal.

Line kinds: diamond, gemstone (ref = SKU); setting (slug, metal, size); jewelry (SKU, quantity); ring (setting,
metal, size, centre stone, engraving); earrings (two stones and a metal); pendant (one stone and a metal).
Services (`bag_<action>`) raise BagError with a message for the shopper and change nothing when they refuse."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from catalog.grades import Metal, StoneStatus
from catalog.models import Diamond, Gemstone, Jewelry, RingSetting, SettingVariant
from ring_builder import designs
from ring_builder.compatibility import SettingSpec, StoneSpec, check_fit
from ring_builder.engraving import engraving_problems, normalise
from ring_builder.matching import PairStone, match_pair
from ring_builder.sizes import parse_size, size_label, size_value

from .currency import request_price
from .money import Money

SESSION_KEY = "bag"
MAX_LINES = 30
MAX_QUANTITY = 10
REF_MAX_LENGTH = 140
SOLD = "Sorry, this item has just been sold"
RESERVED = "This item is reserved in another shopper's checkout"
GONE = "Sorry, this item is no longer available"
STONE_MODELS = {"diamond": Diamond, "gemstone": Gemstone}
LINE_KINDS = ("diamond", "gemstone", "setting", "jewelry", "ring", "earrings", "pendant")


class BagError(Exception):
    """A change to the bag that was refused; the message is for the shopper."""


# --- Stored lines ------------------------------------------------------------------------------------------------
def _ok_ref(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= REF_MAX_LENGTH


def _ok_stone(value) -> bool:
    return isinstance(value, dict) and value.get("type") in STONE_MODELS and _ok_ref(value.get("sku"))


def _valid_line(line) -> bool:
    if not isinstance(line, dict) or not _ok_ref(line.get("id")) or line.get("kind") not in LINE_KINDS:
        return False
    kind = line["kind"]
    if kind in ("diamond", "gemstone", "jewelry", "setting") and not _ok_ref(line.get("ref")):
        return False
    if kind == "jewelry":
        return isinstance(line.get("quantity"), int) and 1 <= line["quantity"] <= MAX_QUANTITY
    if kind in ("setting", "ring") and (line.get("metal") not in Metal.values or parse_size(line.get("size")) is None):
        return False
    if kind == "ring":
        return _ok_ref(line.get("ref")) and _ok_stone(line.get("stone")) and isinstance(line.get("engraving"), str)
    if kind == "earrings":
        stones = line.get("stones")
        return (
            line.get("metal") in Metal.values
            and isinstance(stones, list)
            and len(stones) == 2
            and all(_ok_stone(s) for s in stones)
        )
    if kind == "pendant":
        return line.get("metal") in Metal.values and _ok_stone(line.get("stone"))
    return True


def bag_lines(request) -> list[dict]:
    """The stored lines (malformed ones dropped), oldest first. No query."""
    session = getattr(request, "session", None)
    raw = session.get(SESSION_KEY) if session is not None else None
    lines = raw.get("lines") if isinstance(raw, dict) else None
    return [line for line in lines if _valid_line(line)][:MAX_LINES] if isinstance(lines, list) else []


def bag_count(request) -> int:
    """Items in the bag, for the header: a ring is one item, three pairs of the same studs are three. No query."""
    return sum(line.get("quantity", 1) for line in bag_lines(request))


def _save(request, lines: list[dict], **extra) -> None:
    raw = request.session.get(SESSION_KEY)
    data = dict(raw) if isinstance(raw, dict) else {}
    data.update(extra)
    data["lines"] = lines
    request.session[SESSION_KEY] = data
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from .models import SavedBag

        SavedBag.objects.update_or_create(user=user, defaults={"lines": lines})


def bag_clear(request) -> None:
    """The order is placed: the bag is empty here and in the account."""
    request.session.pop(SESSION_KEY, None)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from .models import SavedBag

        SavedBag.objects.filter(user=user).delete()


def _line_key(line: dict) -> tuple:
    if line["kind"] in ("jewelry", "setting"):
        return (line["kind"], line["ref"], line.get("metal", ""), str(line.get("size", "")))
    return (line["kind"], line["id"])


def bag_merge_on_login(request, *, user) -> None:
    """Signing in adds the account's saved bag to this browser's bag: a stone already here is not added twice, the
    same piece is not doubled, and the bag never grows past MAX_LINES. The result is saved to both."""
    from .models import SavedBag

    saved = SavedBag.objects.filter(user=user).values_list("lines", flat=True).first() or []
    lines = bag_lines(request)
    stones = {ref for line in lines for ref in _stones_of(line)}
    keys = {_line_key(line) for line in lines}
    for line in saved if isinstance(saved, list) else []:
        if len(lines) >= MAX_LINES or not _valid_line(line):
            continue
        if _line_key(line) in keys or any(ref in stones for ref in _stones_of(line)):
            continue
        lines.append(line)
        keys.add(_line_key(line))
        stones.update(_stones_of(line))
    _save(request, lines)


def _stones_of(line: dict) -> list[tuple[str, str]]:
    kind = line["kind"]
    if kind in STONE_MODELS:
        return [(kind, line["ref"])]
    if kind in ("ring", "pendant"):
        return [(line["stone"]["type"], line["stone"]["sku"])]
    if kind == "earrings":
        return [(s["type"], s["sku"]) for s in line["stones"]]
    return []


def _stone_ref(stone) -> dict:
    return {"type": "diamond" if isinstance(stone, Diamond) else "gemstone", "sku": stone.sku}


def _check_stones_free(lines: list[dict], stones) -> None:
    """Each stone is one of a kind: refuse one already in the bag, or not for sale."""
    taken = {ref for line in lines for ref in _stones_of(line)}
    for stone in stones:
        ref = _stone_ref(stone)
        if (ref["type"], ref["sku"]) in taken:
            raise BagError("That stone is already in your bag.")
        if stone.status == StoneStatus.SOLD:
            raise BagError(f"{SOLD}.")
        if stone.status == StoneStatus.RESERVED:
            raise BagError(f"{RESERVED}.")


def _add(request, line: dict) -> dict:
    lines = bag_lines(request)
    if len(lines) >= MAX_LINES:
        raise BagError(f"Your bag holds up to {MAX_LINES} items; please check out or remove one first.")
    line = {"id": secrets.token_hex(6), **line}
    _save(request, [*lines, line])
    return line


def _check_metal(setting_or_choices, metal: str, name: str) -> None:
    metals = (
        {v.metal for v in setting_or_choices.variants.all()}
        if isinstance(setting_or_choices, RingSetting)
        else set(setting_or_choices)
    )
    if metal not in metals:
        raise BagError(f"The {name} is not made in {Metal(metal).label if metal in Metal.values else 'that metal'}.")


def _check_size(setting: RingSetting, size) -> Decimal:
    parsed = parse_size(size_value(size) if isinstance(size, Decimal) else size)
    if parsed is None:
        raise BagError("Choose a ring size: US sizes run from 3 to 9 in quarter sizes.")
    if not setting.ring_size_min <= parsed <= setting.ring_size_max:
        raise BagError(
            f"The {setting.name} is made in sizes {size_label(setting.ring_size_min)} to "
            f"{size_label(setting.ring_size_max)}."
        )
    return parsed


# --- Adding and removing ------------------------------------------------------------------------------------------
def bag_add_stone(request, *, stone) -> dict:
    _check_stones_free(bag_lines(request), [stone])
    kind = "diamond" if isinstance(stone, Diamond) else "gemstone"
    return _add(request, {"kind": kind, "ref": stone.sku})


def bag_add_setting(request, *, setting: RingSetting, metal: str, size) -> dict:
    """A setting on its own (the caller asks first when it needs a centre stone: prompts.needs_centre)."""
    if not setting.is_active:
        raise BagError(f"The {setting.name} is no longer offered.")
    _check_metal(setting, metal, setting.name)
    parsed = _check_size(setting, size)
    return _add(request, {"kind": "setting", "ref": setting.slug, "metal": metal, "size": size_value(parsed)})


def bag_add_jewelry(request, *, item: Jewelry, quantity: int = 1) -> dict:
    if not item.is_active:
        raise BagError(f"The {item.name} is no longer offered.")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise BagError(f"Choose a quantity from 1 to {MAX_QUANTITY}.")
    lines = bag_lines(request)
    for line in lines:
        if line["kind"] == "jewelry" and line["ref"] == item.sku:
            total = line["quantity"] + quantity
            if total > MAX_QUANTITY:
                raise BagError(f"You can order up to {MAX_QUANTITY} of one piece; call us for more.")
            line["quantity"] = total
            _save(request, lines)
            return line
    return _add(request, {"kind": "jewelry", "ref": item.sku, "quantity": quantity})


def bag_add_ring(request, *, setting: RingSetting, metal: str, size, stone, engraving: str = "") -> dict:
    """A complete ring as one line. The fit, metal, size and engraving are checked again here: the bag trusts no
    caller."""
    if not setting.is_active:
        raise BagError(f"The {setting.name} is no longer offered.")
    _check_metal(setting, metal, setting.name)
    parsed = _check_size(setting, size)
    engraving = normalise(engraving or "")
    if problems := engraving_problems(engraving):
        raise BagError(problems[0])
    _check_stones_free(bag_lines(request), [stone])
    fit = check_fit(SettingSpec.of(setting), StoneSpec.of(stone))
    if not fit.fits:
        raise BagError(" ".join(r.message for r in fit.reasons))
    return _add(
        request,
        {
            "kind": "ring",
            "ref": setting.slug,
            "metal": metal,
            "size": size_value(parsed),
            "stone": _stone_ref(stone),
            "engraving": engraving,
        },
    )


def bag_add_earrings(request, *, stones, metal: str) -> dict:
    if len(stones) != 2:
        raise BagError("Earrings need two stones.")
    _check_metal(designs.EARRING_METALS, metal, designs.EARRINGS.name)
    _check_stones_free(bag_lines(request), stones)
    problems = [
        *check_fit(designs.EARRINGS, StoneSpec.of(stones[0])).reasons,
        *check_fit(designs.EARRINGS, StoneSpec.of(stones[1])).reasons,
        *match_pair(PairStone.of(stones[0]), PairStone.of(stones[1])).reasons,
    ]
    if problems:
        raise BagError(" ".join(dict.fromkeys(r.message for r in problems)))
    return _add(request, {"kind": "earrings", "metal": metal, "stones": [_stone_ref(s) for s in stones]})


def bag_add_pendant(request, *, stone, metal: str) -> dict:
    _check_metal(designs.PENDANT_METALS, metal, designs.PENDANT.name)
    _check_stones_free(bag_lines(request), [stone])
    fit = check_fit(designs.PENDANT, StoneSpec.of(stone))
    if not fit.fits:
        raise BagError(" ".join(r.message for r in fit.reasons))
    return _add(request, {"kind": "pendant", "metal": metal, "stone": _stone_ref(stone)})


def bag_remove(request, *, line_id: str) -> dict:
    lines = bag_lines(request)
    line = next((x for x in lines if x["id"] == line_id), None)
    if line is None:
        raise BagError("That item is not in your bag.")
    _save(request, [x for x in lines if x["id"] != line_id])
    return line


QUANTITY_MESSAGE = f"Choose a quantity from 1 to {MAX_QUANTITY}."


def parse_quantity(value) -> int:
    """A quantity as typed: whole digits only, 1 to MAX_QUANTITY. "-1", "0", "1e3", "10^9", "2.5" are refused."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 3 or not 1 <= int(text) <= MAX_QUANTITY:
        raise BagError(QUANTITY_MESSAGE)
    return int(text)


def bag_set_quantity(request, *, line_id: str, quantity) -> dict:
    """Change how many of a piece: only pieces with stock counts (jewelry) have a quantity; a stone is one of a kind."""
    quantity = parse_quantity(quantity)
    lines = bag_lines(request)
    line = next((x for x in lines if x["id"] == line_id), None)
    if line is None:
        raise BagError("That item is not in your bag.")
    if line["kind"] != "jewelry":
        raise BagError("This piece is one of a kind: its quantity is always 1.")
    line["quantity"] = quantity
    _save(request, lines)
    return line


def bag_combine(request, *, setting_line_id: str, stone_line_id: str) -> dict:
    """A setting and a loose stone, both in the bag, become one complete ring (in the setting line's place)."""
    lines = bag_lines(request)
    by_id = {line["id"]: line for line in lines}
    setting_line, stone_line = by_id.get(setting_line_id), by_id.get(stone_line_id)
    if (
        not setting_line
        or setting_line["kind"] != "setting"
        or not stone_line
        or stone_line["kind"] not in STONE_MODELS
    ):
        raise BagError("Those items are not a setting and a loose stone in your bag.")
    setting = RingSetting.objects.filter(slug=setting_line["ref"]).prefetch_related("variants").first()
    stone = STONE_MODELS[stone_line["kind"]].objects.filter(sku=stone_line["ref"]).first()
    if setting is None or stone is None:
        raise BagError(GONE + ".")
    fit = check_fit(SettingSpec.of(setting), StoneSpec.of(stone))
    if not fit.fits:
        raise BagError(" ".join(r.message for r in fit.reasons))
    ring = {
        "id": setting_line["id"],
        "kind": "ring",
        "ref": setting.slug,
        "metal": setting_line["metal"],
        "size": setting_line["size"],
        "stone": _stone_ref(stone),
        "engraving": "",
    }
    _save(request, [ring if x is setting_line else x for x in lines if x is not stone_line])
    return ring


def bag_keep_separate(request, *, setting_line_id: str, stone_line_id: str) -> None:
    """The shopper said no to combining this pair: do not ask again."""
    raw = request.session.get(SESSION_KEY)
    declined = list(raw.get("declined", [])) if isinstance(raw, dict) else []
    pair = f"{setting_line_id}:{stone_line_id}"
    if pair not in declined:
        declined.append(pair)
    _save(request, bag_lines(request), declined=declined[-MAX_LINES:])


# --- The priced bag -----------------------------------------------------------------------------------------------
@dataclass
class Part:
    label: str  # "Setting", "Centre stone", "Left stone"
    title: str
    detail: str
    price: Money | None
    url: str = ""
    problem: str = ""
    shape: str = ""
    tint: str = ""


@dataclass
class Line:
    id: str
    kind: str
    title: str
    parts: list[Part] = field(default_factory=list)
    quantity: int = 1
    total: Money | None = None
    problem: str = ""
    note: str = ""  # advice, e.g. "needs a centre stone"
    setting_slug: str = ""
    stone: object | None = None
    setting: object | None = None


@dataclass
class CombineOffer:
    setting_line: Line
    stone_line: Line


@dataclass
class Bag:
    lines: list[Line]
    subtotal: Money
    combine: CombineOffer | None = None

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def has_problems(self) -> bool:
        return any(line.problem for line in self.lines)


def _load(lines: list[dict]) -> dict:
    """Every item the lines name, by kind and ref: one query per kind present (two for settings)."""
    wanted: dict[str, set[str]] = {"diamond": set(), "gemstone": set(), "setting": set(), "jewelry": set()}
    for line in lines:
        for stone_type, sku in _stones_of(line):
            wanted[stone_type].add(sku)
        if line["kind"] in ("setting", "ring"):
            wanted["setting"].add(line["ref"])
        if line["kind"] == "jewelry":
            wanted["jewelry"].add(line["ref"])
    loaded: dict[str, dict] = {kind: {} for kind in wanted}
    if wanted["diamond"]:
        loaded["diamond"] = {d.sku: d for d in Diamond.objects.filter(sku__in=wanted["diamond"])}
    if wanted["gemstone"]:
        loaded["gemstone"] = {g.sku: g for g in Gemstone.objects.filter(sku__in=wanted["gemstone"])}
    if wanted["setting"]:
        variants = Prefetch("variants", queryset=SettingVariant.objects.order_by("price"))
        loaded["setting"] = {
            s.slug: s for s in RingSetting.objects.filter(slug__in=wanted["setting"]).prefetch_related(variants)
        }
    if wanted["jewelry"]:
        loaded["jewelry"] = {j.sku: j for j in Jewelry.objects.filter(sku__in=wanted["jewelry"])}
    return loaded


def _stone_problem(stone) -> str:
    if stone is None:
        return GONE
    if stone.status == StoneStatus.SOLD:
        return SOLD
    if stone.status == StoneStatus.RESERVED and stone.is_reserved:
        return RESERVED
    return ""


def _stone_part(request, label: str, stone) -> Part:
    from ring_builder.builder import stone_details, stone_tint, stone_title

    if stone is None:
        return Part(label, "A stone no longer in our collection", "", None, problem=GONE)
    return Part(
        label,
        stone_title(stone),
        stone_details(stone),
        request_price(request, stone.current_price),
        url=stone.get_absolute_url(),
        problem=_stone_problem(stone),
        shape=stone.shape,
        tint=stone_tint(stone),
    )


def _setting_part(request, setting, metal: str, size: str) -> Part:
    if setting is None or not setting.is_active:
        return Part("Setting", setting.name if setting else "A setting", "", None, problem=GONE)
    variant = next((v for v in setting.variants.all() if v.metal == metal), None)
    detail = f"{Metal(metal).label} · size {size_label(Decimal(size))}"
    if variant is None:
        return Part("Setting", setting.name, detail, None, problem=f"No longer made in {Metal(metal).label}")
    return Part("Setting", setting.name, detail, request_price(request, variant.price), url=setting.get_absolute_url())


def _mounting_part(request, design, prices: dict, metal: str) -> Part:
    return Part("Mounting", design.name, Metal(metal).label, request_price(request, prices[metal]))


def _price_line(request, raw: dict, loaded: dict) -> Line:
    from ring_builder.builder import stone_title

    kind = raw["kind"]
    line = Line(id=raw["id"], kind=kind, title="")
    if kind in STONE_MODELS:
        stone = loaded[kind].get(raw["ref"])
        line.stone = stone
        line.parts = [_stone_part(request, "Loose stone", stone)]
        line.title = stone_title(stone) or "A stone no longer in our collection"
    elif kind == "setting":
        setting = loaded["setting"].get(raw["ref"])
        line.setting = setting
        line.setting_slug = raw["ref"]
        line.parts = [_setting_part(request, setting, raw["metal"], raw["size"])]
        line.title = f"{setting.name} setting" if setting else "A setting no longer offered"
        if setting is not None and setting.requires_center_stone:
            line.note = "This setting needs a centre diamond or gemstone."
    elif kind == "jewelry":
        item = loaded["jewelry"].get(raw["ref"])
        line.quantity = raw["quantity"]
        line.title = item.name if item else "A piece no longer offered"
        unit = request_price(request, item.price) if item and item.is_active else None
        line.parts = [
            Part(
                "Piece",
                line.title,
                item.get_metal_display() if item else "",
                unit,
                url=item.get_absolute_url() if item else "",
                problem="" if unit is not None else GONE,
            )
        ]
    elif kind == "ring":
        setting = loaded["setting"].get(raw["ref"])
        stone = loaded[raw["stone"]["type"]].get(raw["stone"]["sku"])
        line.setting, line.stone = setting, stone
        line.parts = [
            _setting_part(request, setting, raw["metal"], raw["size"]),
            _stone_part(request, "Centre stone", stone),
        ]
        line.title = "Engagement ring" + (f": {setting.name} with a {stone_title(stone)}" if setting and stone else "")
        if raw.get("engraving"):
            line.note = f"Engraved “{raw['engraving']}”"
    elif kind in ("earrings", "pendant"):
        design, prices = (
            (designs.EARRINGS, designs.EARRING_METALS)
            if kind == "earrings"
            else (designs.PENDANT, designs.PENDANT_METALS)
        )
        refs = raw["stones"] if kind == "earrings" else [raw["stone"]]
        stones = [loaded[r["type"]].get(r["sku"]) for r in refs]
        labels = ["Left stone", "Right stone"] if kind == "earrings" else ["Stone"]
        line.parts = [
            _mounting_part(request, design, prices, raw["metal"]),
            *[_stone_part(request, label, s) for label, s in zip(labels, stones, strict=True)],
        ]
        line.title = "Stud earrings, designed by you" if kind == "earrings" else "Solitaire pendant, designed by you"
    problems = [p.problem for p in line.parts if p.problem]
    line.problem = problems[0] if problems else ""
    if not line.problem:
        unit_total = sum((p.price for p in line.parts), start=Money(Decimal(0), line.parts[0].price.currency))
        line.total = Money(unit_total.amount * line.quantity, unit_total.currency)
    return line


def _combine_offer(lines: list[Line], declined: set[str]) -> CombineOffer | None:
    for setting_line in lines:
        if setting_line.kind != "setting" or setting_line.problem or setting_line.setting is None:
            continue
        for stone_line in lines:
            if stone_line.kind not in STONE_MODELS or stone_line.problem or stone_line.stone is None:
                continue
            if f"{setting_line.id}:{stone_line.id}" in declined:
                continue
            if check_fit(SettingSpec.of(setting_line.setting), StoneSpec.of(stone_line.stone)).fits:
                return CombineOffer(setting_line, stone_line)
    return None


def bag_contents(request) -> Bag:
    """The bag priced now, in the shopper's currency. Lines with a problem (sold, gone) are listed but not added."""
    raw_lines = bag_lines(request)
    loaded = _load(raw_lines)
    lines = [_price_line(request, raw, loaded) for raw in raw_lines]
    currency = getattr(request, "currency", "USD")
    subtotal = sum((line.total for line in lines if line.total is not None), start=Money(Decimal(0), currency))
    raw = request.session.get(SESSION_KEY)
    declined = set(raw.get("declined", [])) if isinstance(raw, dict) else set()
    return Bag(lines=lines, subtotal=subtotal, combine=_combine_offer(lines, declined))
