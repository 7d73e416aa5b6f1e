"""Money: an amount with its currency, conversion from USD, and the one rounding rule of the shop.

Prices are stored in USD. Every price a shopper sees is converted here, rounded half-up to the currency's minor
unit, and formatted here. Amounts are Decimal, never float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

# code -> (symbol as the shop shows it, name, minor units). The symbols are the seed's: a shopper abroad must
# never wonder which dollar a price is in, so only USD is a bare "$".
CURRENCIES: dict[str, tuple[str, str, int]] = {
    "USD": ("$", "US dollar", 2),
    "CAD": ("C$", "Canadian dollar", 2),
    "EUR": ("€", "Euro", 2),
    "GBP": ("£", "British pound", 2),
    "HKD": ("HK$", "Hong Kong dollar", 2),
    "NZD": ("NZ$", "New Zealand dollar", 2),
    "SGD": ("S$", "Singapore dollar", 2),
    "AUD": ("A$", "Australian dollar", 2),
    "CNY": ("¥", "Chinese yuan", 2),
}
BASE_CURRENCY = "USD"
# Rates per US dollar the shop starts with (DESIGN.md §4); a beat task refreshes them.
SEED_RATES: dict[str, Decimal] = {
    "USD": Decimal("1"),
    "CAD": Decimal("1.4951"),
    "EUR": Decimal("0.9634"),
    "GBP": Decimal("0.805"),
    "HKD": Decimal("8.1738"),
    "NZD": Decimal("1.8347"),
    "SGD": Decimal("1.4276"),
    "AUD": Decimal("1.6771"),
    "CNY": Decimal("7.8531"),
}


class CurrencyMismatch(TypeError):
    """Two amounts in different currencies were combined."""


def is_supported(code: object) -> bool:
    return isinstance(code, str) and code in CURRENCIES


def minor_units(currency: str) -> int:
    return CURRENCIES[currency][2]


def quantize(amount: Decimal, currency: str) -> Decimal:
    """The shop's only rounding rule: half-up to the currency's minor unit."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money needs a Decimal amount, not {type(self.amount).__name__}")
        if not is_supported(self.currency):
            raise ValueError(f"Unsupported currency {self.currency!r}")

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __radd__(self, other):
        # Lets sum() start from 0.
        if other == 0:
            return self
        return self.__add__(other)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def rounded(self) -> Money:
        return Money(quantize(self.amount, self.currency), self.currency)

    def to_minor_units(self) -> int:
        """Integer minor units, for the payment boundary only."""
        return int(quantize(self.amount, self.currency).scaleb(minor_units(self.currency)))

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        return cls(Decimal(units).scaleb(-minor_units(currency)), currency)

    def __str__(self) -> str:
        return format_money(self)


def convert(amount_usd: Decimal, currency: str, rate_per_usd: Decimal) -> Money:
    """A USD amount in `currency` at `rate_per_usd`, rounded to the currency's minor unit."""
    if not isinstance(amount_usd, Decimal) or not isinstance(rate_per_usd, Decimal):
        raise TypeError("convert() takes Decimal amounts and rates")
    return Money(quantize(amount_usd * rate_per_usd, currency), currency)


def format_money(money: Money, *, locale: str = "en_US") -> str:
    """'$1,234.50', '€12,000.00', 'HK$980.00', '-£5.00': the shop's symbol, Babel's grouping and decimals."""
    symbol = CURRENCIES[money.currency][0]
    digits = minor_units(money.currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    amount = quantize(money.amount, money.currency)
    number = format_decimal(abs(amount), format=pattern, locale=locale, decimal_quantization=True)
    return f"{'-' if amount < 0 else ''}{symbol}{number}"
