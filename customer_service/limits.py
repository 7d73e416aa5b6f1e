"""Limits on what one sender can make the shop do in an hour, and the friendly page shown past them (429).

Per email address the count comes from the stored rows (exact, survives restarts); per client address it comes from
django-ratelimit's counters in the cache (Redis in production), which also catches a sender who changes addresses."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

HOUR = timedelta(hours=1)


def sent_in_last_hour(queryset, *, field: str = "received_at") -> int:
    return queryset.filter(**{f"{field}__gte": timezone.now() - HOUR}).count()


def client_ip(request) -> str | None:
    """The client's address as the per-address limits see it (RATELIMIT_IP_META_KEY behind a proxy), or None."""
    raw = request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "").split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def ip_over_limit(request, *, group: str, rate: str) -> bool:
    """Count this request against the client address's `rate` for `group`; True once past it."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, method=ALL, increment=True)


def too_many(request, *, what: str, wait: str = "an hour", reason: str = ""):
    """The page a sender sees past a limit: nothing was sent or stored, and here is how to reach us now. `reason`
    replaces the usual "you have sent us several … in the last hour" when another limit applied."""
    context = {"what": what, "wait": wait, "reason": reason}
    return render(request, "customer_service/too_many.html", context, status=429)
