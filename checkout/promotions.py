"""The promotions engine: which offers a priced bag earns, and why a code is refused. Pure functions.

Kinds:
- percent_category: a percentage off one category (ring settings, loose diamonds, gemstones, jewelry, complete
  rings), optionally excluding designer collections. "Ring settings" means the setting alone and the setting part of
  a complete ring, never its stone: "35% off settings" never discounts a diamond.
- bundle_true_hearts: a percentage off the setting of a complete ring whose centre stone is a True Hearts diamond.

Automatic offers (no code) apply when running and met; a code is checked and either applies or is refused with one
reason. An exclusive offer is never combined with another: among automatic ones the better outcome wins, and a code
that would combine with an exclusive one is refused. Each discount is rounded half-up with money.quantize, and
the discounts on a line never exceed what it costs (nor its setting part, for a setting discount).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from .money import Money, convert, format_money, quantize

HUNDRED = Decimal(100)
SETTING_KINDS = ("setting",)
JEWELRY_KINDS = ("jewelry", "earrings", "pendant")


class Refusal(enum.StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    NOT_STARTED = "not_started"
    BELOW_MINIMUM = "below_minimum"
    NOT_COMBINABLE = "not_combinable"
    ALREADY_USED = "already_used"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A bag line as priced for the shopper. For a ring, `setting_amount` is the setting part of `amount` and
    `true_hearts` says whether its centre stone is a True Hearts diamond."""

    id: str
    kind: str
    amount: Money
    setting_amount: Money | None = None
    designer: bool = False
    true_hearts: bool = False


