"""The issue's "done means": a new shopper designs a complete ring and buys it with the offline gateway, in each of
the nine currencies; the charge is the review page's total, in that currency, and the order adds up."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.grades import StoneStatus
from checkout.models import Order
from checkout.money import CURRENCIES
from tests.checkout.test_checkout_flow import SHIPPING_DE, review_form
from tests.factories import DiamondFactory, RingSettingFactory

pytestmark = pytest.mark.django_db

DESTINATIONS = {
    "USD": {"shipping-country": "US", "shipping-region": "US-NY", "shipping-postal_code": "10001"},
    "CAD": {"shipping-country": "CA", "shipping-region": "CA-ON", "shipping-postal_code": "M5V 2T6"},
    "EUR": {},
    "GBP": {"shipping-country": "GB", "shipping-postal_code": "SW1A 1AA"},
    "HKD": {"shipping-country": "HK", "shipping-postal_code": ""},
    "NZD": {"shipping-country": "NZ", "shipping-postal_code": "6011"},
    "SGD": {"shipping-country": "SG", "shipping-postal_code": "018956"},
    "AUD": {"shipping-country": "AU", "shipping-region": "AU-NSW", "shipping-postal_code": "2000"},
    "CNY": {"shipping-country": "CN", "shipping-postal_code": "100000"},
}


def money_in(html: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}">([^<]+)<', html).group(1)


@pytest.mark.parametrize("currency", list(CURRENCIES))
def test_a_new_shopper_buys_a_complete_ring(client, currency, mailoutbox, django_capture_on_commit_callbacks):
    assert set(DESTINATIONS) == set(CURRENCIES)
    diamond = DiamondFactory(sku="RING1", shape="round", carat=Decimal("1.01"), price=Decimal("7350.00"))
    RingSettingFactory(
        name="Solitaire Pavé",
        slug="solitaire-pave",
        shapes=["round", "oval"],
        min_carat=Decimal("0.50"),
        max_carat=Decimal("2.00"),
        metals={"18k_yellow": Decimal("1290.00")},
    )
    client.post(reverse("set_currency"), {"currency": currency})
    client.get(f"/ring-builder/?diamond={diamond.sku}")
    assert client.post("/ring-builder/choose/", {"kind": "setting", "ref": "solitaire-pave"}).status_code == 302
    added = client.post(
        "/ring-builder/review/", {"metal": "18k_yellow", "size": "6.25", "engraving": "", "build": "", "action": "bag"}
    )
    assert added.url == "/bag/"
    bag = client.get("/bag/").content.decode()
    assert "Solitaire Pavé" in bag

    assert client.post(reverse("checkout:details"), {**SHIPPING_DE, **DESTINATIONS[currency]}).status_code == 302
    client.post(reverse("checkout:payment"), {"number": "4242424242424242", "expiry": "09/31", "cvc": "321"})
    review, form = review_form(client)
    shown = money_in(review.content.decode(), "charge-total")
    assert form["currency"] == currency
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("checkout:place"), form, follow=True)
    page = confirmed.content.decode()
    order = Order.objects.get()
    assert "Your order is confirmed" in page and shown in page
    assert order.status == Order.Status.PAID and order.currency == currency
    assert order.total_amount == Decimal(form["total"])
    assert order.total_amount == order.subtotal_amount - order.discount_amount + order.tax_amount
    assert [line.kind for line in order.lines.all()] == ["ring"]
    assert order.payments.get().amount_minor == order.total.to_minor_units()
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.SOLD
    assert len(mailoutbox) == 1 and order.number in mailoutbox[0].subject
