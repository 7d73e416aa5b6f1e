"""Tax and duty estimates for a destination, as a pure function over plain rules.

The shop shows these before checkout as an *estimate*: what a destination usually charges on fine jewelry, from a
staff-edited table (TaxRate). The rules here are kept simple on purpose, and the page says so:
- every line is a percentage of the goods (plus shipping when the rule says so), each rounded half-up to the
  currency's minor unit with money.quantize; the total is the subtotal plus the rounded lines, so it adds up;
- a rule with a threshold applies only when the goods are over it (EU duty over €150, UK duty over £135). The
  threshold is converted into the shopper's currency at the shop's rates to compare; it is never rounded;
- lines are all computed on the same base (import VAT on top of duty is ignored), which is what an estimate needs;
- a country-wide rule (blank region) applies everywhere in the country, a regional one only in its region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .money import CURRENCIES, SEED_RATES, Money, format_money, quantize

HUNDRED = Decimal(100)
# Orders ship duties paid (DDP): the estimate is charged at checkout, so nothing is collected at the door.
ESTIMATE_NOTE = (
    "Taxes and duties are set by the destination. We charge them at checkout and ship duties paid, "
    "so there is nothing more to pay on delivery."
)

COUNTRIES: dict[str, str] = {
    "US": "United States", "CA": "Canada", "GB": "United Kingdom", "AU": "Australia", "NZ": "New Zealand",
    "SG": "Singapore", "HK": "Hong Kong", "CN": "China", "AT": "Austria", "BE": "Belgium", "FR": "France",
    "DE": "Germany", "IE": "Ireland", "IT": "Italy", "NL": "Netherlands", "ES": "Spain",
}  # fmt: skip
REGIONS: dict[str, dict[str, str]] = {
    "US": {
        "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
        "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
        "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
        "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
        "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
        "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
        "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
        "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
        "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
        "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    },
    "CA": {
        "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
        "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories", "NU": "Nunavut",
        "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec", "SK": "Saskatchewan", "YT": "Yukon",
    },
}  # fmt: skip


def percent_label(rate: Decimal) -> str:
    """8.875 -> '8.875%', 20.000 -> '20%'."""
    text = f"{rate.normalize():f}"
    return f"{text}%"


def threshold_label(threshold: Money) -> str:
    """'€150' for a whole amount (as the rules are written), '€150.50' otherwise."""
    if threshold.amount == threshold.amount.to_integral_value():
        return f"{CURRENCIES[threshold.currency][0]}{int(threshold.amount):,}"
    return format_money(threshold)


@dataclass(frozen=True, slots=True)
class TaxRule:
    """One line a destination charges. `threshold` is in its own currency; None means always."""

    country: str
    name: str
    rate: Decimal
    kind: str = "vat"
    region: str = ""
    threshold: Money | None = None
    applies_to_shipping: bool = False

    def __post_init__(self):
        if not isinstance(self.rate, Decimal) or not (0 <= self.rate <= HUNDRED):
            raise ValueError(f"A tax rate is a Decimal percent from 0 to 100, not {self.rate!r}")

    @property
    def is_duty(self) -> bool:
        return self.kind == "duty"

    def label(self) -> str:
        text = f"{self.name} {percent_label(self.rate)}"
        if self.threshold is not None:
            text += f" (over the {threshold_label(self.threshold)} threshold)"
        return text


@dataclass(frozen=True, slots=True)
class TaxLine:
    name: str
    kind: str
    rate: Decimal
    amount: Money

    @property
    def is_duty(self) -> bool:
        return self.kind == "duty"


@dataclass(frozen=True, slots=True)
class TaxEstimate:
    subtotal: Money
    country: str
    region: str
    lines: tuple[TaxLine, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def tax_lines(self) -> tuple[TaxLine, ...]:
        return tuple(line for line in self.lines if not line.is_duty)

    @property
    def duty_lines(self) -> tuple[TaxLine, ...]:
        return tuple(line for line in self.lines if line.is_duty)

    @property
    def tax_label(self) -> str:
        """'GST 5% + PST 7%', or '' when no tax applies."""
        return " + ".join(line.name for line in self.tax_lines)

    @property
    def taxes_and_duties(self) -> Money:
        return sum((line.amount for line in self.lines), Money(Decimal(0), self.subtotal.currency))

    @property
    def total(self) -> Money:
        return self.subtotal + self.taxes_and_duties


def _over_threshold(goods: Money, threshold: Money | None, rates_per_usd: dict[str, Decimal]) -> bool:
    if threshold is None:
        return True
    limit = threshold.amount / rates_per_usd[threshold.currency] * rates_per_usd[goods.currency]
    return goods.amount > limit


def estimate_tax(
    *,
    subtotal: Money,
    country: str,
    region: str = "",
    rates: list[TaxRule],
    shipping: Money | None = None,
    rates_per_usd: dict[str, Decimal] | None = None,
) -> TaxEstimate:
    """The tax and duty lines `country` (and `region`) would charge on `subtotal`, in the subtotal's currency.

    `rates` may hold rules for other destinations; only the matching ones are used. `rates_per_usd` converts a
    threshold into the subtotal's currency (the shop's seed rates by default)."""
    if subtotal.amount < 0:
        raise ValueError("A subtotal cannot be negative")
    fx = {**SEED_RATES, **(rates_per_usd or {})}
    country = country.strip().upper()
    region = region.strip().upper()
    currency = subtotal.currency
    shipping = shipping or Money(Decimal(0), currency)
    lines: list[TaxLine] = []
    notes: list[str] = []
    matching = [r for r in rates if r.country == country and r.region in ("", region)]
    # Country-wide lines first, then regional ones; taxes before duty.
    for rule in sorted(matching, key=lambda r: (r.is_duty, r.region != "")):
        if not _over_threshold(subtotal, rule.threshold, fx):
            notes.append(f"No {rule.name.lower()}: the order is under the {threshold_label(rule.threshold)} threshold.")
            continue
        base = subtotal + shipping if rule.applies_to_shipping else subtotal
        amount = Money(quantize(base.amount * rule.rate / HUNDRED, currency), currency)
        lines.append(TaxLine(name=rule.label(), kind=rule.kind, rate=rule.rate, amount=amount))
    if not matching:
        notes.append("We collect no sales tax or duty for this destination.")
    return TaxEstimate(subtotal=subtotal, country=country, region=region, lines=tuple(lines), notes=tuple(notes))


# --- Selector ----------------------------------------------------------------------------------------------------
def rule_from_row(row) -> TaxRule:
    threshold = None
    if row.threshold_amount is not None and row.threshold_currency in CURRENCIES:
        threshold = Money(row.threshold_amount, row.threshold_currency)
    return TaxRule(
        country=row.country,
        region=row.region,
        name=row.name,
        kind=row.kind,
        rate=row.rate,
        threshold=threshold,
        applies_to_shipping=row.applies_to_shipping,
    )


def tax_rules_for(country: str, region: str = "") -> list[TaxRule]:
    """The active rules for a destination, from the staff-edited table. One query."""
    from .models import TaxRate

    rows = TaxRate.objects.filter(active=True, country=country.strip().upper(), region__in=["", region.strip().upper()])
    return [rule_from_row(row) for row in rows]
