"""Customer service's background work: a newsletter mailing to every confirmed subscriber."""

from celery import shared_task


@shared_task
def send_mailing(mailing_id: int) -> int:
    from .newsletter import mailing_send

    return mailing_send(mailing_id=mailing_id)
