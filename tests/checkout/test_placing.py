"""Placing an order: quote, reserve, record, charge, sell; and every way it can stop without charging wrongly."""

from decimal import Decimal

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from catalog.models import Diamond
from checkout import inventory
from checkout.bag import bag_add_earrings, bag_add_jewelry, bag_add_ring, bag_add_stone, bag_contents, bag_lines
from checkout.inventory import StoneRef, StoneUnavailable
from checkout.models import Order, OrderEvent, Payment
from checkout.money import Money
from checkout.payments import PaymentActionRequired, PaymentDeclined, PaymentStateError
from checkout.payments.offline import OfflineGateway
from checkout.placing import CheckoutError, QuoteChanged, checkout_quote, order_place
from tests.factories import DiamondFactory, JewelryFactory, RingSettingFactory

pytestmark = pytest.mark.django_db

ADDRESS = {"name": "Ada Lovelace", "line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117"}


def shopper(currency="USD"):
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.currency = currency
    return request


def status(stone):
    stone.refresh_from_db()
    return stone.status


@pytest.fixture
def eur_bag():
    """A 6,000 USD diamond and two 990 USD studs, in euros: 5,780.40 + 2 × 953.77 = 7,687.94."""
    request = shopper("EUR")
    diamond = DiamondFactory(sku="D1", price=Decimal("6000.00"))
    bag_add_stone(request, stone=diamond)
    bag_add_jewelry(request, item=JewelryFactory(sku="J1", price=Decimal("990.00")), quantity=2)
    return request, diamond


def place(
    request, *, country="DE", expected=None, payment_method="pm_card_visa", holder="checkout-1", bag=None, **kwargs
):
    bag = bag if bag is not None else bag_contents(request)
    if expected is None:
        expected = checkout_quote(bag=bag, country=country).total
    return order_place(
        bag=bag,
        email="ada@example.com",
        address=ADDRESS,
        country=country,
        payment_method=payment_method,
        expected_total=expected,
        holder=holder,
        stored_lines=bag_lines(request),
        **kwargs,
    )


def test_a_paid_order_in_euros_records_what_the_shopper_saw_sells_the_stone_and_emails(
    eur_bag, mailoutbox, django_capture_on_commit_callbacks
):
    request, diamond = eur_bag
    bag = bag_contents(request)
    quote = checkout_quote(bag=bag, country="DE")
    assert bag.subtotal == Money(Decimal("7687.94"), "EUR")
    with django_capture_on_commit_callbacks(execute=True):
        order = place(request, expected=quote.total)

    assert order.status == Order.Status.PAID and order.currency == "EUR"
    assert order.rate_per_usd == Decimal("0.9634")
    assert order.subtotal_amount == Decimal("7687.94")
    assert order.tax_amount == quote.tax.taxes_and_duties.amount > 0  # German VAT on the goods
    assert order.total == quote.total == order.subtotal + order.tax
    assert order.shipping_country == "DE" and order.shipping_name == "Ada Lovelace" and order.delivered_by
    lines = list(order.lines.all())
    assert [(line.kind, line.line_amount) for line in lines] == [
        ("diamond", Decimal("5780.40")),
        ("jewelry", Decimal("1907.54")),
    ]
    assert lines[1].unit_amount == Decimal("953.77") and lines[1].quantity == 2
    assert lines[0].references["stones"] == [{"type": "diamond", "sku": "D1"}]
    assert sum(line.line_amount for line in lines) == order.subtotal_amount

    payment = order.payments.get()
    assert payment.status == Payment.Status.SUCCEEDED and payment.gateway == "offline"
    assert payment.amount_minor == quote.total.to_minor_units() and payment.currency == "EUR"
    assert payment.idempotency_key == f"{order.number}:charge:1"
    assert OfflineGateway().retrieve(payment.gateway_id).amount_minor == payment.amount_minor
    assert status(diamond) == "sold"
    assert [m.to for m in mailoutbox] == [["ada@example.com"]]
    assert order.number in mailoutbox[0].subject and str(order.total) in mailoutbox[0].body


def test_a_declined_card_sells_nothing_frees_the_stones_and_leaves_the_bag(eur_bag):
    request, diamond = eur_bag
    with pytest.raises(PaymentDeclined):
        place(request, payment_method="pm_card_chargeDeclined")
    order = Order.objects.get()
    assert order.status == Order.Status.CANCELLED
    assert order.payments.get().status == Payment.Status.FAILED
    assert order.events.filter(kind=OrderEvent.Kind.PAYMENT_FAILED).exists()
    assert status(diamond) == "available"
    assert len(bag_lines(request)) == 2  # the shopper may try another card

    again = place(request, holder="checkout-2")  # and it works
    assert again.status == Order.Status.PAID and status(diamond) == "sold"


