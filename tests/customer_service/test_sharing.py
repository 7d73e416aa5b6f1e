""" "Send to a friend" and "drop a hint": two quiet links on every product page lead to a form whose email is the
shop's own words about the product (title, price in the sender's currency, link), one email per recipient with
Reply-To the sender. Nothing else the sender posts reaches an email, and the limits stop it from sending at scale."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from catalog.grades import StoneStatus
from core.models import OutboundEmail
from customer_service.models import ProductShare
from customer_service.share_forms import FriendForm
from customer_service.sharing import recipients_over_limit
from tests.factories import DiamondFactory, GemstoneFactory, JewelryFactory, RingSettingFactory

pytestmark = pytest.mark.django_db

SENDER = {"name": "Jennifer Lawrence", "email": "Jen@Example.com"}
FRIENDS = {"friend_1": "ann@example.org", "friend_2": "bob@example.net", "friend_3": "cat@example.com"}


@pytest.fixture
def diamond(db):
    return DiamondFactory(sku="T0001234", price=Decimal("6000.00"))


def share_url(kind, item_type, ref):
    return f"/share/{kind}/{item_type}/{ref}/"


def post_friend(client, diamond, **changes):
    data = {**SENDER, **FRIENDS, **changes}
    return client.post(share_url("friend", "diamond", diamond.sku), {k: v for k, v in data.items() if v is not None})


def nothing_sent():
    return not ProductShare.objects.exists() and not OutboundEmail.objects.exists() and mail.outbox == []


# --- The links and the form pages ----------------------------------------------------------------------------------
def test_every_product_page_links_to_both_forms_as_plain_links(client):
    products = [
        ("diamond", DiamondFactory(sku="T0000777"), "T0000777"),
        ("gemstone", GemstoneFactory(sku="TG000777"), "TG000777"),
        ("setting", RingSettingFactory(slug="petite-solitaire"), "petite-solitaire"),
        ("jewelry", JewelryFactory(slug="halo-studs"), "halo-studs"),
    ]
    for item_type, product, ref in products:
        page = client.get(product.get_absolute_url())
        assert page.status_code == 200, item_type
        text = page.content.decode()
        for kind, words in (("friend", "Send to a friend"), ("hint", "Drop a hint")):
            assert f'href="{share_url(kind, item_type, ref)}"' in text, (item_type, kind)
            assert f"<span>{words}</span></a>" in text, (item_type, kind)


def test_the_form_opens_for_each_kind_of_product_with_its_title_and_price(client):
    cases = [
        (share_url("friend", "diamond", DiamondFactory(sku="T0000001").sku), "1.00 Carat Round Diamond", "$6,000.00"),
        (share_url("hint", "gemstone", GemstoneFactory(sku="TG000001").sku), "1.50 Carat Oval Blue Sapphire",
         "$2,400.00"),
        (share_url("friend", "setting", RingSettingFactory(name="Petite Solitaire", slug="petite").slug),
         "Petite Solitaire", "From $990.00"),
        (share_url("hint", "jewelry", JewelryFactory(name="Halo Studs", slug="halo-studs").slug), "Halo Studs",
         "$990.00"),
    ]  # fmt: skip
    for url, title, price in cases:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert title in text and price in text, url
        assert 'name="website"' in text  # the honeypot
        assert "<textarea" not in text and 'name="message"' not in text  # nothing to write


def test_the_friend_form_has_three_friend_fields_and_the_hint_form_one_recipient(client, diamond):
    friend = client.get(share_url("friend", "diamond", diamond.sku)).content.decode()
    assert all(f'name="friend_{n}"' in friend for n in (1, 2, 3)) and 'name="friend_4"' not in friend
    hint = client.get(share_url("hint", "diamond", diamond.sku)).content.decode()
    assert hint.count('name="recipient"') == 1 and 'name="friend_' not in hint
    assert "has been dreaming about something from Solitaire" in hint


def test_unknown_kinds_types_and_items_sold_stones_and_withdrawn_pieces_are_not_found(client, diamond):
    sold = DiamondFactory(status=StoneStatus.SOLD)
    sold_gem = GemstoneFactory(status=StoneStatus.SOLD)
    hidden = RingSettingFactory(is_active=False)
    for url in [
        share_url("shout", "diamond", diamond.sku),
        share_url("friend", "watch", diamond.sku),
        share_url("friend", "diamond", "NOPE"),
        share_url("friend", "gemstone", diamond.sku),  # a diamond's SKU is not a gemstone
        share_url("friend", "diamond", sold.sku),
        share_url("hint", "gemstone", sold_gem.sku),
        share_url("hint", "setting", hidden.slug),
        share_url("friend", "jewelry", "no-such-piece"),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(share_url("friend", "diamond", sold.sku), {**SENDER, **FRIENDS}).status_code == 404
    assert nothing_sent()


# --- Sending -------------------------------------------------------------------------------------------------------
def test_a_friend_share_sends_one_email_to_each_friend_with_only_the_shops_words(client, commit, diamond):
    response = commit(lambda: post_friend(client, diamond, message="Buy cheap watches http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/share-sent/"

    share = ProductShare.objects.get()
    assert (share.kind, share.item_type, share.item_ref) == ("friend", "diamond", "T0001234")
    assert (share.sender_name, share.sender_email) == ("Jennifer Lawrence", "jen@example.com")
    assert share.recipients == ["ann@example.org", "bob@example.net", "cat@example.com"]

    assert sorted(m.to[0] for m in mail.outbox) == sorted(FRIENDS.values())
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.extra_headers["Reply-To"] == "jen@example.com"
        assert message.message()["Reply-To"] == "jen@example.com"
        assert message.subject == "Jennifer thought you would love this"
        html = message.alternatives[0][0]
        for body in (message.body, html):
            assert "1.00 Carat Round Diamond" in body and "$6,000.00" in body
            assert "http://127.0.0.1:8000/loose-diamonds/item/T0001234/" in body
            assert "Jennifer Lawrence" in body
            assert "cheap watches" not in body and "spam.example" not in body
            # No other recipient's address, and nothing else the sender posted.
            others = [a for a in FRIENDS.values() if a != message.to[0]]
            assert not any(address in body for address in others)


def test_the_thank_you_page_links_back_to_the_product(client, commit, diamond):
    commit(lambda: post_friend(client, diamond))
    page = client.get("/share-sent/")
    assert page.status_code == 200
    assert 'href="/loose-diamonds/item/T0001234/">Back to the 1.00 Carat Round Diamond</a>' in page.content.decode()


def test_the_price_is_in_the_senders_currency(client, commit, diamond):
    session = client.session
    session["currency"] = "GBP"
    session.save()
    commit(lambda: post_friend(client, diamond, friend_2="", friend_3=""))
    [message] = mail.outbox
    assert "£4,830.00" in message.body and "$6,000.00" not in message.body  # 6000 × 0.805


def test_a_hint_sends_one_gentle_email(client, commit):
    piece = JewelryFactory(name="Diamond Tennis Bracelet", slug="tennis-bracelet", category="bracelets")
    url = share_url("hint", "jewelry", piece.slug)
    response = commit(lambda: client.post(url, {**SENDER, "recipient": "Sam@Example.org"}))
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "Jennifer has been dreaming about something from Solitaire"
    assert message.extra_headers["Reply-To"] == "jen@example.com"
    assert "Diamond Tennis Bracelet" in message.body and "$990.00" in message.body
    assert "/jewelry/bracelets/tennis-bracelet/" in message.body
    assert ProductShare.objects.get().recipients == ["sam@example.org"]


def test_duplicate_friends_get_one_email(client, commit, diamond):
    commit(lambda: post_friend(client, diamond, friend_2="ANN@example.org", friend_3=""))
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert ProductShare.objects.get().recipients == ["ann@example.org"]


# --- Refused -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes",
    [
        {"friend_4": "dan@example.com"},
        {"recipients": "dan@example.com"},
        {"friend_1": "ann@example.org, dan@example.com"},
        {"friend_1": "ann@example.org;dan@example.com"},
    ],
    ids=["fourth-field", "recipients-field", "comma-list", "semicolon-list"],
)
def test_a_fourth_recipient_in_any_form_is_refused(client, commit, diamond, changes):
    response = commit(lambda: post_friend(client, diamond, **changes))
    assert response.status_code == 400
    assert nothing_sent()


def test_the_same_recipient_field_posted_twice_is_refused(client, commit, diamond):
    data = {**SENDER, **FRIENDS}
    data["friend_3"] = ["cat@example.com", "dan@example.com"]
    response = commit(lambda: client.post(share_url("friend", "diamond", diamond.sku), data))
    assert response.status_code == 400
    assert "up to 3 friends" in response.content.decode()
    assert nothing_sent()


def test_a_hint_goes_to_one_person_only(client, commit, diamond):
    url = share_url("hint", "diamond", diamond.sku)
    response = commit(lambda: client.post(url, {**SENDER, "recipient": "sam@example.org", "friend_1": "x@y.com"}))
    assert response.status_code == 400 and "A hint goes to one person." in response.content.decode()
    assert nothing_sent()


@pytest.mark.parametrize(
    "name",
    ["Jen\r\nBcc: victim@example.com", "Jen\n", "Visit http://spam.example", "spam.example", "www.spam", "Jen @ x",
     "cheap dot com"],
)  # fmt: skip
def test_a_sender_name_with_line_breaks_or_a_link_is_refused(client, commit, diamond, name):
    response = commit(lambda: post_friend(client, diamond, name=name))
    assert response.status_code == 400
    assert nothing_sent()


def test_the_name_error_asks_for_just_a_name(client, diamond):
    text = post_friend(client, diamond, name="Jen http://spam.example").content.decode()
    assert "Please enter just your name." in text and 'aria-invalid="true"' in text


@pytest.mark.parametrize("name", ["Mary-Kate O'Neil", "J. R. R. Tolkien", "Zoë Saldaña", "Anne St. John"])
def test_ordinary_names_are_accepted(name):
    form = FriendForm({**SENDER, **FRIENDS, "name": name})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("field", ["email", "friend_1", "friend_2"])
def test_header_injection_in_any_address_is_refused(client, commit, diamond, field):
    response = commit(lambda: post_friend(client, diamond, **{field: "a@b.com\nBcc: c@d.com"}))
    assert response.status_code == 400
    assert nothing_sent()


def test_the_senders_own_address_is_not_a_recipient(client, commit, diamond):
    response = commit(lambda: post_friend(client, diamond, friend_2="JEN@example.com"))
    assert response.status_code == 400
    assert "This is your own address" in response.content.decode()
    assert nothing_sent()


def test_a_friend_is_required(client, commit, diamond):
    response = commit(lambda: post_friend(client, diamond, friend_1="", friend_2="", friend_3=""))
    assert response.status_code == 400 and "Enter your friend&#x27;s email address." in response.content.decode()
    assert nothing_sent()


def test_the_honeypot_looks_sent_but_sends_nothing(client, commit, diamond):
    response = commit(lambda: post_friend(client, diamond, website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/share-sent/"
    assert nothing_sent()


# --- Limits --------------------------------------------------------------------------------------------------------
def test_the_sixth_share_from_one_sender_in_an_hour_gets_a_friendly_429(client, commit, diamond):
    for n in range(5):
        response = commit(
            lambda n=n: post_friend(client, diamond, friend_1=f"f{n}@example.org", friend_2="", friend_3="")
        )
        assert response.status_code == 302
    ip = "198.51.100.9"  # another address: the sender's own limit, not the client address's
    response = commit(
        lambda: client.post(
            share_url("friend", "diamond", diamond.sku), {**SENDER, "friend_1": "new@example.org"}, REMOTE_ADDR=ip
        )
    )
    assert response.status_code == 429
    assert "Nothing more was sent" in response.content.decode()
    assert ProductShare.objects.count() == 5 and len(mail.outbox) == 5
    assert "new@example.org" not in [m.to[0] for m in mail.outbox]

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert (
            commit(
                lambda: post_friend(client, diamond, friend_1="later@example.org", friend_2="", friend_3="")
            ).status_code
            == 302
        )


def test_one_client_address_is_limited_whatever_email_it_gives(client, commit, diamond):
    codes = [
        commit(
            lambda n=n: post_friend(
                client, diamond, email=f"sender{n}@example.com", friend_1=f"f{n}@example.org", friend_2="", friend_3=""
            )
        ).status_code
        for n in range(11)
    ]
    assert codes == [302] * 10 + [429]
    assert ProductShare.objects.count() == 10


def test_a_recipient_who_had_three_share_emails_today_gets_no_more_from_anyone(client, commit, diamond):
    for n in range(3):
        post = {"email": f"sender{n}@example.com", "friend_1": "popular@example.org", "friend_2": "", "friend_3": ""}
        assert commit(lambda post=post: post_friend(client, diamond, **post)).status_code == 302
    response = commit(lambda: post_friend(client, diamond, email="fourth@example.com", friend_1="POPULAR@example.org"))
    assert response.status_code == 429
    assert ProductShare.objects.count() == 3
    assert [m.to for m in mail.outbox].count(["popular@example.org"]) == 3
    assert not any(m.to[0] in ("bob@example.net", "cat@example.com") for m in mail.outbox)  # the whole share refused


def test_the_recipient_limit_counts_only_the_last_24_hours_and_exact_addresses():
    def stored(recipients, **extra):
        fields = {"kind": "friend", "item_type": "diamond", "item_ref": "X", "sender_name": "A"}
        ProductShare.objects.create(**fields, sender_email="s@example.com", recipients=recipients, **extra)

    for _ in range(3):
        stored(["pat@example.org"], created_at=timezone.now() - timedelta(hours=25))
        stored(["xpat@example.org", "b@example.org"])
    assert not recipients_over_limit(["pat@example.org"])  # three, but yesterday; "xpat" is someone else
    assert recipients_over_limit(["b@example.org"])
    assert recipients_over_limit(["new@example.org", "xpat@example.org"])


# --- Staff ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["Customer service", "Marketing"])
def test_staff_see_shares_read_only(staff_client, commit, client, diamond, role):
    commit(lambda: post_friend(client, diamond))
    share = ProductShare.objects.get()
    staff = staff_client(role)
    listing = staff.get("/admin/customer_service/productshare/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Send to a friend" in text and "diamond T0001234" in text and "jen@example.com" in text
    assert '<td class="field-recipients_count">3</td>' in text
    page = staff.get(f"/admin/customer_service/productshare/{share.pk}/change/")
    assert page.status_code == 200 and "1.00 Carat Round Diamond" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert staff.get("/admin/customer_service/productshare/add/").status_code == 403
    staff.post(f"/admin/customer_service/productshare/{share.pk}/change/", {"sender_name": "Changed"})
    share.refresh_from_db()
    assert share.sender_name == "Jennifer Lawrence"
