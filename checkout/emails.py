"""The emails an order sends the shopper: confirmation, shipped, refunded; each as HTML and plain text.

`order_email()` renders one from the order as saved (templates/emails/); `queue_order_email()` sends it once the
transaction commits, so a move that rolls back never tells the shopper it happened (DESIGN.md §6.3):

    with transaction.atomic():
        ...save the order...
        queue_order_email(order.pk, "shipped")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from core.outbox import email_queue

from .models import Order, Payment
from .money import Money

KINDS = ("confirmation", "shipped", "refunded")
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
SUBJECTS = {
    "confirmation": "Your Solitaire order {number}",
    "shipped": "Your Solitaire order {number} is on its way",
    "refunded": "Your refund for Solitaire order {number}",
}
# Payments whose refunds count towards what the shopper got back (a hold is never money taken).
_REFUNDED_STATUSES = (Payment.Status.REFUNDED, Payment.Status.PARTIALLY_REFUNDED)


@dataclass(frozen=True)
class EmailLine:
    title: str
    details: tuple[str, ...]
    quantity: int
    amount: str


@dataclass(frozen=True)
class TotalRow:
    label: str
    amount: str
    strong: bool = False


def site_url() -> str:
    return getattr(settings, "SITE_URL", DEFAULT_SITE_URL).rstrip("/")


def order_url(order: Order) -> str:
    # The order page's path; absolute because an email has no page to be relative to.
    return f"{site_url()}/order/{order.number}/"


def _country_name(code: str) -> str:
    return Locale("en").territories.get(code, code)


def _address(order: Order) -> list[str]:
    city = " ".join(part for part in (order.shipping_city, order.shipping_region, order.shipping_postal_code) if part)
    lines = [
        order.shipping_name,
        order.shipping_line1,
        order.shipping_line2,
        city,
        _country_name(order.shipping_country),
    ]
    return [line for line in lines if line]


def _lines(order: Order) -> list[EmailLine]:
    result = []
    for line in order.lines.all():
        title, *details = [part for part in line.description.splitlines() if part.strip()] or [line.get_kind_display()]
        result.append(
            EmailLine(
                title=title,
                details=tuple(details),
                quantity=line.quantity,
                amount=str(Money(line.line_amount, order.currency)),
            )
        )
    return result


def _totals(order: Order) -> list[TotalRow]:
    rows = [TotalRow("Subtotal", str(order.subtotal))]
    if order.discount_amount:
        rows.append(TotalRow("Offers", str(-order.discount)))
    rows.append(TotalRow("Tax & duty (estimate)", str(order.tax)))
    rows.append(TotalRow("Shipping", str(order.shipping) if order.shipping_amount else "Free, insured"))
    rows.append(TotalRow("Total", str(order.total), strong=True))
    return rows


def _refunded_in_all(order: Order) -> Money:
    """What the shopper has been given back on this order; the order's total when no refund went through the shop
    (staff marked it refunded after refunding it by other means)."""
    minor = sum(
        order.payments.filter(kind=Payment.Kind.CHARGE, status__in=_REFUNDED_STATUSES).values_list(
            "refunded_minor", flat=True
        )
    )
    return Money.from_minor_units(minor, order.currency) if minor else order.total


def _delivered_by(order: Order) -> str:
    day = order.delivered_by
    return f"{day:%A, %B} {day.day}, {day.year}" if day else ""


def order_email(order: Order, kind: str, *, refunded: Money | None = None) -> dict:
    """The `kind` email for `order` as email_queue's keyword arguments: subject, to, text and html.

    Reads the order's lines (one query, none when prefetched) and, for a refund email without `refunded` (the amount
    of this refund), what the order's payments have refunded in all (one more)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown order email {kind!r}; one of: {', '.join(KINDS)}")
    if refunded is not None and refunded.currency != order.currency:
        raise ValueError(f"A refund in {refunded.currency} on an order in {order.currency}")
    context = {
        "kind": kind,
        "order": order,
        "lines": _lines(order),
        "totals": _totals(order),
        "address": _address(order),
        "delivered_by": _delivered_by(order) if kind != "refunded" else "",
        "order_url": order_url(order),
        "site_url": site_url(),
        "tracking_number": order.tracking_number,
        "refunded": "",
        "refund_is_partial": False,
    }
    if kind == "refunded":
        amount = refunded if refunded is not None else _refunded_in_all(order)
        context["refunded"] = str(amount)
        context["refund_is_partial"] = refunded is not None and amount.amount < order.total_amount
    subject = SUBJECTS[kind].format(number=order.number)
    context["subject"] = subject
    html = render_to_string(f"emails/order_{kind}.html", context)
    text = render_to_string(f"emails/order_{kind}.txt", context)
    # Template tags leave blank lines behind; a plain-text email reads best with single blank lines between parts.
    text = re.sub(r"\n[ \t]*(\n[ \t]*)+\n", "\n\n", text).strip() + "\n"
    return {"subject": subject, "to": [order.email], "text": text, "html": html}


def queue_order_email(order_id: int, kind: str, *, refunded: Money | None = None) -> None:
    """Send the `kind` email for the order once the current transaction commits; never if it rolls back.

    Call it inside the transaction that made the change. The email is rendered at commit, from the order as saved;
    a failure to render or queue it is logged and does not undo the committed change (robust)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown order email {kind!r}; one of: {', '.join(KINDS)}")

    def send() -> None:
        order = Order.objects.prefetch_related("lines").get(pk=order_id)
        email_queue(**order_email(order, kind, refunded=refunded))

    transaction.on_commit(send, robust=True)
