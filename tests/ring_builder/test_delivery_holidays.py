"""Holidays in "delivered by" dates: the pure counting with holidays passed in, the US federal holidays seeded after
migrate, the cached selector forgetting on every admin or ORM change, and the review page using them."""

import re
from datetime import date, timedelta

import pytest
from django.apps import apps

from ring_builder.apps import _seed_holidays
from ring_builder.delivery import (
    add_business_days,
    delivered_by,
    is_business_day,
    shop_holidays,
    shop_today,
    us_federal_holidays,
)
from ring_builder.models import Holiday

from .conftest import choose

THANKSGIVING = date(2026, 11, 26)  # a Thursday
INDEPENDENCE_OBSERVED = date(2026, 7, 3)  # a Friday: July 4, 2026 is a Saturday
CHRISTMAS, NEW_YEAR = date(2026, 12, 25), date(2027, 1, 1)  # both Fridays

# The Office of Personnel Management's published dates (observed days), which the seed must match.
FEDERAL_2026 = [
    date(2026, 1, 1),
    date(2026, 1, 19),
    date(2026, 2, 16),
    date(2026, 5, 25),
    date(2026, 6, 19),
    date(2026, 7, 3),
    date(2026, 9, 7),
    date(2026, 10, 12),
    date(2026, 11, 11),
    date(2026, 11, 26),
    date(2026, 12, 25),
]
FEDERAL_2027 = [
    date(2027, 1, 1),
    date(2027, 1, 18),
    date(2027, 2, 15),
    date(2027, 5, 31),
    date(2027, 6, 18),  # Juneteenth is a Saturday
    date(2027, 7, 5),  # July 4 is a Sunday
    date(2027, 9, 6),
    date(2027, 10, 11),
    date(2027, 11, 11),
    date(2027, 11, 25),
    date(2027, 12, 24),  # Christmas is a Saturday
    date(2027, 12, 31),  # New Year's Day 2028 is a Saturday
]


# --- Pure counting -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ordered_on", "production_days", "holidays", "expected"),
    [
        # Ordered Wed 25 Nov: Thanksgiving (Thu) and the weekend are skipped, so transit is Fri, Mon, Tue.
        (date(2026, 11, 25), 0, {THANKSGIVING}, date(2026, 12, 1)),
        (date(2026, 11, 25), 0, set(), date(2026, 11, 30)),  # a day earlier without it
        # Thu 2 Jul: the observed Independence Day (Fri) then the weekend; Mon, Tue, Wed.
        (date(2026, 7, 2), 0, {INDEPENDENCE_OBSERVED}, date(2026, 7, 8)),
        # Wed 23 Dec, 6 business days: Thu 24, Mon 28, Tue 29, Wed 30, Thu 31, then (after New Year) Mon 4 Jan.
        (date(2026, 12, 23), 3, {CHRISTMAS, NEW_YEAR}, date(2027, 1, 4)),
        # The case test_delivery.py counts without holidays (Jan 7) is a day later with New Year's Day.
        (date(2026, 12, 30), 3, {NEW_YEAR}, date(2027, 1, 8)),
        # Ordered on the holiday itself: the order day never counts anyway.
        (THANKSGIVING, 0, {THANKSGIVING}, date(2026, 12, 1)),
    ],
)
def test_holidays_are_skipped_like_weekends(ordered_on, production_days, holidays, expected):
    assert delivered_by(ordered_on=ordered_on, production_days=production_days, holidays=holidays) == expected


def test_a_holiday_on_a_weekend_changes_nothing():
    saturday, sunday = date(2027, 6, 19), date(2027, 6, 20)  # Juneteenth 2027 falls on a Saturday
    for start in (date(2027, 6, 16) + timedelta(days=n) for n in range(7)):
        for days in range(0, 8):
            assert add_business_days(start, days, {saturday, sunday}) == add_business_days(start, days)


def test_the_result_is_never_a_holiday_or_a_weekend():
    holidays = frozenset(FEDERAL_2026 + FEDERAL_2027)
    start = date(2026, 11, 1)
    for offset in range(70):
        for days in (1, 3, 9):
            day = add_business_days(start + timedelta(days=offset), days, holidays)
            assert is_business_day(day, holidays) and day.weekday() < 5 and day not in holidays


