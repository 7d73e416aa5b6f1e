"""A shopper's first visit: the home page, the currency selector (with and without JavaScript), sign-up, email
confirmation and log-in. axe-core runs on every page; screenshots go to test-artifacts/screenshots/."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_header_and_footer(page, live_server, check_page):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Solitaire"))
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text("1-800-765-4828")
    page.set_viewport_size({"width": 1280, "height": 900})
    nav = page.get_by_role("navigation", name=re.compile("main", re.I))
    for label in ("Engagement rings", "Wedding rings", "Diamonds", "Gemstones", "Jewelry", "Education"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("bag", re.I))).to_be_visible()
    # The skip link is the first thing a keyboard reaches.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("href", "#main")
    check_page("home")


def test_switching_currency_with_javascript(page, live_server, check_page):
    page.goto(live_server.url + "/account/login/")
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_navigation():
        page.select_option("#currency-select", "EUR")
    assert page.url == live_server.url + "/account/login/"  # back on the same page
    expect(page.locator("#currency-select")).to_have_value("EUR")
    page.goto(live_server.url + "/")
    expect(page.locator("#currency-select")).to_have_value("EUR")  # kept in the session
    check_page("home-eur")


def test_switching_currency_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.select_option("#currency-select", "GBP")
    page.locator("#currency-form [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#currency-select")).to_have_value("GBP")
    # A hand-made link with an unknown code changes nothing and shows no error page.
    response = page.goto(live_server.url + "/?currency=ZZZ")
    assert response.status == 200
    expect(page.locator("#currency-select")).to_have_value("GBP")
    context.close()


def test_sign_up_confirm_and_log_in(page, live_server, check_page):
    page.goto(live_server.url + "/account/signup/")
    page.set_viewport_size({"width": 1280, "height": 900})
    check_page("signup")
    page.fill("input[name=first_name]", "Jennifer")
    page.fill("input[name=last_name]", "Aniston")
    page.fill("input[name=email]", "jen@example.com")
    page.fill("input[name=password1]", "Sparkling-Oval-2026")
    page.fill("input[name=password2]", "Sparkling-Oval-2026")
    page.check("input[name=marketing_opt_in]")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("verify|confirm", re.I))
    check_page("signup-verification-sent")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/account/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(live_server.url + "/account/" + link.split("/account/", 1)[1])
    check_page("confirm-email")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("banner")).to_contain_text("Jennifer")

    # Log out and back in.
    page.goto(live_server.url + "/account/logout/")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("banner")).not_to_contain_text("Jennifer")
    page.goto(live_server.url + "/account/login/")
    check_page("login")
    page.fill("input[name=login]", "jen@example.com")
    page.fill("input[name=password]", "Sparkling-Oval-2026")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("banner")).to_contain_text("Jennifer")


def test_sign_up_with_an_existing_email_offers_login_and_reset(page, live_server, check_page):
    UserFactory(email="taken@example.com")
    page.goto(live_server.url + "/account/signup/")
    page.fill("input[name=first_name]", "Marc")
    page.fill("input[name=last_name]", "Jacobs")
    page.fill("input[name=email]", "taken@example.com")
    page.fill("input[name=password1]", "Sparkling-Oval-2026")
    page.fill("input[name=password2]", "Sparkling-Oval-2026")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("This email already exists")
    expect(page.locator("main").get_by_role("link", name=re.compile("reset", re.I)).first).to_be_visible()
    check_page("signup-email-taken")


def test_wrong_password_shows_an_error(page, live_server, check_page):
    user = UserFactory()
    page.goto(live_server.url + "/account/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD + "x")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(re.compile("not correct|incorrect", re.I))
    check_page("login-error")
