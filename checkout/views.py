from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .currency import choose_currency


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_POST
def set_currency(request):
    """The header's currency selector. An unknown code keeps the current currency and goes back."""
    choose_currency(request, request.POST.get("currency", "").upper())
    return HttpResponseRedirect(_safe_next(request))
