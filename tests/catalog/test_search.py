"""The diamond search: every filter, combinations, sorting, facet counts, pagination and bad parameters."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from catalog.grades import Clarity, Color, Cut, Finish, Fluorescence
from catalog.search import diamond_search, gemstone_search
from tests.factories import DiamondFactory, GemstoneFactory

pytestmark = pytest.mark.django_db


def skus(result):
    return [d.sku for d in result.page.object_list]


def search(qs="", **kwargs):
    return diamond_search(QueryDict(qs), **kwargs)


@pytest.fixture
def stones():
    """A small catalog whose answers are known by hand."""
    today = timezone.localdate()
    make = DiamondFactory
    return {
        "r1": make(
            sku="R1",
            shape="round",
            carat=Decimal("1.00"),
            color=Color.G,
            clarity=Clarity.VS2,
            cut=Cut.IDEAL,
            price=Decimal(6000),
        ),
        "r2": make(
            sku="R2",
            shape="round",
            carat=Decimal("1.20"),
            color=Color.E,
            clarity=Clarity.VVS2,
            cut=Cut.TRUE_HEARTS,
            price=Decimal(11500),
        ),
        "r3": make(
            sku="R3",
            shape="round",
            carat=Decimal("1.50"),
            color=Color.H,
            clarity=Clarity.SI1,
            cut=Cut.VERY_GOOD,
            price=Decimal(9000),
            polish=Finish.VERY_GOOD,
            fluorescence=Fluorescence.MEDIUM,
            lab="IGI",
        ),
        "r4": make(
            sku="R4",
            shape="round",
            carat=Decimal("2.10"),
            color=Color.D,
            clarity=Clarity.IF,
            cut=Cut.IDEAL,
            price=Decimal(48000),
        ),
        "r5": make(
            sku="R5",
            shape="round",
            carat=Decimal("0.70"),
            color=Color.F,
            clarity=Clarity.VS1,
            cut=Cut.GOOD,
            price=Decimal(2500),
            sale_price=Decimal(2100),
            arrival_date=today - timedelta(days=3),
        ),
        "o1": make(
            sku="O1",
            shape="oval",
            carat=Decimal("1.10"),
            color=Color.G,
            clarity=Clarity.VS1,
            price=Decimal(7000),
            length_mm=Decimal("8.40"),
            width_mm=Decimal("6.00"),
            depth_pct=Decimal("60.5"),
            table_pct=Decimal("58.0"),
        ),
        "p1": make(
            sku="P1",
            shape="pear",
            carat=Decimal("2.31"),
            color=Color.J,
            clarity=Clarity.SI2,
            price=Decimal(9900),
            symmetry=Finish.GOOD,
            lab="AGS",
            length_mm=Decimal("11.00"),
            width_mm=Decimal("7.00"),
        ),
        "sold": make(
            sku="SOLD",
            shape="round",
            carat=Decimal("1.10"),
            color=Color.G,
            clarity=Clarity.VS2,
            price=Decimal(6500),
            status="sold",
        ),
        "lab": make(
            sku="LAB1",
            shape="round",
            carat=Decimal("1.30"),
            color=Color.F,
            clarity=Clarity.VS1,
            price=Decimal(1500),
            origin="lab",
            lab="IGI",
        ),
        "pink": make(
            sku="PINK",
            shape="cushion",
            carat=Decimal("0.90"),
            color=None,
            fancy_hue="pink",
            fancy_intensity=6,
            clarity=Clarity.SI1,
            price=Decimal(40000),
        ),
    }


def test_default_lists_available_natural_colourless_stones_by_price(stones):
    result = search()
    assert skus(result) == ["R5", "R1", "O1", "R3", "P1", "R2", "R4"]
    assert result.count == 7
    assert result.ignored == []


def test_reserved_stones_stay_listed_but_sold_ones_do_not(stones):
    stones["r1"].status = "reserved"
    stones["r1"].reserved_until = timezone.now() + timedelta(minutes=15)
    stones["r1"].save()
    assert "R1" in skus(search())
    assert "SOLD" not in skus(search())


def test_lab_grown_and_fancy_pages_have_their_own_stones(stones):
    assert skus(search(kind="lab")) == ["LAB1"]
    assert skus(search(kind="fancy")) == ["PINK"]


@pytest.mark.parametrize(
    ("qs", "expected"),
    [
        ("shape=oval", {"O1"}),
        ("shape=oval&shape=pear", {"O1", "P1"}),
        ("carat_min=1&carat_max=1.5", {"R1", "R2", "R3", "O1"}),
        ("color_from=d&color_to=f", {"R2", "R4", "R5"}),
        ("color_to=G", {"R1", "R2", "R4", "R5", "O1"}),
        ("clarity_to=vs2", {"R1", "R2", "R4", "R5", "O1"}),
        ("clarity_from=vs1&clarity_to=si1", {"R1", "R3", "R5", "O1"}),
        ("cut_to=ideal", {"R1", "R2", "R4", "O1", "P1"}),
        ("polish_to=excellent", {"R1", "R2", "R4", "R5", "O1", "P1"}),
        ("symmetry_from=good", {"P1"}),
        ("fluorescence_from=medium", {"R3"}),
        ("lab=IGI&lab=AGS", {"R3", "P1"}),
        ("depth_min=60&depth_max=61", {"O1"}),
        ("table_min=58", {"O1"}),
        ("lw_min=1.3&lw_max=1.45", {"O1"}),
        ("lw_min=1.5", {"P1"}),
        ("true_hearts=true", {"R2"}),
        ("on_sale=true", {"R5"}),
        ("new=true", {"R5"}),
        ("price_min=9000&price_max=12000", {"R3", "P1", "R2"}),
        ("price_max=2100", {"R5"}),  # the sale price is what counts
    ],
)
def test_each_filter(stones, qs, expected):
    assert set(skus(search(qs))) == expected


def test_the_done_means_query(stones):
    """Round, 1–1.5 ct, G or better, VS2 or better, under $12,000, sorted by price."""
    result = search("shape=round&carat_min=1&carat_max=1.5&color_to=g&clarity_to=vs2&price_max=12000&sort=price")
    assert skus(result) == ["R1", "R2"]
    assert result.count == 2


def test_price_filter_is_in_the_shoppers_currency(stones):
    # At 0.9634 EUR per USD, R1's $6,000 is €5,780.40 and R3's $9,000 is €8,670.60.
    rate = Decimal("0.9634")
    assert set(skus(search("price_min=5780.40&price_max=8670.60", currency_rate=rate))) == {"R1", "O1", "R3"}
    assert set(skus(search("price_min=5780.41&price_max=8670.59", currency_rate=rate))) == {"O1"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["R5", "R1", "O1", "R3", "P1", "R2", "R4"]),
        ("-price", ["R4", "R2", "P1", "R3", "O1", "R1", "R5"]),
        ("carat", ["R5", "R1", "O1", "R2", "R3", "R4", "P1"]),
        ("-carat", ["P1", "R4", "R3", "R2", "O1", "R1", "R5"]),
        ("color", ["R4", "R2", "R5", "R1", "O1", "R3", "P1"]),
        ("-color", ["P1", "R3", "R1", "O1", "R5", "R2", "R4"]),
        ("clarity", ["R4", "R2", "R5", "O1", "R1", "R3", "P1"]),
        ("-clarity", ["P1", "R3", "R1", "R5", "O1", "R2", "R4"]),
        ("cut", ["R2", "R1", "O1", "P1", "R4", "R3", "R5"]),
        ("newest", ["R5", "R1", "O1", "R3", "P1", "R2", "R4"]),
    ],
)
def test_sorting(stones, sort, expected):
    assert skus(search(f"sort={sort}")) == expected


def test_facet_counts_reflect_the_other_active_filters(stones):
    result = search("shape=round&color_to=g")
    # Shape counts ignore the shape filter but apply the colour one: O1 is G, P1 is J.
    assert result.facets["shape"]["round"] == 4
    assert result.facets["shape"]["oval"] == 1
    assert result.facets["shape"]["pear"] == 0
    # Colour counts apply the shape filter but not the colour one: round H (R3) is counted.
    assert result.facets["color"]["h"] == 1
    assert result.facets["color"]["g"] == 1
    assert result.facets["color"]["j"] == 0
    # Untouched facets apply every filter.
    assert result.facets["clarity"] == {
        "fl": 0,
        "if": 1,
        "vvs1": 0,
        "vvs2": 1,
        "vs1": 1,
        "vs2": 1,
        "si1": 0,
        "si2": 0,
        "i1": 0,
    }
    assert sum(result.facets["cut"].values()) == result.count == 4


def test_facet_counts_match_what_selecting_the_option_gives(stones):
    base = "carat_min=0.8&clarity_to=si1"
    result = search(base)
    for shape, count in result.facets["shape"].items():
        assert search(f"{base}&shape={shape}").count == count, shape


def test_pagination(stones):
    DiamondFactory.create_batch(30, price=Decimal(100))
    first = search()
    assert first.count == 37
    assert len(first.page.object_list) == 24
    second = search("page=2")
    assert len(second.page.object_list) == 13
    assert not set(skus(first)) & set(skus(second))


@pytest.mark.parametrize(
    ("qs", "noted"),
    [
        ("carat_min=abc", "Minimum carat"),
        ("color_from=Q", "Colour from"),
        ("shape=triangle", "Shape"),
        ("sort=anything", "Sort"),
        ("page=-1", "Page"),
        ("page=abc", "Page"),
        ("price_max=-5", "Maximum price"),
        ("depth_min=5", "Minimum depth"),
        ("lab=" + "X" * 10_000, "overlong"),
        ("carat_min=1e400", "Minimum carat"),
        ("carat_min=NaN", "Minimum carat"),
    ],
)
def test_bad_parameters_are_ignored_and_reported(stones, qs, noted):
    result = search(qs)
    assert result.count == 7  # the search ran with sane defaults
    assert any(noted in note for note in result.ignored), result.ignored


def test_inverted_ranges_are_swapped_and_said(stones):
    result = search("carat_min=1.5&carat_max=1&color_from=g&color_to=d")
    assert set(skus(result)) == {"R1", "R2", "O1"}  # 1–1.5 ct and D–G
    assert any("swapped" in n for n in result.ignored)
    assert any("reversed" in n for n in result.ignored)


def test_a_page_past_the_end_shows_the_last_page(stones):
    result = search("page=1000000000")
    assert result.page.number == 1
    assert len(result.page.object_list) == 7


def test_unknown_parameters_change_nothing(stones):
    assert skus(search("carat=abc&colour=blue&utm_source=x")) == skus(search())


def page_queries() -> int:
    """A filtered page on PostgreSQL is two queries: the ids through the filters' indexes, then those rows."""
    return 2 if connection.vendor == "postgresql" else 1


