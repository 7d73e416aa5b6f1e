from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkout.deals import current_deal, deal_alert, deal_headline, percent_label, pick_deal
from checkout.models import Promotion

D = Decimal
NOW = datetime(2026, 11, 22, 12, 0, 30, tzinfo=UTC)
# Ends 2 days, 11 hours, 4 minutes and 9 seconds after NOW.
ENDS = NOW + timedelta(days=2, hours=11, minutes=4, seconds=9)


def make_promotion(**kwargs):
    defaults = {
        "name": "Holiday sale",
        "kind": "percent_category",
        "percent": D("35"),
        "category": "ring_settings",
        "starts_at": NOW - timedelta(days=1),
        "ends_at": ENDS,
    }
    return Promotion.objects.create(**{**defaults, **kwargs})


def bar(response) -> str:
    """The deal alert's markup, or '' when the page has none."""
    html = response.content.decode()
    if 'class="deal-alert"' not in html:
        return ""
    start = html.index('<aside class="deal-alert"')
    return html[start : html.index("</aside>", start)]


# --- Pure parts ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("percent", "shown"),
    [(D("35.00"), "35%"), (D("12.50"), "12.5%"), (D("100.00"), "100%"), (D("0.75"), "0.75%"), (D("10"), "10%")],
)
def test_percent_has_no_trailing_zeros(percent, shown):
    assert percent_label(percent) == shown


@pytest.mark.parametrize(
    ("kind", "category", "headline"),
    [
        ("percent_category", "ring_settings", "35% off engagement ring settings"),
        ("percent_category", "loose_diamonds", "35% off loose diamonds"),
        ("percent_category", "jewelry", "35% off fine jewelry"),
        ("bundle_true_hearts", "ring_settings", "35% off settings with a True Hearts diamond"),
    ],
)
def test_headline(kind, category, headline):
    assert deal_headline(percent=D("35.00"), kind=kind, category=category) == headline


def row(pk, starts_at, ends_at):
    return (pk, f"Offer {pk}", "percent_category", D("35"), "ring_settings", starts_at, ends_at)


def test_pick_deal_takes_the_running_one_ending_soonest_to_the_second():
    early = row(1, NOW - timedelta(days=1), NOW + timedelta(hours=1))
    late = row(2, NOW - timedelta(days=1), NOW + timedelta(days=5))
    future = row(3, NOW + timedelta(seconds=1), NOW + timedelta(minutes=1))
    assert pick_deal([late, early, future], NOW).promotion_id == 1
    assert pick_deal([late, future], NOW).countdown == "05:00:00:00"
    # Starts on its second and is over on its end.
    assert pick_deal([future], NOW + timedelta(seconds=1)).promotion_id == 3
    assert pick_deal([early], NOW + timedelta(hours=1)) is None
    assert pick_deal([], NOW) is None


# --- Selector --------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_no_deal_without_a_promotion(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert current_deal(NOW) is None
    with django_assert_num_queries(0):  # cached for 30 seconds
        assert current_deal(NOW + timedelta(seconds=20)) is None


@pytest.mark.django_db
def test_running_automatic_promotion_is_the_deal():
    promotion = make_promotion(percent=D("35.00"))
    deal = current_deal(NOW)
    assert deal.promotion_id == promotion.pk
    assert deal.headline == "35% off engagement ring settings"
    assert deal.countdown == "02:11:04:09"
    assert deal.ends_at_iso == "2026-11-24T23:04:39+00:00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [
        {"code": "RINGS35"},  # needs a code: not for everyone
        {"active": False},
        {"starts_at": NOW + timedelta(hours=1)},  # not started
        {"starts_at": NOW - timedelta(days=3), "ends_at": NOW - timedelta(seconds=1)},  # over
        {"starts_at": NOW - timedelta(days=3), "ends_at": NOW},  # ends exactly now: over
    ],
    ids=["code", "inactive", "future", "expired", "ends-now"],
)
def test_promotions_that_are_not_a_deal(kwargs):
    make_promotion(**kwargs)
    assert current_deal(NOW) is None


