"""The Stripe gateway: PaymentIntents through stripe-python's StripeClient. Minor units live only in here and base.py.

Card numbers never reach this server: Stripe.js turns them into a PaymentMethod id, and that id is what the shop
passes in. Every mutating call sends the caller's idempotency key, so a retry cannot charge twice.

Only parameters Stripe has always accepted are sent by default (localstripe, the fake Stripe the tests run against,
rejects unknown ones); `setup_future_usage` is sent only when the caller asks to save the card."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import (
    REQUIRES_ACTION,
    REQUIRES_CAPTURE,
    SUCCEEDED,
    WEBHOOK_TOLERANCE_SECONDS,
    CardSetup,
    Event,
    GatewayError,
    InvalidWebhook,
    PaymentActionRequired,
    PaymentDeclined,
    PaymentResult,
    PaymentStateError,
    SavedCard,
    SavedMethodCharges,
    check_amount,
    check_currency,
)

DECLINE_MESSAGE = "Your card was declined."
AUTHENTICATION_MESSAGE = "Your card issuer asks you to authenticate this payment."


def _id(value: Any) -> str:
    """An id from a field Stripe may return either as an id or expanded into an object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get("id", "") if isinstance(value, dict) else getattr(value, "id", "")


@contextmanager
def _translated():
    """Stripe's exceptions become the shop's three outcomes."""
    try:
        yield
    except stripe.CardError as exc:
        error = exc.error
        code = getattr(error, "decline_code", None) or exc.code or "card_declined"
        raise PaymentDeclined(exc.user_message or DECLINE_MESSAGE, code) from exc
    except stripe.StripeError as exc:
        raise GatewayError(exc.user_message or str(exc) or type(exc).__name__) from exc


