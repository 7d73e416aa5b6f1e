"""The split plan's pure rules: the split (hypothesis, every currency), the schedule, the month table, eligibility and
the allowed moves."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkout import installments as rules
from checkout.money import CURRENCIES, Money, minor_units


@given(
    currency=st.sampled_from(list(CURRENCIES)),
    total=st.decimals(min_value=Decimal("0.03"), max_value=Decimal("1000000"), places=2),
)
def test_the_split_adds_up_differs_by_at_most_one_minor_unit_and_the_first_is_largest(currency, total):
    money = Money(total, currency).rounded()
    minor = money.to_minor_units()
    if minor < 3:
        return  # a currency without cents rounds 0.03 to 0
    parts = rules.split(minor)
    assert len(parts) == 3
    assert sum(parts) == minor
    assert max(parts) - min(parts) <= 1
    assert parts[0] == max(parts)
    assert all(isinstance(p, int) and p > 0 for p in parts)
    months = rules.plan_months(money, date(2026, 1, 31))
    assert months[-1].paid_after == money and months[-1].held_after == Money(Decimal(0), currency)
    assert sum((m.pay for m in months), start=Money(Decimal(0), currency)) == money
    assert minor_units(currency) in (0, 2)


@pytest.mark.parametrize(
    ("total", "parts"),
    [
        (100000, (33334, 33333, 33333)),
        (100001, (33334, 33334, 33333)),
        (600000, (200000, 200000, 200000)),
        (3, (1, 1, 1)),
    ],
)
def test_examples_from_the_design(total, parts):
    assert rules.split(total) == parts


@pytest.mark.parametrize("bad", [0, 2, -300, 1.5, "300", True, None])
def test_a_total_too_small_or_not_minor_units_is_refused(bad):
    with pytest.raises(ValueError):
        rules.split(bad)


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        (date(2026, 1, 31), [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]),
        (date(2028, 1, 31), [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]),  # leap year
        (date(2026, 12, 15), [date(2026, 12, 15), date(2027, 1, 15), date(2027, 2, 15)]),  # across the year
        (date(2026, 11, 30), [date(2026, 11, 30), date(2026, 12, 30), date(2027, 1, 30)]),
        (date(2027, 12, 31), [date(2027, 12, 31), date(2028, 1, 31), date(2028, 2, 29)]),
        (date(2026, 3, 31), [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]),  # back to the 31st
    ],
)
def test_the_schedule_keeps_the_day_and_clamps_to_the_month_end(first, expected):
    assert rules.schedule(first) == expected


def test_the_six_thousand_dollar_ring():
    months = rules.plan_months(Money(Decimal("6000.00"), "USD"), date(2026, 11, 22))
    assert [(str(m.pay), str(m.paid_after), str(m.held_after)) for m in months] == [
        ("$2,000.00", "$2,000.00", "$4,000.00"),
        ("$2,000.00", "$4,000.00", "$2,000.00"),
        ("$2,000.00", "$6,000.00", "$0.00"),
    ]
    assert [m.due for m in months] == [date(2026, 11, 22), date(2026, 12, 22), date(2027, 1, 22)]


@pytest.mark.parametrize(
    ("total", "brand", "problems"),
    [
        (Money(Decimal("6000"), "USD"), "visa", []),
        (Money(Decimal("6000"), "USD"), "amex", []),
        (Money(Decimal("6000"), "USD"), None, []),
        (
            Money(Decimal("6000"), "USD"),
            "discover",
            ["Monthly payments need a Visa, Mastercard or American Express card."],
        ),
        (Money(Decimal("499.99"), "USD"), "visa", ["Monthly payments are for orders from $500.00 to $50,000.00."]),
        (Money(Decimal("60000"), "USD"), "visa", ["Monthly payments are for orders from $500.00 to $50,000.00."]),
    ],
)
def test_eligibility(total, brand, problems):
    got = rules.eligibility_problems(
        total=total, rate_per_usd=Decimal(1), brand=brand, min_usd=Decimal(500), max_usd=Decimal(50000)
    )
    assert got == problems


def test_limits_are_shown_in_the_order_s_currency():
    got = rules.eligibility_problems(
        total=Money(Decimal("100"), "EUR"), rate_per_usd=Decimal("0.9634"), brand="visa",
        min_usd=Decimal(500), max_usd=Decimal(50000),
    )  # fmt: skip
    assert got == ["Monthly payments are for orders from €481.70 to €48,170.00."]


@pytest.mark.parametrize(
    ("src", "dst", "ok"),
    [
        ("active", "in_grace", True),
        ("in_grace", "active", True),
        ("in_grace", "defaulted", True),
        ("active", "completed", True),
        ("completed", "active", False),
        ("cancelled", "active", False),
        ("active", "defaulted", False),
    ],
)
def test_plan_moves(src, dst, ok):
    if ok:
        rules.check_plan_move(src, dst)
    else:
        with pytest.raises(rules.PlanStateError):
            rules.check_plan_move(src, dst)


def test_a_paid_instalment_is_final():
    with pytest.raises(rules.PlanStateError):
        rules.check_instalment_move("paid", "paid")
    rules.check_instalment_move("failed", "paid")
