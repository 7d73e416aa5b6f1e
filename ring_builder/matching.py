"""Do two stones make a pair of earrings? Pure rules, each "no" with a reason, next to compatibility.py.

A pair is two different stones of the same kind and shape, carats within 10% (of the smaller stone), and, for
white diamonds, colour and clarity within one grade of each other; fancy colour diamonds match on hue and on
intensity within one grade. Gemstones have no colour grade: the same kind and shape is the match. Each stone must
also be for sale, like any stone (compatibility.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .compatibility import DIAMOND_KINDS, Fit, Reason

CARAT_TOLERANCE = Decimal("0.10")
GRADE_TOLERANCE = 1
KIND_NAMES = {"natural": "natural diamond", "lab": "lab-grown diamond", "fancy": "fancy colour diamond"}


@dataclass(frozen=True)
class PairStone:
    ref: str
    kind: str  # natural, lab, fancy, or a gemstone kind
    shape: str
    carat: Decimal
    color: int | None = None  # D=1 … M=10, white diamonds only
    clarity: int | None = None  # FL=1 … I1=9, diamonds only
    hue: str = ""
    intensity: int | None = None
    status: str = "available"

    @classmethod
    def of(cls, stone) -> PairStone:
        is_diamond = hasattr(stone, "clarity") and isinstance(getattr(stone, "clarity", None), int)
        return cls(
            ref=stone.sku,
            kind=stone.kind,
            shape=stone.shape,
            carat=stone.carat,
            color=stone.color if is_diamond else None,
            clarity=stone.clarity if is_diamond else None,
            hue=getattr(stone, "fancy_hue", "") or "",
            intensity=getattr(stone, "fancy_intensity", None),
            status=stone.status,
        )

    @property
    def name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind.replace("_", " "))


def match_pair(a: PairStone, b: PairStone) -> Fit:
    """Every reason a and b cannot be a pair of earrings (none: they can)."""
    if a.ref == b.ref:
        return Fit((Reason("same_stone", "Choose two different stones for a pair."),))
    reasons: list[Reason] = []
    for stone in (a, b):
        if stone.status != "available":
            reasons.append(Reason("unavailable", f"Stone {stone.ref} is no longer available."))
    if a.kind != b.kind:
        reasons.append(Reason("kind", f"A pair is two stones of one kind; this is a {a.name}, that a {b.name}."))
    if a.shape != b.shape:
        reasons.append(Reason("shape", f"A pair is one shape; this stone is {a.shape}, that one {b.shape}."))
    smaller, larger = sorted((a.carat, b.carat))
    if larger - smaller > smaller * CARAT_TOLERANCE:
        reasons.append(
            Reason("carat", f"Carats must be within 10% of each other; {smaller:.2f} ct and {larger:.2f} ct are not.")
        )
    if a.kind in DIAMOND_KINDS and b.kind == a.kind:
        if a.kind == "fancy":
            if a.hue != b.hue:
                reasons.append(Reason("hue", f"A fancy pair is one colour; this is {a.hue}, that {b.hue}."))
            elif _apart(a.intensity, b.intensity):
                reasons.append(Reason("intensity", "Colour intensities must be within one grade of each other."))
        elif _apart(a.color, b.color):
            reasons.append(Reason("color", "Colour grades must be within one grade of each other."))
        if _apart(a.clarity, b.clarity):
            reasons.append(Reason("clarity", "Clarity grades must be within one grade of each other."))
    return Fit(tuple(reasons))


def _apart(x: int | None, y: int | None) -> bool:
    return x is not None and y is not None and abs(x - y) > GRADE_TOLERANCE
