"""The shopper's currency: chosen in the selector and kept in the session; on a first visit, guessed from the
country a trusted proxy names; otherwise USD. An unknown code is ignored, never an error."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from .money import CURRENCIES, SEED_RATES, Money, convert, is_supported

SESSION_KEY = "currency"
RATES_CACHE_KEY = "checkout:rates:v1"

EURO_COUNTRIES = {
    "AT", "BE", "HR", "CY", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PT", "SK",
    "SI", "ES", "MC", "SM", "VA", "AD", "ME", "XK",
}  # fmt: skip
COUNTRY_CURRENCY = {
    "US": "USD", "CA": "CAD", "GB": "GBP", "HK": "HKD", "NZ": "NZD", "SG": "SGD", "AU": "AUD", "CN": "CNY",
    **dict.fromkeys(EURO_COUNTRIES, "EUR"),
}  # fmt: skip


def currency_for_country(country: str | None) -> str | None:
    return COUNTRY_CURRENCY.get((country or "").strip().upper())


def _header_country(request) -> str | None:
    header = settings.CURRENCY_COUNTRY_HEADER
    if not header:
        return None
    return request.headers.get(header)


def resolve_currency(request) -> str:
    chosen = request.session.get(SESSION_KEY)
    if is_supported(chosen):
        return chosen
    return currency_for_country(_header_country(request)) or settings.DEFAULT_CURRENCY


def choose_currency(request, code: object) -> bool:
    """Keep `code` as the shopper's currency; returns False (and changes nothing) for an unknown code."""
    if not is_supported(code):
        return False
    request.session[SESSION_KEY] = code
    request.currency = code
    return True


def current_rates() -> dict[str, Decimal]:
    """Rates per USD from the table, cached briefly; the seed rates if the table is empty."""
    rates = cache.get(RATES_CACHE_KEY)
    if rates is None:
        from .models import Currency

        rates = dict(Currency.objects.values_list("code", "rate_per_usd"))
        cache.set(RATES_CACHE_KEY, rates, 300)
    return {**SEED_RATES, **rates}


def forget_rates() -> None:
    cache.delete(RATES_CACHE_KEY)


def price_in(amount_usd: Decimal, currency: str) -> Money:
    return convert(Decimal(amount_usd), currency, current_rates()[currency])


def request_rate(request) -> Decimal:
    """The shopper's rate per USD, looked up once per request (a results page shows dozens of prices)."""
    if not hasattr(request, "_currency_rate"):
        request._currency_rate = current_rates()[getattr(request, "currency", "USD")]
    return request._currency_rate


def request_price(request, amount_usd: Decimal) -> Money:
    """A USD catalog price in the shopper's currency."""
    currency = getattr(request, "currency", "USD")
    return convert(Decimal(amount_usd), currency, request_rate(request))


def selector_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {symbol}") for code, (symbol, _name, _digits) in CURRENCIES.items()]
