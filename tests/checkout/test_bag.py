"""The bag: what a shopper adds, priced from the catalog every time it is shown, in their currency."""

import re
from decimal import Decimal

import pytest
from django.test import RequestFactory

from catalog.models import Diamond, SettingVariant
from checkout.bag import bag_count, bag_lines
from tests.factories import DiamondFactory, GemstoneFactory, JewelryFactory, RingSettingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    return {
        "diamond": DiamondFactory(sku="D1", price=Decimal("6000.00")),
        "other": DiamondFactory(sku="D2", shape="pear", carat=Decimal("2.31"), price=Decimal("20000.00")),
        "gem": GemstoneFactory(sku="G1", price=Decimal("2400.00")),
        "studs": JewelryFactory(sku="J1", name="Round Diamond Studs", price=Decimal("990.00"), stock_count=5),
        "setting": RingSettingFactory(slug="solitaire", name="Classic Solitaire"),
        "band": RingSettingFactory(
            slug="band",
            name="Plain Band",
            shapes=[],
            stone_kinds=[],
            requires_center_stone=False,
            metals={"14k_white": Decimal("490.00")},
        ),
    }


def add(client, **data):
    return client.post("/bag/add/", data)


def page(client) -> str:
    return client.get("/bag/").content.decode()


def subtotal(html: str) -> str:
    return re.search(r'id="bag-subtotal">([^<]+)<', html).group(1)


def test_an_empty_bag_offers_ways_to_start(client):
    html = page(client)
    assert "Your bag is empty" in html and 'href="/ring-builder/"' in html


def test_detail_pages_add_stones_and_jewelry_by_kind_and_ref(client, items):
    assert add(client, kind="diamond", ref="D1").url == "/bag/"
    add(client, kind="gemstone", ref="G1")
    add(client, kind="jewelry", ref="J1", quantity="2")
    html = page(client)
    assert "1.00 Carat Round Diamond" in html and "1.50 Carat Oval Blue Sapphire" in html
    assert "Round Diamond Studs" in html and re.search(r'name="quantity" id="qty-[^"]+" value="2"', html)
    assert subtotal(html) == "$10,380.00"  # 6,000 + 2,400 + 2 × 990
    assert "Added to your bag." in html


def test_the_header_counts_items_without_a_query(client, items, django_assert_num_queries):
    add(client, kind="diamond", ref="D1")
    add(client, kind="jewelry", ref="J1", quantity="3")
    assert "Bag, 4 items" in page(client)
    request = RequestFactory().get("/")
    request.session = client.session
    request.session.keys()  # the session itself is read by every page anyway
    with django_assert_num_queries(0):
        assert bag_count(request) == 4


def test_a_posted_price_is_never_read_and_prices_follow_the_catalog(client, items):
    add(client, kind="diamond", ref="D1", price="1.00", current_price="1.00")
    assert subtotal(page(client)) == "$6,000.00"
    Diamond.objects.filter(sku="D1").update(sale_price=Decimal("5500.00"))
    assert subtotal(page(client)) == "$5,500.00"


def test_a_stone_is_one_of_a_kind(client, items):
    add(client, kind="diamond", ref="D1")
    response = client.post("/bag/add/", {"kind": "diamond", "ref": "D1", "quantity": "3"}, follow=True)
    assert "That stone is already in your bag." in response.content.decode()
    assert len(bag_lines(response.wsgi_request)) == 1
    assert bag_lines(response.wsgi_request)[0].get("quantity", 1) == 1


def test_a_stone_sold_since_it_was_added_is_flagged_and_not_counted(client, items):
    add(client, kind="diamond", ref="D1")
    add(client, kind="gemstone", ref="G1")
    Diamond.objects.filter(sku="D1").update(status="sold")
    html = page(client)
    assert "Sorry, this item has just been sold" in html
    assert subtotal(html) == "$2,400.00"


def test_sold_and_reserved_stones_cannot_be_added(client, items):
    DiamondFactory(sku="SOLD", status="sold")
    response = client.post("/bag/add/", {"kind": "diamond", "ref": "SOLD"}, follow=True)
    assert "Sorry, this item has just been sold." in response.content.decode()
    assert bag_lines(response.wsgi_request) == []


