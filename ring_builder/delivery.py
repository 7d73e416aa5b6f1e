"""When a made-to-order ring arrives: the workshop's production days, then insured transit, counted in business
days (Monday to Friday). Pure: the caller passes the day the order is placed. A later issue adds holidays."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

TRANSIT_DAYS = 3
SATURDAY = 5


def is_business_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def add_business_days(start: date, days: int) -> date:
    """The business day `days` business days after `start` (the start itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_business_day(day):
            days -= 1
    return day


def delivered_by(*, ordered_on: date, production_days: int, transit_days: int = TRANSIT_DAYS) -> date:
    """The latest day a ring ordered on `ordered_on` arrives."""
    return add_business_days(ordered_on, production_days + transit_days)


def shop_today() -> date:
    """Today where the workshop is: an order placed at 11 pm in New York is still placed that day."""
    return timezone.localdate(timezone=ZoneInfo(settings.SHOP_TIME_ZONE))
