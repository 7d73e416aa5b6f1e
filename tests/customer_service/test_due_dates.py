"""Business-day due dates: two business days after the day a request arrives, in the shop's time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from customer_service.due_dates import answer_due, shop_answer_due

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
THANKSGIVING_2026 = date(2026, 11, 26)
CHRISTMAS_2026 = date(2026, 12, 25)
NEW_YEAR_2027 = date(2027, 1, 1)
HOLIDAYS = {THANKSGIVING_2026, CHRISTMAS_2026, NEW_YEAR_2027}


def at(zone, *args):
    return datetime(*args, tzinfo=zone)


@pytest.mark.parametrize(
    ("received", "due_on", "why"),
    [
        (at(NY, 2026, 12, 4, 23, 0), date(2026, 12, 8), "Friday 23:00: Monday, Tuesday"),
        (at(NY, 2026, 12, 4, 9, 0), date(2026, 12, 8), "Friday morning: the same day counts as arrival"),
        (at(NY, 2026, 12, 5, 12, 0), date(2026, 12, 8), "Saturday: Monday, Tuesday"),
        (at(NY, 2026, 12, 6, 23, 59), date(2026, 12, 8), "Sunday night: Monday, Tuesday"),
        (at(NY, 2026, 12, 7, 0, 1), date(2026, 12, 9), "Monday just after midnight: Wednesday"),
        (at(NY, 2026, 12, 9, 15, 0), date(2026, 12, 11), "Wednesday: Friday"),
        (at(NY, 2026, 12, 10, 15, 0), date(2026, 12, 14), "Thursday: Friday, Monday"),
        (at(NY, 2026, 11, 25, 10, 0), date(2026, 11, 30), "day before Thanksgiving: Friday, Monday"),
        (at(NY, 2026, 11, 26, 10, 0), date(2026, 11, 30), "on Thanksgiving: Friday, Monday"),
        (at(NY, 2026, 12, 23, 18, 0), date(2026, 12, 28), "Wednesday before Christmas: Thursday, Monday"),
        (at(NY, 2026, 12, 24, 18, 0), date(2026, 12, 29), "Christmas Eve: Monday, Tuesday"),
        (at(NY, 2026, 12, 31, 12, 0), date(2027, 1, 5), "New Year's Eve: Monday, Tuesday"),
        # The shopper's clock does not matter, only the shop's.
        (at(ZoneInfo("America/Los_Angeles"), 2026, 12, 4, 21, 30), date(2026, 12, 8), "Friday 21:30 in LA = Sat NY"),
        (at(ZoneInfo("Asia/Hong_Kong"), 2026, 12, 7, 9, 0), date(2026, 12, 8), "Monday 09:00 HK = Sunday 20:00 NY"),
        (at(ZoneInfo("Asia/Tokyo"), 2026, 12, 8, 12, 0), date(2026, 12, 9), "Tuesday noon Tokyo = Monday 22:00 NY"),
        (at(UTC, 2026, 12, 8, 3, 0), date(2026, 12, 9), "Tuesday 03:00 UTC = Monday 22:00 NY"),
        (at(UTC, 2026, 12, 8, 5, 0), date(2026, 12, 10), "Tuesday 05:00 UTC = Tuesday 00:00 NY"),
        # Daylight saving: 2027-03-14 the clocks go forward in New York.
        (at(NY, 2027, 3, 12, 23, 30), date(2027, 3, 16), "Friday before DST: Monday, Tuesday"),
    ],
)
def test_answer_due_in_new_york(received, due_on, why):
    due = answer_due(received, tz=NY, holidays=HOLIDAYS)
    assert due.date() == due_on, why
    assert (due.hour, due.minute) == (23, 59)
    assert due.utcoffset() == NY.utcoffset(datetime.combine(due_on, due.time())), "end of the shop's day"


def test_a_shop_in_london_counts_its_own_days():
    friday_night_ny = at(NY, 2026, 12, 4, 20, 0)  # already Saturday 01:00 in London
    assert answer_due(friday_night_ny, tz=LONDON).date() == date(2026, 12, 8)
    thursday_night_ny = at(NY, 2026, 12, 3, 20, 0)  # Friday 01:00 in London: Monday, Tuesday
    assert answer_due(thursday_night_ny, tz=LONDON).date() == date(2026, 12, 8)
    assert answer_due(thursday_night_ny, tz=NY).date() == date(2026, 12, 7)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        answer_due(datetime(2026, 12, 4, 23, 0), tz=NY)


def test_shop_due_date_uses_the_holiday_table_and_the_configured_zone(db, settings):
    from ring_builder.models import Holiday

    settings.SHOP_TIME_ZONE = "America/New_York"
    friday = at(NY, 2027, 2, 12, 23, 0)  # Presidents' Day 2027 (Mon 15 Feb) is seeded after migrate
    assert Holiday.objects.filter(date=date(2027, 2, 15)).exists()
    assert shop_answer_due(friday).date() == date(2027, 2, 17)
    Holiday.objects.create(date=date(2027, 2, 16), name="Workshop closed")
    assert shop_answer_due(friday).date() == date(2027, 2, 18), "a holiday staff add counts at once"
    settings.SHOP_TIME_ZONE = "Asia/Hong_Kong"  # Friday 23:00 in New York is Saturday noon there
    due = shop_answer_due(friday)
    assert (due.tzinfo.key, due.date()) == ("Asia/Hong_Kong", date(2027, 2, 18))
    saturday_in_ny_is_sunday_in_hk = at(NY, 2027, 2, 13, 23, 0)
    assert shop_answer_due(saturday_in_ny_is_sunday_in_hk).date() == date(2027, 2, 18)
