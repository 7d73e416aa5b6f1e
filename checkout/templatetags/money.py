from decimal import Decimal, InvalidOperation

from django import template

from checkout.currency import price_in, request_price
from checkout.money import Money, format_money, is_supported

register = template.Library()


@register.filter(name="money")
def money_filter(value, currency=None):
    """{{ money|money }} for a Money; {{ amount|money:"EUR" }} for an amount already in that currency."""
    if isinstance(value, Money):
        return format_money(value)
    # Floats never become prices; an unknown currency shows nothing rather than a wrong price.
    if value in (None, "") or isinstance(value, float) or not is_supported(currency):
        return ""
    try:
        return format_money(Money(Decimal(str(value)), currency))
    except (InvalidOperation, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def price(context, amount_usd):
    """A USD catalog price in the shopper's currency: {% price diamond.price %}."""
    request = context.get("request")
    if request is None:
        return format_money(price_in(Decimal(amount_usd), "USD"))
    return format_money(request_price(request, amount_usd))
