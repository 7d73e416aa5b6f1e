"""Live diamond inspections: the shopper proposes up to three times in their own zone (a ticket in the inbox, due in
two business days); an expert confirms one, or another, with a meeting link, and both get a calendar invitation.
A later confirmation is a reschedule: same calendar UID, a higher SEQUENCE."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from catalog.models import Diamond
from catalog.views.detail import diamond_title
from checkout.emails import site_url

from . import emails, tickets
from .calendar import inspection_invite
from .due_dates import shop_zone
from .inspection_forms import say_time
from .models import InspectionRequest, Ticket, TicketMessage


def preferred_moments(inspection: InspectionRequest) -> list[datetime]:
    return [datetime.fromisoformat(value) for value in inspection.preferred_times]


def _summary(*, diamond: Diamond, time_zone: str, preferred_times: list[datetime], message: str) -> str:
    """The ticket's first message: what staff read in the inbox, written as the shopper asked."""
    lines = [f"Live inspection of diamond {diamond.sku}: {diamond_title(diamond)} ({diamond.grade_summary}).", ""]
    lines.append(f"Preferred times ({time_zone}):")
    lines += [f"{n}. {say_time(moment, time_zone)}" for n, moment in enumerate(preferred_times, 1)]
    lines += ["", "What I would like to see:", message or "(nothing in particular)"]
    return "\n".join(lines)


def inspection_request(
    *,
    diamond: Diamond,
    name: str,
    email: str,
    time_zone: str,
    preferred_times: list[datetime],
    phone: str = "",
    message: str = "",
    user=None,
    now: datetime | None = None,
) -> InspectionRequest:
    """Store the request as a ticket (kind inspection) with its proposed times in UTC, and tell the shopper, in
    their own zone, which times we have and by when an expert confirms one."""
    if not preferred_times or any(moment.tzinfo is None for moment in preferred_times):
        raise ValueError("preferred_times must be one to three aware datetimes")
    now = now or timezone.now()
    with transaction.atomic():
        ticket = tickets.ticket_open(
            kind=Ticket.Kind.INSPECTION,
            name=name,
            email=email,
            phone=phone,
            message=_summary(diamond=diamond, time_zone=time_zone, preferred_times=preferred_times, message=message),
            user=user,
            received_at=now,
            acknowledge=False,
        )
        inspection = InspectionRequest.objects.create(
            ticket=ticket,
            diamond=diamond,
            time_zone=time_zone,
            preferred_times=[moment.astimezone(UTC).isoformat() for moment in preferred_times],
        )
        emails.queue(
            "inspection_received",
            subject=f"Your live diamond inspection request ({ticket.reference})",
            to=[ticket.email],
            context={
                **_context(inspection),
                "times": [say_time(moment, time_zone) for moment in preferred_times],
                "wish": message,
                "button_url": tickets.ticket_url(ticket),
                "button_label": "See your request",
            },
        )
    return inspection


def inspection_confirm(
    *,
    inspection: InspectionRequest,
    start: datetime,
    duration_minutes: int = 30,
    meeting_url: str,
    expert,
    now: datetime | None = None,
) -> InspectionRequest:
    """Fix the time (a preferred one or another), reply on the ticket and send the shopper and the expert the
    invitation. Confirming again is a reschedule: the invitation keeps its UID and its SEQUENCE goes up."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if not meeting_url:
        raise ValueError("a meeting link is required")
    now = now or timezone.now()
    with transaction.atomic():
        # Locked so two staff confirming at once cannot both send sequence N (calendars would drop one).
        inspection = (
            InspectionRequest.objects.select_for_update(of=("self",))
            .select_related("ticket", "diamond")
            .get(pk=inspection.pk)
        )
        rescheduled = inspection.confirmed_start is not None
        if rescheduled:
            inspection.sequence += 1
        inspection.confirmed_start = start.astimezone(UTC)
        inspection.duration_minutes = duration_minutes
        inspection.meeting_url = meeting_url
        inspection.expert = expert
        inspection.save(update_fields=["confirmed_start", "duration_minutes", "meeting_url", "expert", "sequence"])

        ticket = inspection.ticket
        shopper_time = say_time(start, inspection.time_zone)
        shop_time = say_time(start, shop_zone())
        lead = "Your live inspection has moved to" if rescheduled else "Your live inspection is confirmed for"
        body = f"{lead} {shopper_time} ({duration_minutes} minutes).\nJoin the screen share: {meeting_url}"
        # The reply is written here rather than by tickets.ticket_reply: that sends its own email, and this one must
        # carry the calendar invitation.
        reply = TicketMessage.objects.create(
            ticket=ticket, author=TicketMessage.Author.STAFF, staff_user=expert, body=body, created_at=now
        )
        ticket.status, ticket.answered_at, ticket.closed_at = Ticket.Status.ANSWERED, now, None
        ticket.save(update_fields=["status", "answered_at", "closed_at"])

        ics = inspection_invite(inspection, now=now)
        context = {
            **_context(inspection),
            "rescheduled": rescheduled,
            "shopper_time": shopper_time,
            "shop_time": shop_time,
            "same_zone": inspection.time_zone == shop_zone().key,
            "duration": duration_minutes,
            "meeting_url": meeting_url,
            "expert_name": expert.get_short_name() if expert else "",
        }
        local = start.astimezone(ZoneInfo(inspection.time_zone))
        when = f"{local:%B} {local.day}"
        reply.email = emails.queue(
            "inspection_confirmed",
            subject=f"{'New time for' if rescheduled else 'Confirmed:'} your live diamond inspection, {when}",
            to=[ticket.email],
            context={**context, "button_url": meeting_url, "button_label": "Join the inspection"},
            ics=ics,
        )
        reply.save(update_fields=["email"])
        if expert is not None and expert.email:
            what = "Moved inspection" if rescheduled else "New inspection"
            emails.queue(
                "inspection_expert",
                subject=f"{what} {ticket.reference}: {context['diamond_title']}",
                to=[expert.email],
                context={**context, "button_url": meeting_url, "button_label": "Open the meeting"},
                ics=ics,
            )
    return inspection


def _context(inspection: InspectionRequest) -> dict:
    ticket, diamond = inspection.ticket, inspection.diamond
    return {
        "inspection": inspection,
        "ticket": ticket,
        "ticket_url": tickets.ticket_url(ticket),
        "diamond": diamond,
        "diamond_title": diamond_title(diamond),
        "diamond_url": f"{site_url()}{diamond.get_absolute_url()}",
        "due": emails.long_date(ticket.due_at),
        "zone": emails.zone_label(),
        "first_name": ticket.name.split()[0] if ticket.name else "",
    }
