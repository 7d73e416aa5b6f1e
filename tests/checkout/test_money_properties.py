"""Properties of the money rules that must hold for every currency and amount (hypothesis)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from checkout.money import CURRENCIES, SEED_RATES, Money, convert, quantize

currencies = st.sampled_from(list(CURRENCIES))
usd = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000000"), places=2)
rates = st.decimals(min_value=Decimal("0.05"), max_value=Decimal("20"), places=6)


@given(usd, currencies)
def test_a_converted_price_has_the_currencys_minor_unit_and_is_within_half_a_unit(amount, currency):
    money = convert(amount, currency, SEED_RATES[currency])
    exact = amount * SEED_RATES[currency]
    assert money.amount.as_tuple().exponent == -CURRENCIES[currency][2]
    assert abs(money.amount - exact) <= Decimal("0.005")


@given(st.lists(usd, min_size=1, max_size=12), currencies, rates)
def test_a_total_is_the_sum_of_its_converted_lines(amounts, currency, rate):
    lines = [convert(a, currency, rate) for a in amounts]
    total = sum(lines, Money(Decimal(0), currency))
    assert total.amount == sum(line.amount for line in lines)
    assert quantize(total.amount, currency) == total.amount  # nothing left to round: what is shown adds up


@given(usd, currencies)
def test_minor_units_round_trip(amount, currency):
    money = convert(amount, currency, Decimal(1))
    assert Money.from_minor_units(money.to_minor_units(), currency) == money
    assert isinstance(money.to_minor_units(), int)


@given(st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=3), currencies)
def test_rounding_is_half_up_away_from_zero(amount, currency):
    rounded = quantize(amount, currency)
    assert abs(rounded - amount) <= Decimal("0.005")
    if amount.as_tuple().digits[-1:] == (5,) and amount.as_tuple().exponent == -3:
        assert abs(rounded) > abs(amount)  # exactly half a cent goes up in magnitude
