"""Design your own earrings (a matched pair) and pendant (one stone), checked by the same rules."""

from decimal import Decimal

import pytest

from catalog.models import Diamond
from checkout.bag import bag_lines
from tests.factories import DiamondFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stones():
    return {
        "a": DiamondFactory(sku="A", carat=Decimal("0.50"), color=4, clarity=6, price=Decimal("1500")),
        "twin": DiamondFactory(sku="TWIN", carat=Decimal("0.52"), color=5, clarity=5, price=Decimal("1550")),
        "bigger": DiamondFactory(sku="BIG", carat=Decimal("0.70"), color=4, clarity=6),
        "paler": DiamondFactory(sku="PALE", carat=Decimal("0.50"), color=7, clarity=6),
        "oval": DiamondFactory(sku="OVAL", shape="oval", carat=Decimal("0.50")),
        "lab": DiamondFactory(sku="LAB", carat=Decimal("0.50"), origin="lab", lab="IGI"),
        "tiny": DiamondFactory(sku="TINY", carat=Decimal("0.10")),  # below what the stud mounting holds
    }


def choose(client, piece, sku, kind="diamond"):
    return client.post(f"/ring-builder/{piece}/", {"action": "choose", "type": kind, "sku": sku}, follow=True)


def listed(response) -> set[str]:
    import re

    return set(re.findall(r'name="sku" value="([^"]+)"', response.content.decode()))


def test_earrings_offer_only_stones_that_match_the_first(client, stones):
    first_page = client.get("/ring-builder/earrings/")
    assert "TINY" not in listed(first_page) and {"A", "TWIN", "BIG", "PALE", "OVAL"} <= listed(first_page)
    response = choose(client, "earrings", "A")
    assert listed(response) == {"TWIN"}  # same shape and kind, within 10%, within a grade
    response = choose(client, "earrings", "TWIN")
    html = response.content.decode()
    assert "Your pair" in html and "Add earrings to bag" in html
    response = client.post("/ring-builder/earrings/", {"action": "bag", "metal": "platinum"}, follow=True)
    html = response.content.decode()
    assert "Stud earrings, designed by you" in html
    assert "$3,690.00" in html  # 640 + 1,500 + 1,550
    line = bag_lines(response.wsgi_request)[0]
    assert line["kind"] == "earrings" and [s["sku"] for s in line["stones"]] == ["A", "TWIN"]


@pytest.mark.parametrize("second", ["BIG", "PALE", "OVAL", "LAB", "A"])
def test_a_stone_that_does_not_match_is_refused_with_the_reason(client, stones, second):
    choose(client, "earrings", "A")
    response = choose(client, "earrings", second)
    html = response.content.decode()
    assert any(word in html for word in ("within 10%", "within one grade", "one shape", "one kind", "two different"))
    assert "Add earrings to bag" not in html


def test_a_stone_too_small_for_the_mounting_is_refused(client, stones):
    response = choose(client, "pendant", "TINY")
    assert "this diamond is 0.10 ct" in response.content.decode()


def test_a_pendant_is_one_stone_and_a_metal(client, stones):
    choose(client, "pendant", "BIG")
    response = client.post("/ring-builder/pendant/", {"action": "bag", "metal": "14k_yellow"}, follow=True)
    html = response.content.decode()
    assert "Solitaire pendant, designed by you" in html and "14k Yellow Gold" in html
    assert bag_lines(response.wsgi_request)[0]["kind"] == "pendant"


def test_a_metal_not_offered_is_refused(client, stones):
    choose(client, "pendant", "BIG")
    response = client.post("/ring-builder/pendant/", {"action": "bag", "metal": "18k_rose"}, follow=True)
    assert "Choose one of the metals shown." in response.content.decode()
    assert bag_lines(response.wsgi_request) == []


def test_a_stone_sold_before_checkout_is_refused(client, stones):
    choose(client, "pendant", "BIG")
    Diamond.objects.filter(sku="BIG").update(status="sold")
    response = client.post("/ring-builder/pendant/", {"action": "bag", "metal": "platinum"}, follow=True)
    assert "Sorry, this item has just been sold" in response.content.decode()
    assert bag_lines(response.wsgi_request) == []
