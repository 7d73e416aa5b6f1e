"""The 0%-interest 3-month split plan as plain rules: the split, the schedule, what is paid and held each month, who
may use it, and the plan's and instalments' allowed moves (DESIGN.md §4). No database, no gateway: plans.py does
the work with these.

    split(100000)            -> (33334, 33333, 33333)    # minor units; the first takes the remainder
    schedule(date(2026, 1, 31)) -> [2026-01-31, 2026-02-28, 2026-03-31]
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import Money

INSTALMENTS = 3
ELIGIBLE_BRANDS = frozenset({"visa", "mastercard", "amex"})
BRAND_NAMES = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express"}


def split(total_minor: int, parts: int = INSTALMENTS) -> tuple[int, ...]:
    """`total_minor` in `parts` instalments of floor(T/parts); the first ones take the remainder, one minor unit each.

    1000.00 → 333.34, 333.33, 333.33 (the first takes the cent left over). With two left over (1000.01) the first
    two take one each (333.34, 333.34, 333.33) rather than the first taking both, so that the parts always add up,
    never differ by more than one minor unit, and the first is never smaller than another."""
    if not isinstance(total_minor, int) or isinstance(total_minor, bool) or total_minor < parts:
        raise ValueError(f"a plan needs at least {parts} minor units, got {total_minor!r}")
    base, remainder = divmod(total_minor, parts)
    return tuple(base + (1 if n < remainder else 0) for n in range(parts))


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month (31 Jan + 1 → 28 or 29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def schedule(first: date, parts: int = INSTALMENTS) -> list[date]:
    """Due dates: the first on `first` (paid at checkout), then the same day each following month. Each is counted
    from the first date, not the previous one, so 31 Jan → 28 Feb → 31 Mar (not 28 Mar)."""
    return [add_months(first, n) for n in range(parts)]


@dataclass(frozen=True)
class Month:
    number: int
    due: date
    pay: Money
    paid_after: Money
    held_after: Money


def plan_months(total: Money, first: date) -> list[Month]:
    """The table the payment page shows: for month 1, 2, 3 what is paid then, and what has been paid and what stays
    held on the card after it ($6,000: 2,000 paid / 4,000 held, 4,000 / 2,000, 6,000 / 0)."""
    minor = total.to_minor_units()
    parts = split(minor)
    months, paid = [], 0
    for number, (due, part) in enumerate(zip(schedule(first), parts, strict=True), start=1):
        paid += part
        months.append(
            Month(
                number=number,
                due=due,
                pay=Money.from_minor_units(part, total.currency),
                paid_after=Money.from_minor_units(paid, total.currency),
                held_after=Money.from_minor_units(minor - paid, total.currency),
            )
        )
    return months


def eligibility_problems(
    *, total: Money, rate_per_usd: Decimal, brand: str | None, min_usd: Decimal, max_usd: Decimal
) -> list[str]:
    """Why an order cannot use the plan ([] when it can). `brand` None means the card is not known yet."""
    problems = []
    total_usd = total.amount / rate_per_usd
    if total_usd < min_usd or total_usd > max_usd:
        low = Money(min_usd * rate_per_usd, total.currency).rounded()
        high = Money(max_usd * rate_per_usd, total.currency).rounded()
        problems.append(f"Monthly payments are for orders from {low} to {high}.")
    if brand is not None and brand not in ELIGIBLE_BRANDS:
        problems.append("Monthly payments need a Visa, Mastercard or American Express card.")
    return problems


# --- States ------------------------------------------------------------------------------------------------------
ACTIVE, COMPLETED, IN_GRACE, DEFAULTED, CANCELLED = "active", "completed", "in_grace", "defaulted", "cancelled"
PLAN_MOVES: dict[str, frozenset[str]] = {
    ACTIVE: frozenset({COMPLETED, IN_GRACE, CANCELLED}),
    IN_GRACE: frozenset({ACTIVE, COMPLETED, DEFAULTED, CANCELLED}),
    DEFAULTED: frozenset({ACTIVE, COMPLETED, CANCELLED}),  # Customer service may settle a defaulted plan
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}
PENDING, PAID, FAILED = "pending", "paid", "failed"
INSTALMENT_MOVES: dict[str, frozenset[str]] = {
    PENDING: frozenset({PAID, FAILED}),
    FAILED: frozenset({PAID, FAILED}),  # a retry may fail again or succeed
    PAID: frozenset(),
}


class PlanStateError(Exception):
    pass


def check_plan_move(from_status: str, to_status: str) -> None:
    if to_status not in PLAN_MOVES.get(from_status, frozenset()):
        raise PlanStateError(f"A {from_status.replace('_', ' ')} plan cannot become {to_status.replace('_', ' ')}.")


def check_instalment_move(from_status: str, to_status: str) -> None:
    if to_status not in INSTALMENT_MOVES.get(from_status, frozenset()):
        raise PlanStateError(f"A {from_status} instalment cannot become {to_status}.")
