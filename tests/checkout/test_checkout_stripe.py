"""Checkout through Stripe's protocol: the real stripe library against localstripe (conftest.py). The browser's part
(Stripe.js confirming the SetupIntent) is played by the same HTTP call localstripe's fake Stripe.js makes; the
browser test in tests/e2e drives the real page. Then the webhook: signatures, duplicates, any order, and events sent
by localstripe itself to a live server."""

import hashlib
import hmac
import json
import re
import time
from decimal import Decimal
from http.client import HTTPConnection
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from catalog.grades import StoneStatus
from checkout.models import Order, OrderEvent, Payment, WebhookEvent
from checkout.payments.stripe_gateway import StripeGateway
from tests.checkout.test_checkout_flow import SHIPPING_DE, review_form
from tests.factories import DiamondFactory

WEBHOOK_SECRET = "whsec_test_checkout"


@pytest.fixture
def stripe_settings(settings, localstripe_clean):
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_checkout"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_checkout"
    settings.STRIPE_API_BASE = localstripe_clean
    settings.STRIPE_JS_URL = f"{localstripe_clean}/js.stripe.com/v3/"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return settings


def _post_json(base: str, path: str, body: dict) -> dict:
    parts = urlsplit(base)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return json.loads(response.read() or b"{}")
    finally:
        connection.close()


def confirm_card_setup(base: str, client_secret: str, number: str) -> dict:
    """What stripe.confirmCardSetup() sends from the browser (localstripe's fake Stripe.js), then the "Complete
    authentication" answer when the bank asks."""
    setup_id = client_secret.split("_secret_")[0]
    card = {"number": number, "exp_month": "12", "exp_year": "34", "cvc": "123"}
    body = {"key": "pk_test_checkout", "use_stripe_sdk": True, "client_secret": client_secret}
    result = _post_json(
        base, f"/v1/setup_intents/{setup_id}/confirm", {**body, "payment_method_data": {"type": "card", "card": card}}
    )
    if result.get("status") == "requires_action":
        result = _post_json(base, f"/v1/setup_intents/{setup_id}/confirm", body)
    return result


def stripe_checkout(client, base: str, number: str = "4242424242424242"):
    """Details, then the payment page (a SetupIntent), the card confirmed as the browser would, then review."""
    assert client.post(reverse("checkout:details"), SHIPPING_DE).status_code == 302
    page = client.get(reverse("checkout:payment"))
    html = page.content.decode()
    secret = re.search(r'data-client-secret="([^"]+)"', html).group(1)
    assert 'data-stripe-key="pk_test_checkout"' in html
    csp = page.headers["Content-Security-Policy"]
    assert base in csp  # Stripe.js (here: localstripe's) may load and call its API
    setup = confirm_card_setup(base, secret, number)
    assert setup["status"] == "succeeded", setup
    response = client.post(reverse("checkout:payment"), {"setup_intent": setup["id"]})
    assert response.status_code == 302 and response.url == reverse("checkout:review"), response.content[:500]
    return review_form(client)


@pytest.fixture
def diamond():
    return DiamondFactory(sku="S100", price=Decimal("6000.00"))


@pytest.fixture
def shopper(client, diamond):
    client.post(reverse("set_currency"), {"currency": "EUR"})
    client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": diamond.sku})
    return client


@pytest.mark.django_db
def test_a_purchase_in_euros_through_stripe(shopper, stripe_settings, localstripe_clean, diamond):
    response, form = stripe_checkout(shopper, localstripe_clean)
    assert "Visa ending 4242" in response.content.decode()
    placed = shopper.post(reverse("checkout:place"), form)
    order = Order.objects.get()
    assert placed.url == order.get_absolute_url() + "?placed=1"
    assert order.status == Order.Status.PAID and order.total_amount == Decimal(form["total"])
    payment = order.payments.get()
    gateway = StripeGateway()
    intent = gateway.client.v1.payment_intents.retrieve(payment.gateway_id).to_dict()
    # What Stripe charged is exactly what the review page showed, in minor units of the order's currency.
    assert (intent["status"], intent["amount"], intent["currency"]) == ("succeeded", 702319, "eur")
    assert intent["metadata"] == {"order": order.number}
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.SOLD


