"""The split plan end to end at the service and task level: checkout, three months driven by the real Celery task
functions with a clock the test controls, against localstripe (the real stripe library) and the offline gateway;
declines, grace and default; a retry of a paid instalment; two workers; a worker killed mid-charge."""

import re
import threading
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from catalog.models import Diamond
from checkout import plans
from checkout.bag import bag_add_stone, bag_contents, bag_lines
from checkout.models import Installment, InstallmentPlan, Order, Payment
from checkout.money import Money
from checkout.payments import PaymentDeclined
from checkout.payments.offline import OfflineGateway
from checkout.payments.stripe_gateway import StripeGateway
from checkout.placing import CheckoutError, checkout_quote, order_place
from checkout.tasks import charge_due_instalments, default_overdue_plans, refresh_plan_holds
from tests.checkout.test_checkout_stripe import stripe_settings  # noqa: F401 - fixture
from tests.checkout.test_placing import ADDRESS, shopper
from tests.factories import DiamondFactory

US_NO_SALES_TAX = ("US", "OR")  # Oregon: the $6,000 ring costs exactly $6,000


def buy_on_the_plan(*, gateway, payment_method, customer="", brand="visa", price="6000.00", sku="PLAN1"):
    request = shopper("USD")
    bag_add_stone(request, stone=DiamondFactory(sku=sku, price=Decimal(price)))
    bag = bag_contents(request)
    country, region = US_NO_SALES_TAX
    expected = checkout_quote(bag=bag, country=country, region=region).total
    order = order_place(
        bag=bag,
        email="ada@example.com",
        address=ADDRESS,
        country=country,
        region=region,
        payment_method=payment_method,
        customer=customer,
        payment_label="Visa ending 4242",
        expected_total=expected,
        holder=f"checkout-{sku}",
        stored_lines=bag_lines(request),
        gateway=gateway,
        plan=True,
        card_brand=brand,
    )
    return order, InstallmentPlan.objects.get(order=order)


