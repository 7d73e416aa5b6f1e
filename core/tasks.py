from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600, max_retries=None)
def send_email(self, *, subject: str, to: list[str], text: str, html: str | None = None) -> int:
    """Send one email; while the mail server is down the task retries with back-off, so nothing is lost."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@shared_task
def deliver_email(email_id: int) -> bool:
    from .outbox import email_deliver

    return email_deliver(email_id=email_id)


@shared_task
def deliver_pending_emails(now=None) -> int:
    """Beat: send what the outbox still holds (the mail server was down, or the broker lost the first task)."""
    from .outbox import email_deliver, emails_due

    return sum(email_deliver(email_id=pk, now=now) for pk in emails_due(now=now))
