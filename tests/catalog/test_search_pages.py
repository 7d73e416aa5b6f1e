"""The search and browse pages as a shopper's browser sees them."""

from decimal import Decimal

import pytest

from tests.factories import DiamondFactory, GemstoneFactory, JewelryFactory, RingSettingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    DiamondFactory(sku="R1", shape="round", price=Decimal(6000))
    DiamondFactory(sku="O1", shape="oval", price=Decimal(7000))
    DiamondFactory(sku="L1", origin="lab", lab="IGI", price=Decimal(1500))
    DiamondFactory(sku="Y1", shape="cushion", color=None, fancy_hue="yellow", fancy_intensity=6, price=Decimal(9000))


def test_loose_diamonds_page_lists_stones_with_counts_and_prices(client, catalog):
    response = client.get("/loose-diamonds/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>2</strong> diamonds" in html
    assert "/loose-diamonds/item/R1/" in html and "/loose-diamonds/item/O1/" in html
    assert "/item/L1/" not in html and "/item/Y1/" not in html
    assert "$6,000.00" in html


def test_shape_path_preselects_the_shape(client, catalog):
    html = client.get("/loose-diamonds/oval/").content.decode()
    assert "<h1>Oval loose diamonds</h1>" in html
    assert "/loose-diamonds/item/O1/" in html and "/loose-diamonds/item/R1/" not in html
    assert 'id="shape-oval" checked' in html


def test_unknown_shape_in_the_path_is_404(client):
    assert client.get("/loose-diamonds/triangle/").status_code == 404


def test_lab_and_fancy_pages(client, catalog):
    assert "/loose-diamonds/item/L1/" in client.get("/lab-grown-diamonds/").content.decode()
    html = client.get("/fancy-color-diamonds/").content.decode()
    assert "/loose-diamonds/item/Y1/" in html
    assert "Fancy Intense Yellow" in html


def test_prices_follow_the_shoppers_currency(client, catalog):
    client.post("/currency/", {"currency": "GBP"})
    html = client.get("/loose-diamonds/").content.decode()
    assert "£4,830.00" in html  # $6,000 at 0.805
    assert "Price (GBP)" in html


def test_htmx_request_gets_only_the_search_area(client, catalog):
    response = client.get("/loose-diamonds/", {"shape": "oval"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="search-area"')
    assert "<html" not in html
    assert "/loose-diamonds/item/O1/" in html


def test_the_form_works_without_javascript(client, catalog):
    """A plain GET of the form's fields (what the Update button submits) gives the filtered page."""
    html = client.get("/loose-diamonds/", {"shape": "round", "sort": "-price", "view": "list"}).content.decode()
    assert "results--list" in html
    assert "/loose-diamonds/item/R1/" in html and "/loose-diamonds/item/O1/" not in html
    assert 'value="-price" selected' in html


@pytest.mark.parametrize(
    "query",
    ["carat_min=abc", "page=-1", "page=1000000000", "sort=anything", "color_from=zz", "shape=" + "x" * 10_000,
     "price_min=1e999", "carat_max=1&carat_min=5", "depth_min=%00"],
)  # fmt: skip
def test_bad_query_strings_never_break_the_page(client, catalog, query):
    response = client.get(f"/loose-diamonds/?{query}")
    assert response.status_code == 200
    assert "diamond" in response.content.decode()


def test_ignored_input_is_shown_to_the_shopper(client, catalog):
    html = client.get("/loose-diamonds/?carat_min=abc&sort=zzz").content.decode()
    assert "We adjusted your search" in html
    assert "Minimum carat" in html and "Sort" in html


@pytest.mark.parametrize("n", [1, 48])
def test_search_page_query_count_is_flat(client, django_assert_max_num_queries, n):
    DiamondFactory.create_batch(n)
    client.get("/")  # session and currency rows warm
    with django_assert_max_num_queries(8):
        response = client.get("/loose-diamonds/?carat_min=0.5&color_to=h")
    assert response.status_code == 200


def test_gemstones_page(client):
    GemstoneFactory(sku="S1", kind="blue_sapphire")
    GemstoneFactory(sku="RU", kind="ruby", shape="cushion")
    html = client.get("/gemstones/?kind=ruby").content.decode()
    assert "/gemstones/item/RU/" in html and "/gemstones/item/S1/" not in html


def test_settings_browse_by_style_metal_and_shape(client):
    RingSettingFactory(name="Round Halo", slug="round-halo", style="halo", metals={"platinum": Decimal(1500)})
    RingSettingFactory(
        name="Pear Solitaire", slug="pear-solitaire", shapes=["pear"], metals={"14k_yellow": Decimal(800)}
    )
    html = client.get("/engagement-rings/halo/").content.decode()
    assert "Round Halo" in html and "Pear Solitaire" not in html
    html = client.get("/engagement-rings/?metal=14k_yellow").content.decode()
    assert "Pear Solitaire" in html and "Round Halo" not in html
    assert "From $800.00" in html
    html = client.get("/engagement-rings/?shape=pear").content.decode()
    assert "Pear Solitaire" in html and "Round Halo" not in html
    assert client.get("/engagement-rings/not-a-style/").status_code == 404


def test_settings_browse_counts_and_price_range(client):
    RingSettingFactory(slug="a", name="A", metals={"platinum": Decimal(2000), "14k_white": Decimal(1000)})
    RingSettingFactory(slug="b", name="B", metals={"14k_white": Decimal(3000)})
    html = client.get("/engagement-rings/?metal=platinum").content.decode()
    assert "From $2,000.00" in html  # the price in the chosen metal
    html = client.get("/engagement-rings/?price_max=1500").content.decode()
    assert ">A<" in html and ">B<" not in html


def test_jewelry_browse(client):
    JewelryFactory(name="Diamond Studs", category="earrings")
    JewelryFactory(name="Tennis Bracelet", category="bracelets", slug="tennis")
    html = client.get("/jewelry/earrings/").content.decode()
    assert "Diamond Studs" in html and "Tennis Bracelet" not in html
    assert client.get("/jewelry/hats/").status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_browse_pages_query_count_is_flat(client, django_assert_max_num_queries, n):
    for i in range(n):
        RingSettingFactory(slug=f"s{i}")
        JewelryFactory()
    client.get("/")
    with django_assert_max_num_queries(6):
        assert client.get("/engagement-rings/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/jewelry/").status_code == 200