def test_a_changed_total_re_quotes_before_anything_is_held_or_charged(eur_bag):
    request, diamond = eur_bag
    usd_total = checkout_quote(bag=bag_contents(shopper_with(request, "USD")), country="DE").total
    eur_total = checkout_quote(bag=bag_contents(request), country="DE").total
    with pytest.raises(QuoteChanged) as caught:
        place(request, expected=usd_total)  # the review page showed dollars; the shopper then switched to euros
    assert caught.value.total == eur_total
    with pytest.raises(QuoteChanged):
        place(request, expected=Money(eur_total.amount - Decimal("0.01"), "EUR"))
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert status(diamond) == "available" and diamond.reserved_by == ""


def shopper_with(request, currency):
    other = shopper(currency)
    other.session = request.session
    return other


def test_a_stone_sold_elsewhere_after_the_charge_is_refunded_automatically(eur_bag, monkeypatch, mailoutbox):
    request, _diamond = eur_bag
    real_sell = inventory.stones_sell

    def sold_meanwhile(*, refs, holder, now=None):
        Diamond.objects.filter(sku="D1").update(status="sold", reserved_by="", reserved_until=None)
        return real_sell(refs=refs, holder=holder, now=now)

    monkeypatch.setattr(inventory, "stones_sell", sold_meanwhile)
    with pytest.raises(StoneUnavailable, match="Sorry, this item has just been sold"):
        place(request)
    order = Order.objects.get()
    payment = order.payments.get()
    assert order.status == Order.Status.REFUNDED
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_minor == payment.amount_minor
    assert order.events.filter(kind=OrderEvent.Kind.REFUND).exists()
    with pytest.raises(PaymentStateError):  # the gateway has nothing left to refund
        OfflineGateway().refund(payment.gateway_id, idempotency_key="check")
    assert mailoutbox == []


def test_an_empty_bag_or_a_sold_stone_is_refused():
    with pytest.raises(CheckoutError, match="Your bag is empty"):
        place(shopper(), expected=Money(Decimal(0), "USD"))
    request = shopper()
    diamond = DiamondFactory(sku="D9")
    bag_add_stone(request, stone=diamond)
    Diamond.objects.filter(sku="D9").update(status="sold")
    with pytest.raises(CheckoutError, match="just been sold"):
        place(request, expected=Money(Decimal("6000.00"), "USD"))
    assert not Order.objects.exists()


def test_a_stone_held_by_another_checkout_is_refused_before_any_charge(eur_bag):
    request, diamond = eur_bag
    bag = bag_contents(request)
    quote = checkout_quote(bag=bag, country="DE")
    inventory.stones_reserve(refs=[StoneRef("diamond", "D1")], holder="someone-else")  # after the bag was priced
    with pytest.raises(StoneUnavailable, match="reserved in another shopper's checkout"):
        order_place(
            bag=bag,
            email="ada@example.com",
            address=ADDRESS,
            country="DE",
            payment_method="pm_card_visa",
            expected_total=quote.total,
            holder="checkout-1",
            stored_lines=bag_lines(request),
        )
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert diamond.__class__.objects.get(sku="D1").reserved_by == "someone-else"
    with pytest.raises(CheckoutError, match="reserved in another shopper"):  # and the bag now says so
        place(request, expected=quote.total)


def test_a_card_asking_for_authentication_keeps_the_hold(eur_bag):
    request, diamond = eur_bag
    with pytest.raises(PaymentActionRequired) as caught:
        place(request, payment_method="pm_card_authenticationRequired")
    assert caught.value.client_secret
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.REQUIRES_ACTION and payment.gateway_id == caught.value.payment_id
    assert payment.order.status == Order.Status.PLACED
    assert status(diamond) == "reserved" and diamond.reserved_by == "checkout-1"


