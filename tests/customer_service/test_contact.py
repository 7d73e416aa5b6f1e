"""The contact form on /guarantee/customer-service/: a message becomes a ticket due in two business days, the
shopper is told when to expect the answer, staff answer it from the inbox; bad input changes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from core.models import OutboundEmail
from customer_service.models import Ticket, TicketMessage

NY = ZoneInfo("America/New_York")
GOOD = {"name": "Jennifer Lawrence", "email": "jen@example.com", "phone": "+1 212 555 0100",
        "message": "Could you tell me whether the oval in my wish list would suit a halo setting?"}  # fmt: skip
pytestmark = pytest.mark.django_db


def post(client, **changes):
    return client.post("/contact-us/", {**GOOD, **changes})


def test_a_friday_night_message_is_due_tuesday_and_lands_in_the_staff_inbox(client, commit, staff_client, settings):
    settings.SHOP_TIME_ZONE = "America/New_York"
    with time_machine.travel(datetime(2026, 12, 4, 23, 0, tzinfo=NY), tick=False):
        response = commit(lambda: post(client))
        assert response.status_code == 302
        assert response["Location"] == "/contact-us/sent/"
        thanks = client.get("/contact-us/sent/")
    ticket = Ticket.objects.get()
    assert ticket.due_at.astimezone(NY) == datetime(2026, 12, 8, 23, 59, 59, tzinfo=NY)
    assert ticket.status == Ticket.Status.NEW and ticket.kind == Ticket.Kind.MESSAGE
    assert list(ticket.messages.values_list("author", "body")) == [("customer", GOOD["message"])]
    text = thanks.content.decode()
    assert "Thank you for sending your message" in text
    assert "Tuesday, December 8" in text and ticket.reference in text

    [ack] = mail.outbox
    assert ack.to == ["jen@example.com"]
    assert ticket.reference in ack.subject
    assert "answer by Tuesday, December 8 (New York time)" in ack.body
    assert f"/contact-us/request/{ticket.token}/" in ack.body
    assert "Tuesday, December 8" in ack.alternatives[0][0]

    inbox = staff_client("Customer service")
    listing = inbox.get("/admin/customer_service/ticket/").content.decode()
    assert ticket.reference in listing and "Jennifer Lawrence" in listing and "Tue Dec 8" in listing


def test_the_private_link_shows_the_request_and_nothing_else_does(client, commit):
    commit(lambda: post(client))
    ticket = Ticket.objects.get()
    page = client.get(f"/contact-us/request/{ticket.token}/")
    assert page.status_code == 200
    assert GOOD["message"] in page.content.decode()
    assert "Waiting for an answer" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    assert client.get("/contact-us/request/not-the-token/").status_code == 404
    assert client.get(f"/contact-us/request/{ticket.reference}/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "Jen\r\nBcc: victim@example.com"}, "name", "Name must fit on one line."),
        ({"name": "Jen\nLawrence"}, "name", "Name must fit on one line."),
        ({"email": "jen@example.com\r\nBcc: victim@example.com"}, "email", "Enter one email address, on one line."),
        ({"email": "jen@example.com\nCc: a@b.com"}, "email", "Enter one email address, on one line."),
        ({"email": "not an email"}, "email", "Enter a valid email address."),
        ({"phone": "555\r\nX-Spam: yes"}, "phone", "Phone must fit on one line."),
        (
            {"message": "x" * 102400},
            "message",
            "Please keep your message under 5,000 characters (this one has 102,400).",
        ),
        ({"message": "hello\x07world"}, "message", "Remove the control characters from message."),
        ({"message": "hello\x00world"}, "message", "Null characters are not allowed."),
        ({"message": ""}, "message", "This field is required."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, commit, changes, field, message):
    response = commit(lambda: post(client, **changes))
    assert response.status_code == 400
    assert message in response.context["contact_form"].errors[field]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Ticket.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_a_filled_honeypot_is_absorbed(client, commit):
    response = commit(lambda: post(client, website="https://cheap-watches.example"))
    assert response.status_code == 302 and response["Location"] == "/contact-us/sent/"
    assert "Thank you for sending your message" in client.get("/contact-us/sent/").content.decode()
    assert not Ticket.objects.exists()
    assert mail.outbox == []


def test_the_seventh_message_from_one_address_within_an_hour_gets_a_friendly_429(client, commit):
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=NY), tick=False) as traveller:
        for n in range(6):
            assert commit(lambda n=n: post(client, message=f"Question number {n} about my ring.")).status_code == 302
        response = commit(lambda: post(client, email="JEN@example.com", message="And one more thing..."))
        assert response.status_code == 429
        text = response.content.decode()
        assert "You have sent us several messages in the last hour" in text
        assert "Nothing more was sent this time" in text and "1-800-765-4828" in text
        assert Ticket.objects.count() == 6
        assert len(mail.outbox) == 6
        traveller.shift(3601)
        assert commit(lambda: post(client, message="An hour later, one more.")).status_code == 302
    assert Ticket.objects.count() == 7


def test_one_client_address_cannot_get_round_the_limit_with_new_emails(client, commit):
    codes = [commit(lambda n=n: post(client, email=f"shopper{n}@example.com")).status_code for n in range(21)]
    assert codes == [302] * 20 + [429]
    assert Ticket.objects.count() == 20


def test_staff_reply_is_emailed_once_and_kept_on_the_ticket(client, commit, staff_client):
    commit(lambda: post(client))
    ticket = Ticket.objects.get()
    mail.outbox.clear()
    agent = staff_client("Customer service")
    form = agent.get(f"/admin/customer_service/ticket/{ticket.pk}/change/")
    assert form.status_code == 200 and b'name="reply"' in form.content
    reply = "Yes: an oval of 1.5 ct sits beautifully in our Halo settings. I have added three to your wish list."
    response = commit(
        lambda: agent.post(f"/admin/customer_service/ticket/{ticket.pk}/change/", {"status": "new", "reply": reply})
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ANSWERED and ticket.answered_at is not None
    staff_message = ticket.messages.get(author=TicketMessage.Author.STAFF)
    assert staff_message.body == reply and staff_message.staff_user == agent.user
    assert staff_message.email.status == OutboundEmail.Status.SENT
    [email] = mail.outbox
    assert email.to == ["jen@example.com"] and reply in email.body and ticket.reference in email.subject
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert reply in page and "We have answered" in page


def test_the_shopper_adds_a_message_and_the_ticket_waits_again(client, commit, staff_client):
    commit(lambda: post(client))
    ticket = Ticket.objects.get()
    ticket.status = Ticket.Status.ANSWERED
    ticket.save()
    response = client.post(ticket.get_absolute_url(), {"message": "Thank you! Could I also see it in rose gold?"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW
    assert ticket.messages.count() == 2
    too_long = client.post(ticket.get_absolute_url(), {"message": "x" * 5001})
    assert too_long.status_code == 400 and ticket.messages.count() == 2


def test_the_overdue_filter_shows_only_waiting_tickets_past_their_due_date(client, commit, staff_client):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=NY), tick=False):
        commit(lambda: post(client, name="Old Question"))
        commit(lambda: post(client, name="Answered Already", email="a@example.com"))
    Ticket.objects.filter(name="Answered Already").update(status=Ticket.Status.ANSWERED)
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=NY), tick=False):
        commit(lambda: post(client, name="Fresh Question", email="b@example.com"))
        listing = staff_client("Customer service").get("/admin/customer_service/ticket/?due=overdue").content.decode()
    assert "Old Question" in listing and "OVERDUE" in listing
    assert "Answered Already" not in listing and "Fresh Question" not in listing


def test_the_inbox_is_for_customer_service_only(client, commit, staff_client):
    commit(lambda: post(client))
    ticket = Ticket.objects.get()
    for role in ("Inventory", "Marketing"):
        other = staff_client(role)
        assert other.get("/admin/customer_service/ticket/").status_code == 403
        assert other.post(f"/admin/customer_service/ticket/{ticket.pk}/change/", {"reply": "hi"}).status_code == 403
    assert not ticket.messages.filter(author="staff").exists()
    agent = staff_client("Customer service")
    assert agent.get("/admin/customer_service/ticket/add/").status_code == 403
    assert agent.post(f"/admin/customer_service/ticket/{ticket.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_inbox_lists_many_tickets_in_a_fixed_number_of_queries(
    client, commit, staff_client, django_assert_max_num_queries
):
    for n in range(30):
        commit(lambda n=n: post(client, email=f"s{n}@example.com"))
    agent = staff_client("Customer service")
    with django_assert_max_num_queries(12):
        assert agent.get("/admin/customer_service/ticket/").status_code == 200
