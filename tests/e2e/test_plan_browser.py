"""The 0%-interest 3-month plan in a real browser: a signed-in shopper buys a $6,000 diamond to Oregon (no sales tax)
through localstripe's fake Stripe.js, agrees to the monthly charges, sees paid / held / next charge on the order and
in the account; the real beat task takes month 2 and the hold shrinks. Then, on the offline gateway, a failed month
is paid with a new card through the order page's link. Screenshots, axe-core and console errors on every plan page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from checkout.models import Installment, InstallmentPlan, Order
from checkout.payments.stripe_gateway import StripeGateway
from checkout.tasks import charge_due_instalments
from tests.checkout.conftest import localstripe, localstripe_clean  # noqa: F401
from tests.checkout.test_plans import at
from tests.e2e.test_checkout_browser import (  # noqa: F401 - stripe_settings is a fixture
    add_loose_diamond,
    fill_stripe_card,
    fits_a_phone,
    place_order,
    stripe_settings,
)
from tests.factories import PASSWORD, DiamondFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OREGON = {"line1": "1120 SW 5th Avenue", "city": "Portland", "postal_code": "97204", "region": "US-OR"}


@pytest.fixture
def diamond():
    return DiamondFactory(sku="PLAN6000", shape="round", carat=Decimal("1.00"), price=Decimal("6000.00"))


# --- Helpers ---------------------------------------------------------------------------------------------------------
def sign_in(page, base_url: str, user):
    page.goto(base_url + "/account/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("banner")).to_contain_text(user.first_name)


def fill_details_to_oregon(page, *, email: str | None = None):
    """The details step to Portland, Oregon; a signed-in shopper's email and name are filled in already."""
    shipping = page.get_by_role("group", name="Shipping address")
    if email:
        page.get_by_label("Email", exact=True).fill(email)
    if not shipping.get_by_label("Full name").input_value():
        shipping.get_by_label("Full name").fill("Jennifer Lawrence")
    shipping.get_by_label("Country").select_option("US")
    shipping.get_by_label("Address", exact=True).fill(OREGON["line1"])
    shipping.get_by_label("City").fill(OREGON["city"])
    shipping.get_by_label("Postal code").fill(OREGON["postal_code"])
    shipping.get_by_label(re.compile(r"^State")).select_option(OREGON["region"])
    shipping.get_by_label("Phone").fill("+1 503 555 0142")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page).to_have_url(re.compile(r"/checkout/payment/$"))


