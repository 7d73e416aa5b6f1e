"""The email outbox: every email the shop sends (orders, plans, accounts, moments, customer service) is a row first,
so a message is never lost when the mail server or the broker is down (RECIPES: `.delay()` can block without a
broker; a countdown past the visibility timeout is delivered again and again). `core.outbox` writes and delivers the
rows; a beat task retries the ones still waiting."""

from django.db import models
from django.utils import timezone


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=200)
    to = models.JSONField(help_text="Recipient addresses.")
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    ics = models.TextField(blank=True, help_text="A calendar invitation sent as invite.ics.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        verbose_name = "outbound email"

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
