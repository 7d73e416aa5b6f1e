"""The newsletter: a footer sign-up on every page, double opt-in (nothing is confirmed until the owner presses the
emailed link's button), consent records with what was agreed and from where, unsubscribe by link or by the mail
client's one-click button, and mailings that reach only confirmed subscribers, each with its unsubscribe link."""

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client

from core.models import OutboundEmail
from customer_service.models import ConsentRecord, Mailing, Subscriber
from customer_service.newsletter import CONSENT_TEXT, subscriber_confirm

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)"


def sign_up(client, email="Jen@Example.com ", ip="203.0.113.7", **extra):
    return client.post("/newsletter/", {"email": email, **extra}, REMOTE_ADDR=ip, HTTP_USER_AGENT=BROWSER)


def link_in(email, kind: str) -> str:
    [path] = re.findall(rf"https?://[^/\s]+(/newsletter/{kind}/[^/\s]+/)", email.body)
    return path


def confirmed(email="jen@example.com") -> Subscriber:
    subscriber = Subscriber.objects.create(email=email, status=Subscriber.Status.PENDING)
    subscriber_confirm(subscriber=subscriber, ip="198.51.100.2", user_agent=BROWSER)
    subscriber.refresh_from_db()
    return subscriber


# --- Signing up ----------------------------------------------------------------------------------------------------
def test_sign_up_sends_one_confirmation_and_confirms_only_on_the_button(client, commit):
    response = commit(lambda: sign_up(client))
    assert response.status_code == 302 and response["Location"] == "/newsletter/check-your-inbox/"
    page = client.get("/newsletter/check-your-inbox/").content.decode()
    assert "Check your inbox" in page and "we sent a link to confirm your subscription" in page.lower()

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "jen@example.com"  # stored lower-case, trimmed
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.confirmed_at is None

    [email] = mail.outbox
    assert email.to == ["jen@example.com"]
    assert "confirm" in email.subject.lower()
    path = link_in(email, "confirm")
    assert path == f"/newsletter/confirm/{subscriber.token}/"
    assert path in email.alternatives[0][0] and "Confirm my subscription" in email.alternatives[0][0]

    # A link scanner (or the subscriber) opening the link changes nothing: it shows a button.
    for _ in range(2):
        landing = client.get(path)
        assert landing.status_code == 200
        assert "Confirm my subscription" in landing.content.decode() and 'method="post"' in landing.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert list(subscriber.consents.values_list("action", flat=True)) == ["requested"]

    done = commit(lambda: client.post(path, REMOTE_ADDR="198.51.100.2", HTTP_USER_AGENT=BROWSER))
    assert done.status_code == 200 and "you're subscribed" in done.content.decode().lower()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at is not None
    assert len(mail.outbox) == 1  # confirming sends nothing more

    requested, confirmation = subscriber.consents.all()
    assert (requested.action, requested.ip_address, requested.user_agent) == ("requested", "203.0.113.7", BROWSER)
    assert (confirmation.action, confirmation.ip_address) == ("confirmed", "198.51.100.2")
    assert requested.consent_text == confirmation.consent_text == CONSENT_TEXT

    again = client.post(path)
    assert "You're already subscribed" in again.content.decode().replace("&#x27;", "'")
    assert subscriber.consents.count() == 2


def test_an_unknown_token_is_a_404(client):
    assert client.get("/newsletter/confirm/not-a-token/").status_code == 404
    assert client.post("/newsletter/confirm/not-a-token/").status_code == 404
    assert client.get("/newsletter/unsubscribe/not-a-token/").status_code == 404


def test_signing_up_again_within_ten_minutes_sends_no_second_email(client, commit):
    start = datetime(2026, 12, 7, 10, 0, tzinfo=NY)
    with time_machine.travel(start, tick=False) as traveller:
        commit(lambda: sign_up(client))
        traveller.shift(timedelta(minutes=9))
        response = commit(lambda: sign_up(client, email="JEN@example.com"))
        assert response.status_code == 302 and response["Location"] == "/newsletter/check-your-inbox/"
        assert len(mail.outbox) == 1
        traveller.shift(timedelta(minutes=2))
        commit(lambda: sign_up(client))
    assert len(mail.outbox) == 2
    assert Subscriber.objects.count() == 1
    assert ConsentRecord.objects.filter(action="requested").count() == 2


