"""The checkout pages end to end through Django's test client and the offline gateway: details, payment, review,
place; what the shopper sees at each step, and every bad input refused with a message and nothing changed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.grades import StoneStatus
from checkout.models import Order, Payment
from tests.factories import DiamondFactory, JewelryFactory, UserFactory

pytestmark = pytest.mark.django_db

SHIPPING_DE = {
    "email": "Ada@Example.com",
    "shipping-name": "Ada Lovelace",
    "shipping-line1": "Unter den Linden 1",
    "shipping-city": "Berlin",
    "shipping-postal_code": "10117",
    "shipping-country": "DE",
    "shipping-phone": "+49 30 1234567",
    "billing_same": "on",
}


def set_currency(client, code):
    client.post(reverse("set_currency"), {"currency": code})


@pytest.fixture
def diamond():
    return DiamondFactory(sku="D100", price=Decimal("6000.00"))


@pytest.fixture
def bag(client, diamond):
    response = client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": diamond.sku})
    assert response.status_code == 302
    return client


def review_form(client):
    response = client.get(reverse("checkout:review"))
    assert response.status_code == 200
    html = response.content.decode()
    form = {}
    for name in ("token", "total", "currency"):
        start = html.index(f'name="{name}" value="') + len(f'name="{name}" value="')
        form[name] = html[start : html.index('"', start)]
    return response, form


def to_review(client, data=SHIPPING_DE, card="4242 4242 4242 4242"):
    assert client.post(reverse("checkout:details"), data).status_code == 302
    response = client.post(reverse("checkout:payment"), {"number": card, "expiry": "12/30", "cvc": "123"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return review_form(client)


def test_a_guest_buys_a_diamond_in_euros_and_sees_their_order(
    bag, diamond, mailoutbox, django_capture_on_commit_callbacks
):
    set_currency(bag, "EUR")
    response, form = to_review(bag)
    # 6,000 USD at 0.9634 = 5,780.40 EUR; German VAT 19 % = 1,098.28, EU import duty 2.5 % = 144.51 → 7,023.19
    assert form == {**form, "total": "7023.19", "currency": "EUR"}
    assert "€7,023.19" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        placed = bag.post(reverse("checkout:place"), form)
    order = Order.objects.get()
    assert placed.url == f"/order/{order.number}/?placed=1"
    page = bag.get(placed.url).content.decode()
    assert "Your order is confirmed" in page and order.number in page and "€7,023.19" in page
    assert order.status == Order.Status.PAID and order.email == "ada@example.com"
    assert order.total_amount == Decimal("7023.19") and order.currency == "EUR"
    assert order.payment_label == "Visa ending 4242"
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.SOLD
    assert bag.get(reverse("checkout:bag")).context["bag"].lines == []
    assert [m.subject for m in mailoutbox] == [f"Your Solitaire order {order.number}"]


def test_someone_else_cannot_see_the_order(bag, client_factory=None):
    _, form = to_review(bag)
    bag.post(reverse("checkout:place"), form)
    order = Order.objects.get()
    from django.test import Client

    assert Client().get(order.get_absolute_url()).status_code == 404
    stranger = UserFactory()
    other = Client()
    other.force_login(stranger)
    assert other.get(order.get_absolute_url()).status_code == 404


def test_the_same_review_page_submitted_twice_places_one_order(bag):
    _, form = to_review(bag)
    first = bag.post(reverse("checkout:place"), form)
    second = bag.post(reverse("checkout:place"), form)
    order = Order.objects.get()
    assert first.url.startswith(order.get_absolute_url())
    assert second.url == order.get_absolute_url()
    assert Payment.objects.count() == 1


def test_switching_currency_at_review_re_quotes_before_any_charge(bag):
    _, form = to_review(bag)
    set_currency(bag, "GBP")
    response = bag.post(reverse("checkout:place"), form, follow=True)
    assert not Order.objects.exists()
    assert "Your total has changed to £" in response.content.decode()
    _, fresh = review_form(bag)
    assert fresh["currency"] == "GBP"
    bag.post(reverse("checkout:place"), fresh)
    assert Order.objects.get().currency == "GBP"


@pytest.mark.parametrize("total", ["1.00", "0", "-7023.19", "abc", "1e9", ""])
def test_a_posted_total_is_never_charged(bag, total):
    _, form = to_review(bag)
    bag.post(reverse("checkout:place"), {**form, "total": total})
    assert not Order.objects.exists()


def test_a_declined_card_keeps_the_bag_and_says_why(bag, diamond):
    _, form = to_review(bag, card="4000 0000 0000 0002")
    response = bag.post(reverse("checkout:place"), form, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("checkout:payment")
    assert "Your card was declined." in html and "Your bag is saved" in html
    assert Order.objects.get().status == Order.Status.CANCELLED
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.AVAILABLE
    assert len(bag.get(reverse("checkout:bag")).context["bag"].lines) == 1


def test_an_unknown_card_is_refused_at_the_payment_step(bag):
    bag.post(reverse("checkout:details"), SHIPPING_DE)
    response = bag.post(reverse("checkout:payment"), {"number": "4111 1111 1111 1111", "expiry": "12/30", "cvc": "123"})
    assert response.status_code == 400
    assert "only the test cards work here" in response.content.decode()
    response = bag.post(reverse("checkout:payment"), {"number": "4242 4242 4242 4242", "expiry": "13/30", "cvc": "1"})
    html = response.content.decode()
    assert "Enter the expiry as MM/YY" in html and "Enter the 3 or 4 digits" in html
    assert bag.get(reverse("checkout:review")).url == reverse("checkout:payment")


def test_bank_authentication_completes_or_fails(bag, diamond):
    _, form = to_review(bag, card="4000 0025 0000 3155")
    response = bag.post(reverse("checkout:place"), form)
    order = Order.objects.get()
    assert response.url == reverse("checkout:authenticate", args=[order.number])
    page = bag.get(response.url).content.decode()
    assert "Your bank asks you to confirm" in page
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.RESERVED
    done = bag.post(response.url, {"outcome": "complete"})
    assert done.url == order.get_absolute_url() + "?placed=1"
    order.refresh_from_db()
    diamond.refresh_from_db()
    assert order.status == Order.Status.PAID and diamond.status == StoneStatus.SOLD


def test_failed_authentication_cancels_and_frees_the_stone(bag, diamond):
    _, form = to_review(bag, card="4000 0025 0000 3155")
    url = bag.post(reverse("checkout:place"), form).url
    response = bag.post(url, {"outcome": "fail"}, follow=True)
    assert "could not confirm this payment" in response.content.decode()
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.AVAILABLE
    assert Order.objects.get().status == Order.Status.CANCELLED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"shipping-postal_code": "ABC"}, "Enter a postal code for Germany, such as 10117."),
        ({"shipping-country": "US", "shipping-postal_code": "10001"}, "Choose the state."),
        (
            {"shipping-country": "US", "shipping-region": "CA-ON", "shipping-postal_code": "10001"},
            "Choose a state of United States.",
        ),
        ({"shipping-country": "ZZ"}, "We do not ship there yet."),
        ({"shipping-phone": "call me"}, "Enter a phone number with its area code"),
        ({"email": "not-an-email"}, "Enter an email address like ada@example.com."),
        ({"billing_same": "", "billing-name": ""}, "Enter the name of the person receiving it."),
    ],
)
def test_bad_details_are_refused_with_a_message(bag, changes, message):
    response = bag.post(reverse("checkout:details"), {**SHIPPING_DE, **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert bag.get(reverse("checkout:payment")).url == reverse("checkout:details")


def test_country_rules_write_postal_codes_as_the_post_does(bag):
    data = {
        **SHIPPING_DE,
        "shipping-country": "CA",
        "shipping-region": "CA-ON",
        "shipping-postal_code": "k1a0b1",
        "shipping-city": "Ottawa",
    }
    assert bag.post(reverse("checkout:details"), data).status_code == 302
    shipping = bag.session["checkout"]["shipping"]
    assert shipping["postal_code"] == "K1A 0B1" and shipping["region"] == "ON"


def test_checkout_with_an_empty_bag_goes_back_to_the_bag(client):
    assert client.get(reverse("checkout:details")).url == reverse("checkout:bag")
    assert client.get(reverse("checkout:review")).url == reverse("checkout:bag")


def test_steps_cannot_be_skipped(bag):
    assert bag.get(reverse("checkout:payment")).url == reverse("checkout:details")
    assert bag.get(reverse("checkout:review")).url == reverse("checkout:details")
    bag.post(reverse("checkout:details"), SHIPPING_DE)
    assert bag.get(reverse("checkout:review")).url == reverse("checkout:payment")


def test_a_signed_in_shopper_sees_the_order_in_their_history(client, diamond):
    user = UserFactory(email="grace@example.com")
    client.force_login(user)
    client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": diamond.sku})
    _, form = to_review(client, data={**SHIPPING_DE, "email": "grace@example.com"})
    client.post(reverse("checkout:place"), form)
    order = Order.objects.get()
    assert order.user == user
    history = client.get(reverse("order_history")).content.decode()
    assert order.number in history and "Paid" in history


def test_order_history_needs_sign_in(client):
    assert client.get(reverse("order_history")).status_code == 302


def test_order_history_costs_the_same_queries_for_many_orders(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    from tests.checkout.test_checkout_flow import make_order

    for _ in range(8):
        make_order(user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("order_history")).status_code == 200


def make_order(user):
    order = Order.objects.create(
        user=user,
        email=user.email,
        currency="USD",
        rate_per_usd=Decimal(1),
        subtotal_amount=Decimal("100.00"),
        total_amount=Decimal("100.00"),
        shipping_name="A",
        shipping_line1="B",
        shipping_city="C",
        shipping_country="US",
    )
    order.lines.create(
        kind="jewelry",
        description="Studs",
        unit_price_usd=Decimal(100),
        unit_amount=Decimal(100),
        line_amount=Decimal(100),
    )
    return order


@pytest.mark.parametrize("quantity", ["-1", "0", "1000000000", "1e3", "2.5", "", "11"])
def test_bad_quantities_are_refused_and_change_nothing(client, quantity):
    item = JewelryFactory(sku="J1", price=Decimal("500.00"), stock_count=5)
    client.post(reverse("checkout:bag_add"), {"kind": "jewelry", "ref": item.sku, "quantity": "2"})
    line = client.session["bag"]["lines"][0]
    response = client.post(reverse("checkout:bag_quantity"), {"line": line["id"], "quantity": quantity}, follow=True)
    assert "Choose a quantity from 1 to 10." in response.content.decode()
    assert client.session["bag"]["lines"][0]["quantity"] == 2
    if quantity:  # no quantity on "add to bag" means one
        client.post(reverse("checkout:bag_add"), {"kind": "jewelry", "ref": item.sku, "quantity": quantity})
        assert client.session["bag"]["lines"][0]["quantity"] == 2


def test_a_quantity_can_change_and_stock_is_taken_when_paid(client):
    item = JewelryFactory(sku="J1", price=Decimal("500.00"), stock_count=5)
    client.post(reverse("checkout:bag_add"), {"kind": "jewelry", "ref": item.sku})
    line = client.session["bag"]["lines"][0]
    client.post(reverse("checkout:bag_quantity"), {"line": line["id"], "quantity": "3"})
    _, form = to_review(client)
    client.post(reverse("checkout:place"), form)
    item.refresh_from_db()
    assert item.stock_count == 2
    assert Order.objects.get().lines.get().quantity == 3


def test_a_stone_has_no_quantity(bag):
    line = bag.session["bag"]["lines"][0]
    response = bag.post(reverse("checkout:bag_quantity"), {"line": line["id"], "quantity": "2"}, follow=True)
    assert "one of a kind" in response.content.decode()


def test_the_bag_follows_the_account_to_another_device(client, diamond):
    """Bag on the phone while signed in; later, a laptop with its own bag signs in: both are there, nothing twice."""
    user = UserFactory()
    studs = JewelryFactory(sku="J7", price=Decimal("900.00"), stock_count=3)
    phone = client
    phone.force_login(user)
    phone.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": diamond.sku})
    phone.post(reverse("checkout:bag_add"), {"kind": "jewelry", "ref": studs.sku})

    from django.test import Client

    laptop = Client()
    laptop.post(reverse("checkout:bag_add"), {"kind": "jewelry", "ref": studs.sku})
    laptop.force_login(user)
    lines = laptop.get(reverse("checkout:bag")).context["bag"].lines
    assert sorted(line.kind for line in lines) == ["diamond", "jewelry"]
    # And what the laptop now holds is what the account holds.
    assert len(user.saved_bag.lines) == 2


def test_paying_empties_the_account_s_bag_too(client, diamond):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": diamond.sku})
    _, form = to_review(client, data={**SHIPPING_DE, "email": user.email})
    client.post(reverse("checkout:place"), form)
    from checkout.models import SavedBag

    assert not SavedBag.objects.filter(user=user).exists()
