"""A real Celery worker, on the real Redis broker, runs a task end to end."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from jewelry_site.celery import app


@pytest.fixture
def redis_worker(settings):
    app.conf.update(
        broker_url=settings.REDIS_URL,
        result_backend=settings.REDIS_URL,
        task_always_eager=False,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(task_always_eager=True)


@pytest.mark.redis
def test_worker_sends_an_email_queued_through_redis(redis_worker):
    from core.tasks import send_email

    result = send_email.delay(subject="Your ring is on its way", to=["jen@example.com"], text="Tracking: 1Z999")
    assert result.get(timeout=20) == 1  # one message sent, by the worker thread
    assert result.status == "SUCCESS"
    assert [m.subject for m in mail.outbox] == ["Your ring is on its way"]
    assert mail.outbox[0].to == ["jen@example.com"]


def test_send_email_attaches_html(settings):
    from core.tasks import send_email

    send_email.delay(subject="Hello", to=["a@example.com"], text="plain", html="<p>rich</p>")
    assert mail.outbox[-1].alternatives[0][1] == "text/html"