def test_an_address_already_subscribed_gets_the_same_answer_and_no_email(client, commit):
    subscriber = confirmed()
    response = commit(lambda: sign_up(client))
    assert response.status_code == 302 and response["Location"] == "/newsletter/check-your-inbox/"
    assert mail.outbox == [] and not OutboundEmail.objects.exists()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.consents.count() == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("a@b.com\r\nBcc: x@y.com", "Enter one email address, on one line."),
        ("not-an-email", "Enter a valid email address."),
        ("j" * 288 + "@example.com", "Ensure this value has at most 254 characters (it has 300)."),
        ("", "This field is required."),
    ],
)
def test_a_bad_address_is_refused_with_a_message_and_stores_nothing(client, commit, email, message):
    response = commit(lambda: sign_up(client, email=email))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'aria-invalid="true"' in page
    assert 'id="page-newsletter-errors"' in page
    assert not Subscriber.objects.exists() and not ConsentRecord.objects.exists()
    assert mail.outbox == [] and not OutboundEmail.objects.exists()


def test_the_standalone_sign_up_page_shows_the_form_and_the_consent_text(client):
    page = client.get("/newsletter/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Be the first to know" in text and 'for="page-newsletter-email"' in text and CONSENT_TEXT in text
    assert 'id="footer-newsletter-email"' not in text  # one sign-up form on the page, not two


def test_a_filled_honeypot_looks_done_and_stores_nothing(client, commit):
    response = commit(lambda: sign_up(client, website="https://cheap-watches.example"))
    assert response.status_code == 302 and response["Location"] == "/newsletter/check-your-inbox/"
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_the_eleventh_sign_up_from_one_client_address_in_an_hour_gets_a_429(client, commit):
    codes = [commit(lambda n=n: sign_up(client, email=f"guest{n}@example.com")).status_code for n in range(11)]
    assert codes == [302] * 10 + [429]
    assert Subscriber.objects.count() == 10 and len(mail.outbox) == 10
    assert (
        "sign-ups"
        in client.post("/newsletter/", {"email": "x@example.com"}, REMOTE_ADDR="203.0.113.7").content.decode()
    )
    # Another address is not affected.
    assert commit(lambda: sign_up(client, email="other@example.com", ip="192.0.2.50")).status_code == 302


# --- Unsubscribing -------------------------------------------------------------------------------------------------
def test_unsubscribe_by_get_changes_nothing_and_by_post_unsubscribes(client):
    subscriber = confirmed()
    path = f"/newsletter/unsubscribe/{subscriber.token}/"
    page = client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED

    done = client.post(path, REMOTE_ADDR="192.0.2.9")
    assert done.status_code == 200 and "unsubscribed" in done.content.decode().lower()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at is not None
    last = subscriber.consents.last()
    assert (last.action, last.ip_address) == ("unsubscribed", "192.0.2.9")
    # An old confirmation link does not sign the address up again.
    client.post(f"/newsletter/confirm/{subscriber.token}/")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_one_click_unsubscribe_works_without_a_csrf_token():
    subscriber = confirmed()
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/newsletter/unsubscribe/{subscriber.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    # The confirm button, by contrast, keeps its CSRF protection.
    pending = Subscriber.objects.create(email="pending@example.com")
    assert mail_client.post(f"/newsletter/confirm/{pending.token}/").status_code == 403
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


def test_someone_who_unsubscribed_can_sign_up_again_with_a_new_confirmation(client, commit):
    subscriber = confirmed()
    client.post(f"/newsletter/unsubscribe/{subscriber.token}/")
    commit(lambda: sign_up(client))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    [email] = mail.outbox
    commit(lambda: client.post(link_in(email, "confirm")))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.unsubscribed_at is None
    actions = list(subscriber.consents.values_list("action", flat=True))
    assert actions == ["confirmed", "unsubscribed", "requested", "confirmed"]


# --- Mailings ------------------------------------------------------------------------------------------------------
def test_a_mailing_reaches_only_confirmed_subscribers_each_with_its_unsubscribe_link(staff_client, commit):
    ava, ben = confirmed("ava@example.com"), confirmed("ben@example.com")
    Subscriber.objects.create(email="pending@example.com")
    gone = confirmed("gone@example.com")
    gone.status = Subscriber.Status.UNSUBSCRIBED
    gone.save()
    marketing = staff_client("Marketing")
    body = "## New this week\n\nOur **emerald-cut** solitaires are here."
    injected = marketing.post("/admin/customer_service/mailing/add/", {"subject": "Hi\r\nBcc: x@y.com", "body": body})
    assert injected.status_code == 200 and not Mailing.objects.exists()  # the form is shown again with the error
    added = marketing.post("/admin/customer_service/mailing/add/", {"subject": "The winter collection", "body": body})
    assert added.status_code == 302
    mailing = Mailing.objects.get()
    assert (
        "<strong>emerald-cut</strong>"
        in marketing.get(f"/admin/customer_service/mailing/{mailing.pk}/change/").content.decode()
    )
    changelist = "/admin/customer_service/mailing/"
    action = {"action": "send_to_subscribers", "_selected_action": [mailing.pk]}

    ask = marketing.post(changelist, action)
    assert ask.status_code == 200 and "2 confirmed subscribers" in ask.content.decode()
    assert mail.outbox == []  # nothing goes before the confirmation

    response = commit(lambda: marketing.post(changelist, {**action, "confirm": "Yes, send now"}))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ava@example.com", "ben@example.com"]
    for email, subscriber in ((m, Subscriber.objects.get(email=m.to[0])) for m in mail.outbox):
        url = f"/newsletter/unsubscribe/{subscriber.token}/"
        html = email.alternatives[0][0]
        assert email.subject == "The winter collection"
        assert url in email.body and url in html
        assert "**emerald-cut**" in email.body and "<strong>emerald-cut</strong>" in html
        assert email.extra_headers["List-Unsubscribe"].startswith("<http")
        assert email.extra_headers["List-Unsubscribe"].endswith(f"{url}>")
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert email.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {ava.email, ben.email} == {m.to[0] for m in mail.outbox}
    mailing.refresh_from_db()
    assert mailing.sent_at is not None and mailing.recipients == 2

    again = commit(lambda: marketing.post(changelist, {**action, "confirm": "Yes, send now"}, follow=True))
    assert "already sent" in again.content.decode()
    assert len(mail.outbox) == 2
    mailing.refresh_from_db()
    assert mailing.recipients == 2


def test_sending_the_task_twice_sends_once(commit):
    from customer_service.tasks import send_mailing

    confirmed()
    mailing = Mailing.objects.create(subject="Hello", body="Hi.")
    assert commit(lambda: send_mailing.delay(mailing.pk).get()) == 1
    assert commit(lambda: send_mailing.delay(mailing.pk).get()) == 0
    assert len(mail.outbox) == 1


# --- Staff ---------------------------------------------------------------------------------------------------------
def test_marketing_reads_and_exports_subscribers_but_cannot_change_them(staff_client):
    subscriber = confirmed()
    Subscriber.objects.create(email="pending@example.com")
    marketing = staff_client("Marketing")
    listing = marketing.get("/admin/customer_service/subscriber/")
    assert listing.status_code == 200 and "jen@example.com" in listing.content.decode()
    page = marketing.get(f"/admin/customer_service/subscriber/{subscriber.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="_save"' not in text and "198.51.100.2" in text and "Confirmed by email link" in text

    export = marketing.post("/admin/customer_service/subscriber/export/", {"format": "0", "resource": "0"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [row["email"] for row in rows] == ["jen@example.com"]  # confirmed only, by default
    assert rows[0]["status"] == "confirmed" and rows[0]["consent_text"] == CONSENT_TEXT
    assert rows[0]["consent_confirmed_at"] and rows[0]["confirmed_at"]
    pending_only = marketing.post(
        "/admin/customer_service/subscriber/export/?status__exact=pending", {"format": "0", "resource": "0"}
    )
    assert [row["email"] for row in csv.DictReader(io.StringIO(pending_only.content.decode()))] == [
        "pending@example.com"
    ]

    change = marketing.post(
        f"/admin/customer_service/subscriber/{subscriber.pk}/change/", {"email": "x@example.com", "status": "pending"}
    )
    assert change.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.email == "jen@example.com" and subscriber.status == Subscriber.Status.CONFIRMED


def test_inventory_cannot_see_subscribers(staff_client):
    inventory = staff_client("Inventory")
    assert inventory.get("/admin/customer_service/subscriber/").status_code == 403
    assert inventory.post("/admin/customer_service/subscriber/export/", {"format": "0"}).status_code == 403


# --- The footer ----------------------------------------------------------------------------------------------------
def test_the_footer_form_is_on_the_home_page_with_the_consent_text(client):
    page = client.get("/").content.decode()
    assert "Be the first to know" in page
    assert 'action="/newsletter/"' in page and 'for="footer-newsletter-email"' in page
    assert CONSENT_TEXT in page
    assert 'id="id_website_newsletter_footer"' in page


def test_the_footer_needs_no_database_query(django_assert_num_queries):
    """The footer is on every page: its sign-up form must cost nothing."""
    with django_assert_num_queries(0):
        html = render_to_string("includes/footer.html", {"shop_name": "Solitaire", "footer_links": {}})
    assert CONSENT_TEXT in html and 'action="/newsletter/"' in html
    assert render_to_string("customer_service/newsletter/consent.html").strip() == CONSENT_TEXT
