"""Queue an email and deliver it exactly once, however often delivery is asked for.

    email_queue(subject=..., to=[...], text=..., html=..., ics=...)   # inside the caller's transaction

The row is written with the caller's data; after commit a Celery task delivers it. If the broker is down the row
simply waits for the beat task; if the mail server is down, delivery records the error and tries again later with
back-off. A row is claimed with one conditional UPDATE before sending, so two workers never send the same row."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail

log = logging.getLogger(__name__)

# Back-off after a failed attempt: 1, 2, 4 … minutes, at most an hour between attempts; it never gives up.
MAX_BACKOFF = timedelta(hours=1)
# A row claimed longer ago than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)


def email_queue(
    *, subject: str, to: list[str], text: str, html: str = "", headers: dict | None = None, ics: str = ""
) -> OutboundEmail:
    email = OutboundEmail.objects.create(
        subject=subject, to=list(to), text=text, html=html, headers=headers or {}, ics=ics
    )
    transaction.on_commit(lambda: _dispatch(email.pk))
    return email


def _dispatch(email_id: int) -> None:
    from .tasks import deliver_email

    try:
        deliver_email.delay(email_id)
    except Exception:  # the broker is down: the row waits for deliver_pending_emails
        log.warning("Email %s queued in the outbox only: the task broker did not answer", email_id, exc_info=True)


def _claim(email_id: int, now) -> bool:
    waiting = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING)
    stale = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = waiting.update(status=OutboundEmail.Status.SENDING, claimed_at=now)
    return bool(claimed or stale.update(claimed_at=now))


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=email.to, headers=email.headers)
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.ics:
        # METHOD:REQUEST in the content type lets mail clients show the invitation with accept/decline buttons.
        message.attach("invite.ics", email.ics, 'text/calendar; charset="utf-8"; method=REQUEST')
    return message


def email_deliver(*, email_id: int, now=None) -> bool:
    """Send one queued email if nobody has; True when this call sent it."""
    now = now or timezone.now()
    if not _claim(email_id, now):
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _message(email).send()
    except Exception as exc:  # SMTP refused, connection refused, timeout: keep the row and try again later
        attempts = email.attempts + 1
        backoff = min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)
        OutboundEmail.objects.filter(pk=email_id).update(
            status=OutboundEmail.Status.PENDING,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:300],
            next_attempt_at=now + backoff,
            claimed_at=None,
        )
        log.warning("Email %s not sent (attempt %s), next try in %s: %s", email_id, attempts, backoff, exc)
        return False
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT, attempts=email.attempts + 1, sent_at=timezone.now(), last_error=""
    )
    return True


def emails_due(*, now=None) -> list[int]:
    now = now or timezone.now()
    waiting = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now)
    stale = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return list((waiting | stale).order_by("next_attempt_at").values_list("pk", flat=True)[:500])
