from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600, max_retries=None)
def send_email(self, *, subject: str, to: list[str], text: str, html: str | None = None) -> int:
    """Send one email; while the mail server is down the task retries with back-off, so nothing is lost."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
