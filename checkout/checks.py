"""Deployment checks for payments (`manage.py check --deploy`): a live shop must take real money, with every key set.

The offline gateway approves test cards and moves no money, so a production deployment that falls back to it would
"sell" for free. It is refused unless PAYMENT_ALLOW_OFFLINE says this is a demo or staging site on purpose."""

from django.conf import settings
from django.core.checks import Error, Tags, register

STRIPE_KEYS = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")


@register(Tags.security, deploy=True)
def payments_ready(app_configs=None, **kwargs):
    gateway = getattr(settings, "PAYMENT_GATEWAY", "offline")
    if gateway == "offline" and not getattr(settings, "PAYMENT_ALLOW_OFFLINE", False):
        return [
            Error(
                "PAYMENT_GATEWAY is 'offline': the test gateway takes no money.",
                hint="Set PAYMENT_GATEWAY=stripe with STRIPE_* keys, or PAYMENT_ALLOW_OFFLINE=true for a demo site.",
                id="checkout.E001",
            )
        ]
    if gateway == "stripe":
        missing = [name for name in STRIPE_KEYS if not getattr(settings, name, "")]
        if missing:
            return [
                Error(
                    f"PAYMENT_GATEWAY is 'stripe' but {', '.join(missing)} is not set.",
                    hint="Copy the keys and the webhook signing secret from the Stripe dashboard into the environment.",
                    id="checkout.E002",
                )
            ]
    return []
