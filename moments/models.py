"""Engagement moments: a couple's story and photos, tied to a real order, published once Marketing approves it."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone

CONSENT_TEXT = "By sending us your engagement moment, you authorize the use of your photos and story in any media."


def _token() -> str:
    return secrets.token_urlsafe(12)


class Moment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Published"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn (consent withdrawn)"

    order = models.ForeignKey("checkout.Order", on_delete=models.PROTECT, related_name="moments", null=True, blank=True)
    first_name_1 = models.CharField(max_length=60)
    last_name_1 = models.CharField(max_length=60, help_text="Never shown publicly: only its initial.")
    first_name_2 = models.CharField(max_length=60)
    last_name_2 = models.CharField(max_length=60, help_text="Never shown publicly: only its initial.")
    email_1 = models.EmailField()
    email_2 = models.EmailField(blank=True)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=60, blank=True, help_text="State or province.")
    city = models.CharField(max_length=80)
    story = models.TextField()
    instagram_1 = models.CharField(max_length=30, blank=True)
    instagram_2 = models.CharField(max_length=30, blank=True)
    consent_text = models.TextField()
    consent_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(blank=True, help_text="Sent to the couple, kindly, when rejecting.")
    cover = models.ForeignKey("MomentPhoto", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    month_of = models.DateField(
        null=True, blank=True, unique=True, help_text="Moment of the month: the first day of that month (one a month)."
    )
    created = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-created"]
        indexes = [
            models.Index(fields=["status", "country", "region", "city"], name="moment_gallery_filters"),
            models.Index(fields=["status", "-approved_at"], name="moment_gallery_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month_of__isnull=True) | models.Q(month_of__day=1), name="moment_month_first_day"
            )
        ]

    def __str__(self):
        return self.public_names

    def get_absolute_url(self):
        return reverse("moments:detail", args=[self.pk])

    @property
    def public_names(self) -> str:
        """First names and last initials only ("Marc J. & Jennifer L."): last names are never shown publicly."""

        def one(first: str, last: str) -> str:
            return f"{first.strip().title()} {last.strip()[:1].upper()}." if last.strip() else first.strip().title()

        return f"{one(self.first_name_1, self.last_name_1)} & {one(self.first_name_2, self.last_name_2)}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED


def _private_storage():
    from django.core.files.storage import storages

    return storages["moments"]


class MomentPhoto(models.Model):
    """One photo: the upload is kept (privately) only until the Celery task has made the page sizes from it."""

    class State(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be processed"

    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="photos")
    token = models.CharField(max_length=24, unique=True, default=_token, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PROCESSING)
    upload = models.FileField(storage=_private_storage, blank=True, upload_to="uploads/")
    large_webp = models.FileField(storage=_private_storage, blank=True, upload_to="photos/")
    large_jpg = models.FileField(storage=_private_storage, blank=True, upload_to="photos/")
    thumb_webp = models.FileField(storage=_private_storage, blank=True, upload_to="photos/")
    thumb_jpg = models.FileField(storage=_private_storage, blank=True, upload_to="photos/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"Photo {self.position + 1} of {self.moment_id}"

    def url(self, variant: str) -> str:
        return reverse("moments:photo", args=[self.token, variant])