@pytest.mark.django_db
def test_a_card_declined_at_charge_time_keeps_the_bag(shopper, stripe_settings, localstripe_clean, diamond):
    _, form = stripe_checkout(shopper, localstripe_clean, number="4000000000000341")
    response = shopper.post(reverse("checkout:place"), form, follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:payment")
    assert "declined" in response.content.decode()
    assert Order.objects.get().status == Order.Status.CANCELLED
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.AVAILABLE
    assert shopper.get(reverse("checkout:bag")).context["bag"].lines


@pytest.mark.django_db
def test_a_card_declined_when_saved_never_reaches_review(shopper, stripe_settings, localstripe_clean):
    shopper.post(reverse("checkout:details"), SHIPPING_DE)
    html = shopper.get(reverse("checkout:payment")).content.decode()
    secret = re.search(r'data-client-secret="([^"]+)"', html).group(1)
    result = confirm_card_setup(localstripe_clean, secret, "4000000000000002")
    assert result.get("status") != "succeeded"
    # A tampered post of that (unconfirmed) setup is refused.
    response = shopper.post(reverse("checkout:payment"), {"setup_intent": secret.split("_secret_")[0]})
    assert response.status_code == 400 and "could not be saved" in response.content.decode()
    response = shopper.post(reverse("checkout:payment"), {"setup_intent": "seti_someone_elses"})
    assert response.status_code == 400
    assert shopper.get(reverse("checkout:review")).url == reverse("checkout:payment")


# --- Webhooks ---------------------------------------------------------------------------------------------------
def signed(body: bytes, *, secret=WEBHOOK_SECRET, timestamp=None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def event(kind: str, obj: dict, event_id: str = "evt_1") -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": kind, "data": {"object": obj}}).encode()


def deliver(body: bytes, signature: str | None = None):
    headers = {} if signature == "" else {"HTTP_STRIPE_SIGNATURE": signature or signed(body)}
    return Client().post(reverse("checkout:stripe_webhook"), body, content_type="application/json", **headers)


@pytest.fixture
def awaiting(shopper, stripe_settings, localstripe_clean, diamond):
    """An order whose payment waits for 3-D Secure: the stone is reserved, nothing is paid yet."""
    _, form = stripe_checkout(shopper, localstripe_clean, number="4000002500003155")
    response = shopper.post(reverse("checkout:place"), form)
    order = Order.objects.get()
    assert response.url == reverse("checkout:authenticate", args=[order.number])
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.RESERVED
    return order


def intent_of(order, **changes):
    payment = order.payments.get()
    return {
        "id": payment.gateway_id,
        "object": "payment_intent",
        "amount": payment.amount_minor,
        "currency": payment.currency.lower(),
        "metadata": {"order": order.number},
        **changes,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    [
        pytest.param("", id="missing"),
        pytest.param("t=1,v1=deadbeef", id="garbage"),
        pytest.param("WRONG", id="malformed"),
        pytest.param(None, id="wrong-secret"),
        pytest.param("old", id="old-timestamp"),
    ],
)
def test_a_webhook_without_a_good_signature_gets_400_and_writes_nothing(awaiting, signature):
    body = event("payment_intent.succeeded", intent_of(awaiting, status="succeeded"))
    if signature is None:
        signature = signed(body, secret="whsec_other")
    elif signature == "old":
        signature = signed(body, timestamp=int(time.time()) - 3600)
    events_before = OrderEvent.objects.count()
    response = deliver(body, signature)
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    assert OrderEvent.objects.count() == events_before
    awaiting.refresh_from_db()
    assert awaiting.status == Order.Status.PLACED


@pytest.mark.django_db
def test_a_succeeded_event_pays_the_order_once_however_often_it_comes(awaiting, diamond, mailoutbox):
    StripeGateway().client.v1.payment_intents.retrieve(awaiting.payments.get().gateway_id)  # it exists at Stripe
    body = event("payment_intent.succeeded", intent_of(awaiting, status="succeeded"))
    first = deliver(body)
    assert first.status_code == 200 and first.content == b"paid"
    second = deliver(body)
    assert second.status_code == 200 and second.content == b"Already processed."
    # The same news in a new event (Stripe may send both) changes nothing either.
    third = deliver(event("payment_intent.succeeded", intent_of(awaiting, status="succeeded"), event_id="evt_2"))
    assert third.status_code == 200
    awaiting.refresh_from_db()
    diamond.refresh_from_db()
    assert awaiting.status == Order.Status.PAID and diamond.status == StoneStatus.SOLD
    assert awaiting.events.filter(kind=OrderEvent.Kind.PAYMENT_SUCCEEDED).count() == 1
    assert WebhookEvent.objects.count() == 2


@pytest.mark.django_db
def test_a_late_failure_after_a_success_is_ignored(awaiting):
    deliver(event("payment_intent.succeeded", intent_of(awaiting, status="succeeded"), event_id="evt_ok"))
    deliver(event("payment_intent.payment_failed", intent_of(awaiting, status="requires_payment_method"), "evt_no"))
    awaiting.refresh_from_db()
    assert awaiting.status == Order.Status.PAID


@pytest.mark.django_db
def test_a_failure_cancels_the_order_and_frees_the_stone(awaiting, diamond):
    body = event("payment_intent.payment_failed", intent_of(awaiting, status="requires_payment_method"))
    assert deliver(body).content == b"failed"
    awaiting.refresh_from_db()
    diamond.refresh_from_db()
    assert awaiting.status == Order.Status.CANCELLED and diamond.status == StoneStatus.AVAILABLE


@pytest.mark.django_db
def test_an_event_for_an_amount_that_was_not_charged_does_not_pay(awaiting):
    body = event("payment_intent.succeeded", intent_of(awaiting, status="succeeded", amount=100))
    assert deliver(body).content == b"amount mismatch"
    awaiting.refresh_from_db()
    assert awaiting.status == Order.Status.PLACED


@pytest.mark.django_db
def test_unknown_payments_and_other_events_are_acknowledged(stripe_settings):
    assert deliver(event("payment_intent.succeeded", {"id": "pi_nobody", "amount": 1, "currency": "usd"})).content == (
        b"unknown payment"
    )
    assert deliver(event("customer.created", {"id": "cus_1"}, event_id="evt_c")).content == b"ignored"


@pytest.mark.django_db
def test_a_refund_made_in_stripe_is_written_to_the_order(awaiting):
    deliver(event("payment_intent.succeeded", intent_of(awaiting, status="succeeded"), event_id="evt_ok"))
    payment = awaiting.payments.get()
    charge = {"id": "ch_1", "object": "charge", "payment_intent": payment.gateway_id, "amount_refunded": 10000}
    assert deliver(event("charge.refunded", charge, event_id="evt_r1")).content == b"refund recorded"
    assert deliver(event("charge.refunded", charge, event_id="evt_r2")).content == b"already recorded"
    payment.refresh_from_db()
    assert payment.refunded_minor == 10000 and payment.status == Payment.Status.PARTIALLY_REFUNDED


@pytest.mark.django_db
def test_the_shopper_back_from_3d_secure_finds_the_order_paid(awaiting, shopper, localstripe_clean, diamond):
    payment = awaiting.payments.get()
    intent = StripeGateway().client.v1.payment_intents.retrieve(payment.gateway_id)
    assert intent.status == "requires_action"
    # What stripe.confirmCardPayment() does in the browser when the shopper completes the bank's page.
    _post_json(
        localstripe_clean,
        f"/v1/payment_intents/{payment.gateway_id}/_authenticate?success=true",
        {"key": "pk_test_checkout", "client_secret": intent.client_secret},
    )
    response = shopper.post(reverse("checkout:authenticate", args=[awaiting.number]))
    assert response.url == awaiting.get_absolute_url() + "?placed=1"
    awaiting.refresh_from_db()
    diamond.refresh_from_db()
    assert awaiting.status == Order.Status.PAID and diamond.status == StoneStatus.SOLD


# PostgreSQL: the live server answers localstripe's webhook while this thread makes requests; SQLite's shared
# in-memory test database cannot take two connections at once.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_localstripe_s_own_webhook_pays_the_order_when_the_shopper_never_comes_back(
    live_server, stripe_settings, localstripe_clean
):
    """The shopper completes 3-D Secure and closes the tab: Stripe's payment_intent.succeeded, signed and sent over
    HTTP by localstripe to the running site, is what marks the order paid and the stone sold."""
    diamond = DiamondFactory(sku="W100", price=Decimal("6000.00"))
    _post_json(
        localstripe_clean,
        "/_config/webhooks/solitaire",
        {"url": f"{live_server.url}/stripe/webhook/", "secret": WEBHOOK_SECRET},
    )
    client = Client()
    client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": diamond.sku})
    _, form = stripe_checkout(client, localstripe_clean, number="4000002500003155")
    client.post(reverse("checkout:place"), form)
    order = Order.objects.get()
    payment = order.payments.get()
    intent = StripeGateway().client.v1.payment_intents.retrieve(payment.gateway_id)
    _post_json(
        localstripe_clean,
        f"/v1/payment_intents/{payment.gateway_id}/_authenticate?success=true",
        {"key": "pk_test_checkout", "client_secret": intent.client_secret},
    )
    deadline = time.monotonic() + 15
    seen = WebhookEvent.objects.filter(type="payment_intent.succeeded")
    while time.monotonic() < deadline:
        order.refresh_from_db()
        # The event id is stored after the work (webhooks.py), so wait for both.
        if order.status == Order.Status.PAID and seen.exists():
            break
        time.sleep(0.2)
    assert order.status == Order.Status.PAID
    diamond.refresh_from_db()
    assert diamond.status == StoneStatus.SOLD
    assert WebhookEvent.objects.filter(type="payment_intent.succeeded").exists()


@pytest.mark.django_db
def test_a_webhook_for_an_unknown_plan_is_ignored_with_a_log_line(stripe_settings, caplog):
    obj = {"id": "pi_x", "amount": 100, "currency": "usd", "metadata": {"kind": "instalment", "plan": "99999"}}
    response = deliver(event("payment_intent.succeeded", obj, event_id="evt_plan"))
    assert response.status_code == 200 and response.content == b"unknown plan: ignored"
    assert "names unknown plan '99999'" in caplog.text
    assert not Payment.objects.exists()
