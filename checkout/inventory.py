"""One-of-a-kind stones never sell twice.

Starting payment reserves each stone for a checkout (15 minutes); a paid checkout turns its own reservations into
sales; an expired reservation is freed by a beat task. Every step locks the stones' rows first (SELECT ... FOR
UPDATE), always in the same order (diamonds, then gemstones, each by primary key) so two checkouts can never
deadlock, and no lock is ever held across a call to a payment provider: callers reserve, commit, charge, then sell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from catalog.grades import StoneStatus
from catalog.models import Diamond, Gemstone

RESERVATION_MINUTES = 15
SOLD_MESSAGE = "Sorry, this item has just been sold"
RESERVED_MESSAGE = "This item is reserved in another shopper's checkout; please check back in a few minutes"
MODELS = {"diamond": Diamond, "gemstone": Gemstone}  # the lock order


class StoneUnavailable(Exception):
    """A stone this checkout wanted is sold or held by another checkout; the message is for the shopper."""

    def __init__(self, message: str, *, sku: str):
        super().__init__(message)
        self.message = message
        self.sku = sku


@dataclass(frozen=True, order=True)
class StoneRef:
    kind: str  # "diamond" or "gemstone"
    sku: str


def _fetch_for_update(model, skus: list[str]) -> list:
    """The stones' rows, locked until the transaction ends, in primary-key order."""
    return list(model.objects.select_for_update().filter(sku__in=skus).order_by("pk"))


def _locked_rows(refs: list[StoneRef]) -> list:
    rows = []
    for kind, model in MODELS.items():
        skus = sorted({r.sku for r in refs if r.kind == kind})
        if skus:
            found = _fetch_for_update(model, skus)
            missing = set(skus) - {row.sku for row in found}
            if missing:
                raise StoneUnavailable(SOLD_MESSAGE, sku=sorted(missing)[0])
            rows.extend(found)
    return rows


def _held_by_other(row, holder: str, now: datetime) -> bool:
    return (
        row.status == StoneStatus.RESERVED
        and row.reserved_by != holder
        and row.reserved_until is not None
        and row.reserved_until > now
    )


def stones_reserve(*, refs: list[StoneRef], holder: str, now: datetime | None = None) -> datetime:
    """Hold every stone for `holder` for RESERVATION_MINUTES, or none of them. Returns when the hold ends."""
    now = now or timezone.now()
    until = now + timedelta(minutes=RESERVATION_MINUTES)
    with transaction.atomic():
        rows = _locked_rows(refs)
        for row in rows:
            if row.status == StoneStatus.SOLD:
                raise StoneUnavailable(SOLD_MESSAGE, sku=row.sku)
            if _held_by_other(row, holder, now):
                raise StoneUnavailable(RESERVED_MESSAGE, sku=row.sku)
        for row in rows:
            row.status, row.reserved_until, row.reserved_by = StoneStatus.RESERVED, until, holder
            row.save(update_fields=["status", "reserved_until", "reserved_by", "updated_at"])
    return until


def stones_sell(*, refs: list[StoneRef], holder: str, now: datetime | None = None) -> None:
    """Mark the stones sold to `holder`'s checkout, all or none. A stone sold meanwhile, or held by someone else
    after this checkout's hold expired, raises StoneUnavailable: the caller refunds the payment."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = _locked_rows(refs)
        for row in rows:
            if row.status == StoneStatus.SOLD:
                raise StoneUnavailable(SOLD_MESSAGE, sku=row.sku)
            if _held_by_other(row, holder, now):
                raise StoneUnavailable(SOLD_MESSAGE, sku=row.sku)
        for row in rows:
            row.status, row.reserved_until, row.reserved_by = StoneStatus.SOLD, None, ""
            row.save(update_fields=["status", "reserved_until", "reserved_by", "updated_at"])


def stones_release(*, refs: list[StoneRef], holder: str) -> int:
    """Give back the stones `holder` still holds (a failed or abandoned payment)."""
    with transaction.atomic():
        released = 0
        for row in _locked_rows(refs) if refs else []:
            if row.status == StoneStatus.RESERVED and row.reserved_by == holder:
                row.status, row.reserved_until, row.reserved_by = StoneStatus.AVAILABLE, None, ""
                row.save(update_fields=["status", "reserved_until", "reserved_by", "updated_at"])
                released += 1
        return released


def release_expired_reservations(*, now: datetime | None = None) -> int:
    """Free every hold whose time is up (run by Celery beat)."""
    now = now or timezone.now()
    freed = 0
    for model in MODELS.values():
        freed += model.objects.filter(status=StoneStatus.RESERVED, reserved_until__lte=now).update(
            status=StoneStatus.AVAILABLE, reserved_until=None, reserved_by="", updated_at=now
        )
    return freed
