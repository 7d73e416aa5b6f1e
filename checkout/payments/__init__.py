"""Payment gateways (DESIGN.md §5): one small interface (base.py), Offline for local runs and demos, Stripe.

from checkout.payments import get_gateway, PaymentDeclined
gateway = get_gateway()
result = gateway.authorize(total.to_minor_units(), total.currency, payment_method=pm, idempotency_key=key)
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import (
    CANCELED,
    REQUIRES_ACTION,
    REQUIRES_CAPTURE,
    SUCCEEDED,
    Event,
    Gateway,
    GatewayError,
    InvalidWebhook,
    PaymentActionRequired,
    PaymentDeclined,
    PaymentError,
    PaymentResult,
    PaymentStateError,
    SavedCard,
)

__all__ = [
    "CANCELED",
    "REQUIRES_ACTION",
    "REQUIRES_CAPTURE",
    "SUCCEEDED",
    "Event",
    "Gateway",
    "GatewayError",
    "InvalidWebhook",
    "PaymentActionRequired",
    "PaymentDeclined",
    "PaymentError",
    "PaymentResult",
    "PaymentStateError",
    "SavedCard",
    "get_gateway",
]


def get_gateway() -> Gateway:
    """The gateway named by settings.PAYMENT_GATEWAY ("offline", the default, or "stripe")."""
    name = getattr(settings, "PAYMENT_GATEWAY", "offline")
    if name == "offline":
        from .offline import OfflineGateway

        return OfflineGateway()
    if name == "stripe":
        from .stripe_gateway import StripeGateway

        return StripeGateway()
    raise ImproperlyConfigured(f"PAYMENT_GATEWAY must be 'offline' or 'stripe', not {name!r}")