class StripeGateway(SavedMethodCharges):
    name = "stripe"

    def __init__(
        self,
        *,
        secret_key: str | None = None,
        api_base: str | None = None,
        webhook_secret: str | None = None,
        max_network_retries: int = 2,
    ):
        secret_key = secret_key if secret_key is not None else settings.STRIPE_SECRET_KEY
        if not secret_key:
            raise ImproperlyConfigured("PAYMENT_GATEWAY is 'stripe' but STRIPE_SECRET_KEY is empty.")
        self.test_mode = not secret_key.startswith("sk_live_")
        self.webhook_secret = webhook_secret if webhook_secret is not None else settings.STRIPE_WEBHOOK_SECRET
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base or settings.STRIPE_API_BASE},
            max_network_retries=max_network_retries,
        )

    @staticmethod
    def _result(intent: Any) -> PaymentResult:
        data = intent.to_dict() if hasattr(intent, "to_dict") else dict(intent)
        return PaymentResult(
            id=data["id"],
            status=data["status"],
            amount_minor=int(data["amount"]),
            currency=data["currency"].upper(),
            client_secret=data.get("client_secret") or "",
            payment_method=_id(data.get("payment_method")),
            customer=_id(data.get("customer")),
        )

    def create_customer(self, email: str) -> str:
        with _translated():
            return self.client.v1.customers.create(params={"email": email}).id

    # --- Saving the shopper's card (Stripe.js confirms the SetupIntent in the browser) ------------------------------
    def card_setup(self, *, customer: str) -> CardSetup:
        """A SetupIntent for `customer`: the card is checked (and authenticated if the bank asks) before any charge,
        and stays on the customer for the charge at "place order" and later instalments."""
        with _translated():
            intent = self.client.v1.setup_intents.create(
                params={"customer": customer, "payment_method_types": ["card"], "usage": "off_session"}
            )
        return CardSetup(id=intent.id, client_secret=intent.client_secret)

    def card_saved(self, setup_id: str, *, customer: str) -> SavedCard:
        """The card a confirmed SetupIntent saved. Refuses a setup that is not confirmed or not this customer's."""
        with _translated():
            intent = self.client.v1.setup_intents.retrieve(setup_id).to_dict()
            if intent.get("status") != SUCCEEDED:
                raise PaymentDeclined("Your card could not be saved. Please check the details and try again.")
            if _id(intent.get("customer")) != customer:
                raise GatewayError(f"Setup {setup_id} does not belong to this checkout.")
            method_id = _id(intent.get("payment_method"))
            card = (self.client.v1.payment_methods.retrieve(method_id).to_dict().get("card")) or {}
        return SavedCard(
            payment_method=method_id, brand=card.get("brand", ""), last4=card.get("last4", ""), customer=customer
        )

    def authorize(
        self,
        amount_minor: int,
        currency: str,
        *,
        payment_method: str,
        customer: str | None = None,
        capture: bool = True,
        off_session: bool = False,
        save_for_off_session: bool = False,
        idempotency_key: str,
        metadata: dict[str, str] | None = None,
    ) -> PaymentResult:
        if not payment_method:
            raise ValueError("authorize() needs a payment method (from Stripe.js or a saved card)")
        params: dict[str, Any] = {
            "amount": check_amount(amount_minor),
            "currency": check_currency(currency).lower(),
            "payment_method": payment_method,
            # Cards only (DESIGN.md §4), which also spares real Stripe asking for a return_url for redirect methods.
            "payment_method_types": ["card"],
            "confirm": True,
        }
        if not capture:
            params["capture_method"] = "manual"
        if customer:
            params["customer"] = customer
        if off_session:
            params["off_session"] = True
        if save_for_off_session:
            params["setup_future_usage"] = "off_session"
        if metadata:
            params["metadata"] = dict(metadata)
        with _translated():
            intent = self.client.v1.payment_intents.create(params=params, options=self._options(idempotency_key))
        result = self._result(intent)
        if result.status == REQUIRES_ACTION and off_session:
            # Real Stripe answers an off-session charge that needs authentication with a card error; localstripe
            # leaves it waiting for an action nobody is there to take. Either way the shopper has to come back.
            raise PaymentDeclined(AUTHENTICATION_MESSAGE, "authentication_required")
        if result.status == REQUIRES_ACTION:
            raise PaymentActionRequired(result.client_secret, result.id)
        if result.status not in (SUCCEEDED, REQUIRES_CAPTURE):
            raise GatewayError(f"Payment {result.id} ended as {result.status}.")
        return result

    def capture(self, payment_id: str, amount_minor: int | None = None, *, idempotency_key: str) -> PaymentResult:
        params = {} if amount_minor is None else {"amount_to_capture": check_amount(amount_minor)}
        options = self._options(idempotency_key)
        with _translated():
            # Real Stripe refuses to capture a cancelled hold; localstripe does not, so the gateway checks first.
            # "succeeded" passes, because it may be this very call being retried with its idempotency key.
            status = self.client.v1.payment_intents.retrieve(payment_id).status
            if status not in (REQUIRES_CAPTURE, SUCCEEDED):
                raise PaymentStateError(f"Payment {payment_id} is {status}: there is no hold to capture.")
            intent = self.client.v1.payment_intents.capture(payment_id, params=params, options=options)
        result = self._result(intent)
        if result.status != SUCCEEDED:
            raise PaymentStateError(f"Payment {payment_id} is {result.status} after capture.")
        return result

    def cancel_hold(self, payment_id: str, *, idempotency_key: str) -> PaymentResult:
        with _translated():
            intent = self.client.v1.payment_intents.cancel(payment_id, options=self._options(idempotency_key))
        return self._result(intent)

    def refund(self, payment_id: str, amount_minor: int | None = None, *, idempotency_key: str) -> str:
        if amount_minor is not None:
            check_amount(amount_minor)
        options = self._options(idempotency_key)
        with _translated():
            # A retry of a refund that went through must return that refund, not trip the limit check below.
            # Stripe's idempotency keys do that on the real service; the key in metadata does it everywhere.
            for existing in self.client.v1.refunds.list(params={"payment_intent": payment_id, "limit": 100}).data:
                if (existing.to_dict().get("metadata") or {}).get("idempotency_key") == idempotency_key:
                    return existing.id
            intent = self.client.v1.payment_intents.retrieve(payment_id, params={"expand": ["latest_charge"]})
            left = self._refundable(intent.to_dict())
            amount = left if amount_minor is None else amount_minor
            # Checked here because not every Stripe refuses an over-refund before it happens (localstripe does not).
            if amount <= 0 or amount > left:
                raise PaymentStateError(f"Cannot refund {amount}: {left} is left to refund on {payment_id}.")
            refund = self.client.v1.refunds.create(
                params={
                    "payment_intent": payment_id,
                    "amount": amount,
                    "metadata": {"idempotency_key": idempotency_key},
                },
                options=options,
            )
        if refund.status in ("failed", "canceled"):
            raise GatewayError(f"Refund {refund.id} {refund.status}.")
        return refund.id

    @staticmethod
    def _refundable(intent: dict) -> int:
        """What is left to refund: captured minus refunded. Real Stripe reports `amount_captured`; localstripe
        records a partial capture as the full amount with the released part refunded, and the same sum holds."""
        charge = intent.get("latest_charge")
        if intent.get("status") != SUCCEEDED or not isinstance(charge, dict):
            return 0
        captured = charge.get("amount_captured", charge["amount"] if charge.get("captured") else 0)
        return int(captured) - int(charge.get("amount_refunded") or 0)

    def find_payment(self, idempotency_key: str) -> PaymentResult | None:
        """A payment created with this key in its metadata, if any: how a charge whose worker died before recording
        the answer is found again. (Stripe's idempotency keys already replay it; this also holds where they are not
        honoured, and after their 24 hours.)"""
        with _translated():
            for intent in self.client.v1.payment_intents.list(params={"limit": 100}).data:
                if (intent.to_dict().get("metadata") or {}).get("idempotency_key") == idempotency_key:
                    return self._result(intent)
        return None

    def retrieve(self, payment_id: str) -> PaymentResult:
        with _translated():
            return self._result(self.client.v1.payment_intents.retrieve(payment_id))

    def parse_webhook(self, payload: bytes, signature_header: str) -> Event:
        if not self.webhook_secret:
            raise InvalidWebhook("STRIPE_WEBHOOK_SECRET is not set; no webhook can be trusted.")
        if not signature_header:
            raise InvalidWebhook("Missing Stripe-Signature header.")
        try:
            event = stripe.Webhook.construct_event(
                payload, signature_header, self.webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as exc:
            raise InvalidWebhook(str(exc)) from exc
        except ValueError as exc:  # not JSON, or not a Stripe event
            raise InvalidWebhook(f"Malformed webhook payload: {exc}") from exc
        data = event.to_dict()
        return Event(id=data["id"], type=data["type"], object=dict((data.get("data") or {}).get("object") or {}))

    @staticmethod
    def _options(idempotency_key: str) -> dict[str, str]:
        if not idempotency_key:
            raise ValueError("an idempotency_key is required")
        return {"idempotency_key": idempotency_key}
