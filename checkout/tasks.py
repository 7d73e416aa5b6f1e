"""Celery tasks: each takes ids (or nothing) and calls a service; `now` may be passed as an ISO timestamp so tests can
drive the plan's three months with a clock they control."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from .inventory import release_expired_reservations

log = logging.getLogger(__name__)


def _now(now: str | None) -> datetime:
    return datetime.fromisoformat(now) if now else timezone.now()


@shared_task
def release_expired_stone_reservations() -> int:
    return release_expired_reservations()


@shared_task
def charge_due_instalments(now: str | None = None) -> dict[str, str]:
    """Every instalment due by today (and failed ones once a day) of a live plan: charge it once."""
    from .models import Installment
    from .plans import LIVE, plan_charge_instalment

    moment = _now(now)
    due = Installment.objects.filter(
        status__in=[Installment.Status.PENDING, Installment.Status.FAILED],
        due_on__lte=timezone.localdate(moment),
        plan__status__in=LIVE,
    ).values_list("pk", flat=True)
    outcomes = {}
    for pk in due:
        outcomes[str(pk)] = plan_charge_instalment(instalment_id=pk, now=moment)
        log.info("Instalment %s: %s", pk, outcomes[str(pk)])
    return outcomes


@shared_task
def refresh_plan_holds(now: str | None = None) -> dict[str, str]:
    from .models import InstallmentPlan
    from .plans import LIVE, hold_refresh_days, plan_refresh_hold

    moment = _now(now)
    stale = InstallmentPlan.objects.filter(
        status__in=LIVE, hold_minor__gt=0, hold_placed_at__lte=moment - timedelta(days=hold_refresh_days())
    ).values_list("pk", flat=True)
    return {str(pk): plan_refresh_hold(plan_id=pk, now=moment) for pk in stale}


@shared_task
def default_overdue_plans(now: str | None = None) -> dict[str, str]:
    from .models import InstallmentPlan
    from .plans import plan_default_overdue

    moment = _now(now)
    plans = InstallmentPlan.objects.filter(status=InstallmentPlan.Status.IN_GRACE).values_list("pk", flat=True)
    return {str(pk): plan_default_overdue(plan_id=pk, now=moment) for pk in plans}


@shared_task
def cancel_plan(plan_id: int, reason: str = "") -> str:
    from .plans import plan_cancel

    return plan_cancel(plan_id=plan_id, reason=reason)
