"""The checkout in a real browser: a complete ring bought in Canadian dollars through the offline gateway (with the
keyboard, an empty submit's error state on the way), a declined card, and Stripe through localstripe's fake Stripe.js
in euros, with and without 3-D Secure. Screenshots, axe-core and console errors on every checkout page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog.grades import StoneStatus
from catalog.models import Diamond, RingSetting, SettingVariant
from catalog.seed import settings_data
from checkout.models import Order
from checkout.payments.stripe_gateway import StripeGateway
from tests.checkout.conftest import localstripe, localstripe_clean  # noqa: F401
from tests.factories import DiamondFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEBHOOK_SECRET = "whsec_test_checkout"


@pytest.fixture
def shop():
    """The ring builder's settings; a 1.00 ct round that fits them (the ring, or a loose stone in the Stripe tests) and
    a 1.21 ct oval (the declined card)."""
    for data in settings_data():
        variants = data.pop("variants")
        setting = RingSetting.objects.create(**data)
        SettingVariant.objects.bulk_create(
            SettingVariant(setting=setting, metal=m, price=p) for m, p in variants.items()
        )
    DiamondFactory(sku="ROUND100", shape="round", carat=Decimal("1.00"), price=Decimal("6000.00"))
    DiamondFactory(sku="OVAL121", shape="oval", carat=Decimal("1.21"), price=Decimal("7200.00"))


@pytest.fixture
def stripe_settings(settings, localstripe_clean):  # noqa: F811
    """As in tests/checkout/test_checkout_stripe.py. The live server runs in this process (a thread), so these
    overrides are what it sees; the page loads localstripe's fake Stripe.js instead of js.stripe.com."""
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_checkout"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_checkout"
    settings.STRIPE_API_BASE = localstripe_clean
    settings.STRIPE_JS_URL = f"{localstripe_clean}/js.stripe.com/v3/"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return settings


# --- Helpers ---------------------------------------------------------------------------------------------------------
def amount(text: str) -> Decimal:
    """'C$8,123.45' -> Decimal('8123.45')."""
    return Decimal(re.sub(r"[^\d.]", "", text))


def choose_currency(page, code: str):
    """The header's currency selector: site.js posts its form on change and the page comes back in that currency."""
    with page.expect_navigation():
        page.select_option("#currency-select", code)
    expect(page.locator("#currency-select")).to_have_value(code)


def add_loose_diamond(page, base_url: str, sku: str):
    page.goto(f"{base_url}/loose-diamonds/item/{sku}/")
    page.get_by_role("button", name="Add loose diamond to bag").click()
    expect(page).to_have_url(re.compile(r"/bag/$"))
    expect(page.locator(".bag-line")).to_have_count(1)


def fits_a_phone(page) -> bool:
    """No sideways scrolling at 390 px."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(size)
    return fits


def type_into(page, text: str):
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def fill_details_with_the_keyboard(page, *, email, name, country, line1, city, postal_code, phone, region=None):
    """Only the keyboard, in the page's own tab order: every field is reachable and labelled, the selects answer to
    typing, and the hidden billing fields are skipped while "Same as the shipping address" is ticked."""
    shipping = page.get_by_role("group", name="Shipping address")
    page.get_by_label("Email", exact=True).focus()
    type_into(page, email)
    expect(shipping.get_by_label("Full name")).to_be_focused()
    type_into(page, name)
    expect(shipping.get_by_label("Country")).to_be_focused()
    type_into(page, country)
    type_into(page, line1)
    expect(shipping.get_by_label("Apartment, suite, floor (optional)")).to_be_focused()
    page.keyboard.press("Tab")
    expect(shipping.get_by_label("City")).to_be_focused()
    type_into(page, city)
    type_into(page, postal_code)
    if region:
        # The region field is shown only for countries that have them, labelled the country's way.
        expect(shipping.get_by_label(re.compile(r"^(State|Province or territory|State or territory)"))).to_be_focused()
        expect(page.locator("select:focus optgroup:not([hidden])")).to_have_count(1)  # only that country's
        type_into(page, region)
    expect(shipping.get_by_label("Phone")).to_be_focused()
    type_into(page, phone)
    same = page.get_by_label("Same as the shipping address")
    expect(same).to_be_focused()
    expect(same).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue to payment")).to_be_focused()
    page.keyboard.press("Enter")


def fill_details(page, **fields):
    shipping = page.get_by_role("group", name="Shipping address")
    page.get_by_label("Email", exact=True).fill(fields["email"])
    shipping.get_by_label("Full name").fill(fields["name"])
    shipping.get_by_label("Country").select_option(fields["country"])
    shipping.get_by_label("Address", exact=True).fill(fields["line1"])
    shipping.get_by_label("City").fill(fields["city"])
    shipping.get_by_label("Postal code").fill(fields["postal_code"])
    shipping.get_by_label("Phone").fill(fields["phone"])
    page.get_by_role("button", name="Continue to payment").click()
    expect(page).to_have_url(re.compile(r"/checkout/payment/$"))


GERMANY = {
    "email": "ada@example.com",
    "name": "Ada Lovelace",
    "country": "DE",
    "line1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "phone": "+49 30 1234567",
}


def pay_offline(page, number: str):
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("Security code").fill("123")
    page.get_by_role("button", name="Continue to review").click()


def fill_stripe_card(page, number: str):
    """localstripe's fake card element: plain inputs named by their placeholders (no iframe)."""
    card = page.locator("#card-element")
    card.locator('input[placeholder="number"]').fill(number)
    card.locator('input[placeholder="exp_month"]').fill("12")
    card.locator('input[placeholder="exp_year"]').fill("34")
    card.locator('input[placeholder="cvc"]').fill("123")
    card.locator('input[placeholder="postal_code"]').fill("10117")


