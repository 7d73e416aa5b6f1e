"""When a request must be answered: by the end of the second business day after the day it arrives, counted in
the shop's time zone, weekends and the shop's holidays skipped (the same holidays "delivered by" dates skip).

A message sent on Friday at 23:00 arrives on a Friday: Monday is the first business day after it, Tuesday the
second, so it is due by the end of Tuesday. Saturday and Sunday arrivals are due then too."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from ring_builder.delivery import NO_HOLIDAYS, add_business_days, shop_holidays

ANSWER_WITHIN_BUSINESS_DAYS = 2
END_OF_DAY = time(23, 59, 59)


def answer_due(received_at: datetime, *, tz: ZoneInfo, holidays: Collection[date] = NO_HOLIDAYS) -> datetime:
    """The moment (aware, in `tz`) by which a request received at `received_at` is answered."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    arrived_on = received_at.astimezone(tz).date()
    due_on = add_business_days(arrived_on, ANSWER_WITHIN_BUSINESS_DAYS, holidays)
    return datetime.combine(due_on, END_OF_DAY, tzinfo=tz)


def zone_name(key: str) -> str:
    """'New York time' for America/New_York: how people recognise a zone."""
    return key.rsplit("/", 1)[-1].replace("_", " ") + " time"


def shop_zone() -> ZoneInfo:
    return ZoneInfo(settings.SHOP_TIME_ZONE)


def shop_answer_due(received_at: datetime) -> datetime:
    return answer_due(received_at, tz=shop_zone(), holidays=shop_holidays())
