"""The issue's story in a browser: a couple who bought a ring shares their moment, Marketing approves it in admin,
and it appears in the gallery, found by its city, without their last names."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from moments.models import Moment
from tests.factories import PASSWORD, UserFactory
from tests.moments.test_moments import FORM, jpeg, make_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_share_approve_and_find_it_in_the_gallery(page, live_server, check_page, tmp_path, problems):
    order = make_order()
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(jpeg(1200, 900, gps=True))

    page.goto(f"{live_server.url}/engagement-moments/share/?order={order.number}")
    expect(page.get_by_label("Order number")).to_have_value(order.number)
    for name in ("first_name_1", "last_name_1", "first_name_2", "last_name_2", "email_1", "email_2", "order_email",
                 "region", "city", "story", "instagram_1"):  # fmt: skip
        page.fill(f"[name={name}]", FORM[name])
    page.select_option("[name=country]", "US")
    page.set_input_files("#id_photos", str(photo))
    page.check("#id_consent")
    check_page("moments-share")
    page.get_by_role("button", name="Send our moment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for sharing your moment")
    check_page("moments-thanks")
    moment = Moment.objects.get()
    assert moment.status == Moment.Status.PENDING and moment.photos.get().state == "ready"
    page.goto(f"{live_server.url}/engagement-moments/")
    assert "Marc J." not in page.content()

    marketing = UserFactory(is_staff=True, email="maya@solitaire.example")
    marketing.groups.add(Group.objects.get(name="Marketing"))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", marketing.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/moments/moment/?status__exact=pending")
    page.check(f"input[name=_selected_action][value='{moment.pk}']")
    page.select_option("select[name=action]", "approve")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 moment(s) published.")
    page.context.clear_cookies()  # the public, signed out
    problems.clear()  # Django's admin pages link no favicon, so the browser's own /favicon.ico request was a 404

    page.goto(f"{live_server.url}/engagement-moments/")
    page.select_option("select[name=country]", "US")
    expect(page).to_have_url(re.compile(r"country=US"))
    page.select_option("select[name=region]", "Texas")
    expect(page).to_have_url(re.compile(r"region=Texas"))
    page.select_option("select[name=city]", "Austin")
    expect(page).to_have_url(re.compile(r"city=Austin"))
    card = page.locator(".mo-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Marc J. & Jennifer L.")
    expect(card).to_contain_text("Austin, Texas")
    html = page.content()
    assert "Jonesworth" not in html and "Lautenberg" not in html
    check_page("moments-gallery")
    card.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marc J. & Jennifer L.")
    expect(page.get_by_role("link", name="Shop this ring")).to_have_attribute(
        "href", "/engagement-rings/item/classic-halo/"
    )
    assert "Jonesworth" not in page.content()
    check_page("moments-detail")
    assert problems == []
