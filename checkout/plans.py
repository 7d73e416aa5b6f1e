"""The split plan's steps (DESIGN.md §4), each a service: start it at checkout, charge a due instalment, keep the hold
on the card fresh and the size of what is still owed, fall into grace and default, cancel with refunds.

Every step follows DESIGN §6.3: lock the plan row (then the instalment), return if already done, check the move,
save, write a PlanEvent, and only then talk to the gateway, with no transaction open. A charge's idempotency key is
made from plan, instalment and attempt, and is written to the instalment before the gateway is called: a worker
killed before the answer is recorded leaves the key behind, and the next run finds that payment instead of charging
again. Holds are placed before the old one is cancelled, so the balance is never uncovered."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import installments as rules
from .models import Installment, InstallmentPlan, Order, OrderEvent, Payment, PlanEvent
from .money import Money
from .payments import (
    REQUIRES_ACTION,
    SUCCEEDED,
    GatewayError,
    PaymentActionRequired,
    PaymentDeclined,
    PaymentStateError,
)

log = logging.getLogger(__name__)
GRACE_DAYS = 6
DEFAULT_AFTER_DAYS = 7
RETRY_EVERY = timedelta(days=1)
# A charge whose answer has not been recorded after this long belongs to a worker that died.
IN_FLIGHT = timedelta(minutes=10)
LIVE = (InstallmentPlan.Status.ACTIVE, InstallmentPlan.Status.IN_GRACE, InstallmentPlan.Status.DEFAULTED)


def hold_refresh_days() -> int:
    return int(getattr(settings, "PLAN_HOLD_REFRESH_DAYS", 4))


def gateway_for(plan: InstallmentPlan):
    from .refunds import gateway_for as by_name

    return by_name(plan.gateway)


def _event(plan: InstallmentPlan, kind: str, message: str) -> None:
    PlanEvent.objects.create(plan=plan, kind=kind, message=message)
    log.info("Plan %s (%s): %s", plan.pk, kind, message)


def _money(plan: InstallmentPlan, minor: int) -> Money:
    return Money.from_minor_units(minor, plan.currency)


def _move(plan: InstallmentPlan, to_status: str, message: str) -> None:
    if plan.status == to_status:
        return
    rules.check_plan_move(plan.status, to_status)
    plan.status = to_status
    plan.save(update_fields=["status", "failed_at", "updated"])
    _event(plan, "status", message)


def balance_minor(plan: InstallmentPlan) -> int:
    return sum(i.amount_minor for i in plan.instalments.all() if i.status != Installment.Status.PAID)


def paid_minor(plan: InstallmentPlan) -> int:
    return sum(i.amount_minor for i in plan.instalments.all() if i.status == Installment.Status.PAID)


# --- At checkout ---------------------------------------------------------------------------------------------------
def plan_create(*, order: Order, gateway_name: str, customer: str, payment_method: str, card_label: str, today):
    """The plan and its three instalments, written with the order (inside its transaction)."""
    total = order.total.to_minor_units()
    plan = InstallmentPlan.objects.create(
        order=order,
        currency=order.currency,
        total_minor=total,
        gateway=gateway_name,
        customer=customer,
        payment_method=payment_method,
        card_label=card_label,
    )
    Installment.objects.bulk_create(
        Installment(plan=plan, number=n, due_on=due, amount_minor=part)
        for n, (due, part) in enumerate(zip(rules.schedule(today), rules.split(total), strict=True), start=1)
    )
    _event(plan, "created", f"Plan of 3 payments of about {_money(plan, rules.split(total)[1])} agreed.")
    return plan


def first_charge_key(plan: InstallmentPlan) -> str:
    return charge_key(plan.pk, 1, 1)


def charge_key(plan_id: int, number: int, attempt: int) -> str:
    return f"plan-{plan_id}:instalment-{number}:attempt-{attempt}"


def plan_hold_at_checkout(*, plan: InstallmentPlan, gateway) -> None:
    """Hold what will be owed after the first payment, with the shopper present. Raises PaymentDeclined (the card
    cannot hold it, or wants authentication for it) before anything is charged."""
    balance = sum(rules.split(plan.total_minor)[1:])
    try:
        _place_hold(plan=plan, amount_minor=balance, gateway=gateway, off_session=False)
    except PaymentActionRequired as exc:
        if exc.payment_id:
            _cancel(gateway, exc.payment_id, f"plan-{plan.pk}:hold-cancel-{exc.payment_id}")
        raise PaymentDeclined(
            "This card asks for authentication on every payment, so it cannot hold monthly payments. "
            "Please pay in full or use another card.",
            "authentication_required",
        ) from exc


def plan_first_paid(*, plan_id: int, gateway_id: str, now: datetime | None = None) -> None:
    """Instalment 1 went through at checkout (called once the order is settled)."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = InstallmentPlan.objects.select_for_update().get(pk=plan_id)
        first = plan.instalments.select_for_update().get(number=1)
        if first.status == Installment.Status.PAID:
            return
        first.status, first.gateway_id, first.paid_at, first.attempts = Installment.Status.PAID, gateway_id, now, 1
        first.last_attempt_at = now
        first.save()
        _event(plan, "paid", f"Payment 1 of 3 ({first.amount}) paid; {plan.held} held on {plan.card_label}.")


