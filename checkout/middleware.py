from .currency import choose_currency, resolve_currency


class CurrencyMiddleware:
    """Sets request.currency; a `?currency=XXX` link switches it (unknown codes are ignored)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.currency = resolve_currency(request)
        if "currency" in request.GET:
            choose_currency(request, request.GET["currency"].upper())
        return self.get_response(request)
