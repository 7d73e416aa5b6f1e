"""Suggestions for a pair that does not fit: every one fits (property test), nearest first."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Diamond, Gemstone, RingSetting
from ring_builder.compatibility import SettingSpec, StoneSpec, check_fit
from ring_builder.suggestions import closest_fitting_settings, closest_fitting_stones
from tests.factories import DiamondFactory, GemstoneFactory, RingSettingFactory
from tests.ring_builder.test_fitting import CARATS, DIAMONDS, GEMSTONES, SETTINGS, _diamond, _gemstone

CONFIG = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.mark.django_db
@CONFIG
@given(setting=SETTINGS, diamonds=st.lists(DIAMONDS, min_size=1, max_size=15), gems=st.lists(GEMSTONES, max_size=10))
def test_every_suggested_stone_fits_and_the_nearest_come_first(setting, diamonds, gems):
    Diamond.objects.bulk_create(_diamond(row) for row in diamonds)
    Gemstone.objects.bulk_create(_gemstone(row) for row in gems)
    try:
        spec = SettingSpec.of(setting)
        for chosen in [*Diamond.objects.all()[:3], *Gemstone.objects.all()[:2]]:
            found = closest_fitting_stones(spec, chosen)
            assert all(check_fit(spec, StoneSpec.of(s)).fits for s in found)
            assert chosen not in found
            assert len(found) == min(
                4, sum(1 for s in type(chosen).objects.exclude(pk=chosen.pk) if check_fit(spec, StoneSpec.of(s)).fits)
            )
            keys = [(s.kind != chosen.kind, abs(s.carat - chosen.carat)) for s in found]
            assert keys == sorted(keys)
    finally:
        Diamond.objects.all().delete()
        Gemstone.objects.all().delete()


@pytest.mark.django_db
def test_closest_stones_is_one_query(django_assert_num_queries):
    chosen = DiamondFactory(shape="pear", carat=Decimal("2.31"))
    for carat in ("0.90", "1.00", "1.40", "1.50"):
        DiamondFactory(carat=Decimal(carat))
    halo = SettingSpec("Halo", "halo", ("round",), Decimal("0.5"), Decimal("1.5"), ("natural",))
    with django_assert_num_queries(1):
        found = closest_fitting_stones(halo, chosen)
    assert [s.carat for s in found] == [Decimal("1.50"), Decimal("1.40"), Decimal("1.00"), Decimal("0.90")]


@pytest.mark.django_db
@CONFIG
@given(
    heads=st.lists(
        st.tuples(
            st.lists(st.sampled_from(["round", "pear", "oval"]), min_size=1, max_size=2, unique=True),
            st.sampled_from(CARATS),
            st.sampled_from(CARATS),
            st.sampled_from(["halo", "solitaire", "tension"]),
        ),
        min_size=1,
        max_size=8,
    ),
    stone_row=DIAMONDS,
)
def test_every_suggested_setting_holds_the_stone_and_the_same_style_comes_first(heads, stone_row):
    for shapes, a, b, style in heads:
        RingSettingFactory(shapes=shapes, min_carat=min(a, b), max_carat=max(a, b), style=style)
    try:
        stone = _diamond(stone_row)
        settings_list = list(RingSetting.objects.prefetch_related("variants"))
        like = settings_list[0]
        found = closest_fitting_settings(StoneSpec.of(stone), settings_list, like=like, metal="platinum")
        assert all(check_fit(SettingSpec.of(s), StoneSpec.of(stone)).fits for s in found)
        assert like not in found
        styles = [s.style != like.style for s in found]
        assert styles == sorted(styles)
    finally:
        RingSetting.objects.all().delete()


@pytest.mark.django_db
def test_gemstone_suggestions_prefer_the_same_gem():
    ruby = GemstoneFactory(kind="ruby", shape="pear", carat=Decimal("1.00"))
    same = GemstoneFactory(kind="ruby", shape="round", carat=Decimal("0.60"))
    nearer = GemstoneFactory(kind="blue_sapphire", shape="round", carat=Decimal("1.00"))
    spec = SettingSpec("Halo", "halo", ("round",), Decimal("0.5"), Decimal("2"), ("ruby", "blue_sapphire"))
    assert closest_fitting_stones(spec, ruby) == [same, nearer]