def test_totals_are_the_sum_of_the_converted_lines(client, items):
    add(client, kind="diamond", ref="D1")
    add(client, kind="jewelry", ref="J1", quantity="3")
    client.post("/currency/", {"currency": "EUR"})
    html = page(client)
    # 6,000 × 0.9634 = 5,780.40; 990 × 0.9634 = 953.77 (rounded per part), × 3 = 2,861.31.
    assert "€5,780.40" in html and "€2,861.31" in html
    assert subtotal(html) == "€8,641.71"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "diamond", "ref": "NOPE"}, "Sorry, we could not find that item."),
        ({"kind": "ring", "ref": "solitaire"}, "Sorry, we could not find that item."),
        ({"kind": "jewelry", "ref": "J1", "quantity": "99"}, "Choose a quantity from 1 to 10."),
        ({"kind": "jewelry", "ref": "J1", "quantity": "0"}, "Choose a quantity from 1 to 10."),
        (
            {"kind": "setting", "ref": "band", "metal": "platinum", "size": "6"},
            "The Plain Band is not made in Platinum.",
        ),
        ({"kind": "setting", "ref": "band", "metal": "14k_white", "size": "2"}, "Choose a ring size"),
        ({"kind": "setting", "ref": "band", "metal": "14k_white", "size": "99"}, "Choose a ring size"),
        ({"kind": "setting", "ref": "band", "metal": "14k_white"}, "Choose a ring size"),
    ],
)
def test_bad_posts_get_a_message_and_change_nothing(client, items, data, message):
    add(client, kind="gemstone", ref="G1")
    response = client.post("/bag/add/", data, follow=True)
    assert message in response.content.decode()
    assert [line["kind"] for line in bag_lines(response.wsgi_request)] == ["gemstone"]


def test_jewelry_quantities_add_up_to_a_limit(client, items):
    add(client, kind="jewelry", ref="J1", quantity="6")
    response = client.post("/bag/add/", {"kind": "jewelry", "ref": "J1", "quantity": "5"}, follow=True)
    assert "You can order up to 10 of one piece" in response.content.decode()
    add(client, kind="jewelry", ref="J1", quantity="4")
    assert bag_lines(response.wsgi_request) and re.search(r'name="quantity" id="qty-[^"]+" value="10"', page(client))


def test_a_setting_that_needs_a_centre_stone_asks_first(client, items):
    response = add(client, kind="setting", ref="solitaire", metal="platinum", size="6.5")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This specific setting requires a center diamond or gemstone" in html
    assert "<dialog" in html and "Choose a diamond" in html and "Add the setting on its own" in html
    assert bag_lines(response.wsgi_request) == []
    # Choosing a diamond takes the setting to the ring builder.
    response = client.post(
        "/ring-builder/choose/",
        {"kind": "setting", "ref": "solitaire", "metal": "platinum", "confirm": "replace", "stone_kind": "natural"},
    )
    assert response.url == "/ring-builder/diamonds/"
    # Or it goes in alone, and the bag says it still needs a stone.
    add(client, kind="setting", ref="solitaire", metal="platinum", size="6.5", confirm="alone")
    html = page(client)
    assert "Classic Solitaire setting" in html and "Platinum · size 6½" in html and "$1,490.00" in html
    assert "This setting needs a centre diamond or gemstone." in html


