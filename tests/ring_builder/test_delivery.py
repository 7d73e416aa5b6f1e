from datetime import date

import pytest

from ring_builder.delivery import add_business_days, delivered_by

MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 6, d) for d in range(1, 8))


@pytest.mark.parametrize(
    ("ordered_on", "production_days", "expected"),
    [
        (MON, 0, THU),  # transit alone: Tue, Wed, Thu
        (MON, 2, date(2026, 6, 8)),  # 5 business days: next Monday
        (FRI, 0, date(2026, 6, 10)),  # Mon, Tue, Wed
        (SAT, 0, date(2026, 6, 10)),  # the weekend never counts
        (SUN, 0, date(2026, 6, 10)),
        (WED, 5, date(2026, 6, 15)),  # 8 business days over one weekend
        (MON, 12, date(2026, 6, 22)),  # 15 business days: three weeks
        (date(2026, 12, 30), 3, date(2027, 1, 7)),  # across the year (holidays arrive with a later issue)
    ],
)
def test_delivered_by_counts_production_and_transit_in_business_days(ordered_on, production_days, expected):
    assert delivered_by(ordered_on=ordered_on, production_days=production_days) == expected


def test_the_result_is_always_a_business_day_after_the_order():
    for start in (MON, TUE, WED, THU, FRI, SAT, SUN):
        for days in range(1, 12):
            day = add_business_days(start, days)
            assert day > start and day.weekday() < 5


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_business_days(SAT, 0) == SAT
    with pytest.raises(ValueError):
        add_business_days(MON, -1)
