"""The newsletter: sign up (double opt-in: nothing is sent to an address until its owner clicks the emailed link),
confirm, unsubscribe, and mailings to every confirmed subscriber.

Every state change leaves a ConsentRecord (what the person agreed to, when, from which address), which stays after
an unsubscribe: it is the shop's proof of consent. Every mailing goes through `newsletter_email()`, which adds the
unsubscribe link to both parts and the RFC 8058 one-click headers, so no mailing can go out without them."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from checkout.emails import site_url
from core.models import OutboundEmail

from . import emails
from .content import render_markdown
from .models import ConsentRecord, Mailing, Subscriber

CONSENT_TEXT = (
    "Sign up for exclusive offers, new arrivals and jewelry inspiration. By subscribing you agree to receive "
    "marketing emails from Solitaire; you can unsubscribe at any time with the link in every email."
)
# One confirmation email per address per interval: the form must not become a way to flood someone's inbox.
CONFIRMATION_INTERVAL = timedelta(minutes=10)
USER_AGENT_MAX = ConsentRecord._meta.get_field("user_agent").max_length


def normalise_email(email: str) -> str:
    return email.strip().lower()


def confirm_url(subscriber: Subscriber) -> str:
    return site_url() + reverse("customer_service:newsletter_confirm", args=[subscriber.token])


def unsubscribe_url(subscriber: Subscriber) -> str:
    return site_url() + reverse("customer_service:newsletter_unsubscribe", args=[subscriber.token])


def _consent(subscriber: Subscriber, action: str, *, ip, user_agent: str, now) -> ConsentRecord:
    return ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        consent_text=CONSENT_TEXT,
        ip_address=ip or None,
        user_agent=(user_agent or "")[:USER_AGENT_MAX],
        created_at=now,
    )


def subscriber_request(*, email: str, ip: str | None = None, user_agent: str = "", now=None) -> Subscriber:
    """A sign-up from the form. The answer the visitor sees is the same whatever happens here, so the form never
    tells who is subscribed: a confirmed address is left alone, and a pending one is sent at most one confirmation
    email per CONFIRMATION_INTERVAL."""
    now = now or timezone.now()
    email = normalise_email(email)
    with transaction.atomic():
        Subscriber.objects.get_or_create(email=email, defaults={"created_at": now})
        # Locked so two quick submissions cannot both pass the interval check and send two emails.
        subscriber = Subscriber.objects.select_for_update().get(email=email)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return subscriber
        sent = subscriber.confirmation_sent_at
        if sent and sent > now - CONFIRMATION_INTERVAL:
            return subscriber
        subscriber.status = Subscriber.Status.PENDING
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["status", "confirmation_sent_at"])
        _consent(subscriber, ConsentRecord.Action.REQUESTED, ip=ip, user_agent=user_agent, now=now)
        emails.queue(
            "newsletter_confirm",
            subject="Please confirm your subscription to Solitaire",
            to=[subscriber.email],
            context={"button_url": confirm_url(subscriber), "button_label": "Confirm my subscription"},
        )
    return subscriber


def subscriber_confirm(*, subscriber: Subscriber, ip: str | None = None, user_agent: str = "", now=None) -> bool:
    """The owner of the address clicked the link and pressed the button: subscribed. True when this call confirmed
    it; False when it already was, or when the address unsubscribed since (an old link does not re-subscribe)."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status != Subscriber.Status.PENDING:
            return False
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        _consent(subscriber, ConsentRecord.Action.CONFIRMED, ip=ip, user_agent=user_agent, now=now)
    return True


def subscriber_unsubscribe(*, subscriber: Subscriber, ip: str | None = None, user_agent: str = "", now=None) -> bool:
    """Off the list at once, from the link or a mail client's one-click button. True when this call unsubscribed."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return False
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = now
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        _consent(subscriber, ConsentRecord.Action.UNSUBSCRIBED, ip=ip, user_agent=user_agent, now=now)
    return True


def newsletter_email(subscriber: Subscriber, *, subject: str, text: str, html: str) -> OutboundEmail:
    """The one way a marketing email leaves the shop: `text` and `html` are the issue's content, wrapped here in the
    newsletter templates, whose footers carry this subscriber's unsubscribe link, with the List-Unsubscribe headers
    that let mail clients show their own unsubscribe button (RFC 2369, one-click per RFC 8058)."""
    url = unsubscribe_url(subscriber)
    return emails.queue(
        "newsletter_mailing",
        subject=subject,
        to=[subscriber.email],
        context={"body_text": text, "body_html": mark_safe(html), "unsubscribe_url": url},  # noqa: S308 - cleaned
        headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def mailing_send(*, mailing_id: int, now=None) -> int:
    """Send a mailing to every confirmed subscriber, once: the row lock and sent_at make a second call (a double
    click, a retried task) send nothing. One transaction: if it fails half-way nothing is queued, and a retry sends
    to everyone. Returns how many emails were queued by this call."""
    now = now or timezone.now()
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing_id)
        if mailing.sent_at:
            return 0
        html = render_markdown(mailing.body)  # nh3-cleaned: safe to mark safe in the template
        count = 0
        for subscriber in Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).order_by("pk").iterator():
            newsletter_email(subscriber, subject=mailing.subject, text=mailing.body, html=html)
            count += 1
        mailing.sent_at, mailing.recipients = now, count
        mailing.save(update_fields=["sent_at", "recipients"])
    return count


def mailing_queue(*, mailing: Mailing) -> None:
    """Hand the sending to a Celery worker once the caller's transaction commits (a big list takes a while)."""
    from .tasks import send_mailing

    transaction.on_commit(lambda: send_mailing.delay(mailing.pk))
