"""Refunds: in full or in part, through the gateway the order was paid with, recorded once, refused with nothing
written when the amount is wrong; the offline gateway, then Stripe through the real library against localstripe."""

from decimal import Decimal

import pytest

from checkout.models import Order, OrderEvent, Payment
from checkout.money import Money
from checkout.orders import order_transition
from checkout.payments import GatewayError, PaymentStateError
from checkout.payments.offline import OfflineGateway
from checkout.refunds import RefundError, order_refund, refundable

pytestmark = pytest.mark.django_db

TOTAL = Decimal("5680.60")


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def paid_order(*, gateway=None, status=Order.Status.PAID, total=TOTAL, email="ada@example.com") -> Order:
    """An order paid in euros by card at `gateway` (the offline one unless told), as checkout leaves it."""
    gateway = gateway or OfflineGateway()
    order = Order.objects.create(
        email=email,
        currency="EUR",
        rate_per_usd=Decimal("0.9634"),
        subtotal_amount=total,
        total_amount=total,
        shipping_name="Ada Lovelace",
        shipping_line1="Unter den Linden 1",
        shipping_city="Berlin",
        shipping_country="DE",
    )
    amount = Money(total, "EUR")
    key = f"{order.number}:charge:1"
    result = gateway.authorize(amount.to_minor_units(), "EUR", payment_method="pm_card_visa", idempotency_key=key)
    Payment.objects.create(
        order=order,
        gateway=gateway.name,
        gateway_id=result.id,
        status=Payment.Status.SUCCEEDED,
        amount_minor=amount.to_minor_units(),
        currency="EUR",
        idempotency_key=key,
    )
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


def refund_events(order):
    return list(order.events.filter(kind=OrderEvent.Kind.REFUND).values_list("message", "staff_user"))


@pytest.fixture
def gateway_keys(monkeypatch):
    """The idempotency keys the offline gateway was asked to refund with (it still refunds)."""
    keys = []
    real = OfflineGateway.refund

    def refund(self, payment_id, amount_minor=None, *, idempotency_key):
        keys.append(idempotency_key)
        return real(self, payment_id, amount_minor, idempotency_key=idempotency_key)

    monkeypatch.setattr(OfflineGateway, "refund", refund)
    return keys


# --- Offline gateway -------------------------------------------------------------------------------------------------
def test_a_full_refund_refunds_everything_and_moves_the_order(
    admin_user, gateway_keys, mailoutbox, django_capture_on_commit_callbacks
):
    order = paid_order()
    with django_capture_on_commit_callbacks(execute=True):
        refund = order_refund(order_id=order.pk, by=admin_user, reason="Returned within 30 days")
    assert refund.amount == eur("5680.60") and refund.fully_refunded and len(refund.refund_ids) == 1
    assert gateway_keys == [f"{order.number}:refund:1"]
    payment = order.payments.get()
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_minor == payment.amount_minor == 568060
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and refund.order.status == Order.Status.REFUNDED
    assert refund_events(order) == [
        (f"Refunded €5,680.60 ({refund.refund_ids[0]}): Returned within 30 days", admin_user.pk)
    ]
    moved = order.events.get(kind=OrderEvent.Kind.STATUS_CHANGED)
    assert (moved.from_status, moved.to_status, moved.staff_user) == ("paid", "refunded", admin_user)
    assert refundable(order) == eur("0.00")
    with pytest.raises(PaymentStateError):  # the gateway has nothing left either
        OfflineGateway().refund(payment.gateway_id, idempotency_key="check")
    [message] = mailoutbox
    assert message.to == ["ada@example.com"] and "€5,680.60" in message.body


