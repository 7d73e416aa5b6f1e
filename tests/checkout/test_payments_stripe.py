"""The Stripe gateway, driven through the real stripe library against a real localstripe process (conftest.py).

localstripe ignores idempotency keys, so the tests that a key is sent read the request headers through a small
recording proxy between the library and localstripe; that a key prevents a second charge is the offline gateway's
test (test_payments_offline.py) and Stripe's own promise."""

import hashlib
import hmac
import json
import threading
import time
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from checkout.payments import (
    CANCELED,
    REQUIRES_CAPTURE,
    SUCCEEDED,
    Gateway,
    GatewayError,
    InvalidWebhook,
    PaymentActionRequired,
    PaymentDeclined,
    PaymentStateError,
    get_gateway,
)
from checkout.payments.stripe_gateway import StripeGateway

WEBHOOK_SECRET = "whsec_test_solitaire"


@pytest.fixture
def gateway(localstripe_clean):
    return StripeGateway(secret_key="sk_test_solitaire", api_base=localstripe_clean, webhook_secret=WEBHOOK_SECRET)


def _card(gateway, number):
    """A PaymentMethod for a raw test card number, as Stripe.js would create it in the browser."""
    card = {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    return gateway.client.v1.payment_methods.create(params={"type": "card", "card": card}).id


def _charge_of(gateway, payment_id):
    intent = gateway.client.v1.payment_intents.retrieve(payment_id, params={"expand": ["latest_charge"]})
    return intent.to_dict()["latest_charge"]


# --- configuration ---------------------------------------------------------------------------------------------


def test_get_gateway_builds_the_stripe_gateway_from_settings(settings, localstripe_clean):
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_solitaire"
    settings.STRIPE_API_BASE = localstripe_clean
    gateway = get_gateway()
    assert isinstance(gateway, StripeGateway)
    assert isinstance(gateway, Gateway)
    assert gateway.test_mode is True
    assert gateway.create_customer("ada@example.com").startswith("cus_")


def test_the_stripe_gateway_needs_a_secret_key(settings):
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        get_gateway()


# --- charges and holds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("amount_minor", "currency"), [(333334, "EUR"), (1250, "USD"), (98000, "HKD")])
def test_a_charge_succeeds_with_the_exact_amount_and_currency(gateway, amount_minor, currency):
    result = gateway.authorize(
        amount_minor, currency, payment_method="pm_card_visa", idempotency_key="order-1", metadata={"order": "1"}
    )
    assert result.status == SUCCEEDED
    assert (result.amount_minor, result.currency) == (amount_minor, currency)
    assert result.id.startswith("pi_") and result.client_secret
    assert gateway.retrieve(result.id) == result
    stored = gateway.client.v1.payment_intents.retrieve(result.id).to_dict()
    assert (stored["amount"], stored["currency"], stored["metadata"]) == (
        amount_minor,
        currency.lower(),
        {"order": "1"},
    )
    assert _charge_of(gateway, result.id)["amount"] == amount_minor


def test_a_hold_is_captured_in_full(gateway):
    hold = gateway.authorize(600000, "USD", payment_method="pm_card_visa", capture=False, idempotency_key="hold-1")
    assert hold.status == REQUIRES_CAPTURE
    assert _charge_of(gateway, hold.id)["captured"] is False
    captured = gateway.capture(hold.id, idempotency_key="capture-1")
    assert (captured.status, captured.amount_minor) == (SUCCEEDED, 600000)
    charge = _charge_of(gateway, hold.id)
    assert charge["captured"] is True and charge["amount"] - charge["amount_refunded"] == 600000


def test_a_hold_is_captured_in_part_and_only_that_part_can_be_refunded(gateway):
    hold = gateway.authorize(600000, "USD", payment_method="pm_card_visa", capture=False, idempotency_key="hold-1")
    assert gateway.capture(hold.id, 200000, idempotency_key="capture-1").status == SUCCEEDED
    charge = _charge_of(gateway, hold.id)
    assert charge.get("amount_captured", charge["amount"] - charge["amount_refunded"]) == 200000
    with pytest.raises(PaymentStateError):
        gateway.refund(hold.id, 200001, idempotency_key="refund-1")
    gateway.refund(hold.id, idempotency_key="refund-2")
    with pytest.raises(PaymentStateError):
        gateway.refund(hold.id, 1, idempotency_key="refund-3")


def test_a_hold_is_cancelled_and_then_cannot_be_captured(gateway):
    hold = gateway.authorize(400000, "USD", payment_method="pm_card_visa", capture=False, idempotency_key="hold-1")
    cancelled = gateway.cancel_hold(hold.id, idempotency_key="cancel-1")
    assert cancelled.status == CANCELED
    assert gateway.retrieve(hold.id).status == CANCELED
    with pytest.raises(PaymentStateError):
        gateway.capture(hold.id, idempotency_key="capture-1")
    assert _charge_of(gateway, hold.id)["captured"] is False


def test_a_saved_card_is_charged_off_session(gateway):
    customer = gateway.create_customer("ada@example.com")
    saved = gateway.client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer})
    result = gateway.charge_saved_method(
        200000, "USD", customer=customer, payment_method=saved.id, idempotency_key="plan-9-2", metadata={"plan": "9"}
    )
    assert (result.status, result.customer, result.payment_method) == (SUCCEEDED, customer, saved.id)
    assert result.amount_minor == 200000


