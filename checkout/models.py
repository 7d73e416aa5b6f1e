from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper


class Currency(models.Model):
    """A currency the shop sells in, with its rate per US dollar (prices are stored in USD)."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=40)
    symbol = models.CharField(max_length=5)
    rate_per_usd = models.DecimalField(max_digits=14, decimal_places=6)
    minor_units = models.PositiveSmallIntegerField(default=2, help_text="Digits after the decimal point.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the currency selector.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "currencies"
        constraints = [
            models.CheckConstraint(condition=models.Q(rate_per_usd__gt=Decimal(0)), name="currency_rate_positive"),
        ]

    def __str__(self):
        return f"{self.code} ({self.symbol})"


class TaxRate(models.Model):
    """One tax or duty line a destination charges, as an estimate shown before checkout.

    A country with regions (US states, Canadian provinces) has one row per region; a blank region covers the whole
    country and applies everywhere in it (Canada's GST, the EU's duty). A threshold means the line applies only when
    the order is over it (EU duty over €150, UK duty over £135); it is compared in its own currency after converting
    the order, so editing a threshold never needs a rate table. Australia's low-value rule (GST collected by the
    seller only up to A$1,000, above it at the border) still ends in 10% either way, so it is one plain GST row."""

    class Kind(models.TextChoices):
        SALES_TAX = "sales_tax", "Sales tax"
        GST = "gst", "GST"
        HST = "hst", "HST"
        PST = "pst", "PST"
        QST = "qst", "QST"
        VAT = "vat", "VAT"
        DUTY = "duty", "Import duty"

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. US, DE.")
    region = models.CharField(
        max_length=3, blank=True, help_text="State or province code (e.g. NY, ON); blank = the whole country."
    )
    name = models.CharField(max_length=60, help_text="Shown to shoppers, e.g. 'VAT', 'HST', 'Import duty'.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rate = models.DecimalField(max_digits=6, decimal_places=3, help_text="Percent, e.g. 8.875.")
    threshold_amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Applies only to orders over this amount (in the threshold currency). Blank = always.",
    )
    threshold_currency = models.CharField(max_length=3, blank=True)
    applies_to_shipping = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["country", "region", "kind", "name"]
        indexes = [models.Index(fields=["country", "region"], name="taxrate_country_region")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=Decimal(0), rate__lte=Decimal(100)), name="taxrate_rate_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(threshold_amount__isnull=True)
                | models.Q(threshold_amount__gte=Decimal(0), threshold_currency__regex=r"^[A-Z]{3}$"),
                name="taxrate_threshold_has_currency",
            ),
            models.UniqueConstraint(fields=["country", "region", "kind", "name"], name="taxrate_unique_line"),
        ]

    def __str__(self):
        where = f"{self.country}-{self.region}" if self.region else self.country
        return f"{where}: {self.name} {self.rate.normalize():f}%"


class Promotion(models.Model):
    """An offer: automatic when it has no code, otherwise applied when the shopper enters the code."""

    class Kind(models.TextChoices):
        PERCENT_CATEGORY = "percent_category", "Percentage off a category"
        BUNDLE_TRUE_HEARTS = "bundle_true_hearts", "Setting discount with a True Hearts diamond"

    class Category(models.TextChoices):
        RING_SETTINGS = "ring_settings", "Ring settings"
        LOOSE_DIAMONDS = "loose_diamonds", "Loose diamonds"
        GEMSTONES = "gemstones", "Gemstones"
        JEWELRY = "jewelry", "Jewelry"
        COMPLETE_RINGS = "complete_rings", "Complete rings"

    name = models.CharField(max_length=120)
    code = models.CharField(
        max_length=40, blank=True, help_text="Blank = applied automatically. Codes are matched case-insensitively."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.RING_SETTINGS)
    exclude_designer_collections = models.BooleanField(default=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    minimum_spend_usd = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    exclusive = models.BooleanField(default=False, help_text="Cannot be combined with any other offer.")
    one_use_per_customer = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-starts_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gt=Decimal(0), percent__lte=Decimal(100)), name="promotion_percent_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="promotion_ends_after_starts"
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_spend_usd__gte=Decimal(0)), name="promotion_min_spend_positive"
            ),
            models.UniqueConstraint(Upper("code"), condition=~models.Q(code=""), name="promotion_unique_code"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name


class PromotionRedemption(models.Model):
    """A promotion used by a customer on an order; the unique (promotion, email) is what makes 'one use each'."""

    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(help_text="Stored lower-cased.")
    order_reference = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["promotion", "email"], name="promotion_redemption_once_per_email"),
        ]

    def __str__(self):
        return f"{self.promotion} — {self.email}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
