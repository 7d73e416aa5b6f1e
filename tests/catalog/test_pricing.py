"""The fair-price indicator (catalog/pricing.py)."""

from decimal import Decimal

import pytest

from catalog.grades import Clarity, Color, FancyIntensity
from catalog.pricing import MIN_COMPARABLES, comparable_diamonds, fair_price, lab_grown_match
from tests.factories import DiamondFactory

pytestmark = pytest.mark.django_db


def test_equal_prices_per_carat_are_neither_dearer_nor_cheaper():
    me = DiamondFactory(carat=Decimal("1.05"), price=Decimal("6300.00"))  # $6,000.00 per carat
    DiamondFactory(carat=Decimal("1.00"), price=Decimal("6000.00"))  # the same per carat
    DiamondFactory(carat=Decimal("0.97"), price=Decimal("5820.00"))  # the same per carat
    DiamondFactory(carat=Decimal("1.00"), price=Decimal("6000.01"))
    DiamondFactory(carat=Decimal("1.00"), price=Decimal("5999.99"))
    fair = fair_price(me)
    assert (fair.comparables, fair.priced_higher, fair.priced_lower) == (4, 1, 1)
    assert fair.lowest_per_carat == Decimal("5999.99") and fair.highest_per_carat == Decimal("6000.01")
    assert fair.decile == 5  # ties sit in the middle


def test_the_sale_price_is_what_counts():
    me = DiamondFactory(price=Decimal(9000), sale_price=Decimal(5000))
    DiamondFactory.create_batch(MIN_COMPARABLES, price=Decimal(6000))
    fair = fair_price(me)
    assert fair.price_per_carat == Decimal("5000.00")
    assert fair.percent_cheaper_than == 100 and fair.verdict == "great" and fair.decile == 0


def test_comparables_are_the_same_fancy_colour_and_origin():
    me = DiamondFactory(color=None, fancy_hue="pink", fancy_intensity=FancyIntensity.FANCY_INTENSE)
    same = DiamondFactory(color=None, fancy_hue="pink", fancy_intensity=FancyIntensity.FANCY_INTENSE)
    DiamondFactory(color=None, fancy_hue="pink", fancy_intensity=FancyIntensity.FANCY_VIVID)
    DiamondFactory(color=None, fancy_hue="yellow", fancy_intensity=FancyIntensity.FANCY_INTENSE)
    DiamondFactory(origin="lab", lab="IGI", color=None, fancy_hue="pink", fancy_intensity=FancyIntensity.FANCY_INTENSE)
    DiamondFactory(color=Color.G)  # colourless
    assert list(comparable_diamonds(me)) == [same]
    assert lab_grown_match(me) is None


def test_too_few_comparables_gives_no_percentile():
    me = DiamondFactory(clarity=Clarity.IF)
    DiamondFactory.create_batch(MIN_COMPARABLES - 1, clarity=Clarity.IF, price=Decimal(9000))
    fair = fair_price(me)
    assert not fair.enough and fair.verdict == "too few"
    DiamondFactory(clarity=Clarity.IF, price=Decimal(9000))
    assert fair_price(me).enough and fair_price(me).percent_cheaper_than == 100


def test_the_lab_grown_match_prefers_the_nearest_carat_then_the_lowest_price():
    natural = DiamondFactory(carat=Decimal("1.50"), price=Decimal(15000))
    DiamondFactory(sku="NEAR-DEAR", origin="lab", lab="IGI", carat=Decimal("1.52"), price=Decimal(2600))
    DiamondFactory(sku="NEAR-CHEAP", origin="lab", lab="IGI", carat=Decimal("1.48"), price=Decimal(2400))
    DiamondFactory(sku="SOLD", origin="lab", lab="IGI", carat=Decimal("1.50"), price=Decimal(100), status="sold")
    DiamondFactory(sku="OTHER-CLARITY", origin="lab", lab="IGI", carat=Decimal("1.50"), clarity=Clarity.SI2)
    assert lab_grown_match(natural).sku == "NEAR-CHEAP"


def test_fair_price_is_two_queries_however_many_stones(django_assert_num_queries):
    me = DiamondFactory()
    DiamondFactory.create_batch(30)
    DiamondFactory.create_batch(10, origin="lab", lab="IGI")
    with django_assert_num_queries(2):
        assert fair_price(me).comparables == 30
        assert lab_grown_match(me) is not None


def test_a_lab_grown_stone_of_another_size_is_no_match():
    """A 0.30 ct natural stone must not be compared with a 0.96 ct lab-grown one."""
    natural = DiamondFactory(carat=Decimal("0.30"), price=Decimal(200))
    DiamondFactory(sku="BIG-LAB", origin="lab", lab="IGI", carat=Decimal("0.96"), price=Decimal(400))
    assert lab_grown_match(natural) is None
    DiamondFactory(sku="SAME-SIZE", origin="lab", lab="IGI", carat=Decimal("0.32"), price=Decimal(90))
    assert lab_grown_match(natural).sku == "SAME-SIZE"