def test_is_business_day():
    assert not is_business_day(THANKSGIVING, {THANKSGIVING})
    assert is_business_day(THANKSGIVING)
    assert not is_business_day(date(2026, 11, 28), {THANKSGIVING})  # a Saturday


@pytest.mark.parametrize(("year", "expected"), [(2026, FEDERAL_2026), (2027, FEDERAL_2027)])
def test_us_federal_holidays_are_the_observed_days(year, expected):
    days = us_federal_holidays(year)
    assert [day for day, _name in days] == expected
    assert all(day.weekday() < 5 for day in expected)
    names = dict(days)
    assert names[date(2026, 11, 26) if year == 2026 else date(2027, 11, 25)] == "Thanksgiving Day"
    if year == 2026:
        assert names[INDEPENDENCE_OBSERVED] == "Independence Day (observed)"


# --- Seed and selector ---------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_federal_holidays_are_seeded_after_migrate():
    assert set(FEDERAL_2026 + FEDERAL_2027) <= shop_holidays()
    assert Holiday.objects.get(date=THANKSGIVING).name == "Thanksgiving Day"


@pytest.mark.django_db
def test_seeding_again_keeps_staff_edits_and_restores_only_seeded_days():
    Holiday.objects.filter(date=THANKSGIVING).update(name="Thanksgiving (workshop closed)")
    Holiday.objects.filter(date=CHRISTMAS).delete()
    Holiday.objects.create(date=date(2026, 11, 27), name="Day after Thanksgiving")
    count = Holiday.objects.count()

    _seed_holidays(sender=apps.get_app_config("ring_builder"))

    assert Holiday.objects.get(date=THANKSGIVING).name == "Thanksgiving (workshop closed)"
    assert Holiday.objects.filter(date=date(2026, 11, 27)).exists()
    assert Holiday.objects.get(date=CHRISTMAS).name == "Christmas Day"
    assert Holiday.objects.count() == count + 1


@pytest.mark.django_db
def test_the_selector_is_cached_and_forgets_on_save_and_delete(django_assert_num_queries):
    with django_assert_num_queries(1):
        shop_holidays()
    with django_assert_num_queries(0):
        assert date(2026, 11, 27) not in shop_holidays()

    added = Holiday.objects.create(date=date(2026, 11, 27), name="Day after Thanksgiving")
    assert date(2026, 11, 27) in shop_holidays()
    added.date = date(2026, 12, 24)
    added.save()
    holidays = shop_holidays()
    assert date(2026, 12, 24) in holidays and date(2026, 11, 27) not in holidays
    added.delete()
    assert date(2026, 12, 24) not in shop_holidays()
    Holiday.objects.filter(date=THANKSGIVING).delete()  # a queryset delete sends post_delete too
    assert THANKSGIVING not in shop_holidays()


@pytest.mark.django_db
def test_staff_add_a_holiday_in_the_admin(admin_client):
    assert date(2026, 12, 28) not in shop_holidays()  # cached now
    response = admin_client.post(
        "/admin/ring_builder/holiday/add/", {"date": "2026-12-28", "name": "Workshop stocktake"}
    )
    assert response.status_code == 302
    assert date(2026, 12, 28) in shop_holidays()
    listing = admin_client.get("/admin/ring_builder/holiday/").content.decode()
    assert "Workshop stocktake" in listing and "Thanksgiving Day" in listing


# --- Callers -------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_review_page_skips_a_holiday_added_by_staff(client, shop):
    choose(client, "setting", "classic-halo")  # made in 6 business days, then 3 in transit
    choose(client, "diamond", "ROUND100")

    def shown() -> date:
        page = client.get("/ring-builder/review/").content.decode()
        return date.fromisoformat(re.search(r'datetime="(\d{4}-\d{2}-\d{2})"', page)[1])

    before = shown()
    assert before == delivered_by(ordered_on=shop_today(), production_days=6, holidays=shop_holidays())
    # A new holiday on the first business day after today pushes the date back by one business day.
    first = add_business_days(shop_today(), 1, shop_holidays())
    Holiday.objects.create(date=first, name="Workshop closed")
    after = shown()
    assert after == add_business_days(before, 1, shop_holidays()) and after > before
