from decimal import Decimal

import pytest

from ring_builder.compatibility import SettingSpec, StoneSpec, check_fit

ALL_KINDS = ("natural", "lab", "fancy", "blue_sapphire", "pink_sapphire", "yellow_sapphire", "green_sapphire",
             "ruby", "emerald", "moissanite")  # fmt: skip

SOLITAIRE = SettingSpec("Round Solitaire", "solitaire", ("round",), Decimal("0.25"), Decimal("3.00"), ALL_KINDS)
HALO = SettingSpec("Classic Halo", "halo", ("round", "oval", "cushion"), Decimal("0.50"), Decimal("2.00"), ALL_KINDS)
TENSION = SettingSpec(
    "Classic Tension", "tension", ("round", "princess"), Decimal("0.50"), Decimal("1.50"),
    ("natural", "lab", "fancy", "blue_sapphire", "pink_sapphire", "yellow_sapphire", "green_sapphire"),
)  # fmt: skip
NATURAL_ONLY = SettingSpec("Heirloom", "halo", ("round",), Decimal("0.5"), Decimal("2"), ("natural",))
BAND = SettingSpec("Plain Band", "solitaire", (), Decimal("0.01"), Decimal("0.01"), (), requires_center_stone=False)


def stone(kind="natural", shape="round", carat="1.00", status="available"):
    return StoneSpec(kind=kind, shape=shape, carat=Decimal(carat), status=status)


def test_a_stone_that_fits_has_no_reasons():
    fit = check_fit(HALO, stone(shape="oval", carat="1.20"))
    assert fit.fits and bool(fit) and fit.reasons == ()


@pytest.mark.parametrize(
    ("setting", "the_stone", "code", "message"),
    [
        (HALO, stone(shape="pear"), "shape",
         "This setting holds round, oval and cushion stones; this diamond is a pear."),
        (SOLITAIRE, stone(shape="emerald"), "shape", "This setting holds round stones; this diamond is an emerald."),
        (HALO, stone(carat="2.31"), "carat_high", "This setting holds 0.50–2.00 ct; this diamond is 2.31 ct."),
        (HALO, stone(carat="0.30"), "carat_low", "This setting holds 0.50–2.00 ct; this diamond is 0.30 ct."),
        (NATURAL_ONLY, stone(kind="lab"), "kind",
         "This setting takes natural diamonds only; this stone is a lab-grown diamond."),
        (TENSION, stone(kind="ruby"), "kind",
         "This setting takes diamonds and sapphires only; this stone is a ruby."),
        (TENSION, stone(kind="emerald"), "brittle", "Emeralds are too brittle for a tension setting."),
        (HALO, stone(status="sold"), "sold", "This diamond has just been sold."),
        (HALO, stone(kind="ruby", status="reserved"), "reserved",
         "This ruby is reserved in another shopper's checkout."),
        (BAND, stone(), "no_centre", "The Plain Band has no centre stone, so it cannot hold this diamond."),
    ],
)  # fmt: skip
def test_each_rule_says_why(setting, the_stone, code, message):
    fit = check_fit(setting, the_stone)
    assert not fit.fits
    assert code in fit.codes
    assert message in [r.message for r in fit.reasons]


def test_every_reason_is_given_not_only_the_first():
    fit = check_fit(TENSION, stone(kind="emerald", shape="pear", carat="2.31", status="sold"))
    assert fit.codes == ["sold", "shape", "carat_high", "kind", "brittle"]


def test_carat_range_is_inclusive():
    assert check_fit(HALO, stone(carat="0.50")).fits
    assert check_fit(HALO, stone(carat="2.00")).fits
    assert not check_fit(HALO, stone(carat="2.01")).fits


@pytest.mark.parametrize(
    ("kind", "fits_tension"),
    [("natural", True), ("lab", True), ("fancy", True), ("blue_sapphire", True), ("pink_sapphire", True),
     ("ruby", False), ("emerald", False), ("moissanite", False)],
)  # fmt: skip
def test_tension_takes_only_hard_stones_it_lists(kind, fits_tension):
    assert check_fit(TENSION, stone(kind=kind)).fits is fits_tension


def test_a_soft_stone_in_a_tension_setting_that_lists_it_is_still_refused():
    soft_tension = SettingSpec("Open Tension", "tension", ("round",), Decimal("0.5"), Decimal("2"), ALL_KINDS)
    assert check_fit(soft_tension, stone(kind="emerald")).codes == ["brittle"]
    assert check_fit(soft_tension, stone(kind="ruby")).fits  # Mohs 9
