"""A small catalog the builder tests share: settings with different heads, and stones that fit some of them."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.factories import DiamondFactory, GemstoneFactory, RingSettingFactory

ALL_KINDS = [
    "natural",
    "lab",
    "fancy",
    "blue_sapphire",
    "pink_sapphire",
    "yellow_sapphire",
    "green_sapphire",
    "ruby",
    "emerald",
    "moissanite",
]
SAPPHIRES = ["blue_sapphire", "pink_sapphire", "yellow_sapphire", "green_sapphire"]


@pytest.fixture
def shop(db):
    """Settings: a halo for round/oval/cushion 0.50–2.00 ct; a pear halo 0.50–3.00; a cathedral for big stones
    2.00–6.00 (round, oval, pear); a tension for round/princess 0.50–1.50 taking diamonds and sapphires; a band
    with no centre stone. Stones: a 2.31 ct pear, a 1.00 ct round, a lab round, a fancy yellow cushion, a sold
    round, a ruby, a sapphire and an emerald."""
    s = SimpleNamespace()
    s.halo = RingSettingFactory(
        name="Classic Halo",
        slug="classic-halo",
        style="halo",
        shapes=["round", "oval", "cushion"],
        min_carat=Decimal("0.50"),
        max_carat=Decimal("2.00"),
        production_days=6,
        stone_kinds=ALL_KINDS,
        metals={"14k_white": Decimal("1390.00"), "platinum": Decimal("2150.00")},
    )
    s.pear_halo = RingSettingFactory(
        name="Pear Halo",
        slug="pear-halo",
        style="halo",
        shapes=["pear"],
        min_carat=Decimal("0.50"),
        max_carat=Decimal("3.00"),
        stone_kinds=ALL_KINDS,
        production_days=6,
        metals={"14k_white": Decimal("1450.00"), "18k_rose": Decimal("1890.00")},
    )
    s.cathedral = RingSettingFactory(
        name="Large Stone Cathedral",
        slug="large-stone-cathedral",
        style="cathedral",
        shapes=["round", "oval", "pear"],
        min_carat=Decimal("2.00"),
        max_carat=Decimal("6.00"),
        stone_kinds=ALL_KINDS,
        production_days=8,
        metals={"14k_white": Decimal("1790.00")},
    )
    s.tension = RingSettingFactory(
        name="Classic Tension",
        slug="classic-tension",
        style="tension",
        shapes=["round", "princess"],
        min_carat=Decimal("0.50"),
        max_carat=Decimal("1.50"),
        stone_kinds=["natural", "lab", "fancy", *SAPPHIRES],
        production_days=10,
        metals={"platinum": Decimal("2460.00")},
    )
    s.band = RingSettingFactory(
        name="Plain Band",
        slug="plain-band",
        shapes=[],
        stone_kinds=[],
        min_carat=Decimal("0.01"),
        max_carat=Decimal("0.01"),
        requires_center_stone=False,
        metals={"14k_white": Decimal("490.00")},
    )
    s.pear = DiamondFactory(sku="PEAR231", shape="pear", carat=Decimal("2.31"), price=Decimal("22550.00"))
    s.round = DiamondFactory(sku="ROUND100", shape="round", carat=Decimal("1.00"), price=Decimal("6000.00"))
    s.round_near = DiamondFactory(sku="ROUND110", shape="round", carat=Decimal("1.10"), price=Decimal("7100.00"))
    s.lab = DiamondFactory(
        sku="LAB120", shape="round", carat=Decimal("1.20"), origin="lab", lab="IGI", price=Decimal("1900.00")
    )
    s.fancy = DiamondFactory(
        sku="YELLOW1",
        shape="cushion",
        carat=Decimal("1.00"),
        color=None,
        fancy_hue="yellow",
        fancy_intensity=6,
        price=Decimal("9000.00"),
    )
    s.sold = DiamondFactory(sku="SOLD100", shape="round", carat=Decimal("1.00"), status="sold")
    s.ruby = GemstoneFactory(
        sku="RUBY150", kind="ruby", shape="oval", carat=Decimal("1.50"), color="Pigeon blood", price=Decimal("4800.00")
    )
    s.sapphire = GemstoneFactory(
        sku="SAPH100", kind="blue_sapphire", shape="round", carat=Decimal("1.00"), price=Decimal("2400.00")
    )
    s.emerald = GemstoneFactory(
        sku="EMER100", kind="emerald", shape="round", carat=Decimal("1.00"), price=Decimal("3100.00")
    )
    return s


def choose(client, kind, ref, **extra):
    return client.post("/ring-builder/choose/", {"kind": kind, "ref": ref, **extra})


def build_of(client) -> dict:
    return client.session.get("ring_build", {})
