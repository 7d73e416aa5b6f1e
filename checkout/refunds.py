"""Refunds: giving back all or part of what an order's payments took, at the gateway that took it.

The order of the steps is the point (DESIGN.md §5, §6.3):
1. the amount is checked against what is left to refund, read without a lock: a refusal writes nothing;
2. the gateway refunds with no transaction open and no row locked, under an idempotency key made from the order
   number and the refund's sequence number, so a retried request never refunds twice;
3. the outcome is recorded under the order's then the payment's row lock (the lock order everywhere): the payment's
   refunded amount and status, a refund event with the staff user, and the order moves to refunded once nothing is
   left, which emails the shopper; a partial refund emails them itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from .emails import queue_order_email
from .models import Order, OrderEvent, Payment
from .money import Money, minor_units, quantize
from .orders import can_move, order_transition
from .payments import Gateway, GatewayError, PaymentStateError

# A charge in one of these took money that may still be given back.
REFUNDABLE = (Payment.Status.SUCCEEDED, Payment.Status.PARTIALLY_REFUNDED)


class RefundError(Exception):
    """A refund that cannot be made, or failed at the gateway; the message is for staff."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Refund:
    """A refund made: how much, the gateway's refund ids (one per payment refunded), and the order as it is now."""

    order: Order
    amount: Money
    refund_ids: tuple[str, ...]
    fully_refunded: bool


def gateway_for(name: str) -> Gateway:
    """The gateway a payment was made with: a refund goes back the way the money came, whatever the shop uses now."""
    if name == Payment.Gateway.OFFLINE:
        from .payments.offline import OfflineGateway

        return OfflineGateway()
    if name == Payment.Gateway.STRIPE:
        from .payments.stripe_gateway import StripeGateway

        return StripeGateway()
    raise RefundError(f"Payments made with {name!r} cannot be refunded from here.")


def _staff(by):
    return by if by is not None and by.is_authenticated else None


def _left(payment: Payment) -> int:
    return payment.amount_minor - payment.refunded_minor


def _refundable_payments(order: Order) -> list[Payment]:
    return list(
        order.payments.filter(kind=Payment.Kind.CHARGE, status__in=REFUNDABLE, refunded_minor__lt=F("amount_minor"))
        .exclude(gateway_id="")
        .order_by("created", "pk")
    )


def refundable(order: Order) -> Money:
    """What is left to refund on `order`, in its currency (a selector: reads only)."""
    minor = sum(_left(payment) for payment in _refundable_payments(order) if payment.currency == order.currency)
    return Money.from_minor_units(minor, order.currency)


def _check_amount(amount: Money, *, left: Money) -> None:
    if amount.currency != left.currency:
        raise RefundError(f"This order was paid in {left.currency}; enter the refund in {left.currency}.")
    if not amount.amount.is_finite() or amount.amount <= 0:
        raise RefundError("Enter an amount above zero.")
    if quantize(amount.amount, amount.currency) != amount.amount:
        raise RefundError(f"{amount.currency} amounts have at most {minor_units(amount.currency)} decimals.")
    if amount.amount > left.amount:
        raise RefundError(f"Only {left} is left to refund on this order.")


def _plan(payments: list[Payment], amount_minor: int | None) -> list[tuple[Payment, int | None, int]]:
    """(payment, amount to ask the gateway for or None for all it has left, amount in minor units) per payment,
    oldest payment first, until `amount_minor` (None: everything) is covered."""
    steps = []
    rest = amount_minor
    for payment in payments:
        left = _left(payment)
        if rest is None:
            steps.append((payment, None, left))
            continue
        take = min(left, rest)
        steps.append((payment, None if take == left else take, take))
        rest -= take
        if rest == 0:
            break
    return steps


def _refund_count(order_id: int) -> int:
    return OrderEvent.objects.filter(order_id=order_id, kind=OrderEvent.Kind.REFUND).count()


