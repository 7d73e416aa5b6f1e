"""The email outbox: a message is stored even when the mail server is down and sent when it comes back; each email is
sent once, through a real Celery worker as well."""

import socket
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from core.models import OutboundEmail
from core.outbox import email_deliver, email_queue
from core.tasks import deliver_email, deliver_pending_emails
from customer_service.models import Ticket
from jewelry_site.celery import app

MESSAGE = {"name": "Jennifer Lawrence", "email": "jen@example.com", "message": "Is the 1.02 ct oval eye-clean?"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there yet
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    return settings


@pytest.mark.django_db
def test_a_message_is_stored_while_the_mail_server_is_down_and_sent_when_it_is_back(
    client, smtp_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact-us/", MESSAGE)
    assert response.status_code == 302, "the shopper is thanked though the mail server is down"
    ticket = Ticket.objects.get()
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING and email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now(), "retried later with back-off, not in a tight loop"
    assert deliver_pending_emails() == 0, "not due yet"

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    server.start()
    try:
        assert deliver_pending_emails(now=timezone.now() + timedelta(minutes=2)) == 1
        assert deliver_pending_emails(now=timezone.now() + timedelta(hours=2)) == 0, "sent once"
    finally:
        server.stop()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 2 and email.last_error == ""
    [received] = inbox.messages
    assert received.rcpt_tos == ["jen@example.com"]
    assert ticket.reference in received.content.decode()


@pytest.mark.django_db
def test_back_off_grows_and_stops_at_an_hour(smtp_settings):
    email = email_queue(subject="Hello", to=["a@example.com"], text="Hi")
    start = timezone.now()
    gaps = []
    for attempt in range(9):
        now = start + timedelta(days=attempt)
        assert email_deliver(email_id=email.pk, now=now) is False
        email.refresh_from_db()
        gaps.append(int((email.next_attempt_at - now).total_seconds() // 60))
    assert gaps == [1, 2, 4, 8, 16, 32, 60, 60, 60]


@pytest.mark.django_db
def test_two_deliveries_of_one_email_send_it_once(settings):
    email = email_queue(subject="Your request", to=["a@example.com"], text="We have it")
    assert email_deliver(email_id=email.pk) is True
    assert email_deliver(email_id=email.pk) is False
    assert deliver_pending_emails() == 0
    assert [m.subject for m in mail.outbox] == ["Your request"]


@pytest.mark.django_db
def test_an_email_claimed_by_a_worker_that_died_is_sent_by_the_next_run():
    email = email_queue(subject="Stuck", to=["a@example.com"], text="...")
    OutboundEmail.objects.filter(pk=email.pk).update(status="sending", claimed_at=timezone.now())
    assert deliver_pending_emails() == 0, "another worker may still be sending it"
    assert deliver_pending_emails(now=timezone.now() + timedelta(minutes=11)) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_invitation_is_attached_as_a_calendar_file():
    email = email_queue(
        subject="Invite", to=["a@example.com"], text="See you", ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    )
    email_deliver(email_id=email.pk)
    [(name, content, mimetype)] = mail.outbox[0].attachments
    assert name == "invite.ics" and "BEGIN:VCALENDAR" in content and mimetype.startswith("text/calendar")


@pytest.fixture
def redis_worker(settings):
    app.conf.update(broker_url=settings.REDIS_URL, result_backend=settings.REDIS_URL, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(task_always_eager=True)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_acknowledgement_once(client, redis_worker):
    response = client.post("/contact-us/", MESSAGE)  # committed: the worker thread reads it through its own connection
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    email = OutboundEmail.objects.get()
    deadline = time.monotonic() + 20
    while OutboundEmail.objects.get(pk=email.pk).status != OutboundEmail.Status.SENT:
        assert time.monotonic() < deadline, "the worker did not send the email"
        time.sleep(0.1)
    # Asked again through the broker (a retry, the beat task), it is not sent again.
    assert deliver_email.delay(email.pk).get(timeout=20) is False
    assert deliver_pending_emails.delay().get(timeout=20) == 0
    assert len(mail.outbox) == 1
    assert ticket.reference in mail.outbox[0].subject
