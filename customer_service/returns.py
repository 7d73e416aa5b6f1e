"""Returns within 30 days of shipping: the rules (pure: every "no" with a sentence the shopper understands), what the
order page needs to know, and the one write, `return_request`, which opens a return ticket with its RMA number.

The window runs from the day the order shipped, in the shop's time zone (the status event that moved it to shipped;
a delivered order with no shipped event counts from delivery). Pieces made for the shopper (engraved, resized by the
workshop, custom-designed) are final sale, and a line is returned at most once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from checkout.emails import site_url
from checkout.models import Order, OrderLine
from ring_builder.delivery import shop_today

from . import emails, tickets
from .due_dates import shop_zone
from .models import ReturnRequest, Ticket, random_code

RETURN_DAYS = 30
REFUND_BUSINESS_DAYS = 5
NOT_SHIPPED = "Your order has not shipped yet: to change or cancel it, contact us."
CANCELLED = "This order was cancelled, so there is nothing to return."
REFUNDED = "This order has been refunded, so there is nothing to return."
NO_SHIPPING_DATE = "We cannot tell when this order shipped: please contact us to return it."
ENGRAVED = "Engraved pieces are made for you and cannot be returned."
RESIZED = "Resized pieces cannot be returned."
CUSTOM = "Custom-designed pieces cannot be returned."
NOT_IN_ORDER = "One of the items you chose is not part of this order."
NOTHING_CHOSEN = "Choose at least one item to return."
UNSHIPPED_STATUSES = (Order.Status.PLACED, Order.Status.PAID, Order.Status.IN_PRODUCTION)


class ReturnRefused(Exception):
    """The request breaks a rule; `problems` are the sentences to show. Nothing was stored."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# --- Rules ---------------------------------------------------------------------------------------------------------
def say_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def line_title(line: OrderLine) -> str:
    """The line's first receipt line ("1.00 ct Round diamond"): how the shopper recognises it."""
    return (line.description.splitlines() or [""])[0]


def shipped_on(order: Order) -> date | None:
    """The shop's date of the latest move to shipped, else to delivered. Reads `order.events.all()`, so a caller that
    prefetched the status events pays no query."""
    moved = {Order.Status.SHIPPED: None, Order.Status.DELIVERED: None}
    for event in order.events.all():
        if event.kind == "status_changed" and event.to_status in moved:
            moved[event.to_status] = event.created  # events come oldest first: the latest wins
    moment = moved[Order.Status.SHIPPED] or moved[Order.Status.DELIVERED]
    return timezone.localdate(moment, timezone=shop_zone()) if moment else None


def return_deadline(order: Order) -> date | None:
    """The last day a return may be requested, or None when the order has not shipped."""
    day = shipped_on(order)
    return day + timedelta(days=RETURN_DAYS) if day else None


def order_return_problems(order: Order, *, today: date) -> list[str]:
    """Why nothing in this order can be returned today; empty when its lines may be."""
    if order.status == Order.Status.CANCELLED:
        return [CANCELLED]
    if order.status == Order.Status.REFUNDED:
        return [REFUNDED]
    if order.status in UNSHIPPED_STATUSES:
        return [NOT_SHIPPED]
    deadline = return_deadline(order)
    if deadline is None:
        return [NO_SHIPPING_DATE]
    if today > deadline:
        return [f"The {RETURN_DAYS}-day return window for this order closed on {say_date(deadline)}."]
    return []


def line_return_problems(line: OrderLine, *, returned_line_ids: Mapping[int, str]) -> list[str]:
    """Why this line cannot be returned; empty when it can. `returned_line_ids` maps the id of each line already in a
    return to that return's RMA number (`returned_lines`)."""
    references = line.references or {}
    problems = []
    if str(references.get("engraving") or "").strip():
        problems.append(ENGRAVED)
    if references.get("resized"):
        problems.append(RESIZED)
    if references.get("custom"):
        problems.append(CUSTOM)
    if line.pk in returned_line_ids:
        problems.append(f"Already in return {returned_line_ids[line.pk]}.")
    return problems


# --- Reads ---------------------------------------------------------------------------------------------------------
def returned_lines(order: Order) -> dict[int, str]:
    """{line id: RMA number} for the order's lines already in a return. One query."""
    through = ReturnRequest.lines.through
    rows = through.objects.filter(returnrequest__order=order).values_list("orderline_id", "returnrequest__rma_number")
    return dict(rows)


def return_choices(order: Order, *, today: date | None = None) -> tuple[list[str], list[dict]]:
    """The order's problems and each line with its own: what the return page lists. Two queries at most (lines and
    status events are read from prefetches when the caller made them)."""
    today = today or shop_today()
    problems = order_return_problems(order, today=today)
    returned = returned_lines(order)
    rows = []
    for line in order.lines.all():
        line_problems = problems or line_return_problems(line, returned_line_ids=returned)
        rows.append({"line": line, "title": line_title(line), "problems": line_problems, "eligible": not line_problems})
    return problems, rows