FORM_REFUSED = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


def submit_refused(page, problems, button: str):
    """Submit a form the server refuses on purpose with 400 and the form again. Chromium logs any 4xx document as a
    console error; that one line is our deliberate status, not a problem, so exactly it is dropped."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.is_navigation_request()) as answer:
        page.get_by_role("button", name=button).click()
    assert answer.value.status == 400
    page.wait_for_load_state()
    for _ in range(40):  # the console message can come a moment after the page
        if FORM_REFUSED in problems:
            problems.remove(FORM_REFUSED)
            break
        page.wait_for_timeout(50)


def place_order(page):
    page.get_by_role("button", name="Place order").click()


# --- Offline gateway -------------------------------------------------------------------------------------------------
def test_a_new_shopper_buys_a_complete_ring_in_canadian_dollars(page, live_server, shop, check_page, problems):
    page.set_viewport_size({"width": 1280, "height": 900})

    # The ring, built in the ring builder: a 1.00 ct round, then a halo that holds it, then size and add to bag.
    page.goto(live_server.url + "/ring-builder/")
    page.get_by_role("link", name=re.compile("A natural diamond")).click()
    page.goto(f"{page.url.split('?')[0]}?shape=round&carat_min=1&carat_max=1")
    page.locator("form.rb-card__choose:has(input[name=ref][value='ROUND100']) button").click()
    expect(page).to_have_url(re.compile(r"/ring-builder/settings/$"))
    page.locator("form.rb-card__choose:has(input[name=ref][value='classic-halo']) button").click()
    expect(page).to_have_url(re.compile(r"/ring-builder/review/$"))
    page.select_option("#id_size", "6.50")
    page.get_by_role("button", name=re.compile("Add ring to bag")).click()
    expect(page).to_have_url(re.compile(r"/bag/$"))
    expect(page.locator(".bag-line__title")).to_contain_text("Classic Halo with a 1.00 Carat Round Diamond")

    # Canadian dollars, from the header's selector.
    choose_currency(page, "CAD")
    expect(page.locator("#summary-total")).to_contain_text("C$")
    check_page("checkout-bag")
    assert fits_a_phone(page)
    page.get_by_role("link", name="Proceed to checkout").click()

    # Details: first an empty submit (the error state), then the form with the keyboard only.
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    check_page("checkout-details")
    assert fits_a_phone(page)
    submit_refused(page, problems, "Continue to payment")
    expect(page.locator("#co-errors")).to_have_text("Please check the fields marked below.")
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field--invalid").first).to_contain_text("Enter your email address.")
    check_page("checkout-details-errors")
    assert fits_a_phone(page)
    fill_details_with_the_keyboard(
        page,
        email="Jane.Doe@example.com",
        name="Jane Doe",
        country="Canada",
        line1="100 Queen Street West",
        city="Toronto",
        postal_code="m5h2n2",
        region="Ontario",
        phone="+1 416 555 0148",
    )

    # Payment: the offline gateway's test card.
    expect(page).to_have_url(re.compile(r"/checkout/payment/$"))
    expect(page.locator("#summary-total")).to_contain_text("C$")
    check_page("checkout-payment")
    assert fits_a_phone(page)
    pay_offline(page, "4242 4242 4242 4242")

    # Review: what will be charged, in Canadian dollars, to Toronto.
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    expect(page.locator(".co-review__cards")).to_contain_text("Visa ending 4242")
    expect(page.locator(".co-review__cards")).to_contain_text("M5H 2N2")
    charge = page.locator("#charge-total").inner_text()
    assert charge.startswith("C$"), charge
    expect(page.locator("#summary-total")).to_have_text(charge)
    expect(page.locator("input[name=currency]")).to_have_value("CAD")
    check_page("checkout-review")
    assert fits_a_phone(page)
    place_order(page)

    # Confirmation: the number and the same total.
    expect(page).to_have_url(re.compile(r"/order/[\w-]+/\?placed=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your order is confirmed")
    order = Order.objects.get()
    expect(page.locator(".co-head")).to_contain_text(order.number)
    expect(page.locator(".co-summary__total dd")).to_have_text(charge)
    check_page("checkout-confirmation")
    assert fits_a_phone(page)

    assert order.status == Order.Status.PAID
    assert order.currency == "CAD"
    assert order.total_amount == amount(charge)
    assert order.email == "jane.doe@example.com"
    assert (order.shipping_country, order.shipping_region) == ("CA", "ON")
    assert Diamond.objects.get(sku="ROUND100").status == StoneStatus.SOLD
    page.goto(live_server.url + "/bag/")
    expect(page.get_by_role("heading", name="Your bag is empty")).to_be_visible()


def test_a_declined_card_says_so_on_the_payment_page_and_keeps_the_bag(page, live_server, shop):
    page.set_viewport_size({"width": 390, "height": 844})
    add_loose_diamond(page, live_server.url, "OVAL121")
    page.get_by_role("link", name="Proceed to checkout").click()
    fill_details(page, **GERMANY)
    pay_offline(page, "4000 0000 0000 0002")
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    place_order(page)

    expect(page).to_have_url(re.compile(r"/checkout/payment/$"))
    expect(page.locator(".messages")).to_contain_text("Your card was declined.")
    expect(page.locator(".messages")).to_contain_text("Your bag is saved")
    assert Order.objects.get().status == Order.Status.CANCELLED
    assert Diamond.objects.get(sku="OVAL121").status == StoneStatus.AVAILABLE

    page.goto(live_server.url + "/bag/")
    expect(page.locator(".bag-line")).to_have_count(1)
    expect(page.locator(".bag-line__title")).to_contain_text("1.21 Carat Oval Diamond")


# --- Stripe, through localstripe's fake Stripe.js -----------------------------------------------------------------
def _stripe_to_review(page, base_url: str, card_number: str):
    add_loose_diamond(page, base_url, "ROUND100")
    choose_currency(page, "EUR")
    page.get_by_role("link", name="Proceed to checkout").click()
    fill_details(page, **GERMANY)
    # The fake Stripe.js has mounted its inputs in the card element.
    expect(page.locator('#card-element input[placeholder="number"]')).to_be_visible()
    fill_stripe_card(page, card_number)


def test_a_purchase_in_euros_through_stripe_js(page, live_server, shop, stripe_settings, problems, check_page):
    page.set_viewport_size({"width": 1280, "height": 900})
    _stripe_to_review(page, live_server.url, "4242424242424242")
    # The page as a shopper sees it with the card typed in. The fake element's five bare inputs pass axe (their
    # placeholders name them) and its script only logs with console.log, so the full check applies, no exclusion.
    check_page("checkout-payment-stripe")
    page.get_by_role("button", name="Continue to review").click()

    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    expect(page.locator(".co-review__cards")).to_contain_text("Visa ending 4242")
    charge = page.locator("#charge-total").inner_text()
    assert charge.startswith("€"), charge
    place_order(page)

    expect(page).to_have_url(re.compile(r"/order/[\w-]+/\?placed=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your order is confirmed")
    order = Order.objects.get()
    expect(page.locator(".co-head")).to_contain_text(order.number)
    expect(page.locator(".co-summary__total dd")).to_have_text(charge)
    assert order.status == Order.Status.PAID and order.currency == "EUR"
    assert order.total_amount == amount(charge)

    # What Stripe charged is exactly what the review page showed, in cents.
    intent = StripeGateway().client.v1.payment_intents.retrieve(order.payments.get().gateway_id).to_dict()
    assert intent["status"] == "succeeded"
    assert intent["amount"] == int(order.total_amount * 100)
    assert intent["currency"] == "eur"
    assert Diamond.objects.get(sku="ROUND100").status == StoneStatus.SOLD
    assert problems == []


def test_3d_secure_through_stripe_js(page, live_server, shop, stripe_settings, problems, check_page):
    page.set_viewport_size({"width": 1280, "height": 900})
    _stripe_to_review(page, live_server.url, "4000002500003155")
    page.get_by_role("button", name="Continue to review").click()
    # Saving this card asks the bank first: the fake Stripe.js shows its 3-D Secure dialog.
    page.get_by_role("button", name="Complete authentication").click()
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    charge = page.locator("#charge-total").inner_text()
    place_order(page)

    # Charging it asks again (observed with localstripe: the saved card's PaymentIntent comes back requires_action):
    # our authentication page, whose button hands over to Stripe.js, which shows the same dialog.
    expect(page).to_have_url(re.compile(r"/checkout/authenticate/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your payment")
    expect(page.locator(".co-auth")).to_contain_text(charge)
    order = Order.objects.get()
    assert order.status == Order.Status.PLACED
    assert Diamond.objects.get(sku="ROUND100").status == StoneStatus.RESERVED
    check_page("checkout-authenticate-stripe")
    page.get_by_role("button", name="Confirm with my bank").click()
    page.get_by_role("button", name="Complete authentication").click()

    expect(page).to_have_url(re.compile(r"/order/[\w-]+/\?placed=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your order is confirmed")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.total_amount == amount(charge)
    intent = StripeGateway().client.v1.payment_intents.retrieve(order.payments.get().gateway_id).to_dict()
    assert intent["status"] == "succeeded"
    assert (intent["amount"], intent["currency"]) == (int(order.total_amount * 100), "eur")
    assert Diamond.objects.get(sku="ROUND100").status == StoneStatus.SOLD
    assert problems == []
