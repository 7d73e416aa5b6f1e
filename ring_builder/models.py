"""A ring design kept beyond the session: saved to the shopper's account when signed in, and behind a share link
(/ring-builder/b/<token>/) that rebuilds it for anyone. The parts are foreign keys, so a stone sold since still
shows, as sold; a part deleted from the catalog leaves its slot empty."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from catalog.grades import Metal

from .engraving import MAX_LENGTH as ENGRAVING_MAX_LENGTH

TOKEN_BYTES = 12  # 16 URL-safe characters: unguessable, short enough to read out on the phone


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class SavedBuild(models.Model):
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="ring_builds"
    )
    setting = models.ForeignKey(
        "catalog.RingSetting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    metal = models.CharField(max_length=12, choices=Metal, blank=True)
    diamond = models.ForeignKey("catalog.Diamond", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    gemstone = models.ForeignKey("catalog.Gemstone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ring_size = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    engraving = models.CharField(max_length=ENGRAVING_MAX_LENGTH, blank=True)
    first_choice = models.CharField(
        max_length=8, blank=True, help_text='What the shopper chose first: "setting" or "stone".'
    )
    added_to_bag_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(diamond__isnull=True) | Q(gemstone__isnull=True), name="saved_build_one_centre_stone"
            ),
            models.CheckConstraint(
                condition=Q(ring_size__isnull=True) | Q(ring_size__gte=3, ring_size__lte=9),
                name="saved_build_ring_size_3_9",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="saved_build_owner")]

    def __str__(self):
        parts = [str(p) for p in (self.setting, self.stone) if p is not None]
        return " with ".join(parts) or f"Empty design {self.token}"

    def get_absolute_url(self):
        return reverse("ring_builder:shared", args=[self.token])

    @property
    def stone(self):
        return self.diamond or self.gemstone


class Holiday(models.Model):
    """A day the workshop and carriers are closed: "delivered by" dates skip it like a weekend (delivery.py).
    Staff edit them in the admin; the US federal holidays are seeded after migrate (apps.py)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.name} ({self.date:%Y-%m-%d})"