def test_partial_refunds_then_the_rest(admin_user, gateway_keys, mailoutbox, django_capture_on_commit_callbacks):
    order = paid_order(status=Order.Status.SHIPPED)
    with django_capture_on_commit_callbacks(execute=True):
        first = order_refund(order_id=order.pk, amount=eur("100.00"), by=admin_user, reason="Goodwill")
    assert first.amount == eur("100.00") and not first.fully_refunded
    payment = order.payments.get()
    assert payment.status == Payment.Status.PARTIALLY_REFUNDED and payment.refunded_minor == 10000
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED  # a partial refund does not change the order's status
    assert refundable(order) == eur("5580.60")
    [partial] = mailoutbox
    assert "AMOUNT REFUNDED: €100.00" in partial.body and "part of your order" in partial.body

    with django_capture_on_commit_callbacks(execute=True):
        rest = order_refund(order_id=order.pk, by=admin_user)
    assert rest.amount == eur("5580.60") and rest.fully_refunded
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_minor == 568060
    assert order.status == Order.Status.REFUNDED
    assert gateway_keys == [f"{order.number}:refund:1", f"{order.number}:refund:2"]
    assert [m for m, _ in refund_events(order)] == [
        f"Refunded €100.00 ({first.refund_ids[0]}): Goodwill",
        f"Refunded €5,580.60 ({rest.refund_ids[0]}).",
    ]
    assert len(mailoutbox) == 2 and "AMOUNT REFUNDED: €5,680.60" in mailoutbox[1].body  # in all, once it is all back


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (eur("5680.61"), "Only €5,680.60 is left to refund on this order."),
        (eur("0"), "Enter an amount above zero."),
        (eur("-1"), "Enter an amount above zero."),
        (eur("1.234"), "EUR amounts have at most 2 decimals."),
        (Money(Decimal("10"), "USD"), "This order was paid in EUR; enter the refund in EUR."),
    ],
)
def test_a_wrong_amount_is_refused_with_nothing_written(amount, message, gateway_keys, mailoutbox):
    order = paid_order()
    with pytest.raises(RefundError) as refused:
        order_refund(order_id=order.pk, amount=amount)
    assert refused.value.message == message
    assert gateway_keys == []
    payment = order.payments.get()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.SUCCEEDED, 0)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and not order.events.exists() and mailoutbox == []


def test_more_than_is_left_after_a_partial_refund_is_refused(gateway_keys):
    order = paid_order()
    order_refund(order_id=order.pk, amount=eur("5000.00"))
    with pytest.raises(RefundError, match=r"Only €680\.60 is left"):
        order_refund(order_id=order.pk, amount=eur("680.61"))
    assert len(gateway_keys) == 1 and order.payments.get().refunded_minor == 500000


def test_a_second_refund_after_a_full_one_is_refused(gateway_keys):
    order = paid_order()
    order_refund(order_id=order.pk)
    events = order.events.count()
    for amount in (None, eur("1.00")):
        with pytest.raises(RefundError, match="has been refunded in full already"):
            order_refund(order_id=order.pk, amount=amount)
    assert len(gateway_keys) == 1 and order.events.count() == events


def test_an_order_without_a_successful_payment_has_nothing_to_refund(gateway_keys):
    order = paid_order()
    Payment.objects.filter(order=order).update(status=Payment.Status.FAILED)
    with pytest.raises(RefundError, match="has no payment to refund"):
        order_refund(order_id=order.pk)
    assert gateway_keys == [] and not order.events.exists()


def test_a_refund_made_at_the_gateway_but_not_recorded_is_recorded_once_on_retry(gateway_keys):
    order = paid_order()
    payment = order.payments.get()
    # The first attempt reached the gateway, then the process died before recording it.
    lost = OfflineGateway().refund(payment.gateway_id, 2500, idempotency_key=f"{order.number}:refund:1")
    refund = order_refund(order_id=order.pk, amount=eur("25.00"))
    assert refund.refund_ids == (lost,)  # the same key: the gateway answered with the first refund
    payment.refresh_from_db()
    assert payment.refunded_minor == 2500
    refund_again = order_refund(order_id=order.pk, amount=eur("25.00"))  # a new refund gets a new key
    assert refund_again.refund_ids != (lost,) and gateway_keys[-1] == f"{order.number}:refund:2"
    payment.refresh_from_db()
    assert payment.refunded_minor == 5000 and len(refund_events(order)) == 2


