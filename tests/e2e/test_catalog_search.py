"""A shopper searching diamonds in the browser: filter, sort, page, back button, with and without JavaScript."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog.models import Diamond
from catalog.seed import diamonds
from tests.factories import DiamondFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    Diamond.objects.bulk_create(Diamond(**row) for row in diamonds(150, seed=7))
    # A stone the tests look for by hand.
    DiamondFactory(sku="TARGET", shape="round", carat=Decimal("1.21"), price=Decimal("9870"), color=3, clarity=4)


def result_count(page) -> int:
    return int(page.locator("#results-count strong").inner_text().replace(",", ""))


def test_filter_sort_and_page_with_htmx(page, live_server, catalog, check_page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/loose-diamonds/")
    all_count = result_count(page)
    check_page("search-diamonds")

    page.locator("label[for=shape-round]").click()
    expect(page).to_have_url(re.compile(r"shape=round"))
    round_count = result_count(page)
    assert 0 < round_count < all_count
    # Results came in place: still the same document, the checkbox kept its state and focus.
    expect(page.locator("#shape-round")).to_be_checked()

    page.fill("#carat-min", "1")
    page.fill("#carat-max", "1.5")
    page.locator("#carat-max").dispatch_event("change")
    expect(page).to_have_url(re.compile(r"carat_max=1.5"))
    expect(page.locator(".result-list")).to_contain_text("1.21 Carat Round Diamond")
    for title in page.locator(".result-card__title").all_inner_texts():
        carat = Decimal(title.split()[0])
        assert Decimal("1") <= carat <= Decimal("1.5"), title

    page.select_option("#sort", "-price")
    expect(page).to_have_url(re.compile(r"sort=-price"))
    prices = [
        Decimal(re.sub(r"[^\d.]", "", p.split("Now")[-1]))
        for p in page.locator(".result-card__price").all_inner_texts()
    ]
    assert prices == sorted(prices, reverse=True)
    check_page("search-diamonds-filtered")

    # The back button returns to the previous state of the search.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"sort=-price"))
    expect(page.locator("#sort")).to_have_value("price")


def test_pagination_and_shareable_url(page, live_server, catalog):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/loose-diamonds/?sort=carat")
    first_page = page.locator(".result-card__title").all_inner_texts()
    page.locator(".pagination").get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    second_page = page.locator(".result-card__title").all_inner_texts()
    assert second_page and not set(first_page) & set(second_page)
    # The URL is the whole state: opening it fresh shows the same page.
    url = page.url
    page.goto(url)
    assert page.locator(".result-card__title").all_inner_texts() == second_page


def test_search_works_with_javascript_off(browser, live_server, catalog):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/loose-diamonds/")
    page.locator("label[for=shape-round]").click()
    page.select_option("#sort", "-carat")
    page.get_by_role("button", name="Update results").click()
    page.wait_for_load_state()
    assert "shape=round" in page.url and "sort=-carat" in page.url
    expect(page.locator("#shape-round")).to_be_checked()
    titles = page.locator(".result-card__title").all_inner_texts()
    assert titles and all("Round" in t for t in titles)
    context.close()


def test_bad_url_shows_what_was_ignored(page, live_server, catalog, check_page):
    page.goto(live_server.url + "/loose-diamonds/?carat_min=abc&page=-1&sort=zzz")
    expect(page.locator(".notice")).to_contain_text("We adjusted your search")
    check_page("search-bad-input")


def test_phone_width_search(page, live_server, catalog, check_page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/loose-diamonds/round/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Round loose diamonds")
    check_page("search-phone")
