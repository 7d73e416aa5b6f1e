from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import run_checks


def home(request):
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    checks = run_checks()
    healthy = all(ok for ok, _ in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": {k: v for k, (_, v) in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
