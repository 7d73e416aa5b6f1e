"""A shopper writes to customer service late on a Friday and is told Tuesday; staff find it in the inbox and answer;
the shopper reads the answer through the private link. The guarantee pages and the FAQ search, with and without
JavaScript. axe-core on every shop page, screenshots at 390 and 1280 px."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from customer_service.models import Ticket
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
NY = ZoneInfo("America/New_York")


def test_friday_night_message_due_tuesday_answered_from_the_inbox(page, live_server, check_page, settings, browser):
    settings.SHOP_TIME_ZONE = "America/New_York"
    with time_machine.travel(datetime(2026, 12, 4, 23, 0, tzinfo=NY)):
        page.goto(live_server.url + "/guarantee/customer-service/")
        expect(page.get_by_role("heading", level=1)).to_have_text("24/7 customer service")
        expect(page.locator("main")).to_contain_text("non-commissioned diamond and jewelry experts")
        check_page("cs-customer-service")
        form = page.locator("form[action='/contact-us/']")
        form.get_by_label("Name").fill("Jennifer Lawrence")
        form.get_by_label("Email").fill("jen@example.com")
        form.get_by_label("Message").fill("Does the 1.5 ct oval in my wish list face up white in yellow gold?")
        form.get_by_role("button", name="Send message").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for sending your message")
        expect(page.locator("main")).to_contain_text("will answer by Tuesday, December 8")
        check_page("cs-contact-sent")
        ticket = Ticket.objects.get()
        assert "Tuesday, December 8 (New York time)" in mail.outbox[0].body

        page.get_by_role("link", name="See your request").click()
        expect(page.locator("main")).to_contain_text("Waiting for an answer")
        check_page("cs-ticket")

        agent = UserFactory(is_staff=True, email="ava@solitaire.example", first_name="Ava")
        agent.groups.add(Group.objects.get(name="Customer service"))
        staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        staff.goto(live_server.url + "/admin/login/")
        staff.fill("#id_username", agent.email)
        staff.fill("#id_password", PASSWORD)
        staff.click("input[type=submit]")
        staff.goto(live_server.url + "/admin/customer_service/ticket/")
        row = staff.locator("#result_list tbody tr", has_text=ticket.reference)
        expect(row).to_contain_text("Tue Dec 8")
        expect(row).to_contain_text("Jennifer Lawrence")
        staff.screenshot(path="test-artifacts/screenshots/cs-admin-inbox-desktop.png", full_page=True)
        row.get_by_role("link", name=ticket.reference).click()
        staff.fill("#id_reply", "It does: in yellow gold an H colour looks beautifully white. I'd suggest a G-H.")
        staff.click("input[name=_save]")
        expect(staff.locator(".messagelist")).to_contain_text("Your reply was sent to jen@example.com")

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("We have answered")
    expect(page.locator(".cs-thread")).to_contain_text("I'd suggest a G-H.")
    assert any("I'd suggest a G-H." in m.body for m in mail.outbox)


def test_contact_form_errors_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/guarantee/customer-service/")
    form = page.locator("form[action='/contact-us/']")
    form.get_by_label("Name").fill("Jen")
    form.get_by_label("Email").fill("not an email")
    form.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_contain_text("your message has not been sent yet")
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email-errors")).to_contain_text("Enter a valid email address.")
    expect(page.locator("#id_message-errors")).to_contain_text("This field is required.")
    expect(page.locator("#id_name")).to_have_value("Jen")
    assert not Ticket.objects.exists()
    context.close()


def test_guarantee_pages_and_faq_search(page, live_server, check_page):
    page.goto(live_server.url + "/guarantee/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Solitaire promise")
    check_page("cs-guarantee-index")
    page.locator(".cs-cards").get_by_role("link", name=re.compile("returns", re.I)).click()
    expect(page.locator("main")).to_contain_text("30 days")
    check_page("cs-returns")
    page.goto(live_server.url + "/guarantee/payment-options/")
    expect(page.locator(".cs-plan")).to_contain_text("$6,000.00 over three months")
    check_page("cs-payment-options")
    page.goto(live_server.url + "/education/diamond-color/")
    page.get_by_role("link", name=re.compile("Colorless D", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/loose-diamonds/\?color_from=d&color_to=f"))
    page.goto(live_server.url + "/faq/")
    page.get_by_label("Search the FAQ").fill("resize")
    expect(page.locator(".cs-faq__count")).to_contain_text("for “resize”")  # htmx, no page load
    expect(page).to_have_url(re.compile(r"/faq/\?q=resize"))
    first = page.locator(".cs-faq__entry").first
    expect(first).to_have_attribute("open", "")
    check_page("cs-faq-search")


def test_newsletter_double_opt_in_from_the_footer(page, live_server, check_page):
    from customer_service.models import Subscriber

    page.goto(live_server.url + "/engagement-rings/")
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("you can unsubscribe at any time")
    footer.get_by_label("Email address").fill("ava@example.com")
    footer.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    check_page("cs-newsletter-check-inbox")
    assert Subscriber.objects.get().status == "pending"
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + link[link.index("/newsletter/") :])
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    assert Subscriber.objects.get().status == "pending", "opening the link changes nothing"
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome: you're subscribed")
    check_page("cs-newsletter-confirmed")
    assert Subscriber.objects.get().status == "confirmed"


def test_inspection_and_sharing_from_a_diamonds_page(page, live_server, check_page, settings):
    from customer_service.models import InspectionRequest, ProductShare
    from tests.factories import DiamondFactory

    settings.SHOP_TIME_ZONE = "America/New_York"
    diamond = DiamondFactory(sku="E2E-OVAL-1")
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=NY)):
        page.goto(live_server.url + diamond.get_absolute_url())
        page.get_by_role("link", name="Inspect this diamond live with an expert").click()
        check_page("cs-inspection-request")
        main = page.locator("main")
        main.get_by_label("Name", exact=True).fill("Jennifer Lawrence")
        main.get_by_label("Email", exact=True).fill("jen@example.com")
        page.get_by_label("Your time zone").select_option("Asia/Hong_Kong")
        page.get_by_label("First choice").fill("2026-12-10T10:00")
        page.get_by_role("button", name=re.compile("Request my live inspection", re.I)).click()
        expect(page.locator("main")).to_contain_text(InspectionRequest.objects.get().ticket.reference)
        check_page("cs-inspection-requested")
        assert InspectionRequest.objects.get().preferred_times == ["2026-12-10T02:00:00+00:00"]

        page.goto(live_server.url + diamond.get_absolute_url())
        page.get_by_role("link", name="Send to a friend").click()
        page.get_by_label("Your name").fill("Jennifer")
        page.get_by_label("Your email").fill("jen@example.com")
        page.get_by_label("Friend's email", exact=True).fill("ann@example.org")
        check_page("cs-share-friend")
        page.get_by_role("button", name="Send to my friends").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for sharing")
        check_page("cs-share-sent")
    assert ProductShare.objects.get().recipients == ["ann@example.org"]
    shared = [m for m in mail.outbox if m.to == ["ann@example.org"]]
    assert len(shared) == 1 and diamond.sku in shared[0].body + shared[0].alternatives[0][0]
