"""US ring sizes, 3 to 9 in quarter sizes, as Decimals (never floats), with the labels a shopper reads ("6¾")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

STEP = Decimal("0.25")
SMALLEST = Decimal("3.00")
LARGEST = Decimal("9.00")
ALL_SIZES: tuple[Decimal, ...] = tuple(SMALLEST + STEP * i for i in range(int((LARGEST - SMALLEST) / STEP) + 1))
FRACTIONS = {Decimal("0.25"): "¼", Decimal("0.5"): "½", Decimal("0.75"): "¾"}


def size_label(size: Decimal) -> str:
    whole = int(size)
    fraction = FRACTIONS.get((size - whole).normalize(), "")
    return f"{whole}{fraction}"


def size_value(size: Decimal) -> str:
    """The form value: "6.25"."""
    return f"{size:.2f}"


def sizes_between(low: Decimal, high: Decimal) -> list[Decimal]:
    return [s for s in ALL_SIZES if low <= s <= high]


def parse_size(raw: object, *, low: Decimal = SMALLEST, high: Decimal = LARGEST) -> Decimal | None:
    """A posted size if it is one of the quarter sizes between low and high, else None."""
    if not isinstance(raw, (str, Decimal)) or (isinstance(raw, str) and len(raw) > 8):
        return None
    try:
        value = Decimal(raw).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return value if value in ALL_SIZES and low <= value <= high else None