def plan_abandon_at_checkout(*, order: Order, gateway=None) -> None:
    """The first payment failed or the stone was lost: release the hold and close the plan."""
    plan = InstallmentPlan.objects.filter(order=order).first()
    if plan is None:
        return
    gateway = gateway or gateway_for(plan)
    if plan.hold_id:
        _cancel(gateway, plan.hold_id, f"plan-{plan.pk}:hold-{plan.hold_sequence}:cancel")
    with transaction.atomic():
        plan = InstallmentPlan.objects.select_for_update().get(pk=plan.pk)
        plan.hold_id, plan.hold_minor = "", 0
        plan.save(update_fields=["hold_id", "hold_minor", "updated"])
        if plan.status not in (InstallmentPlan.Status.CANCELLED, InstallmentPlan.Status.COMPLETED):
            _move(plan, InstallmentPlan.Status.CANCELLED, "The order was not paid: the hold on the card is released.")


# --- Holds ----------------------------------------------------------------------------------------------------------
def _cancel(gateway, hold_id: str, key: str) -> bool:
    try:
        gateway.cancel_hold(hold_id, idempotency_key=key)
    except (PaymentStateError, GatewayError) as exc:
        log.warning("Could not release hold %s: %s", hold_id, exc)
        return False
    return True


def _place_hold(*, plan: InstallmentPlan, amount_minor: int, gateway, off_session: bool = True, now=None) -> None:
    """A new hold for `amount_minor`; then the old one (if any) is released. Raises PaymentDeclined."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = InstallmentPlan.objects.select_for_update().get(pk=plan.pk)
        locked.hold_sequence += 1
        locked.save(update_fields=["hold_sequence", "updated"])
        sequence = locked.hold_sequence
    key = f"plan-{plan.pk}:hold-{sequence}"
    result = gateway.authorize(
        amount_minor,
        plan.currency,
        payment_method=plan.payment_method,
        customer=plan.customer or None,
        capture=False,
        off_session=off_session,
        idempotency_key=key,
        metadata={"plan": str(plan.pk), "order": plan.order.number, "kind": "hold", "idempotency_key": key},
    )
    with transaction.atomic():
        locked = InstallmentPlan.objects.select_for_update().get(pk=plan.pk)
        old = locked.hold_id
        locked.hold_id, locked.hold_minor, locked.hold_placed_at = result.id, amount_minor, now
        locked.save(update_fields=["hold_id", "hold_minor", "hold_placed_at", "updated"])
        _event(locked, "hold", f"{_money(locked, amount_minor)} held on the card.")
    if old:
        _cancel(gateway, old, f"plan-{plan.pk}:hold-{sequence - 1}:cancel")
    plan.refresh_from_db()


def plan_resize_hold(*, plan: InstallmentPlan, gateway, now=None) -> None:
    """Hold exactly what is still owed: a smaller hold after a payment, none (and the plan completed) after the last."""
    balance = balance_minor(plan)
    if balance == 0:
        if plan.hold_id:
            _cancel(gateway, plan.hold_id, f"plan-{plan.pk}:hold-{plan.hold_sequence}:cancel")
        with transaction.atomic():
            locked = InstallmentPlan.objects.select_for_update().get(pk=plan.pk)
            if locked.hold_id or locked.hold_minor:
                locked.hold_id, locked.hold_minor = "", 0
                locked.save(update_fields=["hold_id", "hold_minor", "updated"])
                _event(locked, "hold", "Nothing is held on the card any more.")
            if locked.status != InstallmentPlan.Status.COMPLETED:
                locked.failed_at = None
                _move(locked, InstallmentPlan.Status.COMPLETED, "Paid in full. Thank you.")
        plan.refresh_from_db()
        return
    if plan.hold_minor == balance and plan.hold_id:
        return
    try:
        _place_hold(plan=plan, amount_minor=balance, gateway=gateway, now=now)
    except (PaymentDeclined, PaymentActionRequired) as exc:
        _fail(plan_id=plan.pk, message=f"The card could not hold the remaining {_money(plan, balance)}: {exc}", now=now)


def plan_refresh_hold(*, plan_id: int, gateway=None, now: datetime | None = None) -> str:
    """A card hold lapses after about 5–7 days: re-authorize before that, new hold first, then release the old."""
    now = now or timezone.now()
    plan = InstallmentPlan.objects.get(pk=plan_id)
    if plan.status not in LIVE or not plan.hold_id or not plan.hold_placed_at:
        return "nothing held"
    if plan.hold_placed_at > now - timedelta(days=hold_refresh_days()):
        return "fresh"
    gateway = gateway or gateway_for(plan)
    try:
        _place_hold(plan=plan, amount_minor=balance_minor(plan), gateway=gateway, now=now)
    except (PaymentDeclined, PaymentActionRequired) as exc:
        _fail(plan_id=plan.pk, message=f"Re-authorizing the hold failed: {exc}", now=now)
        return "failed"
    return "refreshed"


# --- Charges -------------------------------------------------------------------------------------------------------
def _start_attempt(*, instalment_id: int, now: datetime, force: bool, resume: bool = False) -> tuple[str, str, bool]:
    """Under the plan's and the instalment's row locks: ('', reason, False) when there is nothing to charge, else
    (key, '', recovering). A key left by a run that died mid-charge is reused, so the gateway replays its answer."""
    with transaction.atomic():
        plan_id = Installment.objects.values_list("plan_id", flat=True).get(pk=instalment_id)
        plan = InstallmentPlan.objects.select_for_update().get(pk=plan_id)
        instalment = Installment.objects.select_for_update().get(pk=instalment_id)
        if instalment.status == Installment.Status.PAID:
            return "", "already paid", False
        if plan.status not in LIVE:
            return "", f"plan is {plan.status}", False
        if instalment.charging_key:
            # Another worker is charging it right now, or one died doing so: only the second is ours to finish.
            if not resume and instalment.last_attempt_at and instalment.last_attempt_at > now - IN_FLIGHT:
                return "", "being charged", False
            return instalment.charging_key, "", True
        if not force:
            if instalment.due_on > timezone.localdate(now):
                return "", "not due", False
            if instalment.last_attempt_at and instalment.last_attempt_at > now - RETRY_EVERY:
                return "", "tried today", False
        instalment.attempts += 1
        instalment.last_attempt_at = now
        instalment.charging_key = charge_key(plan.pk, instalment.number, instalment.attempts)
        instalment.save(update_fields=["attempts", "last_attempt_at", "charging_key"])
        return instalment.charging_key, "", False


def plan_charge_instalment(
    *,
    instalment_id: int,
    gateway=None,
    now: datetime | None = None,
    force: bool = False,
    off_session: bool = True,
    resume: bool = False,
) -> str:
    """Charge one instalment once, off-session, then shrink the hold. Returns what happened, for the log: "paid",
    "failed", "already paid", "being charged", "not due", "tried today", "plan is …". `force` (staff's "retry now",
    the shopper's new card) skips the due date and the once-a-day retry rule, never the lock or the paid check.

    Raises PaymentActionRequired when `off_session` is False and the bank asks the shopper to authenticate (the
    instalment stays in its charging state until the answer is recorded)."""
    now = now or timezone.now()
    key, reason, recovering = _start_attempt(instalment_id=instalment_id, now=now, force=force, resume=resume)
    if not key:
        return reason
    instalment = Installment.objects.select_related("plan__order").get(pk=instalment_id)
    plan = instalment.plan
    gateway = gateway or gateway_for(plan)
    result = None
    if recovering:
        # The payment this key made, if it went through: by its id when the bank's question left it, else by key.
        result = gateway.retrieve(instalment.gateway_id) if instalment.gateway_id else gateway.find_payment(key)
    if result is not None and result.status == REQUIRES_ACTION:
        if off_session:
            _record_failure(instalment_id=instalment_id, message="the bank asks the cardholder to confirm", now=now)
            return "failed"
        raise PaymentActionRequired(result.client_secret, result.id)
    if result is not None and result.status != SUCCEEDED:
        _record_failure(instalment_id=instalment_id, message=f"the payment ended as {result.status}", now=now)
        return "failed"
    if result is None:
        try:
            metadata = {"plan": str(plan.pk), "order": plan.order.number, "instalment": str(instalment.number)}
            result = gateway.authorize(
                instalment.amount_minor,
                plan.currency,
                payment_method=plan.payment_method,
                customer=plan.customer or None,
                capture=True,
                off_session=off_session,
                idempotency_key=key,
                metadata={**metadata, "kind": "instalment", "idempotency_key": key},
            )
        except PaymentDeclined as exc:
            _record_failure(instalment_id=instalment_id, message=f"{exc.message} ({exc.code})", now=now)
            return "failed"
        except PaymentActionRequired as exc:
            # On-session (the shopper updating their card): they authenticate, then resume=True records it.
            Installment.objects.filter(pk=instalment_id).update(gateway_id=exc.payment_id)
            raise
        # GatewayError / PaymentActionRequired: the outcome is not known yet; the key stays for the next run.
    if not _record_payment(
        instalment_id=instalment_id, gateway_id=result.id, key=key, now=now, gateway_name=gateway.name
    ):
        return "already paid"
    plan.refresh_from_db()
    plan_resize_hold(plan=plan, gateway=gateway, now=now)
    return "paid"


def _record_payment(*, instalment_id: int, gateway_id: str, key: str, now: datetime, gateway_name: str) -> bool:
    """Record the charge once; False if it already was."""
    with transaction.atomic():
        plan_id = Installment.objects.values_list("plan_id", flat=True).get(pk=instalment_id)
        plan = InstallmentPlan.objects.select_for_update().get(pk=plan_id)
        instalment = Installment.objects.select_for_update().get(pk=instalment_id)
        if instalment.status == Installment.Status.PAID:
            return False
        rules.check_instalment_move(instalment.status, Installment.Status.PAID)
        instalment.status, instalment.gateway_id, instalment.paid_at = Installment.Status.PAID, gateway_id, now
        instalment.charging_key = ""
        instalment.save(update_fields=["status", "gateway_id", "paid_at", "charging_key"])
        Payment.objects.create(
            order_id=plan.order_id,
            gateway=gateway_name,
            gateway_id=gateway_id,
            kind=Payment.Kind.CHARGE,
            status=Payment.Status.SUCCEEDED,
            amount_minor=instalment.amount_minor,
            currency=plan.currency,
            idempotency_key=key,
        )
        OrderEvent.objects.create(
            order_id=plan.order_id,
            kind=OrderEvent.Kind.PAYMENT_SUCCEEDED,
            message=f"Monthly payment {instalment.number} of 3 ({instalment.amount}) received.",
        )
        _event(plan, "paid", f"Payment {instalment.number} of 3 ({instalment.amount}) paid.")
        if plan.status in (InstallmentPlan.Status.IN_GRACE, InstallmentPlan.Status.DEFAULTED):
            plan.failed_at = None
            _move(plan, InstallmentPlan.Status.ACTIVE, "Back on schedule.")
    return True


def _record_failure(*, instalment_id: int, message: str, now: datetime) -> None:
    with transaction.atomic():
        instalment = Installment.objects.select_for_update().get(pk=instalment_id)
        if instalment.status == Installment.Status.PAID:
            return
        instalment.status, instalment.charging_key, instalment.gateway_id = Installment.Status.FAILED, "", ""
        instalment.save(update_fields=["status", "charging_key", "gateway_id"])
    _fail(plan_id=instalment.plan_id, message=f"Payment {instalment.number} of 3 failed: {message}", now=now)


def _fail(*, plan_id: int, message: str, now: datetime | None) -> None:
    """Open the grace period (once) and ask the shopper to update the card."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = InstallmentPlan.objects.select_for_update().get(pk=plan_id)
        _event(plan, "failed", message)
        if plan.status == InstallmentPlan.Status.ACTIVE:
            plan.failed_at = now
            _move(plan, InstallmentPlan.Status.IN_GRACE, f"Grace period until {grace_ends(plan):%B %-d}.")
            transaction.on_commit(lambda: _queue_card_email(plan.pk))


def grace_ends(plan: InstallmentPlan) -> datetime:
    return plan.failed_at + timedelta(days=GRACE_DAYS)


def plan_default_overdue(*, plan_id: int, now: datetime | None = None) -> str:
    now = now or timezone.now()
    with transaction.atomic():
        plan = InstallmentPlan.objects.select_for_update().get(pk=plan_id)
        if plan.status != InstallmentPlan.Status.IN_GRACE or not plan.failed_at:
            return "not in grace"
        if now < plan.failed_at + timedelta(days=DEFAULT_AFTER_DAYS):
            return "grace running"
        _move(plan, InstallmentPlan.Status.DEFAULTED, "No payment within the grace period: handed to Customer service.")
    return "defaulted"


CARD_LINK_SALT = "checkout.plan-card"
CARD_LINK_DAYS = 14


def card_link(plan: InstallmentPlan) -> str:
    """The email's link to update the card: signed, so it works for a guest on any device (their checkout session is
    long gone a month later) and for a customer not signed in on this device; it expires after CARD_LINK_DAYS."""
    from django.core.signing import TimestampSigner

    token = TimestampSigner(salt=CARD_LINK_SALT).sign(f"{plan.pk}:{plan.order.number}")
    return f"{settings.SITE_URL.rstrip('/')}/account/plans/{plan.pk}/card/?t={token}"


def card_link_valid(plan: InstallmentPlan, token: str) -> bool:
    from django.core.signing import BadSignature, TimestampSigner

    try:
        value = TimestampSigner(salt=CARD_LINK_SALT).unsign(token, max_age=timedelta(days=CARD_LINK_DAYS))
    except BadSignature:
        return False
    return value == f"{plan.pk}:{plan.order.number}"


def _queue_card_email(plan_id: int) -> None:
    from core.outbox import email_queue

    plan = InstallmentPlan.objects.select_related("order").get(pk=plan_id)
    link = card_link(plan)
    text = (
        f"We could not take this month's payment for order {plan.order.number} from {plan.card_label}.\n\n"
        f"Please update your card by {grace_ends(plan):%B %-d} so your plan stays on schedule:\n{link}\n\n"
        "There are no fees and no interest. If you have any question, call us.\n"
    )
    email_queue(
        subject=f"Action needed: your monthly payment for {plan.order.number}", to=[plan.order.email], text=text
    )


# --- Cancelling ----------------------------------------------------------------------------------------------------
def plan_cancel(*, plan_id: int, by=None, refund: bool = True, reason: str = "") -> str:
    """The order is cancelled or returned: release the hold, refund what was paid, close the plan."""
    plan = InstallmentPlan.objects.select_related("order").get(pk=plan_id)
    if plan.status == InstallmentPlan.Status.CANCELLED and not plan.hold_id:
        return "already cancelled"
    if plan.status not in LIVE and plan.status != InstallmentPlan.Status.CANCELLED:
        return f"plan is {plan.status}"  # a completed plan is an ordinary paid order: refund it from the order
    gateway = gateway_for(plan)
    if plan.hold_id and not _cancel(gateway, plan.hold_id, f"plan-{plan.pk}:hold-{plan.hold_sequence}:cancel"):
        _event(
            plan,
            "hold",
            f"Could not release hold {plan.hold_id} at the gateway: it lapses by itself within 7 days; release it in "
            "the gateway's dashboard to free the card sooner.",
        )
    refunded = ""
    if refund:
        from .refunds import RefundError, order_refund, refundable

        if refundable(plan.order).amount > 0:
            try:
                order_refund(order_id=plan.order_id, by=by, reason=reason or "Plan cancelled.")
                refunded = " and what was paid refunded"
            except RefundError as exc:
                refunded = f"; the refund FAILED ({exc}): refund it by hand"
    with transaction.atomic():
        locked = InstallmentPlan.objects.select_for_update().get(pk=plan.pk)
        locked.hold_id, locked.hold_minor = "", 0
        locked.save(update_fields=["hold_id", "hold_minor", "updated"])
        if locked.status not in (InstallmentPlan.Status.CANCELLED, InstallmentPlan.Status.COMPLETED):
            _move(locked, InstallmentPlan.Status.CANCELLED, f"Cancelled: the hold is released{refunded}.")
    return "cancelled"


# --- What the shopper sees -------------------------------------------------------------------------------------------
def plan_summary(plan: InstallmentPlan) -> dict:
    """Paid, held, next charge: the account page's line (needs the plan's instalments, prefetched)."""
    pending = [i for i in plan.instalments.all() if i.status != Installment.Status.PAID]
    return {
        "paid": _money(plan, paid_minor(plan)),
        "held": plan.held,
        "owed": _money(plan, balance_minor(plan)),
        "next": pending[0] if pending else None,
    }
