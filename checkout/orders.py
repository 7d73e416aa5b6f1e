"""Orders after checkout: their numbers, the status moves they may make, and payments and webhooks recorded once.

Every state change follows one pattern (DESIGN.md §6.3): lock the row, return if already done, check the allowed
move, save, write an event. Locks are taken order first, then payment, everywhere, so two callers never deadlock.
Nothing here calls a payment provider: callers talk to the gateway outside these transactions and record the outcome.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from .emails import queue_order_email
from .models import Order, OrderEvent, Payment, WebhookEvent

# No 0/O or 1/I: an order number is read out over the phone and typed from a receipt.
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NUMBER_PREFIX = "SOL-"
NUMBER_LENGTH = 8  # 32**8 ≈ 1.1e12 numbers: a collision is rare and an order number cannot be guessed
NUMBER_ATTEMPTS = 5

Status = Order.Status

# status -> the statuses it may move to (django-oscar's pipeline). Cancelled and refunded are final.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Status.PLACED: frozenset({Status.PAID, Status.CANCELLED}),
    Status.PAID: frozenset({Status.IN_PRODUCTION, Status.CANCELLED, Status.REFUNDED}),
    Status.IN_PRODUCTION: frozenset({Status.SHIPPED, Status.CANCELLED, Status.REFUNDED}),
    Status.SHIPPED: frozenset({Status.DELIVERED, Status.REFUNDED}),
    Status.DELIVERED: frozenset({Status.REFUNDED}),
    Status.CANCELLED: frozenset(),
    Status.REFUNDED: frozenset(),
}
# The email the shopper gets when the order reaches a status (sent on commit, once: a move happens once).
STATUS_EMAILS: dict[str, str] = {Status.SHIPPED: "shipped", Status.REFUNDED: "refunded"}
TRACKING_REQUIRED = "Add a tracking number before marking the order as shipped."
# A payment in one of these has already succeeded; recording its success again changes nothing.
PAYMENT_DONE = frozenset({Payment.Status.SUCCEEDED, Payment.Status.REFUNDED, Payment.Status.PARTIALLY_REFUNDED})


class InvalidTransition(Exception):
    """A status move the rules do not allow; the message is for staff."""

    def __init__(self, message: str, *, from_status: str = "", to_status: str = ""):
        super().__init__(message)
        self.message = message
        self.from_status = from_status
        self.to_status = to_status


# --- Pure rules ------------------------------------------------------------------------------------------------------
def _label(status: str) -> str:
    try:
        return Status(status).label.lower()
    except ValueError:
        return repr(status)


def check_move(from_status: str, to_status: str) -> None:
    """Raise InvalidTransition, saying what is allowed instead, unless `from_status` may move to `to_status`."""
    if to_status not in Status.values:
        raise InvalidTransition(f"{to_status!r} is not an order status.", from_status=from_status, to_status=to_status)
    allowed = ALLOWED_MOVES.get(from_status, frozenset())
    if to_status in allowed:
        return
    if not allowed:
        reason = f"A {_label(from_status)} order is final: its status cannot change."
    else:
        options = ", ".join(_label(s) for s in Status.values if s in allowed)
        reason = f"A {_label(from_status)} order cannot become {_label(to_status)}; it can become: {options}."
    raise InvalidTransition(reason, from_status=from_status, to_status=to_status)


def check_ready(from_status: str, to_status: str, *, tracking_number: str) -> None:
    """Raise InvalidTransition unless the order has what `to_status` needs: a shipped order has a tracking number
    (the shipped email gives it to the shopper)."""
    if to_status == Status.SHIPPED and not tracking_number.strip():
        raise InvalidTransition(TRACKING_REQUIRED, from_status=from_status, to_status=to_status)


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_MOVES.get(from_status, frozenset())


def _candidate() -> str:
    return NUMBER_PREFIX + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))


# --- Services --------------------------------------------------------------------------------------------------------
def order_number() -> str:
    """A new order number, e.g. 'SOL-7KQ2MXW9', not used by any order yet.

    The unique constraint on Order.number still guards the tiny window between this check and the insert."""
    for _ in range(NUMBER_ATTEMPTS):
        number = _candidate()
        if not Order.objects.filter(number=number).exists():
            return number
    raise RuntimeError(f"No free order number after {NUMBER_ATTEMPTS} attempts")


def order_transition(*, order: Order, to_status: str, by=None, message: str = "") -> Order:
    """Move `order` to `to_status` under a row lock and log it; moving to the status it already has does nothing.

    Moving to shipped needs a tracking number (saved before the move). Reaching shipped or refunded emails the
    shopper once the transaction commits. Returns the order as saved. The passed instance gets the new status too,
    so that a caller saving it afterwards cannot write the old status back."""
    if to_status not in Status.values:
        raise InvalidTransition(f"{to_status!r} is not an order status.", to_status=to_status)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != to_status:
            check_move(locked.status, to_status)
            check_ready(locked.status, to_status, tracking_number=locked.tracking_number)
            from_status = locked.status
            locked.status = to_status
            locked.save(update_fields=["status", "updated_at"])
            OrderEvent.objects.create(
                order=locked,
                kind=OrderEvent.Kind.STATUS_CHANGED,
                from_status=from_status,
                to_status=to_status,
                message=message,
                staff_user=by if by is not None and by.is_authenticated else None,
            )
            if to_status in STATUS_EMAILS:
                queue_order_email(locked.pk, STATUS_EMAILS[to_status])
            if to_status in (Status.CANCELLED, Status.REFUNDED):
                _end_plan_on_commit(locked.pk)
    order.status, order.updated_at = locked.status, locked.updated_at
    return locked


def _end_plan_on_commit(order_id: int) -> None:
    """A cancelled or refunded order ends its monthly plan: the hold is released and what was paid refunded, by a
    task after commit (it calls the gateway, which must never happen under this row lock)."""
    from .models import InstallmentPlan

    plan_id = (
        InstallmentPlan.objects.filter(order_id=order_id)
        .exclude(status__in=[InstallmentPlan.Status.CANCELLED, InstallmentPlan.Status.COMPLETED])
        .values_list("pk", flat=True)
        .first()
    )
    if plan_id is not None:
        from .tasks import cancel_plan

        transaction.on_commit(lambda: cancel_plan.delay(plan_id, "The order was cancelled or refunded."))


def payment_record_success(*, payment_id: int, gateway_id: str = "") -> Payment:
    """Record that a payment succeeded and move its order from placed to paid, once.

    The webhook and the shopper's return from the bank both call this, in either order and possibly at the same
    moment: the payment's row lock serialises them and the second returns early (pretix's confirm())."""
    order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)  # order first, then payment: the lock order
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status in PAYMENT_DONE:
            return payment
        if gateway_id and payment.gateway_id and payment.gateway_id != gateway_id:
            raise ValueError(f"Payment {payment.pk} is {payment.gateway_id} at the gateway, not {gateway_id}")
        payment.status = Payment.Status.SUCCEEDED
        payment.gateway_id = payment.gateway_id or gateway_id
        payment.save(update_fields=["status", "gateway_id", "updated"])
        OrderEvent.objects.create(
            order=order,
            kind=OrderEvent.Kind.PAYMENT_SUCCEEDED,
            message=f"{payment.get_kind_display()} of {payment.amount} succeeded ({payment.get_gateway_display()}"
            f"{' ' + payment.gateway_id if payment.gateway_id else ''}).",
        )
        if payment.kind == Payment.Kind.CHARGE:
            if order.status == Status.PLACED:
                order_transition(order=order, to_status=Status.PAID, message="Payment received.")
            elif order.status == Status.CANCELLED:
                # The money arrived after the order was cancelled: staff must refund it, so say so in the log.
                OrderEvent.objects.create(
                    order=order, kind=OrderEvent.Kind.NOTE, message="Payment received for a cancelled order: refund it."
                )
    return payment


def webhook_event_seen(*, gateway: str, event_id: str, type: str = "") -> bool:
    """Record a gateway's event id; True if it had been recorded before (a redelivery: do nothing).

    Call it inside the transaction that processes the event: if processing fails, the record rolls back with it and
    the gateway's retry is processed. Two deliveries at once: the second insert waits on the first's unique key and
    then fails, so exactly one of them sees False."""
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(gateway=gateway, event_id=event_id, type=type, processed_at=timezone.now())
    except IntegrityError:
        return True
    return False