def at(day, hour=10):
    """A moment on `day` in the shop's time zone, as the beat tasks receive it."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo("America/New_York")).isoformat()


def figures(plan) -> tuple[str, str]:
    plan.refresh_from_db()
    return str(plans.plan_summary(plan)["paid"]), str(plan.held)


# --- Stripe (localstripe) ------------------------------------------------------------------------------------------
@pytest.fixture
def stripe_card(stripe_settings):  # noqa: F811
    gateway = StripeGateway()
    customer = gateway.create_customer("ada@example.com")

    def card(number):
        pm = gateway.client.v1.payment_methods.create(
            params={"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}}
        )
        gateway.client.v1.payment_methods.attach(pm.id, params={"customer": customer})
        return pm.id

    return gateway, customer, card


def intent(gateway, payment_id) -> dict:
    return gateway.client.v1.payment_intents.retrieve(payment_id).to_dict()


@pytest.mark.django_db
def test_a_six_thousand_dollar_ring_over_three_months_on_stripe(stripe_card, capsys):
    gateway, customer, card = stripe_card
    order, plan = buy_on_the_plan(gateway=gateway, payment_method=card("4242424242424242"), customer=customer)
    first_due = plan.instalments.get(number=1).due_on
    assert order.status == Order.Status.PAID and order.total == Money(Decimal("6000.00"), "USD")
    assert figures(plan) == ("$2,000.00", "$4,000.00")
    hold = intent(gateway, plan.hold_id)
    assert (hold["status"], hold["amount"]) == ("requires_capture", 400000)
    charge = intent(gateway, order.payments.get().gateway_id)
    assert (charge["status"], charge["amount"]) == ("succeeded", 200000)
    log = [("checkout", *figures(plan), hold["amount"])]

    # Day 4: the hold is re-authorized before it lapses (new hold first, then the old released).
    old_hold = plan.hold_id
    assert refresh_plan_holds.delay(now=at(first_due + timedelta(days=2))).get() == {}
    assert refresh_plan_holds.delay(now=at(first_due + timedelta(days=4))).get() == {str(plan.pk): "refreshed"}
    plan.refresh_from_db()
    assert plan.hold_id != old_hold and intent(gateway, old_hold)["status"] == "canceled"
    assert intent(gateway, plan.hold_id)["amount"] == 400000

    # Not due yet: nothing happens.
    assert charge_due_instalments.delay(now=at(first_due + timedelta(days=20))).get() == {}
    second = plan.instalments.get(number=2)
    assert charge_due_instalments.delay(now=at(second.due_on)).get() == {str(second.pk): "paid"}
    assert figures(plan) == ("$4,000.00", "$2,000.00")
    assert intent(gateway, plan.hold_id)["amount"] == 200000
    second.refresh_from_db()
    assert intent(gateway, second.gateway_id)["amount"] == 200000
    log.append(("month 2", *figures(plan), intent(gateway, plan.hold_id)["amount"]))

    # A second run the same day (another beat, a retry) charges nothing.
    assert charge_due_instalments.delay(now=at(second.due_on, 18)).get() == {}
    last_hold = plan.hold_id
    third = plan.instalments.get(number=3)
    assert charge_due_instalments.delay(now=at(third.due_on)).get() == {str(third.pk): "paid"}
    assert figures(plan) == ("$6,000.00", "$0.00")
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.COMPLETED and plan.hold_id == ""
    assert intent(gateway, last_hold)["status"] == "canceled"
    log.append(("month 3", *figures(plan), 0))
    charges = [intent(gateway, p.gateway_id)["amount"] for p in order.payments.order_by("pk")]
    assert charges == [200000, 200000, 200000]
    with capsys.disabled():
        for when, paid, held, stripe_hold in log:
            print(f"\n  $6,000 plan, {when}: paid {paid} / held {held} (localstripe hold {stripe_hold} cents)", end="")


@pytest.mark.django_db
def test_a_card_declined_at_a_monthly_charge_opens_grace_then_default(stripe_card, mailoutbox):
    gateway, customer, card = stripe_card
    _, plan = buy_on_the_plan(gateway=gateway, payment_method=card("4242424242424242"), customer=customer)
    # The card stops working (expired, blocked): 4000000000000341 declines at charge time.
    InstallmentPlan.objects.filter(pk=plan.pk).update(payment_method=card("4000000000000341"))
    second = plan.instalments.get(number=2)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert charge_due_instalments.delay(now=at(second.due_on)).get() == {str(second.pk): "failed"}
    plan.refresh_from_db()
    second.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.IN_GRACE and second.status == Installment.Status.FAILED
    assert figures(plan) == ("$2,000.00", "$4,000.00")  # the hold stays
    assert len(mail.outbox) == 1 and f"/account/plans/{plan.pk}/card/" in mail.outbox[0].body
    # The same day: no second attempt. Day 6: still in grace. Day 7: defaulted, for Customer service.
    assert charge_due_instalments.delay(now=at(second.due_on, 20)).get() == {str(second.pk): "tried today"}
    assert default_overdue_plans.delay(now=at(second.due_on + timedelta(days=6))).get() == {
        str(plan.pk): "grace running"
    }
    assert default_overdue_plans.delay(now=at(second.due_on + timedelta(days=7), 11)).get() == {
        str(plan.pk): "defaulted"
    }
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.DEFAULTED
    # The shopper updates the card; staff's "retry now" goes through the same path and the plan is back on track.
    InstallmentPlan.objects.filter(pk=plan.pk).update(payment_method=card("5555555555554444"))
    assert plans.plan_charge_instalment(instalment_id=second.pk, force=True) == "paid"
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.ACTIVE and figures(plan) == ("$4,000.00", "$2,000.00")
    assert [e.kind for e in plan.events.all()].count("failed") == 1


@pytest.mark.django_db
def test_a_retry_of_a_paid_instalment_charges_nothing(stripe_card):
    gateway, customer, card = stripe_card
    _, plan = buy_on_the_plan(gateway=gateway, payment_method=card("4242424242424242"), customer=customer)
    first = plan.instalments.get(number=1)
    before = len(gateway.client.v1.payment_intents.list(params={"limit": 100}).data)
    assert plans.plan_charge_instalment(instalment_id=first.pk, force=True) == "already paid"
    assert len(gateway.client.v1.payment_intents.list(params={"limit": 100}).data) == before


@pytest.mark.django_db
def test_a_worker_killed_mid_charge_and_run_again_charges_once(stripe_card, monkeypatch):
    gateway, customer, card = stripe_card
    _, plan = buy_on_the_plan(gateway=gateway, payment_method=card("4242424242424242"), customer=customer)
    second = plan.instalments.get(number=2)

    class Killed(BaseException):
        """The process dies: nothing after the gateway's answer runs."""

    real = plans._record_payment
    monkeypatch.setattr(plans, "_record_payment", lambda **kwargs: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        charge_due_instalments(now=at(second.due_on))
    second.refresh_from_db()
    assert second.status == Installment.Status.PENDING and second.charging_key  # the charge went through unrecorded
    monkeypatch.setattr(plans, "_record_payment", real)
    # localstripe ignores idempotency keys: without the lookup by key this run would charge a second time.
    assert charge_due_instalments(now=at(second.due_on, 11)) == {str(second.pk): "paid"}
    key = plans.charge_key(plan.pk, 2, 1)
    charged = [
        p
        for p in gateway.client.v1.payment_intents.list(params={"limit": 100}).data
        if (p.to_dict().get("metadata") or {}).get("idempotency_key") == key
    ]
    assert len(charged) == 1
    assert figures(plan) == ("$4,000.00", "$2,000.00")


@pytest.mark.django_db
def test_cancelling_the_order_releases_the_hold_and_refunds_what_was_paid(
    stripe_card, django_capture_on_commit_callbacks
):
    gateway, customer, card = stripe_card
    order, plan = buy_on_the_plan(gateway=gateway, payment_method=card("4242424242424242"), customer=customer)
    hold = plan.hold_id
    from checkout.orders import order_transition

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to_status=Order.Status.CANCELLED, message="Customer changed their mind.")
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.CANCELLED and plan.hold_minor == 0
    assert intent(gateway, hold)["status"] == "canceled"
    payment = order.payments.get()
    assert payment.status == Payment.Status.REFUNDED


