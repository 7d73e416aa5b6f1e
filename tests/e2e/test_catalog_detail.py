"""A shopper opens a stone from the search, turns it in 360°, saves it and compares it; a sold stone's page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import DiamondFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stones():
    DiamondFactory(sku="OVAL1", shape="oval", carat=Decimal("1.21"), price=Decimal(7200), length_mm=Decimal("8.2"),
                   width_mm=Decimal("5.9"))  # fmt: skip
    DiamondFactory(sku="OVAL2", shape="oval", carat=Decimal("1.30"), price=Decimal(8100), color=3)
    DiamondFactory(sku="SOLD1", shape="oval", carat=Decimal("1.25"), status="sold")


def test_open_a_stone_turn_it_save_it_and_compare(page, live_server, stones, check_page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/loose-diamonds/oval/")
    page.get_by_role("link", name=re.compile("1.21 Carat Oval Diamond")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1.21 Carat Oval Diamond")

    # The 360° view replaces the static drawing and turns with the keyboard.
    canvas = page.locator(".stone-viewer__canvas")
    expect(canvas).to_be_visible()
    expect(page.get_by_text("Click & drag from side to side to view in 360°")).to_be_visible()
    before = canvas.evaluate("c => c.toDataURL()")
    canvas.focus()
    page.keyboard.press("ArrowRight")
    assert canvas.evaluate("c => c.toDataURL()") != before
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 100, box["y"] + 100)
    page.mouse.down()
    page.mouse.move(box["x"] + 220, box["y"] + 110, steps=5)
    page.mouse.up()
    check_page("diamond-detail")

    wish = page.locator("button.list-button--wish")
    wish.click()
    expect(page.locator("button.list-button--wish")).to_have_attribute("aria-pressed", "true")
    page.locator("button.list-button--compare").click()
    expect(page.locator("button.list-button--compare")).to_have_attribute("aria-pressed", "true")

    page.goto(live_server.url + "/loose-diamonds/item/OVAL2/")
    page.locator("button.list-button--compare").click()
    expect(page.locator("button.list-button--compare")).to_have_attribute("aria-pressed", "true")

    page.goto(live_server.url + "/compare/")
    expect(page.locator("main table")).to_contain_text("1.21")
    expect(page.locator("main table")).to_contain_text("1.30")
    check_page("compare")

    page.goto(live_server.url + "/wish-list/")
    expect(page.locator("main")).to_contain_text("1.21")
    expect(page.locator("main")).to_contain_text("To save your wish list, create an account or log in")
    check_page("wish-list")


def test_sold_stone_page(page, live_server, stones, check_page):
    page.goto(live_server.url + "/loose-diamonds/item/SOLD1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, this item has just been sold")
    expect(page.locator(".result-list")).to_contain_text("1.21 Carat Oval Diamond")
    check_page("diamond-sold")


def test_detail_works_without_javascript(browser, live_server, stones):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/loose-diamonds/item/OVAL1/")
    expect(page.locator(".stone-viewer__static svg")).to_be_visible()  # the drawing stands in for the 360° view
    page.locator("button.list-button--wish").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Saved to your wish list")
    context.close()
