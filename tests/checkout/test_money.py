from decimal import Decimal

import pytest
from django.template import Context, Template

from checkout.money import CURRENCIES, CurrencyMismatch, Money, convert, format_money, quantize


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("1234.5", "USD", "$1,234.50"),
        ("12000", "EUR", "€12,000.00"),
        ("980", "HKD", "HK$980.00"),
        ("1250000.99", "CNY", "¥1,250,000.99"),
        ("0.005", "GBP", "£0.01"),  # half-up, not banker's rounding
        ("0.004", "GBP", "£0.00"),
        ("-5", "GBP", "-£5.00"),
        ("7.1", "CAD", "C$7.10"),
        ("7.1", "AUD", "A$7.10"),
        ("7.1", "NZD", "NZ$7.10"),
        ("7.1", "SGD", "S$7.10"),
    ],
)
def test_format_money_uses_the_shops_symbols_and_separators(amount, currency, shown):
    assert format_money(Money(Decimal(amount), currency)) == shown


def test_every_currency_of_the_seed_is_offered():
    assert list(CURRENCIES) == ["USD", "CAD", "EUR", "GBP", "HKD", "NZD", "SGD", "AUD", "CNY"]


@pytest.mark.parametrize(
    ("usd", "currency", "rate", "expected"),
    [
        ("1000", "EUR", "0.9634", "963.40"),
        ("1", "CNY", "7.8531", "7.85"),
        ("0.5", "HKD", "8.1738", "4.09"),  # 4.0869 rounds up
        ("12450", "GBP", "0.805", "10022.25"),
        ("2.5", "USD", "1", "2.50"),
        ("0.01", "GBP", "0.5", "0.01"),  # exactly half a penny rounds half-up
    ],
)
def test_convert_rounds_half_up_to_the_minor_unit(usd, currency, rate, expected):
    converted = convert(Decimal(usd), currency, Decimal(rate))
    assert converted == Money(Decimal(expected), currency)
    assert converted.amount.as_tuple().exponent == -2


def test_money_refuses_float_and_unknown_currency():
    with pytest.raises(TypeError):
        Money(10.5, "USD")
    with pytest.raises(ValueError, match="Unsupported"):
        Money(Decimal(1), "JPY")
    with pytest.raises(TypeError):
        convert(10.0, "EUR", Decimal("0.9"))


def test_adding_two_currencies_is_an_error():
    assert Money(Decimal("1.10"), "EUR") + Money(Decimal("2.20"), "EUR") == Money(Decimal("3.30"), "EUR")
    assert sum([Money(Decimal(1), "GBP"), Money(Decimal(2), "GBP")]) == Money(Decimal(3), "GBP")
    with pytest.raises(CurrencyMismatch):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")


def test_minor_units_round_trip():
    money = Money(Decimal("1000.00"), "EUR")
    assert money.to_minor_units() == 100000
    assert Money.from_minor_units(33334, "EUR") == Money(Decimal("333.34"), "EUR")
    assert quantize(Decimal("333.335"), "EUR") == Decimal("333.34")


def test_money_filter_formats_money_and_plain_amounts():
    template = Template(
        '{% load money %}{{ m|money }} | {{ a|money:"EUR" }} | {{ a|money:"XXX" }} | {{ f|money:"EUR" }}'
    )
    out = template.render(Context({"m": Money(Decimal("1999"), "GBP"), "a": Decimal("1234.5"), "f": 10.5}))
    # An unknown currency or a float renders nothing rather than a wrong price.
    assert out == "£1,999.00 | €1,234.50 |  | "
