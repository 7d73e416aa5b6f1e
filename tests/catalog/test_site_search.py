"""The header's site search, as a shopper uses it: words find settings, jewelry and gemstones, grouped by kind; a SKU
or certificate number goes straight to its stone; nothing typed can break the page. Runs on SQLite (the plain
fallback) and on PostgreSQL (full-text search); the tests marked postgres check what only full-text search does."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection

from tests.factories import DiamondFactory, GemstoneFactory, JewelryFactory, RingSettingFactory

pytestmark = pytest.mark.django_db

PLATINUM = {"platinum": Decimal("1890.00")}
WHITE_GOLD = {"14k_white": Decimal("1290.00")}


def text(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def group(response, kind) -> list[str]:
    """The titles listed in one group of results, in order."""
    html = response.content.decode()
    match = re.search(rf'<section class="search-group" aria-labelledby="group-{kind}">(.*?)</section>', html, re.S)
    if not match:
        return []
    return [unescape(t).strip() for t in re.findall(r'class="result-card__title"[^>]*>([^<]+)<', match.group(1))]


def heading_count(response, kind) -> int:
    match = re.search(
        rf'id="group-{kind}"[^>]*>[^<]*<span class="search-group__count">([\d,]+)<', response.content.decode()
    )
    return int(match.group(1).replace(",", "")) if match else 0


@pytest.fixture
def catalog(db):
    return {
        "halo_platinum": RingSettingFactory(name="Classic Halo", style="halo", metals=PLATINUM),
        "halo_gold": RingSettingFactory(name="Round Halo", style="halo", metals=WHITE_GOLD),
        "solitaire_platinum": RingSettingFactory(name="Knife-Edge Solitaire", metals=PLATINUM),
        "sapphire_setting": RingSettingFactory(
            name="Sapphire-Accented Three-Stone", style="three_stone", side_stones="2 blue sapphires, 0.40 ctw"
        ),
        "retired_halo": RingSettingFactory(name="Retired Halo", style="halo", metals=PLATINUM, is_active=False),
        "studs": JewelryFactory(name="Halo Diamond Studs in Platinum", metal="platinum", category="earrings"),
        "sapphire_studs": JewelryFactory(name="Sapphire Halo Studs in 14k White Gold", collection="Maison Lumière"),
        "blue": GemstoneFactory(kind="blue_sapphire", color="Royal blue"),
        "pink": GemstoneFactory(kind="pink_sapphire", color="Hot pink", shape="cushion"),
        "sold_blue": GemstoneFactory(kind="blue_sapphire", color="Deep blue", status="sold"),
        "ruby": GemstoneFactory(kind="ruby", color="Crimson", origin="Mozambique"),
    }


def test_halo_platinum_finds_halo_settings_offered_in_platinum(client, catalog):
    response = client.get("/search/", {"q": "halo platinum"})
    assert response.status_code == 200
    assert group(response, "setting") == ["Classic Halo"]  # not the gold-only halo, the solitaire, the retired one
    assert group(response, "jewelry") == ["Halo Diamond Studs in Platinum"]
    assert group(response, "gemstone") == []
    assert "Results for “halo platinum”" in text(response)


def test_sapphire_finds_sapphire_gemstones_and_the_sapphire_accented_setting(client, catalog):
    response = client.get("/search/", {"q": "Sapphire"})
    gems = group(response, "gemstone")
    assert sorted(gems) == ["1.50 Carat Cushion Pink sapphire", "1.50 Carat Oval Blue sapphire"]  # the sold one is not
    assert group(response, "setting") == ["Sapphire-Accented Three-Stone"]
    assert group(response, "jewelry") == ["Sapphire Halo Studs in 14k White Gold"]
    assert heading_count(response, "gemstone") == 2


def test_results_are_grouped_by_kind_with_counts_in_a_fixed_order(client, catalog):
    response = client.get("/search/", {"q": "halo"})
    html = response.content.decode()
    assert html.index('id="group-setting"') < html.index('id="group-jewelry"')
    assert heading_count(response, "setting") == 2
    assert heading_count(response, "jewelry") == 2
    assert "4 results" in text(response)


def test_collection_colour_origin_and_style_words_find_items(client, catalog):
    assert group(client.get("/search/", {"q": "maison"}), "jewelry") == ["Sapphire Halo Studs in 14k White Gold"]
    assert group(client.get("/search/", {"q": "crimson"}), "gemstone") == ["1.50 Carat Oval Ruby"]
    assert group(client.get("/search/", {"q": "mozambique"}), "gemstone") == ["1.50 Carat Oval Ruby"]
    assert group(client.get("/search/", {"q": "three stone"}), "setting") == ["Sapphire-Accented Three-Stone"]
    assert sorted(group(client.get("/search/", {"q": "earrings"}), "jewelry")) == [
        "Halo Diamond Studs in Platinum",
        "Sapphire Halo Studs in 14k White Gold",
    ]
    assert group(client.get("/search/", {"q": "bracelets"}), "jewelry") == []


def test_when_no_item_has_every_word_items_with_some_are_shown_and_the_page_says_so(client, catalog):
    response = client.get("/search/", {"q": "halo zzyzx"})
    assert "Classic Halo" in group(response, "setting")
    assert "No piece matches every word" in text(response)
    assert "No piece matches every word" not in text(client.get("/search/", {"q": "halo"}))


def test_a_group_is_capped_with_a_link_to_see_all_of_that_kind(client):
    for n in range(15):
        JewelryFactory(name=f"Eternity Band {n:02d}", category="wedding-bands")
    response = client.get("/search/", {"q": "eternity"})
    assert len(group(response, "jewelry")) == 12
    assert heading_count(response, "jewelry") == 15
    link = re.search(r'href="([^"]+)">See all 15 fine jewelry', response.content.decode())
    assert link
    everything = client.get(unescape(link.group(1)))
    assert len(group(everything, "jewelry")) == 15
    assert "15 results" in text(everything)


def test_a_kind_with_more_than_a_page_is_paged(client):
    GemstoneFactory.create_batch(50, kind="ruby")
    first = client.get("/search/", {"q": "ruby", "kind": "gemstone"})
    assert len(group(first, "gemstone")) == 48
    assert "Page 1 of 2" in text(first)
    second = client.get("/search/", {"q": "ruby", "kind": "gemstone", "page": "2"})
    assert len(group(second, "gemstone")) == 2
    assert client.get("/search/", {"q": "ruby", "kind": "gemstone", "page": "x' OR 1=1"}).status_code == 200
    assert client.get("/search/", {"q": "ruby", "kind": "nonsense"}).status_code == 200


def test_a_shape_word_points_to_the_diamond_search(client, catalog):
    response = client.get("/search/", {"q": "oval"})
    assert 'href="/loose-diamonds/oval/"' in response.content.decode()


# --- Exact numbers ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["T0012345", "  t0012345  ", "#T0012345"])
def test_a_diamond_sku_jumps_straight_to_the_diamond(client, typed):
    diamond = DiamondFactory(sku="T0012345")
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == diamond.get_absolute_url() == "/loose-diamonds/item/T0012345/"


@pytest.mark.parametrize("typed", ["2141438173", "GIA 2141438173", "gia#2141438173"])
def test_a_certificate_number_jumps_straight_to_the_diamond(client, typed):
    diamond = DiamondFactory(certificate_number="2141438173", lab="GIA")
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == diamond.get_absolute_url()


def test_a_gemstone_sku_or_certificate_jumps_straight_to_the_gemstone(client):
    gem = GemstoneFactory(sku="G000777", lab="GIA", certificate_number="GEM00000777")
    for typed in ("g000777", "GEM00000777", "gem00000777"):
        response = client.get("/search/", {"q": typed})
        assert response.status_code == 302
        assert response["Location"] == gem.get_absolute_url()


def test_a_sold_stone_still_jumps_to_its_page(client):
    diamond = DiamondFactory(sku="T0099999", status="sold")
    assert client.get("/search/", {"q": "T0099999"})["Location"] == diamond.get_absolute_url()


def test_a_number_shared_by_two_stones_lists_both(client):
    a = DiamondFactory(lab="GIA", certificate_number="5500001")
    b = DiamondFactory(lab="IGI", certificate_number="5500001")
    response = client.get("/search/", {"q": "5500001"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stones with that number" in text(response)
    assert a.get_absolute_url() in html and b.get_absolute_url() in html


def test_a_partial_sku_does_not_jump(client):
    DiamondFactory(sku="T0012345")
    assert client.get("/search/", {"q": "T00123"}).status_code == 200


# --- Queries that must not break anything ---------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["", "   ", "!!!", "?*&%$#@", "---", "'\"<>", "\x00", "a the of"])
def test_an_empty_or_punctuation_only_query_gets_a_friendly_page(client, catalog, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "What are you looking for?" in text(response)
    assert 'href="/engagement-rings/"' in response.content.decode()


def test_no_query_parameter_at_all(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "What are you looking for?" in text(response)


@pytest.mark.parametrize(
    "q",
    [
        "halo " * 2048,  # 10 KB
        "x" * 10_000,
        "halo & | ! ( ) : * platinum",
        "halo' OR '1'='1",
        "<script>alert(1)</script>",
        "pavé  ring\t\n",
        "ハロー 指輪",
        "\ud7ff\ufffd",
        "%00%27",
    ],
)
def test_odd_and_oversized_queries_never_fail(client, catalog, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_long_query_is_cut_and_still_searched(client, catalog):
    response = client.get("/search/", {"q": "halo " * 2048})
    assert "Classic Halo" in group(response, "setting")
    search_box = re.search(r'id="search-again-q" name="q" value="([^"]*)"', response.content.decode()).group(1)
    assert len(search_box) <= 200


def test_nothing_found_says_so_and_offers_the_collection(client, catalog):
    response = client.get("/search/", {"q": "zzyzx"})
    assert response.status_code == 200
    assert "We could not find “zzyzx”" in text(response)
    assert 'href="/gemstones/"' in response.content.decode()


def test_search_makes_a_fixed_number_of_queries(client, catalog, django_assert_max_num_queries):
    JewelryFactory.create_batch(30, name="Halo Pendant")
    # the exact-number lookup is skipped for words; one query per kind, currency rates
    with django_assert_max_num_queries(5):
        response = client.get("/search/", {"q": "halo"})
    assert heading_count(response, "jewelry") == 32


# --- Only PostgreSQL's full-text search -------------------------------------------------------------------------------
@pytest.mark.postgres
def test_full_text_search_stems_plurals_and_ignores_accents(client, catalog):
    assert connection.vendor == "postgresql"
    RingSettingFactory(name="Petite Pavé", style="pave")
    assert group(client.get("/search/", {"q": "sapphires"}), "setting") == ["Sapphire-Accented Three-Stone"]
    assert group(client.get("/search/", {"q": "halos"}), "setting") == ["Classic Halo", "Round Halo"]
    assert group(client.get("/search/", {"q": "pave"}), "setting") == ["Petite Pavé"]
    assert group(client.get("/search/", {"q": "lumiere"}), "jewelry") == ["Sapphire Halo Studs in 14k White Gold"]


@pytest.mark.postgres
def test_full_text_search_ranks_a_word_in_the_name_above_one_in_the_description(client):
    RingSettingFactory(name="Art Deco Filigree", description="Inspired by the milgrain halo rings of the 1920s.")
    RingSettingFactory(name="Milgrain Vintage", style="vintage")
    assert group(client.get("/search/", {"q": "milgrain"}), "setting") == ["Milgrain Vintage", "Art Deco Filigree"]