def test_with_htmx_the_question_is_the_dialog_alone(client, items):
    response = client.post(
        "/bag/add/",
        {"kind": "setting", "ref": "solitaire", "metal": "platinum", "size": "6"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<dialog") and "<html" not in html


def test_a_setting_without_a_centre_stone_goes_straight_in(client, items):
    assert add(client, kind="setting", ref="band", metal="14k_white", size="7").url == "/bag/"
    assert subtotal(page(client)) == "$490.00"


def test_a_setting_and_a_loose_diamond_that_fit_are_offered_as_one_ring(client, items):
    add(client, kind="setting", ref="solitaire", metal="14k_white", size="6", confirm="alone")
    add(client, kind="diamond", ref="D1")
    html = page(client)
    question = (
        "You have selected a ring setting and a loose diamond separately. Would you like to combine them "
        "into a complete engagement ring?"
    )
    assert question in html
    lines = bag_lines(client.get("/bag/").wsgi_request)
    response = client.post(
        "/bag/combine/",
        {"setting_line": lines[0]["id"], "stone_line": lines[1]["id"], "answer": "combine"},
        follow=True,
    )
    html = response.content.decode()
    assert "Engagement ring: Classic Solitaire with a 1.00 Carat Round Diamond" in html
    assert question not in html
    assert [line["kind"] for line in bag_lines(response.wsgi_request)] == ["ring"]
    assert subtotal(html) == "$6,990.00"
    assert "Bag, 1 item" in html


def test_keeping_them_separate_is_not_asked_again(client, items):
    add(client, kind="setting", ref="solitaire", metal="14k_white", size="6", confirm="alone")
    add(client, kind="diamond", ref="D1")
    lines = bag_lines(client.get("/bag/").wsgi_request)
    client.post("/bag/combine/", {"setting_line": lines[0]["id"], "stone_line": lines[1]["id"], "answer": "separate"})
    assert "Would you like to combine them" not in page(client)
    assert len(bag_lines(client.get("/bag/").wsgi_request)) == 2


def test_a_pair_that_does_not_fit_is_not_offered(client, items):
    add(client, kind="setting", ref="solitaire", metal="14k_white", size="6", confirm="alone")
    add(client, kind="diamond", ref="D2")  # a 2.31 ct pear: the solitaire holds round stones only
    assert "Would you like to combine them" not in page(client)


def test_combining_by_hand_a_pair_that_does_not_fit_is_refused(client, items):
    add(client, kind="setting", ref="solitaire", metal="14k_white", size="6", confirm="alone")
    add(client, kind="diamond", ref="D2")
    lines = bag_lines(client.get("/bag/").wsgi_request)
    response = client.post(
        "/bag/combine/",
        {"setting_line": lines[0]["id"], "stone_line": lines[1]["id"], "answer": "combine"},
        follow=True,
    )
    assert "this diamond is a pear" in response.content.decode()
    assert [line["kind"] for line in bag_lines(response.wsgi_request)] == ["setting", "diamond"]


def test_removing_a_line(client, items):
    add(client, kind="diamond", ref="D1")
    add(client, kind="gemstone", ref="G1")
    line = bag_lines(client.get("/bag/").wsgi_request)[0]
    client.post("/bag/remove/", {"line": line["id"]})
    assert subtotal(page(client)) == "$2,400.00"
    response = client.post("/bag/remove/", {"line": "not-a-line"}, follow=True)
    assert "That item is not in your bag." in response.content.decode()


def test_a_setting_no_longer_made_in_a_metal_is_flagged(client, items):
    add(client, kind="setting", ref="band", metal="14k_white", size="7")
    SettingVariant.objects.filter(setting=items["band"]).delete()
    html = page(client)
    assert "No longer made in 14k White Gold" in html
    assert subtotal(html) == "$0.00"


def test_bag_actions_only_accept_post(client):
    for url in ("/bag/add/", "/bag/remove/", "/bag/combine/"):
        assert client.get(url).status_code == 405


def test_a_tampered_session_is_ignored_line_by_line(client, items):
    session = client.session
    session["bag"] = {
        "lines": [
            {"id": "x", "kind": "diamond", "ref": "D1"},
            {"kind": "diamond"},
            "junk",
            {
                "id": "y",
                "kind": "ring",
                "ref": "solitaire",
                "metal": "14k_white",
                "size": "99",
                "stone": {"type": "diamond", "sku": "D1"},
                "engraving": "",
            },
        ]
    }
    session.save()
    assert subtotal(page(client)) == "$6,000.00"


@pytest.mark.parametrize("lines", [1, 8])
def test_the_bag_page_makes_a_fixed_number_of_queries(client, items, django_assert_max_num_queries, lines):
    for i in range(lines):
        DiamondFactory(sku=f"Q{i}")
        add(client, kind="diamond", ref=f"Q{i}")
    add(client, kind="gemstone", ref="G1")
    add(client, kind="jewelry", ref="J1")
    add(client, kind="setting", ref="band", metal="14k_white", size="7")
    client.get("/bag/")
    # The session; one query per kind of item (two for settings, with their metals); the running offers; the tax
    # table for the estimate's destination.
    with django_assert_max_num_queries(8):
        client.get("/bag/")
