"""The builder's filtered search agrees with check_fit: a property test over generated settings and stones, run
against the real database, through both the filter itself and the search page's selector."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.grades import GemKind, Shape
from catalog.models import Diamond, Gemstone, RingSetting
from ring_builder.compatibility import SettingSpec, StoneSpec, check_fit
from ring_builder.fitting import ALL_KINDS, accepted_kinds, fitting_diamonds, fitting_gemstones
from ring_builder.selectors import stone_choices
from tests.factories import DiamondFactory, GemstoneFactory

# Carats on and around typical head limits, so the inclusive edges are exercised.
CARATS = [Decimal(c) for c in ("0.25", "0.49", "0.50", "0.51", "1.00", "1.50", "1.99", "2.00", "2.01", "3.00")]
SHAPES = [s.value for s in Shape]

SETTINGS = st.builds(
    lambda shapes, bounds, kinds, style: RingSetting(
        name="Generated",
        slug="generated",
        style=style,
        shapes=shapes,
        min_carat=min(bounds),
        max_carat=max(bounds),
        stone_kinds=kinds,
        requires_center_stone=True,
    ),
    shapes=st.lists(st.sampled_from(SHAPES), min_size=1, max_size=4, unique=True),
    bounds=st.tuples(st.sampled_from(CARATS), st.sampled_from(CARATS)),
    kinds=st.lists(st.sampled_from(ALL_KINDS), min_size=0, max_size=6, unique=True),
    style=st.sampled_from(["solitaire", "halo", "tension"]),
)
STATUSES = st.sampled_from(["available", "available", "available", "reserved", "sold"])
DIAMONDS = st.fixed_dictionaries(
    {
        "shape": st.sampled_from(SHAPES[:5]),
        "carat": st.sampled_from(CARATS),
        "kind": st.sampled_from(["natural", "lab", "fancy"]),
        "lab_fancy": st.booleans(),
        "status": STATUSES,
    }
)
GEMSTONES = st.fixed_dictionaries(
    {
        "shape": st.sampled_from(SHAPES[:5]),
        "carat": st.sampled_from(CARATS),
        "kind": st.sampled_from(GemKind.values),
        "status": STATUSES,
    }
)
CONFIG = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _diamond(row) -> Diamond:
    fancy = row["kind"] == "fancy"
    origin = "lab" if row["kind"] == "lab" or (fancy and row["lab_fancy"]) else "natural"
    reserved = {"reserved_until": "2999-01-01T00:00:00Z"} if row["status"] == "reserved" else {}
    return DiamondFactory.build(
        shape=row["shape"],
        carat=row["carat"],
        origin=origin,
        status=row["status"],
        color=None if fancy else 4,
        fancy_hue="yellow" if fancy else "",
        fancy_intensity=5 if fancy else None,
        **reserved,
    )


def _gemstone(row) -> Gemstone:
    reserved = {"reserved_until": "2999-01-01T00:00:00Z"} if row["status"] == "reserved" else {}
    return GemstoneFactory.build(
        shape=row["shape"], carat=row["carat"], kind=row["kind"], status=row["status"], **reserved
    )


def _fits(setting, stone) -> bool:
    return check_fit(SettingSpec.of(setting), StoneSpec.of(stone)).fits


@pytest.mark.django_db
@CONFIG
@given(setting=SETTINGS, diamonds=st.lists(DIAMONDS, max_size=15), gems=st.lists(GEMSTONES, max_size=15))
def test_a_stone_is_in_the_filtered_set_exactly_when_check_fit_says_it_fits(setting, diamonds, gems):
    Diamond.objects.bulk_create(_diamond(row) for row in diamonds)
    Gemstone.objects.bulk_create(_gemstone(row) for row in gems)
    try:
        spec = SettingSpec.of(setting)
        found = set(fitting_diamonds(spec)) | set(fitting_gemstones(spec))
        for stone in [*Diamond.objects.all(), *Gemstone.objects.all()]:
            assert (stone in found) is _fits(setting, stone), (stone, check_fit(spec, StoneSpec.of(stone)).codes)
    finally:
        Diamond.objects.all().delete()
        Gemstone.objects.all().delete()


@pytest.mark.django_db
@CONFIG
@given(setting=SETTINGS, diamonds=st.lists(DIAMONDS, max_size=12), gems=st.lists(GEMSTONES, max_size=12))
def test_the_builders_stone_search_shows_exactly_the_stones_that_fit(setting, diamonds, gems):
    """Through the page's own selector (the catalog search with the setting's constraints), each kind's tab."""
    Diamond.objects.bulk_create(_diamond(row) for row in diamonds)
    Gemstone.objects.bulk_create(_gemstone(row) for row in gems)
    cache.clear()  # facet counts are cached by query; these stones are new
    try:
        for kind, stones in (
            ("natural", Diamond.objects.filter(fancy_hue="", origin="natural")),
            ("lab", Diamond.objects.filter(fancy_hue="", origin="lab")),
            ("fancy", Diamond.objects.exclude(fancy_hue="")),
            ("gemstone", Gemstone.objects.all()),
        ):
            choices = stone_choices(QueryDict(), kind=kind, setting=setting, show_all=False, currency_rate=Decimal(1))
            shown = {s.pk for s in choices.result.page.object_list}
            expected = {s.pk for s in stones if _fits(setting, s)}
            assert shown == expected, kind
            assert choices.result.count == len(expected)
            assert all(s.fit.fits for s in choices.result.page.object_list)
    finally:
        Diamond.objects.all().delete()
        Gemstone.objects.all().delete()


@pytest.mark.parametrize(
    ("style", "kinds", "expected"),
    [
        ("solitaire", ALL_KINDS, list(ALL_KINDS)),
        (
            "tension",
            ALL_KINDS,
            [
                "natural",
                "lab",
                "fancy",
                "blue_sapphire",
                "pink_sapphire",
                "yellow_sapphire",
                "green_sapphire",
                "ruby",
                "moissanite",
            ],
        ),
        ("tension", ("natural", "emerald"), ["natural"]),
        ("halo", ("lab",), ["lab"]),
        ("halo", (), []),
    ],
)
def test_accepted_kinds_come_from_check_fit(style, kinds, expected):
    spec = SettingSpec("S", style, ("round",), Decimal("0.5"), Decimal("2"), tuple(kinds))
    assert accepted_kinds(spec) == expected


def test_a_setting_without_a_centre_stone_takes_nothing():
    band = SettingSpec("Band", "solitaire", (), Decimal("0.01"), Decimal("0.01"), (), requires_center_stone=False)
    assert accepted_kinds(band) == []