@dataclass(frozen=True, slots=True)
class PromotionRule:
    id: int
    name: str
    kind: str
    percent: Decimal
    starts_at: datetime
    ends_at: datetime
    code: str = ""
    category: str = "ring_settings"
    exclude_designer: bool = True
    minimum_spend_usd: Decimal = Decimal(0)
    exclusive: bool = False
    one_use_per_customer: bool = False

    def __post_init__(self):
        if not isinstance(self.percent, Decimal) or not (0 < self.percent <= HUNDRED):
            raise ValueError(f"A promotion's percent is a Decimal above 0 and at most 100, not {self.percent!r}")

    def running(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


@dataclass(frozen=True, slots=True)
class Discount:
    promotion_id: int
    name: str
    reason: str
    amount: Money
    line_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PromotionResult:
    discounts: tuple[Discount, ...]
    total: Money
    refusal: Refusal | None = None
    refusal_message: str = ""


def normalise_code(code: str | None) -> str:
    return (code or "").strip().upper()


def _setting_part(line: PricedLine) -> Money | None:
    if line.kind in SETTING_KINDS:
        return line.amount
    if line.kind == "ring":
        return line.setting_amount
    return None


def _eligible(rule: PromotionRule, line: PricedLine) -> tuple[Money | None, bool]:
    """(the part of `line` the rule discounts, whether it is the setting part) or (None, False)."""
    if rule.exclude_designer and line.designer:
        return None, False
    if rule.kind == "bundle_true_hearts":
        return (line.setting_amount, True) if line.kind == "ring" and line.true_hearts else (None, False)
    category = rule.category
    if category == "ring_settings":
        return _setting_part(line), True
    if (
        (category == "loose_diamonds" and line.kind == "diamond")
        or (category == "gemstones" and line.kind == "gemstone")
        or (category == "jewelry" and line.kind in JEWELRY_KINDS)
        or (category == "complete_rings" and line.kind == "ring")
    ):
        return line.amount, False
    return None, False


def _reason(rule: PromotionRule) -> str:
    pct = f"{rule.percent.normalize():f}%"
    if rule.kind == "bundle_true_hearts":
        return f"{pct} off the setting of a ring with a True Hearts diamond"
    category = {
        "ring_settings": "ring settings",
        "loose_diamonds": "loose diamonds",
        "gemstones": "gemstones",
        "jewelry": "jewelry",
        "complete_rings": "complete rings",
    }.get(rule.category, rule.category)
    return f"{pct} off {category}" + (", excluding designer collections" if rule.exclude_designer else "")


def _apply(rules: list[PromotionRule], lines: list[PricedLine], currency: str) -> list[Discount]:
    """Each rule in turn, capping every line's discounts at its amount (and setting discounts at the setting)."""
    left = {line.id: line.amount.amount for line in lines}
    setting_left = {line.id: (_setting_part(line) or Money(Decimal(0), currency)).amount for line in lines}
    discounts = []
    for rule in rules:
        amount = Decimal(0)
        ids = []
        for line in lines:
            part, is_setting = _eligible(rule, line)
            if part is None or part.amount <= 0:
                continue
            cap = min(left[line.id], setting_left[line.id]) if is_setting else left[line.id]
            off = min(quantize(part.amount * rule.percent / HUNDRED, currency), max(cap, Decimal(0)))
            if off <= 0:
                continue
            left[line.id] -= off
            if is_setting:
                setting_left[line.id] -= off
            amount += off
            ids.append(line.id)
        if amount > 0:
            discounts.append(Discount(rule.id, rule.name, _reason(rule), Money(amount, currency), tuple(ids)))
    return discounts


def _date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def _sum(discounts: list[Discount], currency: str) -> Money:
    return sum((d.amount for d in discounts), Money(Decimal(0), currency))


def apply_promotions(
    *,
    lines: list[PricedLine],
    promotions: list[PromotionRule],
    now: datetime,
    code: str = "",
    currency: str = "USD",
    rate_per_usd: Decimal = Decimal(1),
    used_promotion_ids: frozenset[int] | set[int] = frozenset(),
) -> PromotionResult:
    """The discounts `lines` earn from `promotions` at `now`, plus the code's if it is accepted.

    `used_promotion_ids` are the one-use offers this customer has redeemed. Minimum spends are in USD, compared with
    the bag's subtotal after converting the minimum into the bag's currency at `rate_per_usd`."""
    for line in lines:
        if line.amount.currency != currency:
            raise ValueError(f"Line {line.id} is in {line.amount.currency}, the bag in {currency}")
    subtotal = sum((line.amount for line in lines), Money(Decimal(0), currency))

    def minimum(rule: PromotionRule) -> Money:
        return convert(rule.minimum_spend_usd, currency, rate_per_usd)

    def usable(rule: PromotionRule) -> bool:
        return (
            rule.running(now)
            and subtotal.amount >= minimum(rule).amount
            and not (rule.one_use_per_customer and rule.id in used_promotion_ids)
        )

    automatic = [r for r in promotions if not r.code and usable(r) and _apply([r], lines, currency)]
    combinable = [r for r in automatic if not r.exclusive]
    best = _apply(combinable, lines, currency)
    for rule in automatic:
        if rule.exclusive:
            alone = _apply([rule], lines, currency)
            if _sum(alone, currency).amount > _sum(best, currency).amount:
                best = alone
    applied_ids = {d.promotion_id for d in best}
    applied = [r for r in automatic if r.id in applied_ids]

    code = normalise_code(code)
    if not code:
        return PromotionResult(tuple(best), _sum(best, currency))

    def refuse(reason: Refusal, message: str) -> PromotionResult:
        return PromotionResult(tuple(best), _sum(best, currency), reason, message)

    rule = next((r for r in promotions if r.code and normalise_code(r.code) == code), None)
    if rule is None:
        return refuse(Refusal.UNKNOWN, "We don't recognise this code. Please check it and try again.")
    if now < rule.starts_at:
        return refuse(Refusal.NOT_STARTED, f"This code starts on {_date(rule.starts_at)}.")
    if now >= rule.ends_at:
        return refuse(Refusal.EXPIRED, f"This code expired on {_date(rule.ends_at)}.")
    if subtotal.amount < minimum(rule).amount:
        return refuse(Refusal.BELOW_MINIMUM, f"This code needs a minimum spend of {format_money(minimum(rule))}.")
    if rule.one_use_per_customer and rule.id in used_promotion_ids:
        return refuse(Refusal.ALREADY_USED, "You have already used this code.")
    if applied and (rule.exclusive or any(r.exclusive for r in applied)):
        return refuse(Refusal.NOT_COMBINABLE, "This code cannot be combined with any other offer.")
    discounts = _apply([*applied, rule], lines, currency)
    if rule.id not in {d.promotion_id for d in discounts}:
        return refuse(Refusal.NOT_APPLICABLE, "This code does not apply to any item in your bag.")
    return PromotionResult(tuple(discounts), _sum(discounts, currency))


def countdown(ends_at: datetime, now: datetime) -> str:
    """'dd:hh:mm:ss' until `ends_at` ('00:00:00:00' once it has passed); days grow past two digits if need be."""
    left = max(ends_at - now, timedelta(0))
    seconds = int(left.total_seconds())
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{days:02d}:{hours:02d}:{minutes:02d}:{seconds:02d}"


# --- Selectors ---------------------------------------------------------------------------------------------------
def rule_from_row(row) -> PromotionRule:
    return PromotionRule(
        id=row.pk,
        name=row.name,
        code=row.code,
        kind=row.kind,
        percent=row.percent,
        category=row.category,
        exclude_designer=row.exclude_designer_collections,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        minimum_spend_usd=row.minimum_spend_usd,
        exclusive=row.exclusive,
        one_use_per_customer=row.one_use_per_customer,
    )


def promotion_rules(*, now: datetime, code: str = "") -> list[PromotionRule]:
    """Active automatic offers running at `now`, plus the active offer with `code` whatever its dates (so that an
    expired or future code is refused with its reason). One query."""
    from django.db.models import Q
    from django.db.models.functions import Upper

    from .models import Promotion

    query = Q(code="", starts_at__lte=now, ends_at__gt=now)
    code = normalise_code(code)
    if code:
        query |= Q(code_upper=code)
    rows = Promotion.objects.filter(active=True).annotate(code_upper=Upper("code")).filter(query)
    return [rule_from_row(row) for row in rows]


def used_promotion_ids(email: str) -> frozenset[int]:
    """The promotions this customer (by e-mail) has redeemed. One query."""
    from .models import PromotionRedemption

    email = (email or "").strip().lower()
    if not email:
        return frozenset()
    return frozenset(PromotionRedemption.objects.filter(email=email).values_list("promotion_id", flat=True))
