"""When a made-to-order ring arrives: the workshop's production days, then insured transit, counted in business
days (Monday to Friday, except the shop's holidays). The counting is pure: the caller passes the day the order is
placed and the holidays; `shop_today` and `shop_holidays` are where callers get them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

TRANSIT_DAYS = 3
SATURDAY = 5
MONDAY, THURSDAY = 0, 3
HOLIDAYS_CACHE_KEY = "ring_builder:holidays"
HOLIDAYS_CACHE_SECONDS = 600
NO_HOLIDAYS: frozenset[date] = frozenset()


def is_business_day(day: date, holidays: Collection[date] = NO_HOLIDAYS) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_business_days(start: date, days: int, holidays: Collection[date] = NO_HOLIDAYS) -> date:
    """The business day `days` business days after `start` (the start itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            days -= 1
    return day


def delivered_by(
    *,
    ordered_on: date,
    production_days: int,
    transit_days: int = TRANSIT_DAYS,
    holidays: Collection[date] = NO_HOLIDAYS,
) -> date:
    """The latest day a ring ordered on `ordered_on` arrives."""
    return add_business_days(ordered_on, production_days + transit_days, holidays)


def shop_today() -> date:
    """Today where the workshop is: an order placed at 11 pm in New York is still placed that day."""
    return timezone.localdate(timezone=ZoneInfo(settings.SHOP_TIME_ZONE))


def shop_holidays() -> frozenset[date]:
    """Every holiday in the table, for the functions above. One query, then cached for ten minutes; saving or
    deleting a Holiday forgets the cache (apps.py), so the admin's edits count at once."""
    holidays = cache.get(HOLIDAYS_CACHE_KEY)
    if holidays is None:
        from .models import Holiday

        holidays = frozenset(Holiday.objects.values_list("date", flat=True))
        cache.set(HOLIDAYS_CACHE_KEY, holidays, HOLIDAYS_CACHE_SECONDS)
    return holidays


def forget_holidays() -> None:
    cache.delete(HOLIDAYS_CACHE_KEY)


# --- US federal holidays (seeded after migrate, see apps.py) ---------------------------------------------------
def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` of the month; n = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _fixed(year: int, month: int, day: int, name: str) -> tuple[date, str]:
    """A fixed-date holiday on the day it is observed: on a Saturday the Friday before, on a Sunday the Monday after
    (5 U.S.C. 6103(b)). That weekday is when offices and carriers close."""
    actual = date(year, month, day)
    observed = actual + timedelta(days={SATURDAY: -1, SATURDAY + 1: 1}.get(actual.weekday(), 0))
    return observed, name if observed == actual else f"{name} (observed)"


def us_federal_holidays(year: int) -> list[tuple[date, str]]:
    """(day, name) for each federal holiday observed in `year`, in date order."""
    days = [
        _fixed(year, 1, 1, "New Year's Day"),
        (_nth_weekday(year, 1, MONDAY, 3), "Martin Luther King Jr. Day"),
        (_nth_weekday(year, 2, MONDAY, 3), "Presidents' Day"),
        (_nth_weekday(year, 5, MONDAY, -1), "Memorial Day"),
        _fixed(year, 6, 19, "Juneteenth"),
        _fixed(year, 7, 4, "Independence Day"),
        (_nth_weekday(year, 9, MONDAY, 1), "Labor Day"),
        (_nth_weekday(year, 10, MONDAY, 2), "Columbus Day / Indigenous Peoples' Day"),
        _fixed(year, 11, 11, "Veterans Day"),
        (_nth_weekday(year, 11, THURSDAY, 4), "Thanksgiving Day"),
        _fixed(year, 12, 25, "Christmas Day"),
        # A New Year's Day on a Saturday is observed on December 31 of the year before.
        _fixed(year + 1, 1, 1, "New Year's Day"),
    ]
    return sorted((day, name) for day, name in days if day.year == year)
