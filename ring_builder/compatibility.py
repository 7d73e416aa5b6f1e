"""Does a stone fit a setting? Pure rules (no ORM), each "no" with a code and a sentence a shopper understands.

A setting lists the shapes its head holds, the centre-stone carat range and the stone kinds it takes; a stone fits
when all of these hold and it is still for sale. Tension settings hold the stone by pressure alone, so only hard,
tough stones (Mohs 8 and up, never emerald) may go in them (DESIGN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from catalog.grades import MOHS, GemKind, Shape

DIAMOND_KINDS = {"natural": "natural diamonds", "lab": "lab-grown diamonds", "fancy": "fancy colour diamonds"}
KIND_NAMES = {**DIAMOND_KINDS, **{k.value: f"{k.label.lower()}s" for k in GemKind}}
DIAMOND_MOHS = 10
TENSION_MIN_MOHS = 8
# Brittle stones crack under a tension setting's constant pressure whatever their hardness.
BRITTLE = {GemKind.EMERALD.value}


@dataclass(frozen=True)
class SettingSpec:
    name: str
    style: str
    shapes: tuple[str, ...]
    min_carat: Decimal
    max_carat: Decimal
    stone_kinds: tuple[str, ...]
    requires_center_stone: bool = True

    @classmethod
    def of(cls, setting) -> SettingSpec:
        return cls(
            name=setting.name,
            style=setting.style,
            shapes=tuple(setting.shapes),
            min_carat=setting.min_carat,
            max_carat=setting.max_carat,
            stone_kinds=tuple(setting.stone_kinds),
            requires_center_stone=setting.requires_center_stone,
        )

    @property
    def holds_a_stone(self) -> bool:
        return bool(self.shapes) and bool(self.stone_kinds)


@dataclass(frozen=True)
class StoneSpec:
    kind: str  # natural, lab, fancy, or a gemstone kind
    shape: str
    carat: Decimal
    status: str = "available"

    @classmethod
    def of(cls, stone) -> StoneSpec:
        kind = stone.kind if hasattr(stone, "kind") and isinstance(stone.kind, str) else stone.origin
        return cls(kind=kind, shape=stone.shape, carat=stone.carat, status=stone.status)

    @property
    def noun(self) -> str:
        """How the shopper calls it: "this diamond", "this ruby"."""
        if self.kind in DIAMOND_KINDS:
            return "diamond"
        return GemKind(self.kind).label.lower()

    @property
    def mohs(self) -> float:
        return DIAMOND_MOHS if self.kind in DIAMOND_KINDS else MOHS[GemKind(self.kind)]


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class Fit:
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def fits(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def __bool__(self) -> bool:
        return self.fits


def _shape_list(shapes) -> str:
    names = [Shape(s).label.lower() for s in shapes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _kind_list(kinds) -> str:
    diamonds = [k for k in kinds if k in DIAMOND_KINDS]
    gems = [k for k in kinds if k not in DIAMOND_KINDS]
    parts = []
    if set(diamonds) == set(DIAMOND_KINDS):
        parts.append("diamonds")
    else:
        parts.extend(DIAMOND_KINDS[k] for k in diamonds)
    sapphires = [k for k in gems if k.endswith("_sapphire")]
    if len(sapphires) == 4:
        parts.append("sapphires")
        gems = [k for k in gems if k not in sapphires]
    parts.extend(KIND_NAMES[k] for k in gems)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"


def _ct(value: Decimal) -> str:
    return f"{value:.2f}"


def check_fit(setting: SettingSpec, stone: StoneSpec) -> Fit:
    """Every reason the stone cannot go in the setting (an empty list: it fits)."""
    reasons: list[Reason] = []
    noun = stone.noun
    if not setting.holds_a_stone:
        return Fit((Reason("no_centre", f"The {setting.name} has no centre stone, so it cannot hold this {noun}."),))
    if stone.status == "sold":
        reasons.append(Reason("sold", f"This {noun} has just been sold."))
    elif stone.status == "reserved":
        reasons.append(Reason("reserved", f"This {noun} is reserved in another shopper's checkout."))
    if stone.shape not in setting.shapes:
        article = "an" if stone.shape[0] in "aeiou" else "a"
        reasons.append(
            Reason(
                "shape",
                f"This setting holds {_shape_list(setting.shapes)} stones; this {noun} is {article} {stone.shape}.",
            )
        )
    if not setting.min_carat <= stone.carat <= setting.max_carat:
        code = "carat_high" if stone.carat > setting.max_carat else "carat_low"
        reasons.append(
            Reason(
                code,
                f"This setting holds {_ct(setting.min_carat)}–{_ct(setting.max_carat)} ct; "
                f"this {noun} is {_ct(stone.carat)} ct.",
            )
        )
    if stone.kind not in setting.stone_kinds:
        reasons.append(
            Reason(
                "kind",
                f"This setting takes {_kind_list(setting.stone_kinds)} only; this stone is a {_kind_name(stone)}.",
            )
        )
    if setting.style == "tension":
        if stone.kind in BRITTLE:
            reasons.append(Reason("brittle", f"{GemKind(stone.kind).label}s are too brittle for a tension setting."))
        elif stone.mohs < TENSION_MIN_MOHS:
            reasons.append(
                Reason(
                    "soft",
                    f"A tension setting needs a stone of 8 or more on the Mohs scale; this {noun} is {stone.mohs}.",
                )
            )
    return Fit(tuple(reasons))


def _kind_name(stone: StoneSpec) -> str:
    return {"natural": "natural diamond", "lab": "lab-grown diamond", "fancy": "fancy colour diamond"}.get(
        stone.kind, stone.noun
    )
