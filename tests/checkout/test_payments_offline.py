"""The offline (test-mode) gateway: Stripe's test cards, Stripe's capture/cancel/refund rules, idempotency keys."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from checkout.money import Money
from checkout.payments import (
    CANCELED,
    REQUIRES_ACTION,
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
from checkout.payments.offline import OfflineGateway


@pytest.fixture
def gateway():
    return OfflineGateway()


def _hold(gateway, amount=600000, key="hold-1"):
    return gateway.authorize(amount, "USD", payment_method="pm_card_visa", capture=False, idempotency_key=key)


def test_offline_is_the_default_gateway_and_says_it_is_test_mode(settings):
    assert settings.PAYMENT_GATEWAY == "offline"
    gateway = get_gateway()
    assert isinstance(gateway, OfflineGateway)
    assert isinstance(gateway, Gateway)
    assert gateway.test_mode is True


def test_an_unknown_gateway_name_is_a_configuration_error(settings):
    settings.PAYMENT_GATEWAY = "paypal"
    with pytest.raises(ImproperlyConfigured):
        get_gateway()


@pytest.mark.parametrize("card", ["4242 4242 4242 4242", "4242424242424242", "pm_card_visa", "pm_card_amex"])
def test_test_cards_are_approved(gateway, card):
    total = Money(Decimal("1000.00"), "EUR")
    result = gateway.authorize(total.to_minor_units(), total.currency, payment_method=card, idempotency_key="k")
    assert result.status == SUCCEEDED
    assert (result.amount_minor, result.currency) == (100000, "EUR")
    assert result.id.startswith("pi_offline_")
    assert gateway.retrieve(result.id) == result


@pytest.mark.parametrize("card", ["4000 0000 0000 0002", "pm_card_chargeCustomerFail"])
def test_decline_cards_are_declined_with_the_banks_message(gateway, card):
    with pytest.raises(PaymentDeclined) as declined:
        gateway.authorize(5000, "USD", payment_method=card, idempotency_key="k")
    assert declined.value.message == "Your card was declined."
    assert declined.value.code == "card_declined"


def test_a_real_looking_card_is_never_approved_in_test_mode(gateway):
    with pytest.raises(PaymentDeclined) as declined:
        gateway.authorize(5000, "USD", payment_method="5105105105105100", idempotency_key="k")
    assert "Test mode" in declined.value.message


def test_the_authentication_card_asks_for_action(gateway):
    with pytest.raises(PaymentActionRequired) as action:
        gateway.authorize(5000, "USD", payment_method="4000 0025 0000 3155", idempotency_key="k")
    assert action.value.client_secret.startswith(action.value.payment_id + "_secret_")
    assert gateway.retrieve(action.value.payment_id).status == REQUIRES_ACTION


def test_off_session_the_authentication_card_is_declined(gateway):
    customer = gateway.create_customer("ada@example.com")
    with pytest.raises(PaymentDeclined) as declined:
        gateway.charge_saved_method(
            5000, "USD", customer=customer, payment_method="4000002500003155", idempotency_key="plan-1-2"
        )
    assert declined.value.code == "authentication_required"


def test_a_saved_card_is_charged_off_session(gateway):
    customer = gateway.create_customer("ada@example.com")
    result = gateway.charge_saved_method(
        200000, "USD", customer=customer, payment_method="pm_card_visa", idempotency_key="plan-1-2"
    )
    assert (result.status, result.customer, result.amount_minor) == (SUCCEEDED, customer, 200000)


def test_the_same_idempotency_key_charges_once(gateway):
    first = gateway.authorize(5000, "USD", payment_method="pm_card_visa", idempotency_key="plan-7-1")
    again = gateway.authorize(5000, "USD", payment_method="pm_card_visa", idempotency_key="plan-7-1")
    assert again == first
    other = gateway.authorize(5000, "USD", payment_method="pm_card_visa", idempotency_key="plan-7-2")
    assert other.id != first.id


def test_a_replayed_decline_stays_a_decline(gateway):
    for _ in range(2):
        with pytest.raises(PaymentDeclined):
            gateway.authorize(5000, "USD", payment_method="4000000000000002", idempotency_key="k")


def test_an_idempotency_key_reused_for_a_different_payment_is_refused(gateway):
    gateway.authorize(5000, "USD", payment_method="pm_card_visa", idempotency_key="k")
    with pytest.raises(PaymentStateError):
        gateway.authorize(6000, "USD", payment_method="pm_card_visa", idempotency_key="k")


@pytest.mark.parametrize("amount", [Decimal("50.00"), 50.0, True, -1, 0])
def test_amounts_are_positive_int_minor_units(gateway, amount):
    with pytest.raises((TypeError, ValueError)):
        gateway.authorize(amount, "USD", payment_method="pm_card_visa", idempotency_key="k")


def test_a_hold_is_captured_in_full(gateway):
    hold = _hold(gateway)
    assert hold.status == REQUIRES_CAPTURE and hold.is_hold
    captured = gateway.capture(hold.id, idempotency_key="cap")
    assert (captured.status, captured.amount_minor) == (SUCCEEDED, 600000)
    # A retry of the same capture is answered, not refused; a second capture is refused.
    assert gateway.capture(hold.id, idempotency_key="cap") == captured
    with pytest.raises(PaymentStateError):
        gateway.capture(hold.id, idempotency_key="cap-again")


def test_a_partial_capture_limits_the_refund(gateway):
    hold = _hold(gateway)
    gateway.capture(hold.id, 200000, idempotency_key="cap")
    with pytest.raises(PaymentStateError):
        gateway.refund(hold.id, 200001, idempotency_key="re-1")
    assert gateway.refund(hold.id, idempotency_key="re-2").startswith("re_offline_")
    with pytest.raises(PaymentStateError):
        gateway.refund(hold.id, 1, idempotency_key="re-3")


def test_a_capture_above_the_hold_is_refused(gateway):
    hold = _hold(gateway, amount=1000)
    with pytest.raises(PaymentStateError):
        gateway.capture(hold.id, 1001, idempotency_key="cap")


def test_a_cancelled_hold_cannot_be_captured(gateway):
    hold = _hold(gateway)
    assert gateway.cancel_hold(hold.id, idempotency_key="cancel").status == CANCELED
    assert gateway.cancel_hold(hold.id, idempotency_key="cancel").status == CANCELED  # a retry
    with pytest.raises(PaymentStateError):
        gateway.capture(hold.id, idempotency_key="cap")
    with pytest.raises(GatewayError):  # PaymentStateError is a GatewayError to a caller that only knows those
        gateway.refund(hold.id, idempotency_key="re")


def test_a_charged_payment_is_not_a_hold_to_cancel(gateway):
    charge = gateway.authorize(5000, "USD", payment_method="pm_card_visa", idempotency_key="k")
    with pytest.raises(PaymentStateError):
        gateway.cancel_hold(charge.id, idempotency_key="cancel")


def test_refunds_add_up_to_at_most_the_captured_amount(gateway):
    charge = gateway.authorize(333334, "EUR", payment_method="pm_card_visa", idempotency_key="k")
    first = gateway.refund(charge.id, 100000, idempotency_key="re-1")
    assert gateway.refund(charge.id, 100000, idempotency_key="re-1") == first  # a retry refunds once
    gateway.refund(charge.id, 200000, idempotency_key="re-2")
    with pytest.raises(PaymentStateError):
        gateway.refund(charge.id, 33335, idempotency_key="re-3")
    gateway.refund(charge.id, 33334, idempotency_key="re-4")
    with pytest.raises(PaymentStateError):
        gateway.refund(charge.id, idempotency_key="re-5")  # nothing left


def test_an_unknown_payment_is_an_error(gateway):
    with pytest.raises(GatewayError):
        gateway.capture("pi_offline_nope", idempotency_key="k")


def test_an_idempotency_key_is_required(gateway):
    with pytest.raises(ValueError):
        gateway.authorize(5000, "USD", payment_method="pm_card_visa", idempotency_key="")


def test_the_offline_gateway_accepts_no_webhooks(gateway):
    with pytest.raises(InvalidWebhook):
        gateway.parse_webhook(b'{"id": "evt_1"}', "t=1,v1=abc")