@pytest.mark.django_db
def test_the_deal_ending_soonest_wins():
    make_promotion(name="Long", ends_at=NOW + timedelta(days=9))
    soon = make_promotion(name="Soon", percent=D("20"), category="gemstones", ends_at=NOW + timedelta(hours=3))
    make_promotion(name="Coded", code="SOONER", ends_at=NOW + timedelta(hours=1))
    deal = current_deal(NOW)
    assert deal.promotion_id == soon.pk and deal.headline == "20% off gemstones"
    assert deal.countdown == "00:03:00:00"


@pytest.mark.django_db
def test_an_offer_saved_by_marketing_shows_at_once_and_a_bulk_update_within_30_seconds(django_assert_num_queries):
    assert current_deal(NOW) is None
    promotion = make_promotion()  # a save (as in admin) forgets the cached rows
    assert current_deal(NOW).promotion_id == promotion.pk
    Promotion.objects.filter(pk=promotion.pk).update(active=False)  # no signal: the cache window applies
    with django_assert_num_queries(0):
        assert current_deal(NOW + timedelta(seconds=29)).promotion_id == promotion.pk
    assert current_deal(NOW + timedelta(seconds=30)) is None
    promotion.refresh_from_db()
    promotion.active = True
    promotion.save()
    assert current_deal(NOW + timedelta(seconds=31)).promotion_id == promotion.pk


@pytest.mark.django_db
def test_a_clock_outside_the_cached_window_looks_again(django_assert_num_queries):
    make_promotion(starts_at=NOW + timedelta(minutes=5), ends_at=NOW + timedelta(minutes=10))
    assert current_deal(NOW) is None
    with django_assert_num_queries(1):
        assert current_deal(NOW + timedelta(minutes=6)).countdown == "00:00:04:00"
    with django_assert_num_queries(1):  # an earlier clock too
        assert current_deal(NOW) is None


# --- The bar on the page -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_home_page_renders_without_a_bar_when_there_is_no_deal(client):
    response = client.get("/")
    assert response.status_code == 200
    assert bar(response) == "" and "deal-alert.js" not in response.content.decode()


@pytest.mark.django_db
def test_bar_shows_the_deal_and_the_time_left(client):
    # Relative to the real clock: the page reads timezone.now() itself. Ends in 2 days 11 hours and a bit.
    ends_at = timezone.now() + timedelta(days=2, hours=11, minutes=30)
    make_promotion(starts_at=timezone.now() - timedelta(days=1), ends_at=ends_at)
    response = client.get("/")
    assert response.status_code == 200
    html = bar(response)
    assert 'aria-label="Deal alert"' in html and 'href="/engagement-rings/"' in html
    assert ">Deal alert<" in html and ">35% off engagement ring settings<" in html and "ends in" in html
    iso = ends_at.astimezone(UTC).isoformat(timespec="seconds")
    assert f'<time class="deal-alert__time" datetime="{iso}" data-ends-at="{iso}" aria-live="off">02:11:' in html
    page = response.content.decode()
    assert page.index('class="deal-alert"') < page.index('class="site-header"')
    assert 'src="/static/js/deal-alert.js" defer' in page
    # Strict CSP: nothing inline.
    assert "style=" not in html and "onclick" not in html and "<script" not in html


@pytest.mark.django_db
def test_bar_is_on_other_pages_too(client):
    make_promotion(starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() + timedelta(days=1))
    assert "35% off engagement ring settings" in bar(client.get("/engagement-rings/"))


@pytest.mark.django_db
def test_the_context_processor_costs_at_most_one_query(rf, django_assert_max_num_queries):
    make_promotion(starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() + timedelta(days=1))
    with django_assert_max_num_queries(1):
        context = deal_alert(rf.get("/"))
        assert context["deal_alert"] and context["deal_alert"].headline == "35% off engagement ring settings"
    with django_assert_max_num_queries(0):  # the next request within 30 seconds reads the cache
        assert deal_alert(rf.get("/"))["deal_alert"].countdown.startswith("00:23:")


@pytest.mark.django_db
def test_a_page_asks_for_the_deal_once_then_reads_the_cache(client):
    make_promotion(starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() + timedelta(days=1))
    client.get("/")  # session and currency rows warm
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert bar(client.get("/"))
    with CaptureQueriesContext(connection) as warm:
        assert bar(client.get("/"))
    assert len(promotion_queries(cold)) == 1 and promotion_queries(warm) == []


def promotion_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "checkout_promotion" in q["sql"]]
