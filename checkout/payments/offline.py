"""The offline gateway: TEST MODE ONLY. The default for local runs and demos; no money moves, no network.

It answers like Stripe's test mode for Stripe's test cards, so a demo can show every path the shopper can meet:
    4242 4242 4242 4242 / pm_card_visa (and Stripe's Mastercard and Amex test cards) -> approved
    4000 0000 0000 0002 / pm_card_chargeDeclined, 4000 0000 0000 0341 / pm_card_chargeCustomerFail -> declined
    4000 0025 0000 3155 / pm_card_authenticationRequired -> authentication required (3-D Secure)
Any other card is declined: a real card number must never look like it worked here.

Payments live in the Django cache (Redis in production settings, local memory otherwise), so capture, cancel and
refund work across requests, with Stripe's rules: no capture of a cancelled hold, no refund above what was captured.
Idempotency keys are honoured like Stripe's: the same key returns the first outcome (a decline included) and never
charges twice; the same key with different parameters is an error. The cache is not a ledger, which is why this
gateway is for demos and tests only."""

from __future__ import annotations

import hashlib
import json
import secrets

from django.core.cache import cache

from .base import (
    CANCELED,
    REQUIRES_ACTION,
    REQUIRES_CAPTURE,
    SUCCEEDED,
    Event,
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

APPROVED = frozenset(
    {"4242424242424242", "pm_card_visa", "5555555555554444", "pm_card_mastercard", "378282246310005", "pm_card_amex"}
    | {"6011111111111117", "pm_card_discover"}
)
DECLINED = frozenset({"4000000000000002", "pm_card_chargeDeclined", "4000000000000341", "pm_card_chargeCustomerFail"})
NEEDS_AUTHENTICATION = frozenset({"4000002500003155", "pm_card_authenticationRequired"})
# Test card numbers (spaces removed) -> (Stripe's payment-method name, brand), for the checkout's card form.
TEST_CARDS = {
    "4242424242424242": ("pm_card_visa", "visa"),
    "5555555555554444": ("pm_card_mastercard", "mastercard"),
    "378282246310005": ("pm_card_amex", "amex"),
    "6011111111111117": ("pm_card_discover", "discover"),
    "4000000000000002": ("pm_card_chargeDeclined", "visa"),
    "4000000000000341": ("pm_card_chargeCustomerFail", "visa"),
    "4000002500003155": ("pm_card_authenticationRequired", "visa"),
}
DECLINE_MESSAGE = "Your card was declined."
UNKNOWN_CARD_MESSAGE = "Test mode: only the test cards work here (try 4242 4242 4242 4242)."

_PREFIX = "payments:offline:"
# Like Stripe, an idempotency key is remembered for a day; payments are kept until the cache evicts them.
_KEY_SECONDS = 24 * 60 * 60


def _new_id(prefix: str) -> str:
    return f"{prefix}_offline_{secrets.token_hex(8)}"


def _card(payment_method: str) -> str:
    return "".join(str(payment_method).split())


class OfflineGateway(SavedMethodCharges):
    name = "offline"
    test_mode = True

    # --- storage ----------------------------------------------------------------------------------------------
    def _load(self, payment_id: str) -> dict:
        payment = cache.get(_PREFIX + "payment:" + payment_id)
        if payment is None:
            raise PaymentStateError(f"No such payment: {payment_id}")
        return payment

    def _save(self, payment: dict) -> PaymentResult:
        cache.set(_PREFIX + "payment:" + payment["id"], payment, timeout=None)
        return self._result(payment)

    @staticmethod
    def _result(payment: dict) -> PaymentResult:
        return PaymentResult(
            id=payment["id"],
            status=payment["status"],
            amount_minor=payment["amount"],
            currency=payment["currency"],
            client_secret=payment["client_secret"],
            payment_method=payment["payment_method"],
            customer=payment["customer"],
        )

    def _once(self, idempotency_key: str, operation: str, params: dict, run):
        """Run `run()` once per key; replay its outcome (result, decline or action required) on a retry."""
        if not idempotency_key:
            raise ValueError("an idempotency_key is required")
        fingerprint = hashlib.sha256(json.dumps([operation, params], sort_keys=True, default=str).encode()).hexdigest()
        key = _PREFIX + "idem:" + hashlib.sha256(idempotency_key.encode()).hexdigest()
        stored = cache.get(key)
        if stored is None:
            try:
                stored = ("ok", run())
            except PaymentDeclined as exc:
                stored = ("declined", exc.message, exc.code)
            except PaymentActionRequired as exc:
                stored = ("action", exc.client_secret, exc.payment_id)
            stored = (fingerprint, *stored)
            cache.set(key, stored, timeout=_KEY_SECONDS)
        elif stored[0] != fingerprint:
            raise PaymentStateError("This idempotency key was already used with different parameters.")
        kind = stored[1]
        if kind == "declined":
            raise PaymentDeclined(stored[2], stored[3])
        if kind == "action":
            raise PaymentActionRequired(stored[2], stored[3])
        return stored[2]

    # --- the interface ----------------------------------------------------------------------------------------
    def create_customer(self, email: str) -> str:
        return _new_id("cus")

    def card_from_number(self, number: str, *, customer: str = "") -> SavedCard:
        """The checkout's card form in test mode: a test card number becomes Stripe's name for it, so no number
        is ever kept. Any other number is refused here, before an order exists."""
        digits = _card(number)
        if digits not in TEST_CARDS:
            raise PaymentDeclined(UNKNOWN_CARD_MESSAGE, "test_mode_unknown_card")
        method, brand = TEST_CARDS[digits]
        return SavedCard(payment_method=method, brand=brand, last4=digits[-4:], customer=customer)

    def authenticate(self, payment_id: str, *, approve: bool) -> PaymentResult:
        """The test-mode stand-in for the bank's 3-D Secure page: approve captures, fail leaves the payment
        needing another card (Stripe's requires_payment_method)."""
        payment = self._load(payment_id)
        if payment["status"] != REQUIRES_ACTION:
            return self._result(payment)
        if approve:
            payment.update(status=SUCCEEDED, captured=payment["amount"])
        else:
            payment["status"] = "requires_payment_method"
        return self._save(payment)

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
        check_amount(amount_minor)
        currency = check_currency(currency)
        params = {
            "amount": amount_minor,
            "currency": currency,
            "payment_method": payment_method,
            "customer": customer,
            "capture": capture,
            "off_session": off_session,
            "metadata": metadata or {},
        }

        def run() -> PaymentResult:
            card = _card(payment_method)
            payment_id = _new_id("pi")
            payment = {
                "id": payment_id,
                "amount": amount_minor,
                "currency": currency,
                "client_secret": f"{payment_id}_secret_{secrets.token_hex(8)}",
                "payment_method": payment_method,
                "customer": customer or "",
                "captured": 0,
                "refunded": 0,
                "metadata": dict(metadata or {}),
            }
            if card in DECLINED:
                raise PaymentDeclined(DECLINE_MESSAGE, "card_declined")
            if card in NEEDS_AUTHENTICATION:
                if off_session:
                    # As on Stripe: with the shopper away nobody can authenticate, so the bank's "ask" is a "no".
                    raise PaymentDeclined(
                        "Your card issuer asks you to authenticate this payment.", "authentication_required"
                    )
                payment["status"] = REQUIRES_ACTION
                self._save(payment)
                raise PaymentActionRequired(payment["client_secret"], payment_id)
            if card not in APPROVED:
                raise PaymentDeclined(UNKNOWN_CARD_MESSAGE, "test_mode_unknown_card")
            if capture:
                payment.update(status=SUCCEEDED, captured=amount_minor)
            else:
                payment["status"] = REQUIRES_CAPTURE
            return self._save(payment)

        return self._once(idempotency_key, "authorize", params, run)

    def capture(self, payment_id: str, amount_minor: int | None = None, *, idempotency_key: str) -> PaymentResult:
        if amount_minor is not None:
            check_amount(amount_minor)

        def run() -> PaymentResult:
            payment = self._load(payment_id)
            if payment["status"] != REQUIRES_CAPTURE:
                raise PaymentStateError(f"Payment {payment_id} is {payment['status']}: there is no hold to capture.")
            amount = payment["amount"] if amount_minor is None else amount_minor
            if amount > payment["amount"]:
                raise PaymentStateError(f"Cannot capture {amount}: the hold is for {payment['amount']}.")
            payment.update(status=SUCCEEDED, captured=amount)
            return self._save(payment)

        return self._once(idempotency_key, "capture", {"id": payment_id, "amount": amount_minor}, run)

    def cancel_hold(self, payment_id: str, *, idempotency_key: str) -> PaymentResult:
        def run() -> PaymentResult:
            payment = self._load(payment_id)
            if payment["status"] not in (REQUIRES_CAPTURE, REQUIRES_ACTION):
                raise PaymentStateError(f"Payment {payment_id} is {payment['status']}: there is no hold to cancel.")
            payment["status"] = CANCELED
            return self._save(payment)

        return self._once(idempotency_key, "cancel", {"id": payment_id}, run)

    def refund(self, payment_id: str, amount_minor: int | None = None, *, idempotency_key: str) -> str:
        if amount_minor is not None:
            check_amount(amount_minor)

        def run() -> str:
            payment = self._load(payment_id)
            if payment["status"] != SUCCEEDED:
                raise PaymentStateError(f"Payment {payment_id} is {payment['status']}: nothing was captured.")
            left = payment["captured"] - payment["refunded"]
            amount = left if amount_minor is None else amount_minor
            if amount > left or amount <= 0:
                raise PaymentStateError(f"Cannot refund {amount}: {left} is left to refund on {payment_id}.")
            payment["refunded"] += amount
            self._save(payment)
            return _new_id("re")

        return self._once(idempotency_key, "refund", {"id": payment_id, "amount": amount_minor}, run)

    def find_payment(self, idempotency_key: str) -> PaymentResult | None:
        """Nothing to look up: calling again with the same key replays the first answer (see _once)."""
        return None

    def retrieve(self, payment_id: str) -> PaymentResult:
        return self._result(self._load(payment_id))

    def parse_webhook(self, payload: bytes, signature_header: str) -> Event:
        # Nothing outside this process talks to the offline gateway, so any webhook claiming to be from it is forged.
        raise InvalidWebhook("The offline gateway sends no webhooks.")
