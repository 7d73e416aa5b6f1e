"""The ring builder in a real browser, with and without JavaScript: every start point, an incompatible pair and
each prompt, the review page, the bag; axe-core and screenshots on every page seen."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog.models import Diamond, Gemstone, RingSetting, SettingVariant
from catalog.seed import diamonds, gemstones, settings_data
from tests.factories import DiamondFactory, GemstoneFactory

pytestmark = pytest.mark.django_db(transaction=True)

INCOMPATIBLE = "Unfortunately this particular setting and diamond combination are incompatible"
MISMATCH = "The item that you are trying to select does not match your previous product selection"


@pytest.fixture
def catalog():
    for data in settings_data():
        variants = data.pop("variants")
        setting = RingSetting.objects.create(**data)
        SettingVariant.objects.bulk_create(
            SettingVariant(setting=setting, metal=m, price=p) for m, p in variants.items()
        )
    Diamond.objects.bulk_create(Diamond(**row) for row in diamonds(240, seed=11))
    Gemstone.objects.bulk_create(Gemstone(**row) for row in gemstones(40, seed=5))
    # The stones the tests look for by hand.
    DiamondFactory(sku="PEAR231", shape="pear", carat=Decimal("2.31"), price=Decimal("22550.00"))
    DiamondFactory(sku="ROUND100", shape="round", carat=Decimal("1.00"), price=Decimal("6000.00"))
    DiamondFactory(sku="LAB120", shape="oval", carat=Decimal("1.20"), origin="lab", lab="IGI", price=Decimal("1900"))
    DiamondFactory(
        sku="YELLOW1",
        shape="cushion",
        carat=Decimal("1.01"),
        color=None,
        fancy_hue="yellow",
        fancy_intensity=6,
        price=Decimal("9000.00"),
    )
    GemstoneFactory(sku="RUBY150", kind="ruby", shape="oval", carat=Decimal("1.50"), price=Decimal("4800.00"))


def fits_a_phone(page) -> bool:
    """No sideways scrolling at 390 px."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(size)
    return fits


def select_button(page, ref):
    return page.locator(f"form.rb-card__choose:has(input[name=ref][value='{ref}']) button")


