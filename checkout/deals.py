"""The "deal alert" bar at the top of every page: the automatic offer running now that ends soonest, with the time
it has left. `deal_headline` and `pick_deal` are pure; `current_deal` is the selector (at most one query per 30
seconds); `deal_alert` is the context processor that hands it to templates/includes/deal_alert.html."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .promotions import countdown

CACHE_KEY = "checkout:deal"
CACHE_WINDOW = timedelta(seconds=30)
# What a category is called in the bar; ring settings are what the bar links to, so it says so.
CATEGORY_WORDS = {
    "ring_settings": "engagement ring settings",
    "loose_diamonds": "loose diamonds",
    "gemstones": "gemstones",
    "jewelry": "fine jewelry",
    "complete_rings": "complete rings",
}


@dataclass(frozen=True, slots=True)
class Deal:
    """An automatic offer as the bar shows it at one moment."""

    promotion_id: int
    name: str
    headline: str  # "35% off engagement ring settings"
    ends_at: datetime
    countdown: str  # "dd:hh:mm:ss" left at the moment it was picked

    @property
    def ends_at_iso(self) -> str:
        # UTC, whole seconds: every browser's Date parses it, and the script needs no more precision than that.
        return self.ends_at.astimezone(UTC).isoformat(timespec="seconds")


def percent_label(percent: Decimal) -> str:
    """'35%', '12.5%', '100%': no trailing zeros, never an exponent."""
    return f"{Decimal(percent).normalize():f}%"


def deal_headline(*, percent: Decimal, kind: str, category: str) -> str:
    if kind == "bundle_true_hearts":
        return f"{percent_label(percent)} off settings with a True Hearts diamond"
    return f"{percent_label(percent)} off {CATEGORY_WORDS.get(category, category.replace('_', ' '))}"


def pick_deal(rows, now: datetime) -> Deal | None:
    """The running row (starts_at <= now < ends_at) that ends soonest, as a Deal; ties go to the lower id so the
    bar does not flip between two offers. Rows are (id, name, kind, percent, category, starts_at, ends_at)."""
    running = [row for row in rows if row[5] <= now < row[6]]
    if not running:
        return None
    pk, name, kind, percent, category, _starts_at, ends_at = min(running, key=lambda row: (row[6], row[0]))
    return Deal(
        promotion_id=pk,
        name=name,
        headline=deal_headline(percent=percent, kind=kind, category=category),
        ends_at=ends_at,
        countdown=countdown(ends_at, now),
    )


def current_deal(now: datetime | None = None) -> Deal | None:
    """The automatic offer running at `now` that ends soonest. At most one query per 30 seconds: the rows that
    overlap the 30 seconds from the last look are cached, and the exact start and end are checked against `now`
    itself, so an offer still starts and ends on the second. Staff edits show within 30 seconds."""
    now = now or timezone.now()
    cached = cache.get(CACHE_KEY)
    # One key holding its own window, rather than a key per wall-clock minute: an entry lives 30 s from the request
    # that filled it, so a quick run of pages (or a test counting their queries) does not straddle a boundary, and a
    # `now` outside the window (a test's fixed clock) simply looks again.
    if cached is not None and cached[0] <= now < cached[0] + CACHE_WINDOW:
        rows = cached[1]
    else:
        from .models import Promotion

        rows = list(
            Promotion.objects.filter(active=True, code="", starts_at__lt=now + CACHE_WINDOW, ends_at__gt=now)
            .order_by("ends_at", "pk")
            .values_list("pk", "name", "kind", "percent", "category", "starts_at", "ends_at")
        )
        cache.set(CACHE_KEY, (now, rows), CACHE_WINDOW.total_seconds())
    return pick_deal(rows, now)


def deal_alert(request):
    """Context processor. Lazy, so a response that does not show the bar (admin, htmx partials) costs no query."""
    return {"deal_alert": SimpleLazyObject(current_deal)}
