"""Detail pages, the fair-price indicator and one-of-a-kind behaviour."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import imagery
from catalog.grades import Clarity, Color
from catalog.pricing import fair_price, lab_grown_match
from catalog.similar import similar_diamonds
from tests.factories import DiamondFactory, GemstoneFactory, JewelryFactory, RingSettingFactory

pytestmark = pytest.mark.django_db


def test_diamond_page_shows_every_specification(client):
    d = DiamondFactory(
        sku="D1", shape="oval", carat=Decimal("1.51"), length_mm=Decimal("8.90"), width_mm=Decimal("6.35"),
        depth_mm=Decimal("3.90"), girdle="Medium", certificate_number="2141438173",
    )  # fmt: skip
    html = client.get("/loose-diamonds/item/D1/").content.decode()
    assert '<h1 id="stone-title">1.51 Carat Oval Diamond</h1>' in html
    for text in ["G Colour", "VS2 Clarity", "Ideal Cut", "Excellent", "1.40", "8.90 × 6.35 × 3.90 mm", "61.8", "57.0",
                 "Medium", "GIA", "2141438173", "Natural", "$6,000.00", "Choose this diamond", d.sku]:  # fmt: skip
        assert text in html, text
    assert 'id="stone-model" type="application/json"' in html  # the 360° model
    assert "Proportions, drawn to scale" in html


def test_diamond_price_in_the_shoppers_currency(client):
    DiamondFactory(sku="D1")
    client.post("/currency/", {"currency": "EUR"})
    assert "€5,780.40" in client.get("/loose-diamonds/item/D1/").content.decode()


def test_sale_price_is_shown_struck_through(client):
    DiamondFactory(sku="D1", price=Decimal(6000), sale_price=Decimal(5100))
    html = client.get("/loose-diamonds/item/D1/").content.decode()
    assert "<del>" in html and "$6,000.00" in html and "$5,100.00" in html


def test_sold_diamond_says_so_and_offers_similar_available_stones(client):
    DiamondFactory(sku="GONE", carat=Decimal("1.00"), status="sold")
    DiamondFactory(sku="NEAR", carat=Decimal("1.02"))
    DiamondFactory(sku="FAR", carat=Decimal("2.50"))
    DiamondFactory(sku="OVAL", shape="oval", carat=Decimal("1.00"))
    DiamondFactory(sku="ALSO-SOLD", carat=Decimal("1.01"), status="sold")
    DiamondFactory(sku="LABX", origin="lab", lab="IGI", carat=Decimal("1.00"))
    response = client.get("/loose-diamonds/item/GONE/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sorry, this item has just been sold" in html
    assert "/loose-diamonds/item/NEAR/" in html and "/loose-diamonds/item/FAR/" in html
    assert html.index("/item/NEAR/") < html.index("/item/FAR/")  # nearest first
    for other in ("OVAL", "ALSO-SOLD", "LABX"):
        assert f"/item/{other}/" not in html


def test_reserved_diamond_shows_as_reserved(client):
    DiamondFactory(sku="R1", status="reserved", reserved_until=timezone.now() + timedelta(minutes=10))
    html = client.get("/loose-diamonds/item/R1/").content.decode()
    assert "Reserved: this diamond is in another shopper" in html


def test_unknown_sku_is_404(client):
    assert client.get("/loose-diamonds/item/NOPE/").status_code == 404
    assert client.get("/gemstones/item/NOPE/").status_code == 404


def test_fair_price_percentile_among_comparables():
    me = DiamondFactory(carat=Decimal("1.00"), price=Decimal(6000))
    for price in (5000, 5500, 6500, 7000, 7500, 8000):
        DiamondFactory(carat=Decimal("1.05"), price=Decimal(price) * Decimal("1.05"))  # same price per carat as $price
    DiamondFactory(carat=Decimal("1.30"), price=Decimal(100))  # outside ±10 %
    DiamondFactory(carat=Decimal("1.00"), price=Decimal(100), color=Color.D)  # another colour
    DiamondFactory(carat=Decimal("1.00"), price=Decimal(100), status="sold")
    fair = fair_price(me)
    assert fair.comparables == 6
    assert fair.priced_higher == 4
    assert fair.percent_cheaper_than == 67
    assert fair.enough and fair.price_per_carat == Decimal("6000.00")


def test_fair_price_with_too_few_comparables_says_so(client):
    lone = DiamondFactory(sku="LONE", clarity=Clarity.FL)
    DiamondFactory.create_batch(3, clarity=Clarity.FL)
    DiamondFactory.create_batch(5, clarity=Clarity.IF)
    assert fair_price(lone).comparables == 3
    assert not fair_price(lone).enough
    html = client.get("/loose-diamonds/item/LONE/").content.decode()
    assert "Fewer than five comparable diamonds" in html


def test_closest_lab_grown_match_for_natural_stones():
    natural = DiamondFactory(carat=Decimal("1.00"))
    DiamondFactory(sku="LAB-FAR", origin="lab", lab="IGI", carat=Decimal("1.40"), price=Decimal(900))
    DiamondFactory(sku="LAB-NEAR", origin="lab", lab="IGI", carat=Decimal("1.02"), price=Decimal(1300))
    DiamondFactory(sku="LAB-OTHER-COLOUR", origin="lab", lab="IGI", carat=Decimal("1.00"), color=Color.D)
    assert lab_grown_match(natural).sku == "LAB-NEAR"
    assert lab_grown_match(DiamondFactory(origin="lab", lab="IGI")) is None


@pytest.mark.parametrize("n", [1, 30])
def test_diamond_page_query_count_is_fixed(client, django_assert_max_num_queries, n):
    DiamondFactory(sku="ME")
    DiamondFactory.create_batch(n)
    DiamondFactory.create_batch(n, origin="lab", lab="IGI")
    client.get("/")
    with django_assert_max_num_queries(8):
        assert client.get("/loose-diamonds/item/ME/").status_code == 200


def test_similar_diamonds_is_one_query(django_assert_num_queries):
    gone = DiamondFactory(status="sold")
    DiamondFactory.create_batch(12)
    with django_assert_num_queries(1):
        assert len(similar_diamonds(gone)) == 8


def test_gemstone_page_and_sold_gemstone(client):
    GemstoneFactory(sku="S1", kind="blue_sapphire", color="Royal blue", origin="Sri Lanka")
    GemstoneFactory(sku="S2", kind="blue_sapphire", status="sold")
    GemstoneFactory(sku="RUBY", kind="ruby")
    html = client.get("/gemstones/item/S1/").content.decode()
    for text in ["1.50 Carat Oval Blue Sapphire</h1>", "Royal blue", "Heated", "Sri Lanka", "$2,400.00",
                 '<a href="/gemstones/?kind=blue_sapphire">Blue sapphires</a>']:  # fmt: skip
        assert text in html, text
    sold = client.get("/gemstones/item/S2/")
    assert sold.status_code == 200
    assert "Sorry, this item has just been sold" in sold.content.decode()
    assert "/gemstones/item/S1/" in sold.content.decode() and "/gemstones/item/RUBY/" not in sold.content.decode()


def test_setting_page_prices_each_metal(client):
    RingSettingFactory(slug="halo", name="Classic Halo", style="halo", shapes=["round", "oval"],
                       metals={"14k_white": Decimal(1290), "platinum": Decimal(1790)})  # fmt: skip
    html = client.get("/engagement-rings/item/halo/").content.decode()
    assert "Classic Halo" in html and "$1,290.00" in html and "$1,790.00" in html
    assert "<span>Round</span>" in html and "<span>Oval</span>" in html  # each shape with its icon
    assert "Holds 0.25–3.00 ct" in html and "US 3–9" in html and "Made to order in 5 business days" in html
    assert "Rubies, emeralds and moissanite" in html
    assert "/ring-builder/?setting=halo&amp;metal=14k_white" in html
    assert 'data-price="$1,790.00"' in html  # what the script shows when platinum is chosen
    html = client.get("/engagement-rings/item/halo/?metal=platinum").content.decode()
    assert 'id="metal-platinum" checked' in html
    assert "/ring-builder/?setting=halo&amp;metal=platinum" in html and "data-metal-price>$1,790.00<" in html
    assert client.get("/engagement-rings/item/missing/").status_code == 404


def test_jewelry_page(client):
    item = JewelryFactory(name="Diamond Studs", stock_count=3)
    html = client.get(item.get_absolute_url()).content.decode()
    assert "Diamond Studs" in html and "$990.00" in html and "In stock" in html
    assert 'name="quantity"' in html
    out = JewelryFactory(stock_count=0)
    html = client.get(out.get_absolute_url()).content.decode()
    assert "Made to order" in html and 'name="quantity"' not in html


# --- Imagery ------------------------------------------------------------------------------------------------------
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("shape", imagery.SHAPES)
def test_every_shape_draws_a_valid_svg(shape):
    svg = imagery.outline_svg(shape, lw_ratio=1.3, tint=imagery.colourless_tint(4), title=f"A {shape}")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == f"A {shape}"
    assert root.findall(f".//{SVG}polygon")


def test_outline_follows_the_length_width_ratio():
    def extent(svg):
        outline = ET.fromstring(svg).find(f".//{SVG}polygon[@class='stone-outline']").get("points").split()
        xs = [float(p.split(",")[0]) for p in outline]
        ys = [float(p.split(",")[1]) for p in outline]
        return (max(ys) - min(ys)) / (max(xs) - min(xs))

    assert extent(imagery.outline_svg("oval", lw_ratio=1.5, tint="#ffffff")) == pytest.approx(1.5, abs=0.05)
    assert extent(imagery.outline_svg("oval", lw_ratio=1.2, tint="#ffffff")) == pytest.approx(1.2, abs=0.05)


def test_colour_grades_shade_from_icy_to_warm():
    d, m = imagery.colourless_tint(1), imagery.colourless_tint(10)
    blue = lambda c: int(c[5:7], 16)  # noqa: E731
    assert blue(d) > blue(m)  # D is colder (more blue), M warmer
    assert imagery.luminance(imagery.fancy_tint("pink", 7)) < imagery.luminance(imagery.fancy_tint("pink", 1))


def test_proportion_diagram_is_drawn_to_scale():
    def height(depth):
        svg = imagery.proportion_svg(depth, 57, Decimal("6.40"), Decimal("3.96"), "round")
        return ET.fromstring(svg).get("viewBox").split()[3]

    assert float(height(70)) > float(height(60))
    svg = imagery.proportion_svg(Decimal("61.8"), Decimal("57.0"), Decimal("6.40"), Decimal("3.96"), "round")
    assert "Table 57" in svg and "Depth 61.8" in svg and "6.40 mm" in svg


def test_reserved_diamond_cannot_be_bought_but_can_be_saved(client):
    DiamondFactory(sku="R1", status="reserved", reserved_until=timezone.now() + timedelta(minutes=10))
    html = client.get("/loose-diamonds/item/R1/").content.decode()
    assert "Add loose diamond to bag" not in html and "Choose this diamond" not in html
    assert "Add to wish list" in html


def test_a_lapsed_reservation_shows_the_stone_as_available(client):
    DiamondFactory(sku="R2", status="reserved", reserved_until=timezone.now() - timedelta(minutes=1))
    html = client.get("/loose-diamonds/item/R2/").content.decode()
    assert "Reserved:" not in html and "Add loose diamond to bag" in html


def test_diamond_page_shows_the_grading_report_and_fair_price_range(client):
    DiamondFactory(sku="ME", lab="IGI", certificate_number="LG555", price=Decimal(6000))
    for price in (5000, 5500, 6500, 7000, 7500):
        DiamondFactory(lab="IGI", price=Decimal(price))
    html = client.get("/loose-diamonds/item/ME/").content.decode()
    assert "<dt>Grading lab</dt><dd>IGI</dd>" in html and "<dt>Certificate number</dt><dd>LG555</dd>" in html
    assert "priced lower than <strong>60%</strong> of 5 comparable diamonds" in html
    assert "$5,000.00" in html and "$7,500.00 per carat" in html  # the range the scale spans
    assert "fair-price__marker--4" in html  # two of five cost less: left of the middle


def test_fancy_diamond_page_names_its_fancy_colour(client):
    DiamondFactory(sku="PINK", color=None, fancy_hue="pink", fancy_intensity=6)
    html = client.get("/loose-diamonds/item/PINK/").content.decode()
    assert "Fancy Colour Diamond</h1>" in html and "<dt>Fancy colour</dt><dd>Fancy Intense Pink</dd>" in html
    assert "lab-grown match" not in html  # only natural colourless stones get one


def test_jewelry_page_breadcrumbs_lead_back_to_its_category(client):
    item = JewelryFactory(name="Diamond Studs", category="earrings")
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'aria-label="Breadcrumb"' in html
    assert '<a href="/jewelry/">Jewelry</a>' in html and '<a href="/jewelry/earrings/">Earrings</a>' in html
    assert client.get(f"/jewelry/bracelets/{item.slug}/").status_code == 404  # not in that category


def test_setting_kinds_in_plain_words():
    from catalog.views.detail import stone_kind_groups

    assert stone_kind_groups(["natural", "lab", "fancy", "blue_sapphire", "pink_sapphire", "ruby", "moissanite"]) == [
        "Natural, lab-grown and fancy colour diamonds",
        "Blue and pink sapphires",
        "Rubies and moissanite",
    ]
    assert stone_kind_groups(["lab", "emerald"]) == ["Lab-grown diamonds", "Emeralds"]


@pytest.mark.parametrize("n", [1, 20])
def test_every_detail_page_has_a_fixed_query_count(client, django_assert_max_num_queries, n):
    """The session, the item, and what the page adds: the fair price and lab-grown match on a diamond, similar
    stones on a sold one, the metals and pictures of a setting. However many stones there are."""
    gem = GemstoneFactory(sku="GEM")
    sold_gem = GemstoneFactory(sku="GEM-SOLD", status="sold")
    GemstoneFactory.create_batch(n)
    diamond = DiamondFactory(sku="ME")
    sold = DiamondFactory(sku="SOLD", status="sold")
    DiamondFactory.create_batch(n)
    DiamondFactory.create_batch(n, origin="lab", lab="IGI")
    setting = RingSettingFactory(slug="halo", shapes=["round", "oval", "pear"])
    RingSettingFactory.create_batch(n)
    item = JewelryFactory()
    client.post("/currency/", {"currency": "EUR"})  # a shopper with a session
    for stone_or_item, bound in [(gem, 2), (sold_gem, 3), (diamond, 4), (sold, 3), (setting, 4), (item, 2)]:
        url = stone_or_item.get_absolute_url()
        client.get(url)  # the currency rates are cached after the first page
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200


def test_sold_pages_keep_their_breadcrumbs_and_plural_words(client):
    GemstoneFactory(sku="GONE", kind="ruby", status="sold")
    GemstoneFactory(sku="RUBY", kind="ruby")
    html = client.get("/gemstones/item/GONE/").content.decode()
    assert 'aria-label="Breadcrumb"' in html and '<a href="/gemstones/?kind=ruby">Rubies</a>' in html
    assert "See all rubies" in html and "rubys" not in html
    DiamondFactory(sku="SOLD", status="sold")
    html = client.get("/loose-diamonds/item/SOLD/").content.decode()
    assert 'aria-label="Breadcrumb"' in html and '<a href="/loose-diamonds/">Loose diamonds</a>' in html
