"""Live diamond inspection: the shopper proposes times in their own zone beside the diamond, the request is a ticket
due in two business days, an expert confirms a time from the admin and both get a calendar invitation that
calendars accept (and move, on a reschedule); bad input and floods change nothing."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from catalog.grades import StoneStatus
from core.models import OutboundEmail
from customer_service.calendar import inspection_invite
from customer_service.inspection_forms import InspectionForm
from customer_service.inspections import inspection_confirm, inspection_request
from customer_service.models import InspectionRequest, Ticket, TicketMessage
from tests.factories import DiamondFactory, UserFactory

NY = ZoneInfo("America/New_York")
HK = ZoneInfo("Asia/Hong_Kong")
# Thursday, December 3, 2026, 9:00 in New York: a request today is due by the end of Monday, December 7.
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=NY)
GOOD = {"name": "Jennifer Lawrence", "email": "jen@example.com", "phone": "+852 5555 0100",
        "time_zone": "Asia/Hong_Kong", "time_1": "2026-12-10T10:00", "time_2": "2026-12-11T20:30", "time_3": "",
        "message": "I would love to see the inclusions under magnification, and how it looks in daylight."}  # fmt: skip
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def diamond(db):
    return DiamondFactory(sku="T0001234")


def url(diamond):
    return f"/loose-diamonds/item/{diamond.sku}/inspection/"


def post(client, diamond, **changes):
    return client.post(url(diamond), {**GOOD, **changes})


def calendar_of(message):
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return content


# --- The request ---------------------------------------------------------------------------------------------------
def test_the_form_page_shows_the_diamond_and_starts_in_the_shops_time_zone(client, diamond):
    page = client.get(url(diamond))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1.00 Carat Round Diamond" in text and "SKU T0001234" in text
    assert '<option value="America/New_York" selected>' in text  # the shop's zone until the browser's is known
    assert '<optgroup label="Asia">' in text and 'type="datetime-local"' in text
    assert 'name="website"' in text  # the honeypot
    detail = client.get(diamond.get_absolute_url()).content.decode()
    assert f'href="{url(diamond)}">Inspect this diamond live with an expert</a>' in detail


def test_a_sold_diamond_says_sorry_and_an_unknown_one_is_not_found(client, diamond):
    diamond.status = StoneStatus.SOLD
    diamond.save()
    sold = client.get(url(diamond))
    assert sold.status_code == 404
    assert "Sorry, this diamond has just been sold" in sold.content.decode()
    assert post(client, diamond).status_code == 404
    assert client.get("/loose-diamonds/item/NOPE999/inspection/").status_code == 404
    assert not Ticket.objects.exists()


def test_a_request_is_a_ticket_due_in_two_business_days_with_its_times_in_utc(client, commit, clock, diamond):
    response = commit(lambda: post(client, diamond))
    assert response.status_code == 302 and response["Location"] == "/inspection/requested/"

    ticket = Ticket.objects.get()
    assert ticket.kind == Ticket.Kind.INSPECTION and ticket.status == Ticket.Status.NEW
    assert ticket.due_at.astimezone(NY) == datetime(2026, 12, 7, 23, 59, 59, tzinfo=NY)
    assert (ticket.name, ticket.email, ticket.phone) == ("Jennifer Lawrence", "jen@example.com", "+852 5555 0100")
    inspection = InspectionRequest.objects.get()
    assert inspection.ticket == ticket and inspection.diamond == diamond
    assert inspection.time_zone == "Asia/Hong_Kong"
    # 10:00 and 20:30 in Hong Kong (UTC+8) are 02:00 and 12:30 UTC.
    assert inspection.preferred_times == ["2026-12-10T02:00:00+00:00", "2026-12-11T12:30:00+00:00"]
    assert inspection.confirmed_start is None
    # Staff read the request in the inbox as the shopper wrote it, times in the shopper's zone.
    assert "T0001234: 1.00 Carat Round Diamond" in ticket.message
    assert "1. Thursday, December 10, 2026 at 10:00 AM (Hong Kong time)" in ticket.message
    assert GOOD["message"] in ticket.message

    [ack] = mail.outbox
    assert ack.to == ["jen@example.com"] and ticket.reference in ack.subject
    assert "Thursday, December 10, 2026 at 10:00 AM (Hong Kong time)" in ack.body
    assert "Friday, December 11, 2026 at 8:30 PM (Hong Kong time)" in ack.body
    assert "confirm a time by Monday, December 7 (New York time)" in ack.body
    assert f"/contact-us/request/{ticket.token}/" in ack.body
    html = ack.alternatives[0][0]
    assert "10:00 AM (Hong Kong time)" in html and f"/contact-us/request/{ticket.token}/" in html
    assert not ack.attachments

    thanks = client.get("/inspection/requested/").content.decode()
    assert ticket.reference in thanks and "Monday, December 7" in thanks
    assert "Thursday, December 10, 2026 at 10:00 AM (Hong Kong time)" in thanks
    assert ticket.get_absolute_url() in thanks


@pytest.mark.parametrize(
    ("zone", "utc"),
    [
        ("Asia/Hong_Kong", "2026-12-10T02:00:00+00:00"),
        ("America/Los_Angeles", "2026-12-10T18:00:00+00:00"),  # PST, UTC-8, in December
        ("America/New_York", "2026-12-10T15:00:00+00:00"),
        ("Europe/London", "2026-12-10T10:00:00+00:00"),
        ("Australia/Sydney", "2026-12-09T23:00:00+00:00"),  # summer time there, UTC+11: the day before in UTC
    ],
)
def test_times_are_read_in_the_zone_the_shopper_chose(client, commit, clock, diamond, zone, utc):
    assert commit(lambda: post(client, diamond, time_zone=zone, time_2="")).status_code == 302
    assert InspectionRequest.objects.get().preferred_times == [utc]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"time_1": "2026-12-02T10:00"}, "time_1", "This time has already passed."),
        ({"time_2": "2026-12-03T23:30"}, "time_2", "Please choose a time at least two hours from now."),
        ({"time_1": "2027-02-15T10:00"}, "time_1", "Please choose a time within the next 60 days."),
        ({"time_1": "", "time_2": ""}, "time_1", "This field is required."),
        ({"time_1": "next tuesday"}, "time_1", "Enter a date and a time, like 2026-12-10 14:30."),
        ({"time_2": "2026-12-10T10:00"}, "time_2", "You have already chosen this time."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"time_zone": ""}, "time_zone", "This field is required."),
        ({"name": "Jen\r\nBcc: victim@example.com"}, "name", "Name must fit on one line."),
        ({"email": "jen@example.com\r\nBcc: victim@example.com"}, "email", "Enter one email address, on one line."),
        ({"phone": "555\nX-Spam: yes"}, "phone", "Phone must fit on one line."),
        (
            {"message": "x" * 3000},
            "message",
            "Please keep your message under 2,000 characters (this one has 3,000).",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, commit, clock, diamond, changes, field, message):
    response = commit(lambda: post(client, diamond, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(e.startswith(message) for e in errors), errors
    assert "your request has not been sent yet" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Ticket.objects.exists() and not InspectionRequest.objects.exists()
    assert not OutboundEmail.objects.exists() and mail.outbox == []


def test_a_filled_honeypot_is_absorbed(client, commit, clock, diamond):
    response = commit(lambda: post(client, diamond, website="https://cheap-watches.example"))
    assert response.status_code == 302 and response["Location"] == "/inspection/requested/"
    assert "Thank you: we have your request" in client.get("/inspection/requested/").content.decode()
    assert not Ticket.objects.exists() and mail.outbox == []


def test_the_fourth_request_from_one_address_within_an_hour_gets_a_friendly_429(client, commit, clock, diamond):
    for n in range(3):
        assert commit(lambda n=n: post(client, diamond, time_1=f"2026-12-1{n}T10:00")).status_code == 302
    response = commit(lambda: post(client, diamond, email="JEN@example.com", time_1="2026-12-14T10:00"))
    assert response.status_code == 429
    assert "1-800-765-4828" in response.content.decode()
    assert Ticket.objects.count() == 3 and len(mail.outbox) == 3
    clock.shift(timedelta(hours=1, seconds=1))
    assert commit(lambda: post(client, diamond, time_1="2026-12-15T10:00")).status_code == 302
    assert Ticket.objects.count() == 4


def test_one_client_address_cannot_get_round_the_limit_with_new_emails(client, commit, clock, diamond):
    codes = [commit(lambda n=n: post(client, diamond, email=f"shopper{n}@example.com")).status_code for n in range(11)]
    assert codes == [302] * 10 + [429]
    assert InspectionRequest.objects.count() == 10


@pytest.mark.parametrize(
    ("now", "local", "code"),
    [
        (datetime(2026, 12, 3, 10, 0, tzinfo=UTC), "2026-12-03T11:59", "too_soon"),
        (datetime(2026, 12, 3, 10, 0, tzinfo=UTC), "2026-12-03T12:00", None),  # exactly two hours on
        (datetime(2026, 12, 3, 10, 0, tzinfo=UTC), "2027-02-01T10:00", None),  # exactly 60 days on
        (datetime(2026, 12, 3, 10, 0, tzinfo=UTC), "2027-02-01T10:01", "too_far"),
        (datetime(2027, 3, 1, 10, 0, tzinfo=UTC), "2027-03-14T02:30", "nonexistent"),  # New York springs forward
    ],
)
def test_the_booking_window_is_two_hours_to_sixty_days(now, local, code):
    # London keeps UTC in winter, so the boundaries read plainly; New York's spring-forward hour does not exist.
    zone = "America/New_York" if code == "nonexistent" else "Europe/London"
    form = InspectionForm({**GOOD, "time_zone": zone, "time_1": local, "time_2": ""}, now=now)
    assert form.is_valid() is (code is None)
    if code:
        assert form.has_error("time_1", code)


# --- Staff confirm a time ------------------------------------------------------------------------------------------
@pytest.fixture
def requested(client, commit, clock, diamond):
    commit(lambda: post(client, diamond))
    mail.outbox.clear()
    return InspectionRequest.objects.get()


def confirm_url(inspection):
    return f"/admin/customer_service/inspectionrequest/{inspection.pk}/confirm/"


MEETING = "https://meet.solitaire.example/j/8841-2290-5531?pwd=a-rather-long-password-that-forces-folding-0123456789"


def test_staff_confirm_a_time_and_both_get_the_invitation(client, commit, staff_client, requested):
    agent = staff_client("Customer service")
    listing = agent.get("/admin/customer_service/inspectionrequest/?confirmed=no").content.decode()
    assert requested.ticket.reference in listing and "T0001234" in listing and "Jennifer Lawrence" in listing
    assert "Wed Dec 9, 9:00 PM" in listing  # the first preferred time on the shop's clock
    form = agent.get(confirm_url(requested))
    assert form.status_code == 200
    text = form.content.decode()
    # 10:00 in Hong Kong is 21:00 the evening before in New York: staff see both.
    assert "Wednesday, December 9, 2026 at 9:00 PM (New York time)" in text
    assert "Thursday, December 10, 2026 at 10:00 AM (Hong Kong time)" in text

    response = commit(
        lambda: agent.post(
            confirm_url(requested),
            {"slot": "2026-12-10T02:00:00+00:00", "duration_minutes": "45", "meeting_url": MEETING},
        )
    )
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.confirmed_start == datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    assert (requested.duration_minutes, requested.meeting_url, requested.sequence) == (45, MEETING, 0)
    assert requested.expert == agent.user

    ticket = requested.ticket
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ANSWERED and ticket.answered_at is not None
    reply = ticket.messages.get(author=TicketMessage.Author.STAFF)
    assert reply.staff_user == agent.user and MEETING in reply.body
    assert reply.email.status == OutboundEmail.Status.SENT

    shopper, expert = mail.outbox
    assert shopper.to == ["jen@example.com"] and expert.to == [agent.user.email]
    assert "Thursday, December 10, 2026 at 10:00 AM (Hong Kong time)" in shopper.body
    assert "Wednesday, December 9, 2026 at 9:00 PM (New York time)" in shopper.body
    assert MEETING in shopper.body and "T0001234" in shopper.body and "HOW TO PREPARE" in shopper.body
    assert "Jennifer Lawrence" in expert.body and "jen@example.com" in expert.body
    assert "+852 5555 0100" in expert.body and "T0001234" in expert.body and GOOD["message"] in expert.body
    assert calendar_of(shopper) == calendar_of(expert)
    assert "We have answered" in client.get(ticket.get_absolute_url()).content.decode()
    confirmed = agent.get("/admin/customer_service/inspectionrequest/?confirmed=yes").content.decode()
    assert ticket.reference in confirmed
    assert ticket.reference not in agent.get("/admin/customer_service/inspectionrequest/?confirmed=no").content.decode()


def test_the_invitation_is_a_valid_icalendar_request(commit, staff_client, requested):
    agent = staff_client("Customer service")
    commit(lambda: agent.post(confirm_url(requested), {"slot": "2026-12-10T02:00:00+00:00",
                                                       "duration_minutes": "30", "meeting_url": MEETING}))  # fmt: skip
    text = calendar_of(mail.outbox[0])

    raw = text.encode()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))  # the long link was folded, not cut

    calendar = Calendar.from_ical(text)
    for name in ("VERSION", "PRODID", "METHOD"):
        assert name in calendar
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "ORGANIZER", "STATUS"):
        assert name in event
    assert str(event["UID"]) == f"inspection-{requested.pk}@127.0.0.1"
    assert event.decoded("DTSTART") == datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 10, 2, 30, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == NOW.astimezone(UTC)
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Live diamond inspection: 1.00 Carat Round Diamond"
    assert str(event["LOCATION"]) == MEETING
    assert MEETING in str(event["DESCRIPTION"]) and requested.ticket.reference in str(event["DESCRIPTION"])
    assert str(event["ORGANIZER"]) == "mailto:service@solitaire.example"
    attendees = event["ATTENDEE"]
    assert sorted(str(a) for a in attendees) == sorted(["mailto:jen@example.com", f"mailto:{agent.user.email}"])
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT" and attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE" and attendee.params["CN"]
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=15)


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(commit, staff_client, requested):
    agent = staff_client("Customer service")
    first = {"slot": "2026-12-10T02:00:00+00:00", "duration_minutes": "30", "meeting_url": MEETING}
    commit(lambda: agent.post(confirm_url(requested), first))
    before = Calendar.from_ical(calendar_of(mail.outbox[0])).walk("VEVENT")[0]
    mail.outbox.clear()
    again = agent.get(confirm_url(requested)).content.decode()
    assert "Currently confirmed for <strong>Wednesday, December 9, 2026 at 9:00 PM (New York time)" in again
    assert f'value="{MEETING}"' in again and "Move and send the new invitation" in again
    # Another time, typed on the shop's clock: Saturday 14:00 in New York is 19:00 UTC, 3:00 AM Sunday in Hong Kong.
    moved = {"slot": "other", "other_time": "2026-12-12T14:00", "duration_minutes": "30", "meeting_url": MEETING}
    assert commit(lambda: agent.post(confirm_url(requested), moved)).status_code == 302
    requested.refresh_from_db()
    assert requested.confirmed_start == datetime(2026, 12, 12, 19, 0, tzinfo=UTC) and requested.sequence == 1
    shopper, _expert = mail.outbox
    assert "new time" in shopper.subject.lower()
    assert "Sunday, December 13, 2026 at 3:00 AM (Hong Kong time)" in shopper.body
    after = Calendar.from_ical(calendar_of(shopper)).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1 > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == datetime(2026, 12, 12, 19, 0, tzinfo=UTC)
    assert requested.ticket.messages.filter(author="staff").count() == 2


def test_staff_cannot_confirm_a_past_time_or_without_a_link(commit, staff_client, requested, clock):
    agent = staff_client("Customer service")
    past = {"slot": "other", "other_time": "2026-12-01T10:00", "duration_minutes": "30", "meeting_url": MEETING}
    no_link = {"slot": "2026-12-10T02:00:00+00:00", "duration_minutes": "30", "meeting_url": ""}
    no_other = {"slot": "other", "other_time": "", "duration_minutes": "30", "meeting_url": MEETING}
    for data in (past, no_link, no_other):
        response = commit(lambda data=data: agent.post(confirm_url(requested), data))
        assert response.status_code == 200 and b"errornote" in response.content
    requested.refresh_from_db()
    assert requested.confirmed_start is None and mail.outbox == []
    assert requested.ticket.status == Ticket.Status.NEW


@pytest.mark.parametrize("role", ["Inventory", "Marketing"])
def test_only_customer_service_can_confirm(commit, staff_client, requested, role):
    other = staff_client(role)
    data = {"slot": "2026-12-10T02:00:00+00:00", "duration_minutes": "30", "meeting_url": MEETING}
    assert other.get(confirm_url(requested)).status_code == 403
    assert commit(lambda: other.post(confirm_url(requested), data)).status_code == 403
    requested.refresh_from_db()
    assert requested.confirmed_start is None and mail.outbox == []


# --- Services and the calendar, with explicit clocks ---------------------------------------------------------------
def test_the_services_take_their_clock_from_the_caller(django_capture_on_commit_callbacks, diamond):
    now = datetime(2026, 12, 4, 23, 0, tzinfo=NY)  # a Friday night: due the end of Tuesday
    start = datetime(2026, 12, 10, 18, 0, tzinfo=UTC)
    expert = UserFactory(first_name="Ava", last_name="Gardner", email="ava@solitaire.example")
    with django_capture_on_commit_callbacks(execute=True):
        inspection = inspection_request(
            diamond=diamond, name="Zoë Saldaña", email="zoe@example.com", time_zone="America/Los_Angeles",
            preferred_times=[start], now=now,
        )  # fmt: skip
        inspection_confirm(inspection=inspection, start=start, meeting_url=MEETING, expert=expert, now=now)
    inspection.refresh_from_db()
    assert inspection.ticket.due_at.astimezone(NY) == datetime(2026, 12, 8, 23, 59, 59, tzinfo=NY)
    assert inspection.ticket.answered_at == now
    ack, _shopper, for_expert = mail.outbox
    assert "Thursday, December 10, 2026 at 10:00 AM (Los Angeles time)" in ack.body
    assert for_expert.to == ["ava@solitaire.example"]
    text = inspection_invite(inspection, now=now)
    assert all(len(line) <= 75 for line in text.encode().split(b"\r\n"))  # octets, not characters: "ë" is two
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert event.decoded("DTSTAMP") == now.astimezone(UTC)
    assert {a.params["CN"] for a in event["ATTENDEE"]} == {"Zoë Saldaña", "Ava Gardner"}


def test_the_list_of_requests_takes_a_fixed_number_of_queries(clock, staff_client, django_assert_max_num_queries):
    for n in range(20):
        inspection_request(
            diamond=DiamondFactory(), name=f"Shopper {n}", email=f"s{n}@example.com", time_zone="Europe/Paris",
            preferred_times=[datetime(2026, 12, 10, 9, n, tzinfo=UTC)], now=NOW,
        )  # fmt: skip
    agent = staff_client("Customer service")
    with django_assert_max_num_queries(12):
        listing = agent.get("/admin/customer_service/inspectionrequest/")
    assert listing.status_code == 200 and listing.content.decode().count("Not yet") == 20
