"""Tickets' writes: open one (due in two business days, acknowledged by email), a staff reply (emailed and kept on
the ticket), the shopper's follow-up, close. Every email goes through the outbox after commit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from checkout.emails import site_url

from . import emails
from .due_dates import shop_answer_due
from .models import Ticket, TicketMessage


def ticket_url(ticket: Ticket) -> str:
    return f"{site_url()}{ticket.get_absolute_url()}"


def _context(ticket: Ticket) -> dict:
    return {
        "ticket": ticket,
        "ticket_url": ticket_url(ticket),
        "due": emails.long_date(ticket.due_at),
        "zone": emails.zone_label(),
        "first_name": ticket.name.split()[0] if ticket.name else "",
    }


def ticket_open(
    *,
    kind: str = Ticket.Kind.MESSAGE,
    name: str,
    email: str,
    message: str,
    phone: str = "",
    user=None,
    received_at=None,
    acknowledge: bool = True,
) -> Ticket:
    """Store the request and its first message; acknowledge it by email saying when the answer comes. The row is
    written whether or not the mail server answers: the acknowledgement waits in the outbox."""
    received_at = received_at or timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            kind=kind,
            name=name,
            email=email,
            phone=phone,
            message=message,
            user=user if user is not None and user.is_authenticated else None,
            received_at=received_at,
            due_at=shop_answer_due(received_at),
        )
        TicketMessage.objects.create(
            ticket=ticket, author=TicketMessage.Author.CUSTOMER, body=message, created_at=received_at
        )
        if acknowledge:
            emails.queue(
                "ticket_received",
                subject=f"We have your message ({ticket.reference})",
                to=[ticket.email],
                context={**_context(ticket), "button_url": ticket_url(ticket), "button_label": "See your request"},
            )
    return ticket


def ticket_reply(*, ticket: Ticket, staff_user, body: str, close: bool = False) -> TicketMessage:
    """A staff answer: kept on the ticket, emailed to the shopper once (the outbox), the ticket answered or closed."""
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        reply = TicketMessage.objects.create(
            ticket=ticket, author=TicketMessage.Author.STAFF, staff_user=staff_user, body=body, created_at=now
        )
        ticket.status = Ticket.Status.CLOSED if close else Ticket.Status.ANSWERED
        ticket.answered_at = now
        ticket.closed_at = now if close else None
        ticket.save(update_fields=["status", "answered_at", "closed_at"])
        reply.email = emails.queue(
            "ticket_reply",
            subject=f"Re: your request {ticket.reference}",
            to=[ticket.email],
            context={
                **_context(ticket),
                "reply": body,
                "staff_name": staff_user.get_short_name() if staff_user else "",
                "button_url": ticket_url(ticket),
                "button_label": "Reply or see the whole conversation",
            },
        )
        reply.save(update_fields=["email"])
    return reply


def ticket_follow_up(*, ticket: Ticket, body: str) -> TicketMessage:
    """The shopper adds to the conversation: the ticket waits for an answer again, due two business days on."""
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        message = TicketMessage.objects.create(
            ticket=ticket, author=TicketMessage.Author.CUSTOMER, body=body, created_at=now
        )
        ticket.status, ticket.closed_at, ticket.due_at = Ticket.Status.NEW, None, shop_answer_due(now)
        ticket.save(update_fields=["status", "closed_at", "due_at"])
    return message


def ticket_close(*, ticket: Ticket) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED, closed_at=timezone.now())