@pytest.mark.parametrize("n", [1, 48])
def test_query_count_does_not_grow_with_results(django_assert_max_num_queries, n):
    DiamondFactory.create_batch(n)
    # total + facets in one pass, one query per active facet (shape, colour), the page.
    with django_assert_max_num_queries(3 + page_queries()):
        result = search("shape=round&color_to=g&carat_min=0.5")
        list(result.page.object_list)
    assert result.count == n


def test_facet_results_are_cached_briefly(stones, django_assert_num_queries):
    search("shape=round")
    with django_assert_num_queries(page_queries()):  # only the page; counts come from the cache
        list(search("shape=round").page.object_list)


def test_gemstone_search_filters_by_kind_and_shape():
    GemstoneFactory(sku="S1", kind="blue_sapphire", shape="oval", price=Decimal(2400))
    GemstoneFactory(sku="RU", kind="ruby", shape="cushion", price=Decimal(5200))
    GemstoneFactory(sku="EM", kind="emerald", shape="emerald", price=Decimal(3100), status="sold")
    result = gemstone_search(QueryDict("kind=ruby&kind=blue_sapphire&sort=-price"))
    assert skus(result) == ["RU", "S1"]
    assert result.facets["kind"]["ruby"] == 1
    assert result.facets["kind"]["emerald"] == 0  # sold stones are not counted


def test_an_empty_starting_set_gives_an_empty_page():
    """The ring builder passes .none() when no stone can fit a setting."""
    from catalog.models import Diamond

    result = diamond_search(QueryDict("shape=round&color_to=g"), base=Diamond.objects.none())
    assert result.count == 0
    assert list(result.page.object_list) == []
    assert set(result.facets["shape"].values()) == {0}