# --- what the shopper sees -------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["4000000000000341", None])
def test_a_decline_at_charge_time_raises_payment_declined(gateway, number):
    payment_method = _card(gateway, number) if number else "pm_card_chargeCustomerFail"
    with pytest.raises(PaymentDeclined) as declined:
        gateway.authorize(5000, "USD", payment_method=payment_method, idempotency_key="order-1")
    assert declined.value.message == "Your card was declined."
    assert declined.value.code == "card_declined"


def test_a_decline_of_a_saved_card_off_session(gateway):
    customer = gateway.create_customer("ada@example.com")
    saved = gateway.client.v1.payment_methods.attach(_card(gateway, "4000000000000341"), params={"customer": customer})
    with pytest.raises(PaymentDeclined):
        gateway.charge_saved_method(5000, "USD", customer=customer, payment_method=saved.id, idempotency_key="k")


def test_a_saved_card_that_needs_authentication_is_declined_off_session(gateway):
    customer = gateway.create_customer("ada@example.com")
    saved = gateway.client.v1.payment_methods.attach(_card(gateway, "4000002500003155"), params={"customer": customer})
    with pytest.raises(PaymentDeclined) as declined:
        gateway.charge_saved_method(5000, "USD", customer=customer, payment_method=saved.id, idempotency_key="k")
    assert declined.value.code == "authentication_required"


def test_authentication_required_raises_with_the_client_secret(gateway):
    with pytest.raises(PaymentActionRequired) as action:
        gateway.authorize(5000, "USD", payment_method=_card(gateway, "4000002500003155"), idempotency_key="order-1")
    assert action.value.payment_id.startswith("pi_")
    assert action.value.client_secret.startswith(action.value.payment_id + "_secret_")
    assert gateway.retrieve(action.value.payment_id).status == "requires_action"


def test_an_unknown_payment_is_a_gateway_error(gateway):
    with pytest.raises(GatewayError):
        gateway.retrieve("pi_does_not_exist")


def test_an_unreachable_stripe_is_a_gateway_error():
    gateway = StripeGateway(
        secret_key="sk_test_x", api_base="http://127.0.0.1:9", webhook_secret="", max_network_retries=0
    )
    with pytest.raises(GatewayError):
        gateway.create_customer("ada@example.com")


# --- refunds ---------------------------------------------------------------------------------------------------


def test_refunds_in_part_then_the_rest(gateway):
    charge = gateway.authorize(10000, "EUR", payment_method="pm_card_visa", idempotency_key="order-1")
    first = gateway.refund(charge.id, 2500, idempotency_key="refund-1")
    assert first.startswith("re_")
    assert gateway.refund(charge.id, 2500, idempotency_key="refund-1") == first  # a retry refunds once
    assert _charge_of(gateway, charge.id)["amount_refunded"] == 2500
    rest = gateway.refund(charge.id, idempotency_key="refund-2")
    assert gateway.client.v1.refunds.retrieve(rest).amount == 7500
    assert _charge_of(gateway, charge.id)["amount_refunded"] == 10000
    with pytest.raises(PaymentStateError):  # localstripe would have refunded it: the gateway refuses first
        gateway.refund(charge.id, 1, idempotency_key="refund-3")


def test_a_hold_that_was_not_captured_cannot_be_refunded(gateway):
    hold = gateway.authorize(5000, "USD", payment_method="pm_card_visa", capture=False, idempotency_key="hold-1")
    with pytest.raises(PaymentStateError):
        gateway.refund(hold.id, idempotency_key="refund-1")


# --- what goes over the wire -----------------------------------------------------------------------------------


@pytest.fixture
def recorded(localstripe_clean):
    """A recording HTTP proxy in front of localstripe: yields (base URL, list of (method, path, headers, form))."""
    upstream = urlsplit(localstripe_clean)
    seen = []

    class Forward(BaseHTTPRequestHandler):
        def _forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append((self.command, self.path, dict(self.headers), parse_qs(body.decode())))
            connection = HTTPConnection(upstream.hostname, upstream.port, timeout=10)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            connection.close()

        do_GET = do_POST = do_DELETE = _forward

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_every_mutating_call_sends_the_callers_idempotency_key(recorded):
    base, seen = recorded
    gateway = StripeGateway(secret_key="sk_test_solitaire", api_base=base, webhook_secret="")
    customer = gateway.create_customer("ada@example.com")
    gateway.client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer})
    seen.clear()
    hold = gateway.authorize(9000, "USD", payment_method="pm_card_visa", capture=False, idempotency_key="k-hold")
    gateway.capture(hold.id, 3000, idempotency_key="k-capture")
    gateway.refund(hold.id, 1000, idempotency_key="k-refund")
    other = gateway.authorize(9000, "USD", payment_method="pm_card_visa", capture=False, idempotency_key="k-hold-2")
    gateway.cancel_hold(other.id, idempotency_key="k-cancel")
    keys = [
        (path.split("?")[0], headers.get("Idempotency-Key")) for method, path, headers, _ in seen if method == "POST"
    ]
    assert keys == [
        ("/v1/payment_intents", "k-hold"),
        (f"/v1/payment_intents/{hold.id}/capture", "k-capture"),
        ("/v1/refunds", "k-refund"),
        ("/v1/payment_intents", "k-hold-2"),
        (f"/v1/payment_intents/{other.id}/cancel", "k-cancel"),
    ]


