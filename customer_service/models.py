"""Customer service: requests with due dates (messages, diamond inspections, returns), the guarantee, policy and
education pages staff edit, the FAQ, the newsletter with its consent records, and product shares."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Reference numbers and RMA numbers: no 0/O or 1/I, so they read out well on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _token() -> str:
    return secrets.token_urlsafe(24)


def random_code(prefix: str, length: int = 6) -> str:
    return prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))


# --- Pages and FAQ -------------------------------------------------------------------------------------------------
class Page(models.Model):
    """A guarantee, policy or education page: flatpages in all but name, written in Markdown by staff."""

    class Section(models.TextChoices):
        GUARANTEE = "guarantee", "Our guarantee"
        EDUCATION = "education", "Education"

    slug = models.SlugField(max_length=60, unique=True)
    section = models.CharField(max_length=10, choices=Section.choices, default=Section.GUARANTEE)
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=200, help_text="One sentence for index cards and search engines.")
    body = models.TextField(help_text="Markdown: ## headings, lists, **bold**, [links](/loose-diamonds/), tables.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within its section.")
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["section", "position", "title"]
        indexes = [models.Index(fields=["section", "published", "position"], name="page_section_order")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.section == self.Section.EDUCATION:
            return reverse("customer_service:education_page", args=[self.slug])
        return reverse("customer_service:guarantee_page", args=[self.slug])


class FaqEntry(models.Model):
    category = models.CharField(max_length=60)
    question = models.CharField(max_length=200, unique=True)
    answer = models.TextField(help_text="Markdown.")
    position = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question


# --- Requests ------------------------------------------------------------------------------------------------------
class Ticket(models.Model):
    """One request to customer service, due within two business days (due_dates.py). The shopper follows it through
    a private link (its token); staff answer it from the admin inbox and every reply is kept on it."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        INSPECTION = "inspection", "Diamond inspection"
        RETURN = "return", "Return"

    class Status(models.TextChoices):
        NEW = "new", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.NEW,)

    reference = models.CharField(max_length=12, unique=True, editable=False)
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    name = models.CharField(max_length=100)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    message = models.TextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    received_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(help_text="Answer by then: two business days, the shop's time zone.")
    answered_at = models.DateTimeField(null=True, blank=True, help_text="The latest answer.")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="ticket_inbox"),
            models.Index(fields=["email", "received_at"], name="ticket_sender_recent"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.name}"

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = random_code("CS-")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("customer_service:ticket", args=[self.token])

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_at < timezone.now()


class TicketMessage(models.Model):
    """The conversation on a ticket: the shopper's messages and staff replies (each emailed to the shopper)."""

    class Author(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        STAFF = "staff", "Customer service"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=8, choices=Author.choices)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    email = models.ForeignKey("core.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_author_display()} on {self.ticket.reference}"


class InspectionRequest(models.Model):
    """A real-time inspection: an expert shows the shopper the diamond over a screen share, at a confirmed time."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="inspection")
    diamond = models.ForeignKey("catalog.Diamond", on_delete=models.PROTECT, related_name="inspection_requests")
    time_zone = models.CharField(max_length=60, help_text="The shopper's time zone (IANA name).")
    preferred_times = models.JSONField(default=list, help_text="Up to three times the shopper proposed (UTC, ISO).")
    confirmed_start = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    meeting_url = models.URLField(blank=True, help_text="The screen-share link sent to the shopper.")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField(default=0, help_text="Raised on each reschedule (iCalendar).")

    class Meta:
        ordering = ["-ticket__received_at"]

    def __str__(self):
        return f"Inspection of {self.diamond.sku} ({self.ticket.reference})"


class ReturnRequest(models.Model):
    """A return of some lines of an order, with its RMA number; it is also a ticket in the inbox."""

    class Reason(models.TextChoices):
        CHANGED_MIND = "changed_mind", "I changed my mind"
        NOT_AS_EXPECTED = "not_as_expected", "Not as I expected"
        SIZE = "size", "Wrong size"
        DAMAGED = "damaged", "Arrived damaged"
        OTHER = "other", "Another reason"

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="return_request")
    order = models.ForeignKey("checkout.Order", on_delete=models.PROTECT, related_name="return_requests")
    lines = models.ManyToManyField("checkout.OrderLine", related_name="return_requests")
    rma_number = models.CharField(max_length=12, unique=True, editable=False)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    received_back_at = models.DateTimeField(null=True, blank=True, help_text="When the parcel came back.")

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return self.rma_number

    def save(self, *args, **kwargs):
        if not self.rma_number:
            self.rma_number = random_code("RMA-")
        super().save(*args, **kwargs)


# --- Newsletter ----------------------------------------------------------------------------------------------------
class Subscriber(models.Model):
    """An address on the newsletter: confirmed only by clicking the emailed link (double opt-in)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(unique=True, help_text="Stored lower-case.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="subscriber_status")]

    def __str__(self):
        return self.email


class ConsentRecord(models.Model):
    """Proof of consent: what the person agreed to, when, and from where; kept after an unsubscribe."""

    class Action(models.TextChoices):
        REQUESTED = "requested", "Signed up (confirmation sent)"
        CONFIRMED = "confirmed", "Confirmed by email link"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=12, choices=Action.choices)
    consent_text = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.subscriber} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class Mailing(models.Model):
    """A newsletter issue written by Marketing and sent to every confirmed subscriber, each with its own unsubscribe
    link."""

    subject = models.CharField(max_length=150)
    body = models.TextField(help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


# --- Product shares ------------------------------------------------------------------------------------------------
class ProductShare(models.Model):
    """ "Send to a friend" and "drop a hint": a fixed email about one product, to a few recipients. Kept to enforce
    the limits and to show staff what was sent."""

    class Kind(models.TextChoices):
        FRIEND = "friend", "Send to a friend"
        HINT = "hint", "Drop a hint"

    kind = models.CharField(max_length=6, choices=Kind.choices)
    item_type = models.CharField(max_length=10)
    item_ref = models.CharField(max_length=80)
    sender_name = models.CharField(max_length=60)
    sender_email = models.EmailField()
    recipients = models.JSONField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["sender_email", "created_at"], name="share_sender_recent"),
            # The per-recipient limit reads the last day's shares.
            models.Index(fields=["created_at"], name="share_recent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.item_type} {self.item_ref}"
