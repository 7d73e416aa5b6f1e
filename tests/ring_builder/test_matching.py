"""The earrings pair rule: a table test per rule and per reason, and its database filter against the rule."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Diamond, Gemstone
from ring_builder.fitting import pair_q
from ring_builder.matching import PairStone, match_pair
from tests.factories import DiamondFactory, GemstoneFactory


def stone(
    ref="A", kind="natural", shape="round", carat="1.00", color=4, clarity=6, hue="", intensity=None, status="available"
):
    return PairStone(ref, kind, shape, Decimal(carat), color, clarity, hue, intensity, status)


def test_a_matched_pair_has_no_reasons():
    assert match_pair(stone("A"), stone("B", carat="1.05", color=5, clarity=5)).fits


@pytest.mark.parametrize(
    ("a", "b", "code"),
    [
        (stone("A"), stone("A"), "same_stone"),
        (stone("A"), stone("B", status="sold"), "unavailable"),
        (stone("A"), stone("B", kind="lab"), "kind"),
        (
            stone("A", kind="ruby", color=None, clarity=None),
            stone("B", kind="emerald", color=None, clarity=None),
            "kind",
        ),
        (stone("A"), stone("B", shape="oval"), "shape"),
        (stone("A", carat="1.00"), stone("B", carat="1.11"), "carat"),
        (stone("A", carat="1.00"), stone("B", carat="0.90"), "carat"),  # 0.10 is more than 10% of 0.90
        (stone("A", color=4), stone("B", color=6), "color"),
        (stone("A", clarity=3), stone("B", clarity=5), "clarity"),
        (
            stone("A", kind="fancy", color=None, hue="yellow", intensity=5),
            stone("B", kind="fancy", color=None, hue="pink", intensity=5),
            "hue",
        ),
        (
            stone("A", kind="fancy", color=None, hue="yellow", intensity=3),
            stone("B", kind="fancy", color=None, hue="yellow", intensity=5),
            "intensity",
        ),
    ],
)
def test_each_rule_says_why(a, b, code):
    fit = match_pair(a, b)
    assert not fit.fits
    assert code in fit.codes
    assert all(r.message for r in fit.reasons)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (stone("A", carat="1.00"), stone("B", carat="1.10")),  # exactly 10% of the smaller
        (stone("A", carat="1.00"), stone("B", carat="0.91")),
        (stone("A", color=4, clarity=6), stone("B", color=3, clarity=7)),  # one grade each way
        (stone("A", kind="ruby", color=None, clarity=None), stone("B", kind="ruby", color=None, clarity=None)),
    ],
)
def test_the_edges_of_each_tolerance_still_match(a, b):
    assert match_pair(a, b).fits


def test_the_rule_is_symmetric():
    a, b = stone("A", carat="1.00", color=4), stone("B", carat="1.12", color=7, shape="oval")
    assert match_pair(a, b).codes == match_pair(b, a).codes


CARATS = [Decimal(c) for c in ("0.90", "0.91", "0.95", "1.00", "1.05", "1.10", "1.11", "1.21")]
DIAMOND = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["natural", "lab", "fancy"]),
        "shape": st.sampled_from(["round", "oval"]),
        "carat": st.sampled_from(CARATS),
        "color": st.integers(1, 10),
        "clarity": st.integers(1, 9),
        "hue": st.sampled_from(["yellow", "pink"]),
        "intensity": st.integers(1, 9),
        "status": st.sampled_from(["available", "available", "sold"]),
    }
)


def _diamond(row):
    fancy = row["kind"] == "fancy"
    return DiamondFactory.build(
        shape=row["shape"],
        carat=row["carat"],
        origin="lab" if row["kind"] == "lab" else "natural",
        color=None if fancy else row["color"],
        clarity=row["clarity"],
        fancy_hue=row["hue"] if fancy else "",
        fancy_intensity=row["intensity"] if fancy else None,
        status=row["status"],
    )


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=DIAMOND, others=st.lists(DIAMOND, min_size=1, max_size=12))
def test_the_pair_filter_finds_exactly_the_stones_the_rule_matches(first, others):
    Diamond.objects.bulk_create([_diamond(first), *(_diamond(o) for o in others)])
    try:
        chosen, *rest = Diamond.objects.order_by("pk")
        found = set(Diamond.objects.filter(pair_q(PairStone.of(chosen))).values_list("pk", flat=True))
        expected = {d.pk for d in rest if match_pair(PairStone.of(chosen), PairStone.of(d)).fits}
        assert found == expected
    finally:
        Diamond.objects.all().delete()


@pytest.mark.django_db
def test_the_pair_filter_for_gemstones_matches_kind_shape_and_carat():
    first = GemstoneFactory(kind="ruby", shape="oval", carat=Decimal("1.00"))
    twin = GemstoneFactory(kind="ruby", shape="oval", carat=Decimal("1.08"))
    GemstoneFactory(kind="blue_sapphire", shape="oval", carat=Decimal("1.00"))
    GemstoneFactory(kind="ruby", shape="round", carat=Decimal("1.00"))
    GemstoneFactory(kind="ruby", shape="oval", carat=Decimal("1.20"))
    assert list(Gemstone.objects.filter(pair_q(PairStone.of(first)))) == [twin]