def test_setup_future_usage_is_sent_only_when_asked(recorded):
    base, seen = recorded
    gateway = StripeGateway(secret_key="sk_test_solitaire", api_base=base, webhook_secret="")
    gateway.authorize(1000, "USD", payment_method="pm_card_visa", idempotency_key="a")
    assert "setup_future_usage" not in seen[-1][3]
    # localstripe does not know the parameter and refuses it, which real Stripe accepts: here it proves it was sent.
    with pytest.raises(GatewayError):
        gateway.authorize(1000, "USD", payment_method="pm_card_visa", save_for_off_session=True, idempotency_key="b")
    assert seen[-1][3]["setup_future_usage"] == ["off_session"]


# --- webhooks --------------------------------------------------------------------------------------------------


def _signed(body: bytes, *, secret=WEBHOOK_SECRET, timestamp=None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


EVENT = json.dumps(
    {
        "id": "evt_test_1",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": "pi_test_1", "object": "payment_intent", "amount": 333334, "currency": "eur"}},
    }
).encode()


@pytest.fixture
def webhook_gateway():
    return StripeGateway(secret_key="sk_test_x", api_base="http://127.0.0.1:9", webhook_secret=WEBHOOK_SECRET)


def test_a_signed_webhook_is_accepted(webhook_gateway):
    event = webhook_gateway.parse_webhook(EVENT, _signed(EVENT))
    assert (event.id, event.type) == ("evt_test_1", "payment_intent.succeeded")
    assert event.object == {"id": "pi_test_1", "object": "payment_intent", "amount": 333334, "currency": "eur"}


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(_signed(EVENT, secret="whsec_someone_else"), id="wrong-secret"),
        pytest.param(_signed(EVENT).replace("v1=", "v1=0"), id="bad-signature"),
        pytest.param("", id="missing"),
        pytest.param(None, id="none"),
        pytest.param(_signed(EVENT, timestamp=int(time.time()) - 600), id="ten-minutes-old"),
        pytest.param("nonsense", id="malformed"),
    ],
)
def test_a_webhook_without_a_good_recent_signature_is_refused(webhook_gateway, header):
    with pytest.raises(InvalidWebhook):
        webhook_gateway.parse_webhook(EVENT, header)


def test_a_webhook_with_a_tampered_body_is_refused(webhook_gateway):
    header = _signed(EVENT)
    with pytest.raises(InvalidWebhook):
        webhook_gateway.parse_webhook(EVENT.replace(b"333334", b"1"), header)


def test_a_signed_body_that_is_not_an_event_is_refused(webhook_gateway):
    body = b"not json"
    with pytest.raises(InvalidWebhook):
        webhook_gateway.parse_webhook(body, _signed(body))


def test_without_a_webhook_secret_nothing_is_trusted():
    gateway = StripeGateway(secret_key="sk_test_x", api_base="http://127.0.0.1:9", webhook_secret="")
    with pytest.raises(InvalidWebhook):
        gateway.parse_webhook(EVENT, _signed(EVENT))


def test_a_webhook_sent_by_localstripe_is_verified(gateway, localstripe_clean):
    """localstripe signs and posts its events to an endpoint like Stripe does; the gateway verifies them."""
    received = []

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append((body, self.headers.get("Stripe-Signature")))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        upstream = urlsplit(localstripe_clean)
        connection = HTTPConnection(upstream.hostname, upstream.port, timeout=5)
        form = f"url=http://127.0.0.1:{server.server_address[1]}/&secret={WEBHOOK_SECRET}"
        connection.request(
            "POST",
            "/_config/webhooks/solitaire",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert connection.getresponse().status < 300
        connection.close()
        result = gateway.authorize(4200, "GBP", payment_method="pm_card_visa", idempotency_key="order-1")
        deadline = time.monotonic() + 10
        events = []
        while time.monotonic() < deadline:
            events = [gateway.parse_webhook(body, signature) for body, signature in list(received)]
            if any(e.type == "payment_intent.succeeded" and e.object["id"] == result.id for e in events):
                break
            time.sleep(0.1)
        # Only this payment's event: localstripe may still be delivering events of earlier tests' payments.
        ours = [e for e in events if e.type == "payment_intent.succeeded" and e.object["id"] == result.id]
        assert ours and (ours[0].object["amount"], ours[0].object["currency"]) == (4200, "gbp")
    finally:
        server.shutdown()
        server.server_close()