def order_refund(*, order_id: int, amount: Money | None = None, by=None, reason: str = "") -> Refund:
    """Refund `amount` (None: everything left) of the order's payments, and record it; raise RefundError, writing
    nothing, for an amount that is not positive, has too many decimals, is in another currency or is more than is
    left, or for an order with nothing to refund.

    Call it outside any transaction: no row lock may be held while the gateway is called. A gateway failure raises
    RefundError after logging it on the order; the same refund tried again reuses the idempotency key, so a refund
    that went through at the gateway but was not recorded is recorded then, not made twice."""
    order = Order.objects.get(pk=order_id)
    payments = _refundable_payments(order)
    if not payments:
        if order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.REFUNDED).exists():
            raise RefundError(f"Order {order.number} has been refunded in full already.")
        raise RefundError(f"Order {order.number} has no payment to refund.")
    if any(payment.currency != order.currency for payment in payments):
        raise RefundError(f"Order {order.number} has a payment in another currency; refund it at the gateway.")
    left = refundable(order)
    if amount is not None:
        _check_amount(amount, left=left)
    steps = _plan(payments, None if amount is None else amount.to_minor_units())

    refund_ids, refunded_minor, fully = [], 0, False
    for index, (payment, ask_minor, amount_minor) in enumerate(steps):
        key = f"{order.number}:refund:{_refund_count(order.pk) + 1}"
        # No transaction open, no row locked: the gateway may take seconds.
        try:
            refund_id = gateway_for(payment.gateway).refund(payment.gateway_id, ask_minor, idempotency_key=key)
        except GatewayError as exc:
            what = f"The refund of {Money.from_minor_units(amount_minor, order.currency)} failed at the gateway"
            OrderEvent.objects.create(
                order=order,
                kind=OrderEvent.Kind.NOTE,
                message=f"{what} ({payment.gateway_id}): {exc}",
                staff_user=_staff(by),
            )
            if isinstance(exc, PaymentStateError):
                outcome = f"{what}, which refused it: {exc}"
            else:  # a timeout or an outage: it may have gone through, and the same key makes a retry safe
                outcome = f"{what}, which did not answer clearly ({exc}). Try again: a retry cannot refund twice"
            if refunded_minor:
                outcome += f". {Money.from_minor_units(refunded_minor, order.currency)} was refunded before that"
            raise RefundError(outcome + ".") from exc
        recorded = payment_record_refund(
            payment_id=payment.pk,
            refund_id=refund_id,
            amount_minor=amount_minor,
            by=by,
            reason=reason,
            notify=index == len(steps) - 1,
            email_amount=Money.from_minor_units(refunded_minor + amount_minor, order.currency),
        )
        refund_ids.append(refund_id)
        refunded_minor += amount_minor
        fully = recorded
    order.refresh_from_db()
    return Refund(
        order=order,
        amount=Money.from_minor_units(refunded_minor, order.currency),
        refund_ids=tuple(refund_ids),
        fully_refunded=fully,
    )


def payment_record_refund(
    *,
    payment_id: int,
    refund_id: str,
    amount_minor: int | None = None,
    by=None,
    reason: str = "",
    notify: bool = True,
    email_amount: Money | None = None,
) -> bool:
    """Record a refund the gateway made (`amount_minor`; None: all that was left) on a payment, once per refund id.

    Locks the order, then the payment; a refund id already in the order's log returns at once. When the order has
    nothing left to refund it moves to refunded (which emails the shopper); otherwise, with `notify`, the shopper is
    emailed the refund (`email_amount`, by default this one). Returns True when the order is refunded in full."""
    order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)  # order first, then payment: the lock order
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        recorded = OrderEvent.objects.filter(
            order=order, kind=OrderEvent.Kind.REFUND, message__contains=f"({refund_id})"
        ).exists()
        if recorded:  # a retry, or the same refund recorded by a caller at the same moment
            return not _refundable_payments(order)
        left = _left(payment)
        amount_minor = left if amount_minor is None else amount_minor
        if not 0 < amount_minor <= left:
            # The gateway refunded it, so the money is gone; the shop's books say otherwise. A person must look.
            raise RefundError(f"Refund {refund_id} of {amount_minor} does not fit payment {payment.pk} ({left} left).")
        payment.refunded_minor += amount_minor
        fully_paid_back = payment.refunded_minor == payment.amount_minor
        payment.status = Payment.Status.REFUNDED if fully_paid_back else Payment.Status.PARTIALLY_REFUNDED
        payment.save(update_fields=["refunded_minor", "status", "updated"])
        amount = Money.from_minor_units(amount_minor, payment.currency)
        OrderEvent.objects.create(
            order=order,
            kind=OrderEvent.Kind.REFUND,
            message=f"Refunded {amount} ({refund_id})" + (f": {reason}" if reason else "."),
            staff_user=_staff(by),
        )
        fully = not _refundable_payments(order)
        if fully and can_move(order.status, Order.Status.REFUNDED):
            order_transition(order=order, to_status=Order.Status.REFUNDED, by=by, message=reason or "Refunded in full.")
        elif notify and order.status != Order.Status.REFUNDED:
            # A partial refund, or a full one of an order that stays as it is (the money came after it was cancelled).
            queue_order_email(order.pk, "refunded", refunded=email_amount or amount)
    return fully
