"""The payment gateway boundary: what the shop asks of a payment provider, and what it gets back.

Amounts cross this boundary only as integer minor units plus an ISO currency code (the caller converts with
`Money.to_minor_units()`); there is no float anywhere here. Outcomes are small frozen dataclasses, and the three
exceptions decide what the shopper sees (as django-oscar does): declined (show the bank's message), action required
(run 3-D Secure in the browser with the client secret), gateway error (apologise, nothing was charged or we do not
know yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

# PaymentIntent statuses the shop acts on. A gateway may report others when asked with `retrieve()` (Stripe's
# "requires_payment_method", "processing"), but a successful `authorize()` returns one of these.
SUCCEEDED = "succeeded"
REQUIRES_ACTION = "requires_action"
REQUIRES_CAPTURE = "requires_capture"
CANCELED = "canceled"


@dataclass(frozen=True, slots=True)
class PaymentResult:
    """One payment (a Stripe PaymentIntent) as the gateway last saw it."""

    id: str
    status: str
    amount_minor: int
    currency: str  # ISO 4217, upper case
    client_secret: str = ""
    payment_method: str = ""
    customer: str = ""

    @property
    def is_hold(self) -> bool:
        return self.status == REQUIRES_CAPTURE


@dataclass(frozen=True, slots=True)
class SavedCard:
    """A card the shopper entered, as a payment-method id the gateway can charge, and how to name it to them."""

    payment_method: str
    brand: str = ""  # "visa", "mastercard", "amex", ...
    last4: str = ""
    customer: str = ""

    @property
    def label(self) -> str:
        names = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express", "discover": "Discover"}
        brand = names.get(self.brand, self.brand.title() or "Card")
        return f"{brand} ending {self.last4}" if self.last4 else brand


@dataclass(frozen=True, slots=True)
class CardSetup:
    """A request to save a card (a Stripe SetupIntent): Stripe.js confirms it in the browser with the secret."""

    id: str
    client_secret: str


@dataclass(frozen=True, slots=True)
class Event:
    """A verified webhook event. `object` is the event's data object as a plain dict."""

    id: str
    type: str
    object: dict[str, Any] = field(default_factory=dict)


class PaymentError(Exception):
    """Base of everything a gateway raises."""


class PaymentDeclined(PaymentError):
    """The bank said no. `message` is safe to show the shopper; `code` is the decline code, for staff and logs."""

    def __init__(self, message: str, code: str = "card_declined"):
        super().__init__(message)
        self.message = message
        self.code = code


class PaymentActionRequired(PaymentError):
    """The bank wants the cardholder to authenticate (3-D Secure): hand `client_secret` to Stripe.js."""

    def __init__(self, client_secret: str, payment_id: str = ""):
        super().__init__("The card issuer asks the cardholder to authenticate this payment.")
        self.client_secret = client_secret
        self.payment_id = payment_id


class GatewayError(PaymentError):
    """The provider failed or refused the request for a reason that is not the shopper's card."""


class PaymentStateError(GatewayError):
    """The request does not fit the payment's state: capturing a cancelled hold, refunding more than was captured."""


class InvalidWebhook(PaymentError):
    """A webhook whose signature is missing, wrong, or too old to trust."""


# Stripe refuses signatures older than this by default; replayed events older than five minutes are rejected.
WEBHOOK_TOLERANCE_SECONDS = 300


class SavedMethodCharges:
    """Charging a saved card off-session is an authorize with off_session on, for every gateway."""

    def charge_saved_method(
        self,
        amount_minor: int,
        currency: str,
        *,
        customer: str,
        payment_method: str,
        idempotency_key: str,
        metadata: dict[str, str] | None = None,
    ) -> PaymentResult:
        return self.authorize(
            amount_minor,
            currency,
            customer=customer,
            payment_method=payment_method,
            off_session=True,
            idempotency_key=idempotency_key,
            metadata=metadata,
        )


@runtime_checkable
class Gateway(Protocol):
    """One payment provider. Every mutating call takes an `idempotency_key`: a retry with the same key returns the
    first call's outcome and never charges twice (DESIGN.md §4: keys are made from the plan and instalment)."""

    name: str
    test_mode: bool

    def create_customer(self, email: str) -> str:
        """A customer to save cards on; returns its id."""

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
        """Charge now (`capture=True`) or place a manual-capture hold (`capture=False`).

        Raises PaymentDeclined, PaymentActionRequired or GatewayError. `save_for_off_session` asks the provider to
        keep the card for later merchant-initiated charges (Stripe's `setup_future_usage`)."""

    def capture(self, payment_id: str, amount_minor: int | None = None, *, idempotency_key: str) -> PaymentResult:
        """Capture a hold, in full or (with `amount_minor`) in part; the rest of the hold is released."""

    def charge_saved_method(
        self,
        amount_minor: int,
        currency: str,
        *,
        customer: str,
        payment_method: str,
        idempotency_key: str,
        metadata: dict[str, str] | None = None,
    ) -> PaymentResult:
        """Charge a saved card with the shopper away (merchant-initiated). A card that needs authentication is
        declined with code "authentication_required"."""

    def cancel_hold(self, payment_id: str, *, idempotency_key: str) -> PaymentResult:
        """Release a hold that was not captured."""

    def refund(self, payment_id: str, amount_minor: int | None = None, *, idempotency_key: str) -> str:
        """Refund all that is left (`amount_minor=None`) or part of a captured payment; returns the refund id.
        Raises PaymentStateError for more than is left to refund."""

    def retrieve(self, payment_id: str) -> PaymentResult:
        """The payment as the provider sees it now."""

    def parse_webhook(self, payload: bytes, signature_header: str) -> Event:
        """Verify and parse a webhook; raises InvalidWebhook."""


def check_amount(amount_minor: object, *, allow_zero: bool = False) -> int:
    """Minor units are a plain int: refuses float, Decimal, bool and negative amounts at the boundary."""
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
        raise TypeError(f"amounts cross the payment boundary as int minor units, not {type(amount_minor).__name__}")
    if amount_minor < 0 or (amount_minor == 0 and not allow_zero):
        raise ValueError(f"amount must be positive, got {amount_minor}")
    return amount_minor


def check_currency(currency: object) -> str:
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise ValueError(f"currency must be an ISO 4217 code, got {currency!r}")
    return currency.upper()
