"""Stripe's webhook: verified by signature, each event processed once (its id stored), safe under duplicates and in
any order, because every handler goes through the same idempotent services as the shopper's own return from the bank.

Events handled: payment_intent.succeeded (the order is paid, the stones sold), payment_intent.payment_failed and
payment_intent.canceled (the order is cancelled, the stones freed), charge.refunded (a refund made in Stripe's
dashboard is written to the order). Anything else is acknowledged and ignored, as Stripe asks."""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .inventory import StoneUnavailable
from .models import InstallmentPlan, Order, OrderEvent, Payment, WebhookEvent
from .money import Money
from .orders import PAYMENT_DONE, webhook_event_seen
from .payments import InvalidWebhook
from .payments.stripe_gateway import StripeGateway
from .placing import order_payment_failed, order_settle

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 256 * 1024  # Stripe's events are a few KB; anything far bigger is not from Stripe


def _payment_for(intent: dict) -> Payment | None:
    payment = Payment.objects.filter(gateway=Payment.Gateway.STRIPE, gateway_id=intent.get("id", "")).first()
    if payment is None:
        # The event can beat the shopper's own request to recording the PaymentIntent id: find it by order number.
        number = (intent.get("metadata") or {}).get("order", "")
        payment = (
            Payment.objects.filter(order__number=number, gateway=Payment.Gateway.STRIPE, gateway_id="")
            .order_by("-pk")
            .first()
        )
    return payment


def _plan_payment(intent: dict) -> bool:
    """Holds and monthly charges of a split plan are recorded by plans.py as it makes them (it knows their outcome
    before Stripe tells us); their events need no action here."""
    return (intent.get("metadata") or {}).get("kind") in ("hold", "instalment")


def _plan_event(intent: dict) -> str:
    plan_id = str((intent.get("metadata") or {}).get("plan", ""))
    if not plan_id.isdigit() or not InstallmentPlan.objects.filter(pk=int(plan_id)).exists():
        log.warning("Stripe event for %s names unknown plan %r: ignored", intent.get("id"), plan_id)
        return "unknown plan: ignored"
    return "plan payment: recorded by the plan"


def _succeeded(intent: dict, gateway) -> str:
    if _plan_payment(intent):
        return _plan_event(intent)
    payment = _payment_for(intent)
    if payment is None:
        return "unknown payment"
    if intent.get("amount") != payment.amount_minor or str(intent.get("currency", "")).upper() != payment.currency:
        # Never mark an order paid for an amount it was not charged.
        OrderEvent.objects.create(
            order_id=payment.order_id,
            kind=OrderEvent.Kind.NOTE,
            message=f"Webhook: {intent.get('id')} succeeded for {intent.get('amount')} {intent.get('currency')}, "
            f"not the {payment.amount}: check it in Stripe.",
        )
        return "amount mismatch"
    try:
        order_settle(order_id=payment.order_id, gateway_id=intent["id"], gateway=gateway)
    except StoneUnavailable:
        return "paid for a stone sold elsewhere: refunded"
    return "paid"


def _failed(intent: dict) -> str:
    if _plan_payment(intent):
        return _plan_event(intent)
    payment = _payment_for(intent)
    if payment is None:
        return "unknown payment"
    if payment.status in PAYMENT_DONE:
        return "already paid"  # an older failure arriving after the success
    error = (intent.get("last_payment_error") or {}).get("message") or intent.get("status", "failed")
    order_payment_failed(order_id=payment.order_id, message=f"Stripe: the payment failed ({error}).")
    return "failed"


def _refunded(charge: dict) -> str:
    payment = Payment.objects.filter(
        gateway=Payment.Gateway.STRIPE, gateway_id=charge.get("payment_intent") or ""
    ).first()
    if payment is None:
        return "unknown payment"
    refunded = min(int(charge.get("amount_refunded") or 0), payment.amount_minor)
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=payment.order_id)  # the lock order: order, then payment
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if refunded <= payment.refunded_minor:
            return "already recorded"
        payment.refunded_minor = refunded
        payment.status = (
            Payment.Status.REFUNDED if refunded == payment.amount_minor else Payment.Status.PARTIALLY_REFUNDED
        )
        payment.save(update_fields=["refunded_minor", "status", "updated"])
        OrderEvent.objects.create(
            order_id=payment.order_id,
            kind=OrderEvent.Kind.REFUND,
            message=f"Stripe reports {Money.from_minor_units(refunded, payment.currency)} refunded in total.",
        )
    return "refund recorded"


HANDLERS = {
    "payment_intent.succeeded": lambda obj, gateway: _succeeded(obj, gateway),
    "payment_intent.payment_failed": lambda obj, gateway: _failed(obj),
    "payment_intent.canceled": lambda obj, gateway: _failed(obj),
    "charge.refunded": lambda obj, gateway: _refunded(obj),
}


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if len(request.body) > MAX_BODY_BYTES:
        return HttpResponseBadRequest("Payload too large.")
    try:
        gateway = StripeGateway()
        event = gateway.parse_webhook(request.body, request.headers.get("Stripe-Signature", ""))
    except InvalidWebhook as refused:
        log.warning("Refused a Stripe webhook: %s", refused)
        return HttpResponseBadRequest("Invalid signature.")
    except Exception as broken:
        log.error("Stripe webhook cannot be verified: %s", broken)
        return HttpResponseBadRequest("Webhooks are not configured.")
    if WebhookEvent.objects.filter(gateway="stripe", event_id=event.id).exists():
        log.info("Stripe event %s (%s) seen before: ignored", event.id, event.type)
        return HttpResponse("Already processed.")
    # Handled outside one big transaction: a handler may have to refund through Stripe, and no row lock may be held
    # across that call. Every handler is idempotent, so two deliveries racing here change things once; the event id
    # is stored after the work, so a delivery that failed half-way is processed again on Stripe's retry.
    handler = HANDLERS.get(event.type)
    outcome = handler(event.object, gateway) if handler else "ignored"
    webhook_event_seen(gateway="stripe", event_id=event.id, type=event.type)
    log.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return HttpResponse(outcome)