def order_returns(order: Order, *, today: date | None = None) -> dict:
    """For the order page: whether a "Return items" link belongs there, and the order's returns. One query, two when
    the order already has returns and is still inside its window."""
    return_requests = list(order.return_requests.order_by("pk"))
    returnable = not order_return_problems(order, today=today or shop_today())
    if returnable:
        returned = returned_lines(order) if return_requests else {}
        returnable = any(not line_return_problems(line, returned_line_ids=returned) for line in order.lines.all())
    return {"returnable": returnable, "return_requests": return_requests}


def return_url(return_request: ReturnRequest) -> str:
    return reverse("customer_service:return_detail", args=[return_request.order.number, return_request.rma_number])


def instructions(*, rma: str, due: str) -> list[str]:
    """What the shopper does next, the same on the page and in the email."""
    return [
        "Pack each piece in its original box, with its grading report and any appraisal that came with it.",
        f"Our team emails you a free, insured return label by {due}: print it and attach it to the parcel.",
        f"Write your return number, {rma}, on the outside of the parcel.",
        f"We refund you within {REFUND_BUSINESS_DAYS} business days of receiving the parcel, to the original "
        "payment method.",
    ]


# --- Write ---------------------------------------------------------------------------------------------------------
def return_request(
    *,
    order: Order,
    lines: Iterable[OrderLine | int],
    reason: str,
    note: str = "",
    user=None,
    today: date | None = None,
) -> ReturnRequest:
    """Open a return of `lines` of `order`: a return ticket in the inbox (due in two business days), the
    ReturnRequest with its RMA number, and one email with the instructions. Every rule is checked again under the
    order's row lock, so a double submit (or two tabs) finds the lines already returned; any broken rule raises
    ReturnRefused and stores nothing."""
    today = today or shop_today()
    wanted = {line if isinstance(line, int) else line.pk for line in lines}
    if not wanted:
        raise ReturnRefused([NOTHING_CHOSEN])
    if reason not in ReturnRequest.Reason.values:
        raise ReturnRefused(["Choose why you are returning these items."])
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        problems = order_return_problems(order, today=today)
        if problems:
            raise ReturnRefused(problems)
        chosen = list(OrderLine.objects.filter(order=order, pk__in=wanted).order_by("pk"))
        if len(chosen) != len(wanted):
            raise ReturnRefused([NOT_IN_ORDER])
        returned = returned_lines(order)
        problems = [
            f"{line_title(line)}: {problem}"
            for line in chosen
            for problem in line_return_problems(line, returned_line_ids=returned)
        ]
        if problems:
            raise ReturnRefused(problems)
        # The RMA goes in the ticket's first message, which is written before the return itself (it needs the ticket).
        rma = random_code("RMA-")
        reason_label = ReturnRequest.Reason(reason).label
        ticket = tickets.ticket_open(
            kind=Ticket.Kind.RETURN,
            name=order.shipping_name,
            email=order.email,
            message=_summary(order=order, rma=rma, lines=chosen, reason=reason_label, note=note),
            user=user,
            acknowledge=False,
        )
        created = ReturnRequest.objects.create(ticket=ticket, order=order, reason=reason, rma_number=rma)
        created.lines.set(chosen)
        due = emails.long_date(ticket.due_at)
        page = f"{site_url()}{return_url(created)}"
        emails.queue(
            "return_confirmation",
            subject=f"Your return {rma} for order {order.number}",
            to=[order.email],
            context={
                "return_request": created,
                "order": order,
                "titles": [line_title(line) for line in chosen],
                "reason": reason_label,
                "note": note,
                "due": due,
                "zone": emails.zone_label(),
                "steps": instructions(rma=rma, due=due),
                "first_name": order.shipping_name.split()[0] if order.shipping_name else "",
                "ticket_url": tickets.ticket_url(ticket),
                "page_url": page,
                "button_url": page,
                "button_label": "See your return",
            },
        )
    return created


def _summary(*, order: Order, rma: str, lines: list[OrderLine], reason: str, note: str) -> str:
    items = "\n".join(f"- {line_title(line)} (line {line.pk})" for line in lines)
    text = f"Return {rma} for order {order.number}\n\nItems:\n{items}\n\nReason: {reason}"
    return f"{text}\n\nNote from the customer:\n{note}" if note else text


def return_mark_received(*, return_request: ReturnRequest, when=None) -> bool:
    """The parcel is back: record when, once. Returns False when it had already been recorded."""
    updated = ReturnRequest.objects.filter(pk=return_request.pk, received_back_at__isnull=True).update(
        received_back_at=when or timezone.now()
    )
    return bool(updated)
