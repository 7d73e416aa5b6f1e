"""The ring builder as a shopper's browser sees it (no JavaScript): every start point, the filtered steps with a
switch to see all (and why), the prompts, the review page, the bag line, share links, saved builds, and bad input."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory

from catalog.models import Diamond
from checkout.bag import bag_lines
from ring_builder.delivery import delivered_by, shop_holidays, shop_today
from ring_builder.models import SavedBuild
from tests.factories import PASSWORD, UserFactory

from .conftest import build_of, choose

pytestmark = pytest.mark.django_db

INCOMPATIBLE = "Unfortunately this particular setting and diamond combination are incompatible"
MISMATCH = "The item that you are trying to select does not match your previous product selection"


def html(response) -> str:
    return response.content.decode()


def result_skus(response) -> set[str]:
    return set(re.findall(r'name="ref" value="([^"]+)"', html(response)))


# --- The shopper's goal: from a 2.31 ct pear diamond to a complete ring in the bag -------------------------------
def test_from_a_pear_diamond_to_a_complete_ring_in_the_bag(client, shop):
    response = client.get("/ring-builder/?diamond=PEAR231", follow=True)
    assert response.redirect_chain[-1][0] == "/ring-builder/settings/"
    page = html(response)
    assert "The 2.31 Carat Pear Diamond is in your ring." in page
    # Only settings that can hold a 2.31 ct pear are offered.
    assert result_skus(response) == {"pear-halo", "large-stone-cathedral"}
    assert "2</strong> settings hold your diamond" in page

    # The others, when asked for, say exactly why they cannot.
    everything = client.get("/ring-builder/settings/?all=1")
    assert result_skus(everything) == {"pear-halo", "large-stone-cathedral", "classic-halo", "classic-tension"}
    page = html(everything)
    assert "This setting holds round, oval and cushion stones; this diamond is a pear." in page
    assert "This setting holds 0.50–2.00 ct; this diamond is 2.31 ct." in page
    assert "This setting holds 0.50–1.50 ct; this diamond is 2.31 ct." in page
    assert "Plain Band" not in page  # no centre stone: not part of a ring you design

    response = choose(client, "setting", "pear-halo")
    assert response.status_code == 302 and response.url == "/ring-builder/review/"
    review = client.get("/ring-builder/review/")
    assert "$1,450.00" in html(review) and "$22,550.00" in html(review) and "$24,000.00" in html(review)

    response = client.post(
        "/ring-builder/review/",
        {"metal": "14k_white", "size": "6.50", "engraving": "Forever ♥", "build": "", "action": "bag"},
    )
    assert response.status_code == 302 and response.url == "/bag/"
    bag = client.get("/bag/")
    page = html(bag)
    assert "Engagement ring: Pear Halo with a 2.31 Carat Pear Diamond" in page
    assert "size 6½" in page and "Engraved “Forever ♥”" in page
    assert re.search(r'id="bag-subtotal">\$24,000.00<', page)
    lines = bag_lines(bag.wsgi_request)
    assert [line["kind"] for line in lines] == ["ring"]
    assert lines[0]["stone"] == {"type": "diamond", "sku": "PEAR231"}
    # The build is done with: the builder starts afresh.
    assert not build_of(client).get("setting") and not build_of(client).get("stone_sku")


# --- Every start point ---------------------------------------------------------------------------------------------
def test_the_start_page_offers_each_starting_point(client, shop):
    page = html(client.get("/ring-builder/"))
    for url in (
        "/ring-builder/settings/",
        "/ring-builder/diamonds/",
        "/ring-builder/lab-grown-diamonds/",
        "/ring-builder/fancy-color-diamonds/",
        "/ring-builder/gemstones/",
    ):
        assert f'href="{url}"' in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize(
    ("kind", "ref", "fitting_settings"),
    [
        ("diamond", "ROUND100", {"classic-halo", "classic-tension"}),
        ("diamond", "LAB120", {"classic-halo", "classic-tension"}),
        ("diamond", "YELLOW1", {"classic-halo"}),
        ("gemstone", "RUBY150", {"classic-halo"}),
        ("gemstone", "SAPH100", {"classic-halo", "classic-tension"}),
        ("gemstone", "EMER100", {"classic-halo"}),  # never in a tension setting
    ],
)
def test_starting_from_a_stone_offers_only_the_settings_that_hold_it(client, shop, kind, ref, fitting_settings):
    response = client.get(f"/ring-builder/?{kind}={ref}", follow=True)
    assert response.redirect_chain[-1][0] == "/ring-builder/settings/"
    assert result_skus(response) == fitting_settings
    assert build_of(client)["first"] == "stone"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/ring-builder/diamonds/", {"ROUND100", "ROUND110"}),  # not the pear, not the sold one
        ("/ring-builder/lab-grown-diamonds/", {"LAB120"}),
        ("/ring-builder/fancy-color-diamonds/", {"YELLOW1"}),
        ("/ring-builder/gemstones/", {"RUBY150", "SAPH100", "EMER100"}),
    ],
)
def test_starting_from_a_setting_offers_only_the_stones_it_holds(client, shop, path, expected):
    response = client.get("/ring-builder/?setting=classic-halo", follow=True)
    assert response.redirect_chain[-1][0] == "/ring-builder/diamonds/"
    assert build_of(client)["first"] == "setting"
    response = client.get(path)
    assert result_skus(response) == expected
    assert "fit your Classic Halo" in html(response) or "fits your Classic Halo" in html(response)


def test_the_see_all_switch_shows_stones_that_do_not_fit_and_why(client, shop):
    choose(client, "setting", "classic-halo")
    response = client.get("/ring-builder/diamonds/?all=1")
    assert result_skus(response) == {"ROUND100", "ROUND110", "PEAR231"}  # sold stones are never listed
    page = html(response)
    assert "Does not fit your Classic Halo" in page
    assert "This setting holds round, oval and cushion stones; this diamond is a pear." in page
    assert "this diamond is 2.31 ct" in page


def test_a_tension_setting_says_why_it_takes_no_emeralds(client, shop):
    choose(client, "setting", "classic-tension")
    response = client.get("/ring-builder/gemstones/")
    assert result_skus(response) == {"SAPH100"}
    page = html(client.get("/ring-builder/gemstones/?all=1"))
    assert "Emeralds are too brittle for a tension setting." in page
    assert "This setting takes diamonds and sapphires only; this stone is a ruby." in page


def test_a_setting_that_takes_no_gemstones_says_so_on_the_gemstone_tab(client, shop):
    shop.halo.stone_kinds = ["natural", "lab"]
    shop.halo.save()
    choose(client, "setting", "classic-halo")
    page = html(client.get("/ring-builder/gemstones/"))
    assert "does not take gemstones" in page
    assert "This setting takes natural diamonds and lab-grown diamonds only" in page
    assert result_skus(client.get("/ring-builder/gemstones/")) == set()


def test_the_progress_bar_shows_the_steps_in_the_order_chosen(client, shop):
    choose(client, "diamond", "ROUND100")
    page = html(client.get("/ring-builder/settings/"))
    progress = page[page.index('class="rb-progress"') : page.index("</nav>", page.index('class="rb-progress"'))]
    assert progress.index("Diamond") < progress.index("Choose a setting") < progress.index("Review")
    assert 'aria-current="step"' in progress
    assert "1.00 Carat Round Diamond" in progress and "$6,000.00" in progress


def test_the_stone_search_keeps_its_filters_with_the_setting(client, shop):
    choose(client, "setting", "classic-halo")
    response = client.get("/ring-builder/diamonds/", {"carat_min": "1.05"})
    assert result_skus(response) == {"ROUND110"}
    htmx = client.get("/ring-builder/diamonds/", {"carat_min": "1.05"}, headers={"HX-Request": "true"})
    assert html(htmx).lstrip().startswith('<div id="search-area"')


# --- Prompts -------------------------------------------------------------------------------------------------------
def test_changing_the_setting_asks_first_and_changes_nothing_until_confirmed(client, shop):
    choose(client, "setting", "classic-halo")
    response = choose(client, "setting", "classic-tension")
    page = html(response)
    assert response.status_code == 200
    assert "You already have a ring setting. Would you like to change it?" in page
    assert "<dialog" in page and 'aria-labelledby="rb-dialog-title"' in page
    assert build_of(client)["setting"] == "classic-halo"
    response = choose(client, "setting", "classic-tension", confirm="replace")
    assert response.status_code == 302
    assert build_of(client)["setting"] == "classic-tension"


def test_changing_the_diamond_asks_first(client, shop):
    choose(client, "diamond", "ROUND100")
    page = html(choose(client, "diamond", "ROUND110"))
    assert "You already have a diamond. Would you like to change it?" in page
    assert build_of(client)["stone_sku"] == "ROUND100"
    choose(client, "diamond", "ROUND110", confirm="replace")
    assert build_of(client)["stone_sku"] == "ROUND110"


def test_a_stone_that_does_not_fit_the_setting_explains_suggests_and_warns(client, shop):
    choose(client, "setting", "classic-halo")
    response = choose(client, "diamond", "PEAR231")
    page = html(response)
    assert INCOMPATIBLE in page
    assert "This setting holds round, oval and cushion stones; this diamond is a pear." in page
    assert "This setting holds 0.50–2.00 ct; this diamond is 2.31 ct." in page
    # The closest diamonds that do fit, each with its own button.
    assert "Diamonds that fit the Classic Halo" in page
    assert {"ROUND100", "ROUND110"} <= result_skus(response)
    assert "1-800-765-4828" in page
    assert MISMATCH in page
    assert build_of(client).get("stone_sku") == ""  # nothing changed

    # Proceeding takes the pear and clears the setting it does not fit.
    choose(client, "diamond", "PEAR231", confirm="clear")
    state = build_of(client)
    assert state["stone_sku"] == "PEAR231" and state["setting"] == ""


def test_a_setting_that_cannot_hold_the_stone_suggests_settings_that_can_same_style_first(client, shop):
    choose(client, "diamond", "PEAR231")
    response = choose(client, "setting", "classic-halo")
    page = html(response)
    assert INCOMPATIBLE in page and "Settings that hold your diamond" in page
    suggested = re.findall(r'name="ref" value="([^"]+)"', page[page.index("rb-suggestions") :])
    assert suggested[:2] == ["pear-halo", "large-stone-cathedral"]  # the halo first, like the one chosen
    assert build_of(client)["setting"] == ""


def test_choosing_a_suggestion_puts_it_in_the_ring(client, shop):
    choose(client, "setting", "classic-halo")
    choose(client, "diamond", "ROUND100")
    response = choose(client, "diamond", "PEAR231")
    assert INCOMPATIBLE in html(response)
    response = choose(client, "diamond", "ROUND110", confirm="replace")
    assert response.url == "/ring-builder/review/"
    assert build_of(client)["stone_sku"] == "ROUND110" and build_of(client)["setting"] == "classic-halo"


def test_with_htmx_a_prompt_is_the_dialog_alone_and_a_change_is_a_client_redirect(client, shop):
    headers = {"HX-Request": "true"}
    response = client.post("/ring-builder/choose/", {"kind": "setting", "ref": "classic-halo"}, headers=headers)
    assert response.headers["HX-Redirect"] == "/ring-builder/diamonds/"
    response = client.post("/ring-builder/choose/", {"kind": "diamond", "ref": "PEAR231"}, headers=headers)
    page = html(response)
    assert page.lstrip().startswith("<dialog") and "data-injected" in page and "<h2" in page
    assert "<html" not in page and INCOMPATIBLE in page


# --- Review --------------------------------------------------------------------------------------------------------
@pytest.fixture
def complete(client, shop):
    choose(client, "setting", "classic-halo")
    choose(client, "diamond", "ROUND100")
    return shop


def test_review_shows_each_part_the_total_and_the_delivery_date(client, complete):
    page = html(client.get("/ring-builder/review/"))
    assert "Classic Halo" in page and "14k White Gold" in page and "1.00 Carat Round Diamond" in page
    assert "$1,390.00" in page and "$6,000.00" in page and 'id="rb-total">$7,390.00<' in page
    assert "Made to order in 6 business days" in page
    # The page skips the shop's holidays (seeded after migrate), so the expectation does too: without them it is a
    # day early whenever one falls in the next nine business days (Thanksgiving, ordered in the week before).
    expected = delivered_by(ordered_on=shop_today(), production_days=6, holidays=shop_holidays())
    assert f'datetime="{expected:%Y-%m-%d}"' in page
    # Sizes 3 to 9 in quarters; each metal with its price.
    sizes = page[page.index('id="id_size"') : page.index("</select>", page.index('id="id_size"'))]
    assert sizes.count("<option value=") == 1 + 25 and ">3</option>" in sizes and ">6¾</option>" in sizes
    assert "Platinum" in page and "$2,150.00" in page
    assert "Up to 20 characters" in page and "0 of 20 characters" in page


def test_review_prices_are_converted_part_by_part_and_added(client, complete):
    client.post("/currency/", {"currency": "GBP"})
    page = html(client.get("/ring-builder/review/"))
    # 1,390 × 0.805 = 1,118.95; 6,000 × 0.805 = 4,830.00; the total is their sum.
    assert "£1,118.95" in page and "£4,830.00" in page and 'id="rb-total">£5,948.95<' in page


def test_changing_the_metal_and_size_is_kept(client, complete):
    response = client.post(
        "/ring-builder/review/",
        {"metal": "platinum", "size": "7.25", "engraving": "J & M", "build": "", "action": "save"},
    )
    assert response.status_code == 302
    state = build_of(client)
    assert (state["metal"], state["size"], state["engraving"]) == ("platinum", "7.25", "J & M")
    assert 'id="rb-total">$8,150.00<' in html(client.get("/ring-builder/review/"))


def test_with_htmx_a_change_of_metal_updates_the_price_and_leaves_the_engraving_to_the_form(client, complete):
    response = client.post(
        "/ring-builder/review/",
        {"metal": "platinum", "size": "7", "engraving": "half-typ", "build": "", "action": "update"},
        headers={"HX-Request": "true"},
    )
    page = html(response)
    assert 'id="rb-total">$8,150.00<' in page and 'id="rb-progress"' in page
    state = build_of(client)
    assert (state["metal"], state["size"], state["engraving"]) == ("platinum", "7.00", "")


def test_review_without_a_complete_ring_sends_the_shopper_to_the_missing_step(client, shop):
    choose(client, "setting", "classic-halo")
    response = client.get("/ring-builder/review/")
    assert response.status_code == 302 and response.url == "/ring-builder/diamonds/"


def test_adding_to_the_bag_needs_a_size(client, complete):
    response = client.post(
        "/ring-builder/review/", {"metal": "14k_white", "size": "", "engraving": "", "build": "", "action": "bag"}
    )
    assert response.status_code == 200 and "Choose a ring size." in html(response)
    assert bag_lines(response.wsgi_request) == []


def test_a_stone_sold_since_it_was_chosen_is_flagged_and_cannot_go_in_the_bag(client, complete):
    Diamond.objects.filter(sku="ROUND100").update(status="sold")
    page = html(client.get("/ring-builder/review/"))
    assert "Sorry, this item has just been sold" in page
    response = client.post(
        "/ring-builder/review/", {"metal": "14k_white", "size": "6", "engraving": "", "build": "", "action": "bag"}
    )
    assert "has just been sold" in html(response)
    assert bag_lines(response.wsgi_request) == []


# --- Bad input: a clear message, and nothing changes ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"size": "2"}, "run from 3 to 9 in quarter sizes; 2 is not one of them"),
        ({"size": "99"}, "99 is not one of them"),
        ({"size": "6.3"}, "6.3 is not one of them"),
        ({"metal": "18k_rose"}, "The Classic Halo is not made in that metal."),
        ({"metal": "tin"}, "The Classic Halo is not made in that metal."),
        ({"engraving": "x" * 500}, "An engraving holds up to 20 characters; yours has 500."),
        ({"engraving": "love\x07you"}, "An engraving can use letters, numbers"),
        ({"engraving": "love\x00you"}, "Null characters are not allowed."),
        ({"engraving": "line\nbreak"}, "An engraving can use letters, numbers"),
        ({"build": "someone-elses-token"}, "This form was for a different ring design, so nothing was changed."),
    ],
)
def test_tampered_review_posts_get_a_message_and_change_nothing(client, complete, data, message):
    before = dict(build_of(client))
    post = {"metal": "platinum", "size": "6.50", "engraving": "Yes", "build": "", "action": "bag", **data}
    response = client.post("/ring-builder/review/", post)
    assert response.status_code == 200
    assert message in html(response).replace("&#x27;", "'")
    assert build_of(client) == before
    assert bag_lines(response.wsgi_request) == []


def test_a_sold_stone_posted_by_hand_is_refused(client, shop):
    response = choose(client, "diamond", "SOLD100")
    assert response.status_code == 302
    assert "Sorry, this diamond has just been sold." in html(client.get(response.url))
    assert build_of(client).get("stone_sku", "") == ""


def test_a_stone_that_does_not_fit_posted_by_hand_changes_nothing(client, complete):
    before = dict(build_of(client))
    response = choose(client, "diamond", "PEAR231", confirm="replace")  # replace is not enough: it does not fit
    assert response.status_code == 200  # … the shopper is asked; nothing changed
    assert build_of(client) == before


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "diamond", "ref": "NOPE"},
        {"kind": "setting", "ref": "plain-band"},  # no centre stone
        {"kind": "ring", "ref": "classic-halo"},
        {"kind": "setting", "ref": "classic-halo", "metal": "18k_rose"},
        {"kind": "setting", "ref": "x" * 500},
        {"kind": "diamond", "ref": "ROUND100", "confirm": "whatever"},
    ],
)
def test_tampered_choices_get_a_message_and_change_nothing(client, shop, data):
    choose(client, "diamond", "ROUND110")
    before = dict(build_of(client))
    response = client.post("/ring-builder/choose/", data, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and any(
        ("could not find" in m) or ("not made in" in m) or ("no centre stone" in m) for m in messages
    )
    assert build_of(client) == before


def test_entry_links_with_bad_references_are_refused_politely(client, shop):
    response = client.get("/ring-builder/?diamond=NOPE", follow=True)
    assert "Sorry, we could not find that item." in html(response)
    response = client.get("/ring-builder/?setting=" + "x" * 300, follow=True)
    assert "Sorry, we could not find that item." in html(response)


def test_a_setting_withdrawn_by_the_shop_leaves_the_ring_with_a_note(client, complete):
    shop = complete
    shop.halo.is_active = False
    shop.halo.save()
    page = html(client.get("/ring-builder/settings/"))
    assert "The setting you had chosen is no longer offered, so it has left your ring." in page
    assert build_of(client)["setting"] == "" and build_of(client)["stone_sku"] == "ROUND100"
    assert "classic-halo" not in result_skus(client.get("/ring-builder/settings/"))


def test_removing_a_part(client, complete):
    client.post("/ring-builder/remove/", {"part": "stone"})
    state = build_of(client)
    assert state["stone_sku"] == "" and state["setting"] == "classic-halo"
    client.post("/ring-builder/remove/", {"part": "all"})
    assert build_of(client)["setting"] == ""


# --- Share links and saved builds ----------------------------------------------------------------------------------
def test_a_share_link_rebuilds_the_design_for_anyone(client, complete, django_assert_max_num_queries):
    client.post(
        "/ring-builder/review/",
        {"metal": "platinum", "size": "6", "engraving": "Always", "build": "", "action": "save"},
    )
    client.post("/ring-builder/share/")
    token = build_of(client)["token"]
    assert re.fullmatch(r"[\w-]{16}", token)
    assert f"/ring-builder/b/{token}/" in html(client.get("/ring-builder/review/"))

    from django.test import Client

    friend = Client()
    with django_assert_max_num_queries(8):
        response = friend.get(f"/ring-builder/b/{token}/")
    page = html(response)
    assert "Classic Halo" in page and "Platinum" in page and "1.00 Carat Round Diamond" in page
    assert "“Always”" in page and "$8,150.00" in page

    # The stone is sold: the link still works, and says so.
    Diamond.objects.filter(sku="ROUND100").update(status="sold")
    page = html(friend.get(f"/ring-builder/b/{token}/"))
    assert "This diamond has since been sold" in page and "$8,150.00" not in page

    # Starting from it copies what is still available into the friend's own build; the original is untouched.
    response = friend.post(f"/ring-builder/b/{token}/use/", follow=True)
    assert "Sorry, this item has just been sold" in html(response)
    state = friend.session["ring_build"]
    assert state["setting"] == "classic-halo" and state["stone_sku"] == "" and state["token"] == ""
    assert SavedBuild.objects.get(token=token).diamond.sku == "ROUND100"


def test_an_unknown_share_token_is_404(client, shop):
    assert client.get("/ring-builder/b/not-a-real-token/").status_code == 404
    assert client.get("/ring-builder/b/<script>/").status_code == 404


def test_a_signed_in_shoppers_build_is_saved_to_the_account(client, shop):
    user = UserFactory()
    client.force_login(user)
    choose(client, "setting", "classic-halo")
    choose(client, "diamond", "ROUND100")
    saved = SavedBuild.objects.get(owner=user)
    assert saved.setting == shop.halo and saved.diamond == shop.round and saved.metal == "14k_white"

    # Another browser: signing in picks the design up again.
    from django.test import Client

    other = Client()
    assert other.post("/account/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    assert other.session["ring_build"]["setting"] == "classic-halo"
    assert other.session["ring_build"]["stone_sku"] == "ROUND100"
    assert "Your saved designs" in html(other.get("/ring-builder/"))


def test_signing_in_saves_the_design_in_progress_to_the_account(client, shop):
    choose(client, "diamond", "PEAR231")
    assert not SavedBuild.objects.exists()
    user = UserFactory()
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    user_logged_in.send(sender=type(user), request=request, user=user)
    assert SavedBuild.objects.get(owner=user).diamond == shop.pear


def test_saved_designs_of_someone_else_cannot_be_resumed_or_deleted(client, shop):
    owner = UserFactory()
    theirs = SavedBuild.objects.create(owner=owner, setting=shop.halo, metal="14k_white", diamond=shop.round)
    client.force_login(UserFactory())
    for url in ("/ring-builder/saved/resume/", "/ring-builder/saved/delete/"):
        response = client.post(url, {"token": theirs.token}, follow=True)
        assert "That design is not in your account, so nothing was changed." in html(response)
    assert SavedBuild.objects.filter(pk=theirs.pk).exists()
    assert build_of(client).get("setting", "") == ""


def test_a_signed_in_shopper_resumes_and_deletes_own_designs(client, shop):
    user = UserFactory()
    mine = SavedBuild.objects.create(owner=user, setting=shop.halo, metal="platinum", diamond=shop.round)
    client.force_login(user)
    response = client.post("/ring-builder/saved/resume/", {"token": mine.token})
    assert response.url == "/ring-builder/review/"
    assert build_of(client)["token"] == mine.token and build_of(client)["metal"] == "platinum"
    client.post("/ring-builder/saved/delete/", {"token": mine.token})
    assert not SavedBuild.objects.filter(pk=mine.pk).exists()


def test_a_build_never_writes_to_a_design_it_does_not_own(client, shop):
    owner = UserFactory()
    theirs = SavedBuild.objects.create(owner=owner, setting=shop.halo, metal="14k_white", diamond=shop.round)
    session = client.session
    session["ring_build"] = {"setting": "classic-halo", "metal": "14k_white", "token": theirs.token}
    session.save()
    client.force_login(UserFactory())
    choose(client, "diamond", "ROUND110")
    theirs.refresh_from_db()
    assert theirs.diamond == shop.round  # untouched
    assert build_of(client)["token"] != theirs.token


# --- Query counts --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("extra_stones", [0, 30])
def test_builder_pages_make_a_fixed_number_of_queries(client, complete, django_assert_max_num_queries, extra_stones):
    from tests.factories import DiamondFactory

    for i in range(extra_stones):
        DiamondFactory(carat=Decimal("0.50") + Decimal(i) / 100)
    client.get("/ring-builder/")  # currency rates cached, as for any shopper past the first page
    shop_holidays()  # and the shop's holidays (cached for ten minutes), which only the review page reads
    # The session, the setting and its metals, the stone; and the search's own queries (facets in one pass, a page).
    for url, most in [
        ("/ring-builder/", 4),
        ("/ring-builder/settings/?all=1", 6),
        ("/ring-builder/diamonds/?carat_min=0.5&all=1", 7),
        ("/ring-builder/diamonds/?shape=round", 8),
        ("/ring-builder/gemstones/", 6),
        ("/ring-builder/review/", 4),
    ]:
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