def test_from_a_pear_diamond_to_a_ring_in_the_bag_with_javascript(page, live_server, catalog, check_page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/ring-builder/")
    check_page("builder-start")
    page.get_by_role("link", name=re.compile("A natural diamond")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your diamond")

    # Narrow the search in place (htmx), then choose the 2.31 ct pear.
    page.locator("label[for=shape-pear]").click()
    expect(page).to_have_url(re.compile(r"shape=pear"))
    page.fill("#carat_min", "2.3")
    page.locator("#carat_min").dispatch_event("change")
    expect(select_button(page, "PEAR231")).to_be_visible()
    select_button(page, "PEAR231").click()

    # Only settings that hold it: every card is a fitting one.
    expect(page).to_have_url(re.compile(r"/ring-builder/settings/$"))
    expect(page.locator(".messages")).to_contain_text("The 2.31 Carat Pear Diamond is in your ring.")
    expect(page.locator(".rb-progress")).to_contain_text("2.31 Carat Pear Diamond")
    assert page.locator(".rb-card").count() > 0 and page.locator(".rb-card--misfit").count() == 0
    check_page("builder-settings-for-pear")
    assert fits_a_phone(page)

    # Everything else, with the reasons.
    page.locator("label[for=show-all]").click()
    expect(page.locator(".rb-card--misfit").first).to_be_visible()
    expect(page.locator(".rb-misfit").first).to_contain_text("this diamond is")

    # A setting that cannot hold it: the dialog opens in place, modal, focus on its title.
    misfit = page.locator(".rb-card--misfit button").first
    misfit.click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text(INCOMPATIBLE)
    expect(dialog).to_contain_text("Settings that hold your diamond")
    expect(dialog).to_contain_text(MISMATCH)
    expect(dialog.get_by_role("link", name="1-800-765-4828")).to_be_visible()
    assert page.evaluate("document.querySelector('dialog').matches(':modal')")
    expect(page.locator("#rb-dialog-title")).to_be_focused()
    check_page("builder-incompatible-dialog")
    assert fits_a_phone(page)
    # Escape closes it and gives focus back to the button that asked.
    page.keyboard.press("Escape")
    expect(page.locator("dialog")).to_have_count(0)
    expect(misfit).to_be_focused()

    # The dialog's suggestion takes a setting that fits.
    misfit.click()
    page.locator(".rb-suggestion__form button").first.click()
    expect(page).to_have_url(re.compile(r"/ring-builder/review/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your ring")

    # Metal changes the total in place; the engraving counts as you type.
    total_before = page.locator("#rb-total").inner_text()
    progress_price = page.locator(".rb-progress__step").nth(1).locator(".rb-progress__price")
    price_before = progress_price.inner_text()
    page.locator("label[for=metal-platinum]").click()
    expect(page.locator("#rb-total")).not_to_have_text(total_before)
    expect(progress_price).not_to_have_text(price_before)
    page.select_option("#id_size", "6.50")
    page.locator("#id_engraving").press_sequentially("Forever ♥")
    expect(page.locator("#engraving-count")).to_have_text("9 of 20 characters")
    check_page("builder-review")
    assert fits_a_phone(page)
    page.get_by_role("button", name=re.compile("Add ring to bag")).click()

    expect(page).to_have_url(re.compile(r"/bag/$"))
    expect(page.locator(".bag-line")).to_have_count(1)
    expect(page.locator(".bag-line__title")).to_contain_text("with a 2.31 Carat Pear Diamond")
    expect(page.locator(".bag-line")).to_contain_text("Platinum · size 6½")
    expect(page.locator(".bag-line")).to_contain_text("Engraved “Forever ♥”")
    expect(page.get_by_role("link", name="Bag, 1 item")).to_be_visible()
    check_page("builder-bag")
    assert fits_a_phone(page)


def test_from_a_setting_with_javascript_off(browser, live_server, catalog):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/ring-builder/")
    page.get_by_role("link", name=re.compile("A setting")).click()
    select_button(page, "classic-halo").click()
    expect(page).to_have_url(re.compile(r"/ring-builder/diamonds/$"))
    assert page.locator(".rb-card--misfit").count() == 0

    # A pear does not fit the round/oval/cushion halo: the dialog is a page of its own.
    page.goto(live_server.url + "/ring-builder/diamonds/?all=1&shape=pear")
    select_button(page, "PEAR231").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(INCOMPATIBLE)
    expect(page.locator("dialog[open]")).to_contain_text("This setting holds round, oval and cushion stones")
    page.get_by_role("link", name="Keep my selection").click()
    expect(page).to_have_url(re.compile(r"/ring-builder/diamonds/$"))

    page.goto(live_server.url + "/ring-builder/diamonds/?shape=round&carat_min=1&carat_max=1")
    select_button(page, "ROUND100").click()
    expect(page).to_have_url(re.compile(r"/ring-builder/review/$"))
    page.select_option("#id_size", "5.25")
    page.fill("#id_engraving", "x" * 20)
    page.get_by_role("button", name="Save my choices").click()
    expect(page.locator(".messages")).to_contain_text("Your design is saved.")
    expect(page.locator(".rb-part--total")).to_contain_text("$7,")  # 6,000 + the halo in 14k white gold
    page.get_by_role("button", name=re.compile("Add ring to bag")).click()
    expect(page).to_have_url(re.compile(r"/bag/$"))
    expect(page.locator(".bag-line__title")).to_contain_text("Classic Halo with a 1.00 Carat Round Diamond")
    context.close()


@pytest.mark.parametrize(
    ("tab", "ref", "query"),
    [
        ("Natural", "ROUND100", "carat_min=1&carat_max=1&price_min=5999&price_max=6001"),
        ("Lab-grown", "LAB120", "carat_min=1.2&carat_max=1.2&price_min=1899&price_max=1901"),
        ("Fancy colour", "YELLOW1", "carat_min=1.01&carat_max=1.01&price_min=8999&price_max=9001"),
        ("Gemstones", "RUBY150", "carat_min=1.5&carat_max=1.5&price_min=4799&price_max=4801"),
    ],
)
def test_each_stone_start_point_leads_to_the_settings_that_hold_it(page, live_server, catalog, tab, ref, query):
    page.goto(live_server.url + "/ring-builder/diamonds/")
    page.locator(".rb-kind-tabs").get_by_role("link", name=tab).click()
    expect(page.locator(".rb-kind-tabs [aria-current=page]")).to_have_text(tab)
    page.goto(f"{page.url.split('?')[0]}?{query}")
    select_button(page, ref).click()
    expect(page).to_have_url(re.compile(r"/ring-builder/settings/$"))
    assert page.locator(".rb-card").count() > 0 and page.locator(".rb-card--misfit").count() == 0
    expect(page.locator(".rb-progress__step").first).to_contain_text("Carat")


def test_the_prompts_before_replacing_a_choice(page, live_server, catalog, check_page):
    page.goto(live_server.url + "/ring-builder/?setting=classic-halo")
    page.goto(live_server.url + "/ring-builder/settings/")
    select_button(page, "round-halo").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("You already have a ring setting. Would you like to change it?")
    check_page("builder-change-setting-dialog")
    dialog.get_by_role("link", name="Keep the Classic Halo").click()
    expect(page.locator("dialog")).to_have_count(0)
    select_button(page, "round-halo").click()
    page.locator("dialog[open]").get_by_role("button", name="Change to the Round Halo").click()
    expect(page.locator(".rb-progress")).to_contain_text("Round Halo")

    page.goto(live_server.url + "/ring-builder/?diamond=ROUND100")
    page.goto(live_server.url + "/ring-builder/diamonds/?carat_min=1&carat_max=1.2&shape=round")
    other = page.locator("form.rb-card__choose:not(:has(input[value=ROUND100])) button").first
    other.click()
    expect(page.locator("dialog[open]")).to_contain_text("You already have a diamond. Would you like to change it?")


def test_an_entry_link_that_does_not_fit_opens_the_dialog_and_escape_goes_back(page, live_server, catalog):
    page.goto(live_server.url + "/ring-builder/?setting=classic-halo")
    page.goto(live_server.url + "/ring-builder/?diamond=PEAR231")
    expect(page.locator("dialog[open]")).to_contain_text(INCOMPATIBLE)
    assert page.evaluate("document.querySelector('dialog').matches(':modal')")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/ring-builder/diamonds/$"))


def test_the_bag_prompts(page, live_server, catalog, check_page):
    page.goto(live_server.url + "/bag/")

    def post(data):
        # What a detail page's "Add to bag" form posts.
        page.evaluate(
            """data => { const f = document.createElement('form'); f.method = 'post'; f.action = '/bag/add/';
                 data.csrfmiddlewaretoken = document.querySelector('[name=csrfmiddlewaretoken]').value;
                 for (const [k, v] of Object.entries(data)) { const i = document.createElement('input');
                   i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }
                 document.body.appendChild(f); f.submit(); }""",
            data,
        )
        page.wait_for_load_state()

    post({"kind": "setting", "ref": "classic-halo", "metal": "platinum", "size": "6"})
    expect(page.locator("dialog[open]")).to_contain_text("This specific setting requires a center diamond or gemstone")
    check_page("builder-needs-centre-dialog")
    page.get_by_role("button", name="Add the setting on its own").click()
    expect(page).to_have_url(re.compile(r"/bag/$"))
    post({"kind": "diamond", "ref": "ROUND100"})
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("You have selected a ring setting and a loose diamond separately")
    assert page.evaluate("document.querySelector('dialog').matches(':modal')")
    check_page("builder-bag-combine-dialog")
    dialog.get_by_role("button", name="Combine into one ring").click()
    expect(page.locator(".bag-line")).to_have_count(1)
    expect(page.locator(".bag-line__title")).to_contain_text("Classic Halo with a 1.00 Carat Round Diamond")


def test_a_shared_design_and_a_stone_sold_since(page, live_server, catalog, browser, check_page):
    page.goto(live_server.url + "/ring-builder/?setting=classic-halo")
    page.goto(live_server.url + "/ring-builder/?diamond=ROUND100")
    page.get_by_role("button", name="Get a link to share").click()
    link = page.locator("#share-url").input_value()
    assert re.search(r"/ring-builder/b/[\w-]{16}/$", link)
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()

    Diamond.objects.filter(sku="ROUND100").update(status="sold")
    friend = browser.new_context(viewport={"width": 1280, "height": 900})
    other = friend.new_page()
    other.goto(link)
    expect(other.locator(".rb-part__problem")).to_have_text("This diamond has since been sold")
    expect(other.get_by_role("heading", level=1)).to_contain_text("An engagement ring, designed at")
    other.get_by_role("button", name="Start from this design").click()
    expect(other).to_have_url(re.compile(r"/ring-builder/diamonds/$"))
    expect(other.locator(".messages")).to_contain_text("Sorry, this item has just been sold")
    friend.close()
    page.goto(link)
    check_page("builder-shared")


def test_design_earrings_and_pendant_pages_pass_axe(page, live_server, catalog, check_page):
    page.goto(live_server.url + "/ring-builder/earrings/")
    page.locator("form.rb-card__choose button").first.click()
    expect(page.locator(".rb-design-chosen")).to_be_visible()
    check_page("builder-earrings")
    page.goto(live_server.url + "/ring-builder/pendant/")
    page.locator("form.rb-card__choose button").first.click()
    expect(page.get_by_role("button", name="Add pendant to bag")).to_be_visible()
    check_page("builder-pendant")
