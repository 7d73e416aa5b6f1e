"""The calendar invitation for a confirmed live inspection (RFC 5545, METHOD:REQUEST as RFC 5546 describes), so the
shopper's and the expert's calendars add it with accept/decline buttons. One UID per inspection: a reschedule sends
the same UID with a higher SEQUENCE, and calendars move the event instead of adding a second one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from catalog.views.detail import diamond_title
from checkout.emails import site_url

from .models import InspectionRequest

REMIND_BEFORE = timedelta(minutes=15)


def shop_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "solitaire.example"


def inspection_uid(inspection: InspectionRequest) -> str:
    return f"inspection-{inspection.pk}@{shop_domain()}"


def _attendee(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name or email)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = "NEEDS-ACTION"
    address.params["RSVP"] = "TRUE"
    return address


def inspection_invite(inspection: InspectionRequest, *, now: datetime | None = None) -> str:
    """The .ics text (CRLF line ends, lines folded at 75 octets by icalendar) for a confirmed inspection."""
    if inspection.confirmed_start is None:
        raise ValueError("Only a confirmed inspection has an invitation")
    now = now or timezone.now()
    ticket, diamond, expert = inspection.ticket, inspection.diamond, inspection.expert
    title = diamond_title(diamond)
    start = inspection.confirmed_start.astimezone(UTC)
    diamond_url = f"{site_url()}{diamond.get_absolute_url()}"

    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SHOP_NAME}//Live diamond inspection//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")

    event = Event()
    event.add("uid", inspection_uid(inspection))
    event.add("sequence", inspection.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=inspection.duration_minutes))
    event.add("summary", f"Live diamond inspection: {title}")
    event.add(
        "description",
        f"Join the screen share: {inspection.meeting_url}\n"
        f"The diamond: {title}, SKU {diamond.sku}, {diamond_url}\n"
        f"Your reference: {ticket.reference}",
    )
    event.add("location", inspection.meeting_url)
    event.add("url", inspection.meeting_url)
    organizer = vCalAddress(f"mailto:{settings.SHOP_EMAIL}")
    organizer.params["CN"] = vText(settings.SHOP_NAME)
    event.add("organizer", organizer)
    event.add("attendee", _attendee(ticket.email, ticket.name))
    if expert is not None and expert.email:
        event.add("attendee", _attendee(expert.email, expert.get_full_name()))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Live diamond inspection in {REMIND_BEFORE.seconds // 60} minutes")
    alarm.add("trigger", -REMIND_BEFORE)
    event.add_component(alarm)

    calendar.add_component(event)
    return calendar.to_ical().decode()