def test_earrings_and_a_ring_reserve_and_sell_every_stone():
    request = shopper()
    left, right = DiamondFactory(sku="L1"), DiamondFactory(sku="R1")
    centre = DiamondFactory(sku="C1")
    bag_add_earrings(request, stones=[left, right], metal="14k_white")
    bag_add_ring(request, setting=RingSettingFactory(slug="solitaire"), metal="14k_white", size="6", stone=centre)
    bag = bag_contents(request)
    with pytest.raises(ValueError):  # without the stored lines the earrings' stones are unknown
        order_place(
            bag=bag,
            email="a@example.com",
            address=ADDRESS,
            country="US",
            payment_method="pm_card_visa",
            expected_total=bag.subtotal,
            holder="x",
        )
    assert not Order.objects.exists()
    order = place(request, country="US")
    assert order.status == Order.Status.PAID
    assert [status(s) for s in (left, right, centre)] == ["sold", "sold", "sold"]
    ring = order.lines.get(kind="ring")
    assert ring.references["setting"] == "solitaire" and ring.references["stones"] == [{"type": "diamond", "sku": "C1"}]


def test_a_paid_order_through_stripe(eur_bag, settings, localstripe_clean):
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_solitaire"
    settings.STRIPE_API_BASE = localstripe_clean
    request, diamond = eur_bag
    order = place(request)
    payment = order.payments.get()
    assert order.status == Order.Status.PAID and payment.gateway == "stripe"
    assert payment.gateway_id.startswith("pi_") and payment.status == Payment.Status.SUCCEEDED
    from checkout.payments.stripe_gateway import StripeGateway

    seen = StripeGateway().retrieve(payment.gateway_id)
    assert (seen.amount_minor, seen.currency, seen.status) == (order.total.to_minor_units(), "EUR", "succeeded")
    assert status(diamond) == "sold"


def test_offers_are_taken_off_before_tax_and_a_one_use_code_is_remembered(eur_bag):
    from datetime import timedelta

    from django.utils import timezone

    from checkout.models import Promotion, PromotionRedemption

    request, _diamond = eur_bag
    now = timezone.now()
    dates = {"kind": "percent_category", "starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=1)}
    Promotion.objects.create(name="Diamond days", percent=Decimal("10"), category="loose_diamonds", **dates)
    code = Promotion.objects.create(
        name="Studs", code="STUDS5", percent=Decimal("5"), category="jewelry", one_use_per_customer=True, **dates
    )
    bag = bag_contents(request)
    quote = checkout_quote(bag=bag, country="DE", email="ada@example.com", code="studs5")
    assert quote.discount == Money(Decimal("578.04") + Decimal("95.38"), "EUR")  # 10% of 5,780.40; 5% of 1,907.54
    order = place(request, expected=quote.total, code="studs5")
    assert order.discount == quote.discount and order.total == quote.total
    assert order.total_amount == order.subtotal_amount - order.discount_amount + order.tax_amount
    assert PromotionRedemption.objects.get().promotion == code

    request2 = shopper("EUR")
    bag_add_jewelry(request2, item=JewelryFactory(sku="J2"))
    with pytest.raises(CheckoutError, match="already used this code"):
        place(request2, expected=Money(Decimal(1), "EUR"), code="STUDS5")


# --- The whole purchase raced, on PostgreSQL -----------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_checkouts_place_orders_for_the_same_diamond_and_exactly_one_is_paid():
    """Twenty shoppers with the same diamond in their bags press "place order" at the same moment: one order is
    paid, nineteen are told it has just been sold, and only one card is charged."""
    import threading

    from django.db import connections

    DiamondFactory(sku="RACE", price=Decimal("5000.00"))
    bags = []
    for _ in range(20):
        request = shopper("EUR")
        bag_add_stone(request, stone=Diamond.objects.get(sku="RACE"))
        bags.append(request)
    expected = checkout_quote(bag=bag_contents(bags[0]), country="DE").total
    charged: list[str] = []

    class CountingGateway(OfflineGateway):
        def authorize(self, *args, **kwargs):
            result = super().authorize(*args, **kwargs)
            charged.append(result.id)
            return result

    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def checkout(n):
        try:
            bag = bag_contents(bags[n])
            barrier.wait(timeout=10)
            place(bags[n], expected=expected, holder=f"checkout-{n}", gateway=CountingGateway(), bag=bag)
            outcome = "paid"
        except StoneUnavailable:
            outcome = "sorry"
        except Exception as exc:
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=checkout, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    print(f"20 checkouts: {outcomes.count('paid')} paid, {outcomes.count('sorry')} sorry, {len(charged)} charged")
    assert sorted(set(outcomes)) == ["paid", "sorry"] and outcomes.count("paid") == 1, outcomes
    assert len(charged) == 1
    assert Order.objects.filter(status=Order.Status.PAID).count() == 1
    assert Diamond.objects.get(sku="RACE").status == "sold"
