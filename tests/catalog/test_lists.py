"""The wish list and the compare list, as a shopper uses them: buttons with and without JavaScript, the pages, the
login merge, the compare limit and the highlighted differences, and a fixed number of queries however long a list."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.messages import get_messages

from catalog.lists import COMPARE_SESSION_KEY, WISH_SESSION_KEY
from catalog.models import WishListItem
from tests.factories import (
    PASSWORD,
    DiamondFactory,
    GemstoneFactory,
    JewelryFactory,
    RingSettingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WISH_TOGGLE, COMPARE_TOGGLE = "/wish-list/toggle/", "/compare/toggle/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/loose-diamonds/"}


def make(kind, **kwargs):
    """An item of `kind` and its ref and title as the shop shows it."""
    if kind == "diamond":
        item = DiamondFactory(**kwargs)
        return item, item.sku, f"{item.carat} Carat Round Diamond"
    if kind == "gemstone":
        item = GemstoneFactory(**kwargs)
        return item, item.sku, f"{item.carat} Carat Oval Blue sapphire"
    if kind == "setting":
        item = RingSettingFactory(**kwargs)
        return item, item.slug, item.name
    item = JewelryFactory(**kwargs)
    return item, item.sku, item.name


KINDS = ["diamond", "gemstone", "setting", "jewelry"]


def text(response) -> str:
    """The page as a shopper reads it: tags removed, whitespace collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([.,;:!?])", r"\1", words)