@pytest.mark.django_db
def test_a_card_that_cannot_hold_the_balance_is_not_charged(stripe_card):
    gateway, customer, card = stripe_card
    diamond_sku = "PLANX"
    with pytest.raises(PaymentDeclined):
        buy_on_the_plan(gateway=gateway, payment_method=card("4000000000000341"), customer=customer, sku=diamond_sku)
    order = Order.objects.get()
    assert order.status == Order.Status.CANCELLED
    assert InstallmentPlan.objects.get().status == InstallmentPlan.Status.CANCELLED
    assert Diamond.objects.get(sku=diamond_sku).status == "available"
    assert not [
        p for p in gateway.client.v1.payment_intents.list(params={"limit": 100}).data if p.status == "succeeded"
    ]


# --- Bad input -----------------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("brand", "price", "message"),
    [
        ("discover", "6000.00", "need a Visa, Mastercard or American Express"),
        ("visa", "300.00", "for orders from $500.00 to $50,000.00"),
        ("visa", "80000.00", "for orders from $500.00 to $50,000.00"),
    ],
)
def test_a_tampered_plan_request_is_refused_before_anything_is_charged(brand, price, message):
    with pytest.raises(CheckoutError, match=re.escape(message)):
        buy_on_the_plan(gateway=OfflineGateway(), payment_method="pm_card_visa", brand=brand, price=price)
    assert not Order.objects.exists()


# --- Offline gateway: the demo runs the same plan ---------------------------------------------------------------------
@pytest.mark.django_db
def test_the_offline_gateway_runs_the_same_plan():
    order, plan = buy_on_the_plan(gateway=OfflineGateway(), payment_method="pm_card_visa")
    assert figures(plan) == ("$2,000.00", "$4,000.00")
    for number in (2, 3):
        instalment = plan.instalments.get(number=number)
        assert charge_due_instalments(now=at(instalment.due_on)) == {str(instalment.pk): "paid"}
    assert figures(plan) == ("$6,000.00", "$0.00")
    assert order.payments.filter(status=Payment.Status.SUCCEEDED).count() == 3


# --- Two workers, PostgreSQL ---------------------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_due_instalment_charge_once():
    from django.db import connections

    charged = []

    class Counting(OfflineGateway):
        def authorize(self, amount_minor, currency, **kwargs):
            result = super().authorize(amount_minor, currency, **kwargs)
            if kwargs.get("capture", True):
                charged.append(kwargs["idempotency_key"])
            return result

    _, plan = buy_on_the_plan(gateway=OfflineGateway(), payment_method="pm_card_visa")
    second = plan.instalments.get(number=2)
    barrier = threading.Barrier(2)
    outcomes = []

    def worker():
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                plans.plan_charge_instalment(
                    instalment_id=second.pk, gateway=Counting(), now=datetime.fromisoformat(at(second.due_on))
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    print(f"two workers: {sorted(outcomes)}, {len(charged)} charge")
    assert len(charged) == 1
    assert sorted(outcomes) in (["already paid", "paid"], ["being charged", "paid"])
    assert Payment.objects.filter(order=plan.order, status=Payment.Status.SUCCEEDED).count() == 2