def test_a_gateway_failure_records_no_refund_and_says_so(monkeypatch, mailoutbox):
    order = paid_order()

    def down(self, payment_id, amount_minor=None, *, idempotency_key):
        raise GatewayError("Connection reset by peer")

    monkeypatch.setattr(OfflineGateway, "refund", down)
    with pytest.raises(RefundError) as refused:
        order_refund(order_id=order.pk, amount=eur("10.00"))
    assert refused.value.message == (
        "The refund of €10.00 failed at the gateway, which did not answer clearly (Connection reset by peer). "
        "Try again: a retry cannot refund twice."
    )
    payment = order.payments.get()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.SUCCEEDED, 0)
    assert refund_events(order) == []
    assert order.events.get(kind=OrderEvent.Kind.NOTE).message.startswith("The refund of €10.00 failed at the gateway")


def test_a_payment_for_a_cancelled_order_is_refunded_and_the_order_stays_cancelled(
    mailoutbox, django_capture_on_commit_callbacks
):
    order = paid_order(status=Order.Status.PLACED)
    order_transition(order=order, to_status=Order.Status.CANCELLED)  # the money arrived after the cancellation
    with django_capture_on_commit_callbacks(execute=True):
        refund = order_refund(order_id=order.pk, reason="Paid after cancelling")
    assert refund.fully_refunded
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.payments.get().status == Payment.Status.REFUNDED
    [message] = mailoutbox
    assert "AMOUNT REFUNDED: €5,680.60" in message.body


def test_the_payments_gateway_is_used_whatever_the_shop_uses_now(settings, gateway_keys):
    order = paid_order()
    settings.PAYMENT_GATEWAY = "stripe"  # the shop moved to Stripe; this order was paid offline
    settings.STRIPE_SECRET_KEY = ""
    order_refund(order_id=order.pk, amount=eur("1.00"))
    assert gateway_keys == [f"{order.number}:refund:1"]


# --- Stripe, against localstripe -------------------------------------------------------------------------------------
@pytest.fixture
def stripe_gateway(settings, localstripe_clean):
    from checkout.payments.stripe_gateway import StripeGateway

    settings.STRIPE_SECRET_KEY = "sk_test_solitaire"
    settings.STRIPE_API_BASE = localstripe_clean
    return StripeGateway()


def test_stripe_refunds_in_part_then_in_full(stripe_gateway, admin_user):
    order = paid_order(gateway=stripe_gateway)
    payment = order.payments.get()
    assert payment.gateway == "stripe" and payment.gateway_id.startswith("pi_")

    first = order_refund(order_id=order.pk, amount=eur("100.00"), by=admin_user, reason="Goodwill")
    seen = stripe_gateway.client.v1.refunds.retrieve(first.refund_ids[0])
    assert seen.amount == 10000 and seen.currency.upper() == "EUR"
    assert seen.to_dict()["metadata"]["idempotency_key"] == f"{order.number}:refund:1"
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.PARTIALLY_REFUNDED, 10000)

    rest = order_refund(order_id=order.pk, by=admin_user)
    assert rest.amount == eur("5580.60") and rest.fully_refunded
    refunds = stripe_gateway.client.v1.refunds.list(params={"payment_intent": payment.gateway_id}).data
    assert sorted(r.amount for r in refunds) == [10000, 558060]
    intent = stripe_gateway.client.v1.payment_intents.retrieve(payment.gateway_id, params={"expand": ["latest_charge"]})
    assert intent.to_dict()["latest_charge"]["amount_refunded"] == 568060
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.REFUNDED, 568060)
    assert order.status == Order.Status.REFUNDED

    with pytest.raises(RefundError, match="refunded in full already"):
        order_refund(order_id=order.pk)


def test_stripe_refusing_a_refund_records_nothing(stripe_gateway):
    order = paid_order(gateway=stripe_gateway)
    payment = order.payments.get()
    # Refunded in Stripe's dashboard, outside the shop: the shop still thinks it is all there.
    stripe_gateway.refund(payment.gateway_id, idempotency_key="dashboard")
    with pytest.raises(RefundError, match="failed at the gateway, which refused it: Cannot refund 1000"):
        order_refund(order_id=order.pk, amount=eur("10.00"))
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.SUCCEEDED, 0)
    assert refund_events(order) == []