def flash(response) -> str:
    """The message this request left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def header_count(response) -> str:
    return re.search(r"Wish list, (\d+) items?", response.content.decode()).group(1)


def log_in(client, user):
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the login form was refused"
    return response


# --- Wish list toggles ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_shopper_saves_and_removes_each_kind_without_javascript(client, kind):
    _, ref, title = make(kind)

    response = client.post(WISH_TOGGLE, {"kind": kind, "ref": ref, "action": "add", "next": "/gemstones/?shape=oval"})
    assert response.status_code == 302
    assert response["Location"] == "/gemstones/?shape=oval"
    assert flash(response) == "Saved to your wish list"

    page = client.get("/wish-list/")
    assert title in text(page)
    assert header_count(page) == "1"

    response = client.post(WISH_TOGGLE, {"kind": kind, "ref": ref, "action": "remove", "next": "/wish-list/"})
    assert response["Location"] == "/wish-list/"
    assert flash(response) == "Removed from your wish list"
    page = client.get("/wish-list/")
    assert title not in text(page)
    assert "Your wish list is empty" in text(page)
    assert header_count(page) == "0"


@pytest.mark.parametrize("kind", KINDS)
def test_signed_in_shopper_saves_to_the_account(client, user, kind):
    client.force_login(user)
    _, ref, title = make(kind)

    client.post(WISH_TOGGLE, {"kind": kind, "ref": ref, "action": "add", "next": "/"})
    assert list(WishListItem.objects.filter(user=user).values_list("kind", "ref")) == [(kind, ref)]
    assert title in text(client.get("/wish-list/"))
    assert WISH_SESSION_KEY not in client.session

    client.post(WISH_TOGGLE, {"kind": kind, "ref": ref, "action": "remove", "next": "/"})
    assert not WishListItem.objects.filter(user=user).exists()


def test_a_double_submit_never_undoes_the_save(client, user):
    client.force_login(user)
    diamond = DiamondFactory()
    for _ in range(2):
        client.post(WISH_TOGGLE, {"kind": "diamond", "ref": diamond.sku, "action": "add", "next": "/"})
    assert WishListItem.objects.filter(user=user).count() == 1


def test_without_an_action_the_button_toggles(client):
    diamond = DiamondFactory()
    client.post(WISH_TOGGLE, {"kind": "diamond", "ref": diamond.sku, "next": "/"})
    assert header_count(client.get("/wish-list/")) == "1"
    client.post(WISH_TOGGLE, {"kind": "diamond", "ref": diamond.sku, "next": "/"})
    assert header_count(client.get("/wish-list/")) == "0"


def test_a_sold_stone_can_be_saved_stays_listed_as_sold_and_can_be_removed(client):
    sold = DiamondFactory(status="sold")
    client.post(WISH_TOGGLE, {"kind": "diamond", "ref": sold.sku, "action": "add", "next": "/"})
    page = text(client.get("/wish-list/"))
    assert "1.00 Carat Round Diamond" in page
    assert "Sorry, this item has just been sold" in page

    response = client.post(WISH_TOGGLE, {"kind": "diamond", "ref": sold.sku, "action": "remove", "next": "/"})
    assert flash(response) == "Removed from your wish list"
    assert "Your wish list is empty" in text(client.get("/wish-list/"))


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "diamond", "ref": "NO-SUCH-SKU"},
        {"kind": "setting", "ref": "T0000001"},  # a ref of another kind
        {"kind": "necklace", "ref": "T0000001"},
        {"kind": "diamond", "ref": ""},
        {"kind": "diamond", "ref": "X" * 500},
        {},
    ],
)
def test_a_made_up_item_is_refused_with_a_message_and_changes_nothing(client, user, data):
    DiamondFactory(sku="T0000001")
    client.force_login(user)
    for url in (WISH_TOGGLE, COMPARE_TOGGLE):
        response = client.post(url, {**data, "next": "/loose-diamonds/"})
        assert response.status_code == 302
        assert response["Location"] == "/loose-diamonds/"
        assert flash(response) == "Sorry, we could not find that item."
        assert "Sorry, we could not find that item." in text(client.get("/wish-list/"))  # shown once, then gone
    assert not WishListItem.objects.exists()
    assert not client.session.get(COMPARE_SESSION_KEY)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "", "http://testserver.evil/"]
)
def test_an_unsafe_next_goes_home(client, next_url):
    diamond = DiamondFactory()
    response = client.post(WISH_TOGGLE, {"kind": "diamond", "ref": diamond.sku, "action": "add", "next": next_url})
    assert response["Location"] == "/"


def test_toggles_only_accept_post(client):
    assert client.get(WISH_TOGGLE).status_code == 405
    assert client.get(COMPARE_TOGGLE).status_code == 405


def test_with_htmx_the_buttons_come_back_pressed_with_the_header_count(client):
    diamond = DiamondFactory()
    response = client.post(WISH_TOGGLE, {"kind": "diamond", "ref": diamond.sku, "action": "add", "next": "/x/"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="wish-diamond-[^"]+"[^>]*aria-pressed="true"', html)
    assert "Saved" in text(response)
    assert 'name="action" value="remove"' in html  # pressing again removes
    assert 'name="next" value="/x/"' in html
    # The header's count, out of band, and an announcement for screen readers.
    assert re.search(r'hx-swap-oob="outerHTML:\.masthead[^"]*action-link__count"[^>]*>\s*1\s*<', html)
    assert "Wish list, 1 item" in html
    assert re.search(r'hx-swap-oob="innerHTML:#messages".*Saved to your wish list', html, re.S)
    # No message is left behind for the next page.
    assert "Saved to your wish list" not in text(client.get("/gemstones/"))

    response = client.post(WISH_TOGGLE, {"kind": "diamond", "ref": diamond.sku, "action": "remove"}, **HTMX)
    assert re.search(r'id="wish-diamond-[^"]+"[^>]*aria-pressed="false"', response.content.decode())
    assert "Add to wish list" in text(response)


def test_with_htmx_a_made_up_item_is_announced_and_nothing_is_redrawn(client):
    response = client.post(WISH_TOGGLE, {"kind": "diamond", "ref": "NOPE"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert "Sorry, we could not find that item." in response.content.decode()


# --- Wish list page -------------------------------------------------------------------------------------------------
def test_anonymous_shopper_with_items_is_asked_to_sign_up_or_log_in(client):
    diamond = DiamondFactory()
    assert "create an account" not in text(client.get("/wish-list/"))  # nothing to keep yet

    client.post(WISH_TOGGLE, {"kind": "diamond", "ref": diamond.sku, "action": "add", "next": "/"})
    page = client.get("/wish-list/")
    assert "To save your wish list, create an account or log in." in text(page)
    html = page.content.decode()
    assert 'href="/account/signup/?next=/wish-list/"' in html
    assert 'href="/account/login/?next=/wish-list/"' in html


def test_signed_in_shopper_is_not_asked_to_log_in(client, user):
    client.force_login(user)
    WishListItem.objects.create(user=user, kind="diamond", ref=DiamondFactory().sku)
    assert "create an account" not in text(client.get("/wish-list/"))


def test_empty_wish_list_offers_ways_to_start_shopping(client):
    page = client.get("/wish-list/")
    assert "Your wish list is empty" in text(page)
    for link in ("/engagement-rings/", "/loose-diamonds/", "/gemstones/", "/jewelry/"):
        assert f'href="{link}"' in page.content.decode()


def test_wish_list_shows_kind_facts_and_price_in_the_shoppers_currency(client):
    diamond = DiamondFactory(price=Decimal("6000.00"), sale_price=Decimal("5400.00"))
    setting = RingSettingFactory(name="Lumière Halo", style="halo")
    session = client.session
    session[WISH_SESSION_KEY] = [["setting", setting.slug], ["diamond", diamond.sku]]
    session.save()

    page = text(client.get("/wish-list/?currency=EUR"))
    assert "Ring setting" in page and "Diamond" in page
    assert "Lumière Halo" in page
    assert "Halo setting" in page
    assert "G · VS2 · Ideal" in page
    assert "€5" in page and "$5" not in page and "$6" not in page
    assert page.index("Lumière Halo") < page.index("1.00 Carat Round Diamond")  # newest first


def test_an_item_gone_from_the_catalog_is_shown_as_unavailable_and_can_be_removed(client, user):
    client.force_login(user)
    jewelry = JewelryFactory()
    WishListItem.objects.create(user=user, kind="jewelry", ref=jewelry.sku)
    jewelry.delete()
    assert "No longer available" in text(client.get("/wish-list/"))
    response = client.post(WISH_TOGGLE, {"kind": "jewelry", "ref": jewelry.sku, "action": "remove", "next": "/"})
    assert flash(response) == "Removed from your wish list"
    assert not WishListItem.objects.exists()


def _fill_wish_list(client, user, count):
    makers = [DiamondFactory, GemstoneFactory, RingSettingFactory, JewelryFactory]
    kinds = ["diamond", "gemstone", "setting", "jewelry"]
    entries = []
    for n in range(count):
        item = makers[n % 4]()
        entries.append([kinds[n % 4], getattr(item, "slug" if kinds[n % 4] == "setting" else "sku")])
    if user:
        WishListItem.objects.bulk_create([WishListItem(user=user, kind=k, ref=r) for k, r in entries])
    else:
        session = client.session
        session[WISH_SESSION_KEY] = entries
        session.save()
    return entries


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("count", [1, 48])
def test_wish_list_page_makes_the_same_few_queries_for_1_or_48_items(
    client, django_assert_max_num_queries, signed_in, count
):
    user = UserFactory() if signed_in else None
    if user:
        client.force_login(user)
    _fill_wish_list(client, user, count)
    # session, user, the list, one per kind, currency rates, the deal alert (cached 30 s, cold here): 9
    # (anonymous: no user, the list is in the session)
    with django_assert_max_num_queries(9):
        page = client.get("/wish-list/")
    assert page.status_code == 200
    assert f"{count} saved piece" in text(page)
    assert header_count(page) == str(count)


# --- Login merge ----------------------------------------------------------------------------------------------------
def test_logging_in_moves_the_session_wish_list_into_the_account_without_duplicates(client):
    user = UserFactory()
    both, only_session = DiamondFactory(), GemstoneFactory()
    already = RingSettingFactory()
    WishListItem.objects.create(user=user, kind="diamond", ref=both.sku)
    WishListItem.objects.create(user=user, kind="setting", ref=already.slug)
    for kind, ref in (("diamond", both.sku), ("gemstone", only_session.sku)):
        client.post(WISH_TOGGLE, {"kind": kind, "ref": ref, "action": "add", "next": "/"})

    log_in(client, user)

    saved = sorted(WishListItem.objects.filter(user=user).values_list("kind", "ref"))
    assert saved == sorted([("diamond", both.sku), ("gemstone", only_session.sku), ("setting", already.slug)])
    assert WISH_SESSION_KEY not in client.session
    page = client.get("/wish-list/")
    assert header_count(page) == "3"
    assert "create an account" not in text(page)


def test_after_logging_out_the_list_stays_with_the_account(client):
    user = UserFactory()
    diamond = DiamondFactory()
    client.post(WISH_TOGGLE, {"kind": "diamond", "ref": diamond.sku, "action": "add", "next": "/"})
    log_in(client, user)
    client.post("/account/logout/")
    assert header_count(client.get("/wish-list/")) == "0"
    log_in(client, user)
    assert header_count(client.get("/wish-list/")) == "1"


# --- Compare --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_compare_adds_and_removes_each_kind(client, kind):
    _, ref, title = make(kind)
    response = client.post(COMPARE_TOGGLE, {"kind": kind, "ref": ref, "action": "add", "next": "/compare/"})
    assert flash(response) == "Added to your comparison"
    assert title in text(client.get("/compare/"))
    response = client.post(COMPARE_TOGGLE, {"kind": kind, "ref": ref, "action": "remove", "next": "/compare/"})
    assert flash(response) == "Removed from your comparison"
    assert "Nothing to compare yet" in text(client.get("/compare/"))


def test_a_seventh_diamond_is_refused_until_one_is_removed(client):
    diamonds = DiamondFactory.create_batch(7)
    for d in diamonds[:6]:
        client.post(COMPARE_TOGGLE, {"kind": "diamond", "ref": d.sku, "action": "add", "next": "/"})

    response = client.post(COMPARE_TOGGLE, {"kind": "diamond", "ref": diamonds[6].sku, "action": "add", "next": "/"})
    assert flash(response) == "You can compare up to 6 diamonds; remove one first."
    assert client.session[COMPARE_SESSION_KEY]["diamond"] == [d.sku for d in diamonds[:6]]
    assert diamonds[6].sku not in client.get("/compare/").content.decode()

    # Other kinds have their own six.
    gem = GemstoneFactory()
    response = client.post(COMPARE_TOGGLE, {"kind": "gemstone", "ref": gem.sku, "action": "add", "next": "/"})
    assert flash(response) == "Added to your comparison"

    client.post(COMPARE_TOGGLE, {"kind": "diamond", "ref": diamonds[0].sku, "action": "remove", "next": "/"})
    response = client.post(COMPARE_TOGGLE, {"kind": "diamond", "ref": diamonds[6].sku, "action": "add", "next": "/"})
    assert flash(response) == "Added to your comparison"


def test_with_htmx_a_seventh_diamond_shows_the_reason_beside_the_button(client):
    diamonds = DiamondFactory.create_batch(7)
    for d in diamonds[:6]:
        client.post(COMPARE_TOGGLE, {"kind": "diamond", "ref": d.sku, "action": "add"}, **HTMX)
    response = client.post(COMPARE_TOGGLE, {"kind": "diamond", "ref": diamonds[6].sku, "action": "add"}, **HTMX)
    html = response.content.decode()
    assert re.search(r'class="list-buttons__error"[^>]*>You can compare up to 6 diamonds; remove one first', html)
    assert re.search(r'id="compare-diamond-[^"]+"[^>]*aria-pressed="false"', html)


def _compare(client, kind, refs):
    session = client.session
    session[COMPARE_SESSION_KEY] = {**session.get(COMPARE_SESSION_KEY, {}), kind: refs}
    session.save()


def _rows(html):
    """{row label: (differs, hidden)} of the compare tables."""
    rows = {}
    for attrs, label in re.findall(r'<tr class="compare-row([^>]*)>\s*<th scope="row">([^<]+)', html):
        rows[label.strip()] = ("compare-row--differs" in attrs, " hidden" in attrs)
    return rows


def test_compare_shows_diamonds_side_by_side_with_differences_highlighted(client):
    a = DiamondFactory(color=4, clarity=6, price=Decimal("6000.00"))
    b = DiamondFactory(color=3, clarity=6, price=Decimal("7100.00"), lab="IGI")
    _compare(client, "diamond", [a.sku, b.sku])

    response = client.get("/compare/")
    html = response.content.decode()
    page = text(response)
    rows = _rows(html)
    expected = ["Price", "Shape", "Carat", "Cut", "Colour", "Clarity", "Polish", "Symmetry", "Fluorescence",
                "L/W ratio", "Depth %", "Table %", "Measurements", "Lab", "Certificate", "Origin"]  # fmt: skip
    assert list(rows) == expected
    differing = {label for label, (differs, _) in rows.items() if differs}
    assert differing == {"Price", "Colour", "Lab", "Certificate"}
    assert "Colour differs" in page  # said, not only coloured
    assert "Shape differs" not in page
    assert "$6,000.00" in page and "$7,100.00" in page
    assert re.search(r'role="region" tabindex="0" aria-label="Diamonds compared', html)
    assert "4 differences" in page


def test_show_only_differences_hides_identical_rows_without_javascript(client):
    a, b = DiamondFactory(color=4), DiamondFactory(color=5)
    _compare(client, "diamond", [a.sku, b.sku])
    html = client.get("/compare/?only=differences").content.decode()
    rows = _rows(html)
    assert rows["Colour"] == (True, False)
    assert rows["Shape"] == (False, True)
    assert re.search(
        r'<button[^>]*aria-pressed="true"[^>]*>\s*<span[^>]*></span>\s*<span[^>]*>Show only differences', html
    )
    # And back: the switch's form drops the parameter.
    html = client.get("/compare/").content.decode()
    assert _rows(html)["Shape"] == (False, False)
    assert 'name="only" value="differences"' in html


def test_one_item_has_no_differences_and_invites_another(client):
    _compare(client, "diamond", [DiamondFactory().sku])
    response = client.get("/compare/")
    assert not any(differs for differs, _ in _rows(response.content.decode()).values())
    assert "Add another diamond to see where they differ." in text(response)
    # Showing only differences never empties a table that has none.
    rows = _rows(client.get("/compare/?only=differences").content.decode())
    assert rows and not any(hidden for _, hidden in rows.values())


def test_compare_flags_a_sold_stone_and_removes_a_column(client):
    keep, sold = DiamondFactory(), DiamondFactory(status="sold")
    _compare(client, "diamond", [keep.sku, sold.sku])
    assert "Sold" in text(client.get("/compare/"))
    response = client.post(
        COMPARE_TOGGLE, {"kind": "diamond", "ref": sold.sku, "action": "remove", "next": "/compare/"}
    )
    assert response["Location"] == "/compare/"
    assert sold.sku not in client.get("/compare/").content.decode()


def test_compare_tables_for_each_kind(client):
    gems = [GemstoneFactory(), GemstoneFactory(kind="ruby", color="Crimson")]
    settings = [RingSettingFactory(style="halo"), RingSettingFactory(metals={"platinum": Decimal("1800.00")})]
    jewelry = [JewelryFactory(), JewelryFactory(metal="platinum")]
    _compare(client, "gemstone", [g.sku for g in gems])
    _compare(client, "setting", [s.slug for s in settings])
    _compare(client, "jewelry", [j.sku for j in jewelry])
    response = client.get("/compare/")
    page = text(response)
    for heading in ("Gemstones", "Ring settings", "Jewelry pieces"):
        assert heading in page
    rows = _rows(response.content.decode())
    assert rows["Gemstone"][0] and rows["Style"][0] and rows["Metal"][0] and rows["Metals"][0]
    assert "14k White Gold, Platinum" in page


def test_items_gone_from_the_catalog_drop_out_of_the_comparison(client):
    keep, gone = DiamondFactory(), DiamondFactory()
    _compare(client, "diamond", [keep.sku, gone.sku])
    gone.delete()
    page = text(client.get("/compare/"))
    assert "1 of 6" in page
    assert client.session[COMPARE_SESSION_KEY]["diamond"] == [keep.sku]


@pytest.mark.parametrize("full", [False, True])
def test_compare_page_makes_the_same_few_queries_for_1_or_24_items(client, django_assert_max_num_queries, full):
    per_kind = 6 if full else 1
    _compare(client, "diamond", [d.sku for d in DiamondFactory.create_batch(per_kind)])
    if full:
        _compare(client, "gemstone", [g.sku for g in GemstoneFactory.create_batch(6)])
        _compare(client, "setting", [s.slug for s in RingSettingFactory.create_batch(6)])
        _compare(client, "jewelry", [j.sku for j in JewelryFactory.create_batch(6)])
    # session, one per kind (settings: two, with their metals), currency rates, the deal alert (cached 30 s, cold)
    with django_assert_max_num_queries(8):
        response = client.get("/compare/")
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="col"') == (24 if full else 1)


# --- The toggle buttons include ---------------------------------------------------------------------------------------
def test_toggle_buttons_include_shows_the_state_and_works_without_javascript(rf, client):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.template.loader import render_to_string

    diamond = DiamondFactory()
    request = rf.get("/loose-diamonds/item/x/?tab=1")
    request.session, request.user = SessionStore(), AnonymousUser()
    request.session[WISH_SESSION_KEY] = [["diamond", diamond.sku]]

    html = render_to_string("catalog/lists/toggle_buttons.html", {"kind": "diamond", "ref": diamond.sku}, request)
    assert html.count('method="post"') == 2 and html.count("csrfmiddlewaretoken") == 2
    assert re.search(r'aria-pressed="true"[^>]*>.*?Saved', html, re.S)
    assert re.search(r'aria-pressed="false"[^>]*>.*?Compare', html, re.S)
    assert 'name="next" value="/loose-diamonds/item/x/?tab=1"' in html
    assert "hx-post" in html

    only = render_to_string(
        "catalog/lists/toggle_buttons.html", {"kind": "diamond", "ref": diamond.sku, "only": "compare"}, request
    )
    assert "Add to wish list" not in only and "Saved" not in only and "Compare" in only
