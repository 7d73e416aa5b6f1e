"""Customer-service emails: each is `templates/emails/service/<name>.txt` and `.html` (the HTML extends
`emails/service_base.html`), rendered here and put in the outbox (core.outbox), so they survive a mail server that
is down. Dates are written in the shop's time zone, with the zone named."""

from __future__ import annotations

import re
from datetime import datetime

from django.template.loader import render_to_string

from checkout.emails import site_url
from core.models import OutboundEmail
from core.outbox import email_queue

from .due_dates import shop_zone, zone_name


def zone_label() -> str:
    """'New York time' for America/New_York: how a shopper recognises the shop's clock."""
    return zone_name(shop_zone().key)


def long_date(moment: datetime) -> str:
    local = moment.astimezone(shop_zone())
    return f"{local:%A, %B} {local.day}"


def render(name: str, context: dict) -> tuple[str, str]:
    context = {"site_url": site_url(), **context}
    text = render_to_string(f"emails/service/{name}.txt", context)
    # Template tags leave blank lines behind; plain text reads best with single blank lines between parts.
    text = re.sub(r"\n[ \t]*(\n[ \t]*)+\n", "\n\n", text).strip() + "\n"
    return text, render_to_string(f"emails/service/{name}.html", context)


def queue(name: str, *, subject: str, to: list[str], context: dict, headers=None, ics: str = "") -> OutboundEmail:
    text, html = render(name, {"subject": subject, **context})
    return email_queue(subject=subject, to=to, text=text, html=html, headers=headers, ics=ics)