def choose_monthly(page):
    monthly = page.get_by_label(re.compile("Interest-free monthly payments"))
    monthly.check()
    expect(monthly).to_be_checked()
    table = page.locator(".co-plan__table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("1 · today")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("$2,000.00")


def agree_and_place(page):
    agreement = page.get_by_label(re.compile("I agree that Solitaire charges"))
    expect(agreement).to_be_visible()
    agreement.check()
    place_order(page)


def figure(scope, label: str):
    """The <dd> of the plan's paid / held / next-charge figure whose <dt> starts with `label`."""
    page = getattr(scope, "page", scope)  # a Locator knows its page; a Page is one
    return (
        scope.locator(".co-plan-status__figures > div")
        .filter(has=page.locator("dt", has_text=re.compile(f"^{label}")))
        .locator("dd")
    )


def expect_figures(scope, *, paid: str, held: str, next_charge: str):
    expect(figure(scope, "Paid")).to_have_text(paid)
    expect(figure(scope, "Held on")).to_have_text(held)
    expect(figure(scope, "Next charge")).to_have_text(next_charge)


def next_charge_text(plan: InstallmentPlan) -> str:
    pending = plan.instalments.exclude(status=Installment.Status.PAID).order_by("number").first()
    if pending.status == Installment.Status.FAILED:
        return f"${pending.amount_minor // 100:,}.00 overdue"
    return f"${pending.amount_minor // 100:,}.00 on {pending.due_on:%B} {pending.due_on.day}"


def intent(payment_id: str) -> dict:
    return StripeGateway().client.v1.payment_intents.retrieve(payment_id).to_dict()


# --- Stripe, through localstripe's fake Stripe.js -----------------------------------------------------------------
def test_a_signed_in_shopper_pays_a_diamond_over_three_months_through_stripe_js(
    page,
    live_server,
    diamond,
    stripe_settings,  # noqa: F811 - the fixture imported above
    problems,
    check_page,
):
    page.set_viewport_size({"width": 1280, "height": 900})
    user = UserFactory(first_name="Jennifer", last_name="Lawrence")
    sign_in(page, live_server.url, user)
    add_loose_diamond(page, live_server.url, "PLAN6000")
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_label("Email", exact=True)).to_have_value(user.email)
    fill_details_to_oregon(page)

    # Payment: the fake card element, then the plan; Oregon has no sales tax, so the price is exactly $6,000.
    expect(page.locator('#card-element input[placeholder="number"]')).to_be_visible()
    fill_stripe_card(page, "4242424242424242")
    expect(page.locator(".co-plan__price")).to_have_text("Price $6,000.00")
    choose_monthly(page)
    check_page("plan-payment-stripe")
    assert fits_a_phone(page)
    page.get_by_role("button", name="Continue to review").click()

    # Review: the plan, its table and the agreement, which the browser asks for before anything is posted.
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    plan_section = page.get_by_role("region", name="Interest-free monthly payments")
    expect(plan_section).to_contain_text("Price $6,000.00 (USD), in 3 payments")
    expect(page.locator(".co-review__cards")).to_contain_text("Visa ending 4242")
    expect(page.locator(".co-review__cards")).to_contain_text("3 monthly payments")
    expect(plan_section.get_by_label(re.compile("I agree that Solitaire charges Visa ending 4242"))).not_to_be_checked()
    check_page("plan-review-stripe")
    assert fits_a_phone(page)
    place_order(page)
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    assert page.evaluate("document.getElementById('agree-plan').validity.valueMissing")
    expect(page.get_by_role("button", name="Place order")).to_be_enabled()
    assert not Order.objects.exists()
    agree_and_place(page)

    # Confirmation: paid, held, next charge.
    expect(page).to_have_url(re.compile(r"/order/[\w-]+/\?placed=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your order is confirmed")
    order = Order.objects.get()
    plan = InstallmentPlan.objects.get(order=order)
    assert order.user == user and order.status == Order.Status.PAID and order.total_amount == Decimal("6000.00")
    assert plan.status == InstallmentPlan.Status.ACTIVE
    status = page.locator(".co-plan-status")
    expect(status.get_by_role("heading", level=2)).to_have_text("Interest-free monthly payments Active")
    expect_figures(status, paid="$2,000.00", held="$4,000.00", next_charge=next_charge_text(plan))
    check_page("plan-confirmation-stripe")
    assert fits_a_phone(page)

    # localstripe: the first month charged, the rest held (authorized, not captured).
    first = plan.instalments.get(number=1)
    assert (intent(first.gateway_id)["status"], intent(first.gateway_id)["amount"]) == ("succeeded", 200000)
    hold = intent(plan.hold_id)
    assert (hold["status"], hold["amount"], hold["currency"]) == ("requires_capture", 400000, "usd")

    # The account's plans page says the same.
    page.goto(live_server.url + "/account/plans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly payments")
    expect(page.locator(".co-plans__plan")).to_have_count(1)
    expect(page.locator(".co-plans__plan")).to_contain_text(order.number)
    expect_figures(page, paid="$2,000.00", held="$4,000.00", next_charge=next_charge_text(plan))
    check_page("plan-account-stripe")
    assert fits_a_phone(page)

    # Month 2: the real beat task at the second due date charges it and shrinks the hold.
    second = plan.instalments.get(number=2)
    old_hold = plan.hold_id
    assert charge_due_instalments(now=at(second.due_on)) == {str(second.pk): "paid"}
    plan.refresh_from_db()
    page.reload()
    expect_figures(page, paid="$4,000.00", held="$2,000.00", next_charge=next_charge_text(plan))
    expect(page.locator(".co-plan-status__item").nth(1)).to_contain_text("Paid")
    hold = intent(plan.hold_id)
    assert plan.hold_id != old_hold
    assert (hold["status"], hold["amount"]) == ("requires_capture", 200000)
    assert intent(old_hold)["status"] == "canceled"
    second.refresh_from_db()
    assert (intent(second.gateway_id)["status"], intent(second.gateway_id)["amount"]) == ("succeeded", 200000)
    check_page("plan-account-month-2")
    assert fits_a_phone(page)
    assert problems == []


# --- Offline gateway -------------------------------------------------------------------------------------------------
def test_a_failed_month_is_paid_with_a_new_card_from_the_order_page(page, live_server, diamond, problems, check_page):
    page.set_viewport_size({"width": 1280, "height": 900})
    add_loose_diamond(page, live_server.url, "PLAN6000")
    page.get_by_role("link", name="Proceed to checkout").click()
    fill_details_to_oregon(page, email="ada@example.com")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    choose_monthly(page)
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("Security code").fill("123")
    page.get_by_role("button", name="Continue to review").click()
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    agree_and_place(page)
    expect(page).to_have_url(re.compile(r"/order/[\w-]+/\?placed=1$"))
    order_url = page.url.split("?")[0]
    plan = InstallmentPlan.objects.get()

    # The card stops working; month 2's charge fails in the beat task and the plan enters its grace period.
    InstallmentPlan.objects.filter(pk=plan.pk).update(payment_method="pm_card_chargeDeclined")
    second = plan.instalments.get(number=2)
    assert charge_due_instalments(now=at(second.due_on)) == {str(second.pk): "failed"}
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.IN_GRACE

    page.goto(order_url)
    status = page.locator(".co-plan-status")
    heading = "Interest-free monthly payments In grace (payment failed)"
    expect(status.get_by_role("heading", level=2)).to_have_text(heading)
    expect(status.get_by_role("status")).to_contain_text("A monthly payment did not go through")
    expect_figures(status, paid="$2,000.00", held="$4,000.00", next_charge=next_charge_text(plan))
    check_page("plan-order-in-grace")
    assert fits_a_phone(page)

    status.get_by_role("link", name="Update your card and pay now").click()
    expect(page).to_have_url(re.compile(rf"/account/plans/{plan.pk}/card/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Update your card")
    expect(page.locator(".co-head .lede")).to_contain_text("We will charge $2,000.00 (payment 2 of 3)")
    check_page("plan-card-update")
    assert fits_a_phone(page)
    page.get_by_label("Card number").fill("5555 5555 5555 4444")
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("Security code").fill("123")
    page.get_by_role("button", name="Save card and pay $2,000.00").click()

    expect(page).to_have_url(order_url)
    expect(page.locator(".messages")).to_contain_text("your plan is back on schedule")
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.ACTIVE
    assert (plan.card_label, plan.hold_minor) == ("Mastercard ending 4444", 200000)
    status = page.locator(".co-plan-status")
    expect(status.get_by_role("heading", level=2)).to_have_text("Interest-free monthly payments Active")
    expect(status.get_by_role("status")).to_have_count(0)
    expect_figures(status, paid="$4,000.00", held="$2,000.00", next_charge=next_charge_text(plan))
    check_page("plan-order-back-on-schedule")
    assert fits_a_phone(page)
    assert problems == []
