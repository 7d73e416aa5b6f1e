from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from .health import run_checks

HEALTHZ_PATH = "/healthz"


class HealthzMiddleware:
    """Answers the load balancer's /healthz before host validation and the HTTPS redirect: probes come by IP
    address and plain HTTP from inside the network."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTHZ_PATH:
            return self.get_response(request)
        checks = run_checks()
        healthy = all(ok for ok, _ in checks.values())
        body = {"status": "ok" if healthy else "unavailable", "checks": {k: v for k, (_, v) in checks.items()}}
        response = JsonResponse(body, status=200 if healthy else 503)
        add_never_cache_headers(response)
        return response


class ShopTimeZoneAdminMiddleware:
    """Staff work on the shop's clock: the admin shows and reads dates in SHOP_TIME_ZONE (a ticket received "Friday
    23:00" is Friday 23:00 for the team in New York, not Saturday 04:00 UTC). The shop's pages keep UTC storage and
    name their zone where it matters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import timezone

        if not request.path.startswith("/admin/"):
            return self.get_response(request)
        with timezone.override(settings.SHOP_TIME_ZONE):
            return self.get_response(request)
