"""Earrings and pendants designed around loose stones: the shop's own mountings, described with the same
SettingSpec as ring settings so that check_fit decides which stones they hold, and matching.match_pair decides
which two stones make a pair. Mounting prices are per metal, in USD."""

from decimal import Decimal

from catalog.grades import Metal, Shape

from .compatibility import SettingSpec
from .fitting import ALL_KINDS

EARRINGS = SettingSpec(
    name="Four-Prong Stud Earrings",
    style="stud",
    shapes=tuple(Shape.values),
    min_carat=Decimal("0.15"),
    max_carat=Decimal("3.00"),
    stone_kinds=ALL_KINDS,
)
PENDANT = SettingSpec(
    name="Solitaire Pendant",
    style="pendant",
    shapes=tuple(Shape.values),
    min_carat=Decimal("0.15"),
    max_carat=Decimal("5.00"),
    stone_kinds=ALL_KINDS,
)
# The pair of mountings (with backs) and the pendant (with an 18" chain), by metal.
EARRING_METALS: dict[str, Decimal] = {
    Metal.WHITE_GOLD_14K: Decimal("390.00"),
    Metal.YELLOW_GOLD_14K: Decimal("390.00"),
    Metal.ROSE_GOLD_14K: Decimal("390.00"),
    Metal.WHITE_GOLD_18K: Decimal("520.00"),
    Metal.PLATINUM: Decimal("640.00"),
}
PENDANT_METALS: dict[str, Decimal] = {
    Metal.WHITE_GOLD_14K: Decimal("350.00"),
    Metal.YELLOW_GOLD_14K: Decimal("350.00"),
    Metal.ROSE_GOLD_14K: Decimal("350.00"),
    Metal.WHITE_GOLD_18K: Decimal("460.00"),
    Metal.PLATINUM: Decimal("590.00"),
}
