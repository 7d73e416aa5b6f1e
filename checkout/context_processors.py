from .currency import selector_choices
from .money import CURRENCIES


def currency(request):
    code = getattr(request, "currency", "USD")
    return {
        "currency": code,
        "currency_symbol": CURRENCIES[code][0],
        "currency_choices": selector_choices(),
    }
