from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Round, Upper
from django.urls import reverse
from django.utils import timezone

from .money import Money


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


# --- Orders ----------------------------------------------------------------------------------------------------------
def _amount_field(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


def _sum_to_cents(expression):
    # SQLite keeps decimals as floats, where 0.1 + 0.2 != 0.3; rounding both sides to cents makes the check exact
    # there, and it is a no-op on PostgreSQL's numeric.
    return Round(expression, 2)


class Order(models.Model):
    """A placed order: what was bought, at which prices, in which currency and at which rate, and where it goes.

    Amounts are in the order's currency (the shopper pays what was shown), each rounded to cents; the database refuses
    a total that does not add up. Status moves only through `checkout.orders.order_transition`."""

    class Status(models.TextChoices):
        PLACED = "placed", "Placed"
        PAID = "paid", "Paid"
        IN_PRODUCTION = "in_production", "In production"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    number = models.CharField(max_length=12, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        help_text="Blank for a guest checkout.",
    )
    email = models.EmailField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLACED)
    currency = models.CharField(max_length=3)
    rate_per_usd = models.DecimalField(
        max_digits=14, decimal_places=6, help_text="The rate per US dollar this order was priced at."
    )
    subtotal_amount = _amount_field()
    discount_amount = _amount_field(default=Decimal(0))
    tax_amount = _amount_field(default=Decimal(0))
    shipping_amount = _amount_field(default=Decimal(0), help_text="0: shipping is free and insured.")
    total_amount = _amount_field()

    shipping_name = models.CharField(max_length=120)
    shipping_line1 = models.CharField(max_length=200)
    shipping_line2 = models.CharField(max_length=200, blank=True)
    shipping_city = models.CharField(max_length=100)
    shipping_region = models.CharField(max_length=100, blank=True)
    shipping_postal_code = models.CharField(max_length=20, blank=True)
    shipping_country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. US, GB.")
    shipping_phone = models.CharField(max_length=40, blank=True)

    billing_same_as_shipping = models.BooleanField(default=True)
    billing_name = models.CharField(max_length=120, blank=True)
    billing_line1 = models.CharField(max_length=200, blank=True)
    billing_line2 = models.CharField(max_length=200, blank=True)
    billing_city = models.CharField(max_length=100, blank=True)
    billing_region = models.CharField(max_length=100, blank=True)
    billing_postal_code = models.CharField(max_length=20, blank=True)
    billing_country = models.CharField(max_length=2, blank=True)
    billing_phone = models.CharField(max_length=40, blank=True)

    payment_label = models.CharField(max_length=60, blank=True, help_text="The card as the shopper saw it.")
    # The checkout's one-time token: a second submit of the same review page finds this order instead of placing
    # another. The stone holder is the checkout whose reservations the order's stones are under until it is paid.
    checkout_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    stone_holder = models.CharField(max_length=64, blank=True, editable=False)
    promotion_ids = models.JSONField(default=list, blank=True, editable=False, help_text="Offers applied.")

    tracking_number = models.CharField(max_length=60, blank=True)
    delivered_by = models.DateField(null=True, blank=True, help_text="The delivery date promised to the shopper.")
    placed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [
            models.Index(fields=["user", "placed_at"], name="order_user_placed"),
            models.Index(fields=["status"], name="order_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    subtotal_amount__gte=Decimal(0),
                    discount_amount__gte=Decimal(0),
                    tax_amount__gte=Decimal(0),
                    shipping_amount__gte=Decimal(0),
                    total_amount__gte=Decimal(0),
                ),
                name="order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    total_amount=_sum_to_cents(
                        models.F("subtotal_amount")
                        - models.F("discount_amount")
                        + models.F("tax_amount")
                        + models.F("shipping_amount")
                    )
                ),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="order_currency_code"),
            models.CheckConstraint(condition=models.Q(rate_per_usd__gt=Decimal(0)), name="order_rate_positive"),
            models.CheckConstraint(
                condition=models.Q(shipping_country__regex=r"^[A-Z]{2}$"), name="order_shipping_country_code"
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self.number:
            from .orders import order_number  # the rules live in orders.py, which imports this module

            self.number = order_number()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("checkout:order", args=[self.number])

    @property
    def subtotal(self) -> Money:
        return Money(self.subtotal_amount, self.currency)

    @property
    def discount(self) -> Money:
        return Money(self.discount_amount, self.currency)

    @property
    def tax(self) -> Money:
        return Money(self.tax_amount, self.currency)

    @property
    def shipping(self) -> Money:
        return Money(self.shipping_amount, self.currency)

    @property
    def total(self) -> Money:
        return Money(self.total_amount, self.currency)


class OrderLine(models.Model):
    """One line of an order as the shopper bought it, frozen: the receipt never changes when the catalog does."""

    class Kind(models.TextChoices):
        # The bag's line kinds (checkout.bag.LINE_KINDS).
        DIAMOND = "diamond", "Diamond"
        GEMSTONE = "gemstone", "Gemstone"
        SETTING = "setting", "Ring setting"
        JEWELRY = "jewelry", "Jewelry"
        RING = "ring", "Ring"
        EARRINGS = "earrings", "Earrings"
        PENDANT = "pendant", "Pendant"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(help_text="As printed on the receipt.")
    references = models.JSONField(default=dict, blank=True, help_text="SKUs, slug, metal, size, engraving.")
    unit_price_usd = _amount_field()
    unit_amount = _amount_field(help_text="In the order's currency.")
    quantity = models.PositiveSmallIntegerField(default=1, help_text="1 for a one-of-a-kind stone.")
    line_amount = _amount_field()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="orderline_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(unit_price_usd__gte=Decimal(0), unit_amount__gte=Decimal(0)),
                name="orderline_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(line_amount=_sum_to_cents(models.F("unit_amount") * models.F("quantity"))),
                name="orderline_amount_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.order} — {self.description[:60]}"

    @property
    def unit(self) -> Money:
        return Money(self.unit_amount, self.order.currency)

    @property
    def total(self) -> Money:
        return Money(self.line_amount, self.order.currency)


class OrderEvent(models.Model):
    """The order's log: every status move, payment outcome, refund and staff note, with who did it."""

    class Kind(models.TextChoices):
        STATUS_CHANGED = "status_changed", "Status changed"
        PAYMENT_SUCCEEDED = "payment_succeeded", "Payment succeeded"
        PAYMENT_FAILED = "payment_failed", "Payment failed"
        REFUND = "refund", "Refund"
        NOTE = "note", "Note"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    created = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(blank=True)
    from_status = models.CharField(max_length=16, choices=Order.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Order.Status.choices, blank=True)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["order", "created"], name="orderevent_order_created")]

    def __str__(self):
        return f"{self.order}: {self.get_kind_display()}"


class Payment(models.Model):
    """One payment attempt at a gateway: a charge, or a hold on the card (the split plan's balance).

    Amounts are integer minor units here because this is the gateway's language; `amount` gives them back as Money.
    The idempotency key is what makes a retried request never charge twice."""

    class Gateway(models.TextChoices):
        OFFLINE = "offline", "Offline (test mode)"
        STRIPE = "stripe", "Stripe"

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge"
        HOLD = "hold", "Hold"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        REQUIRES_ACTION = "requires_action", "Requires action"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(max_length=10, choices=Gateway.choices)
    gateway_id = models.CharField(max_length=255, blank=True, help_text="The gateway's id, e.g. a PaymentIntent.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHARGE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    refunded_minor = models.BigIntegerField(default=0)
    idempotency_key = models.CharField(max_length=255, unique=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "gateway_id"], condition=~models.Q(gateway_id=""), name="payment_unique_gateway_id"
            ),
            models.CheckConstraint(condition=models.Q(amount_minor__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(refunded_minor__gte=0, refunded_minor__lte=models.F("amount_minor")),
                name="payment_refund_within_amount",
            ),
            models.CheckConstraint(condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="payment_currency_code"),
        ]

    def __str__(self):
        return f"{self.get_gateway_display()} {self.get_kind_display().lower()} {self.gateway_id or self.pk}"

    @property
    def amount(self) -> Money:
        return Money.from_minor_units(self.amount_minor, self.currency)


class WebhookEvent(models.Model):
    """A gateway event id seen once: the unique constraint is what makes a redelivered webhook a no-op."""

    gateway = models.CharField(max_length=10, choices=Payment.Gateway.choices)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="webhookevent_unique_per_gateway"),
        ]

    def __str__(self):
        return f"{self.gateway} {self.event_id}"


class SavedBag(models.Model):
    """A signed-in shopper's bag, kept with the account so it follows them to another device (merged at sign-in).
    The lines are the session bag's lines: choices only, never prices."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_bag")
    lines = models.JSONField(default=list, blank=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Bag of {self.user}"


class InstallmentPlan(models.Model):
    """An order paid in 3 monthly instalments at 0% interest: the first charged at checkout, the rest held on the
    saved card (one manual-capture hold, replaced as it shrinks or before it lapses). Rules in installments.py,
    steps in plans.py."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        IN_GRACE = "in_grace", "In grace (payment failed)"
        DEFAULTED = "defaulted", "Defaulted"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="plan")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    currency = models.CharField(max_length=3)
    total_minor = models.BigIntegerField()
    gateway = models.CharField(max_length=10, choices=Payment.Gateway.choices)
    customer = models.CharField(max_length=255, blank=True)
    payment_method = models.CharField(max_length=255)
    card_label = models.CharField(max_length=60, blank=True)
    hold_id = models.CharField(max_length=255, blank=True, help_text="The gateway id of the hold now in place.")
    hold_minor = models.BigIntegerField(default=0)
    hold_placed_at = models.DateTimeField(null=True, blank=True)
    hold_sequence = models.PositiveIntegerField(default=0, help_text="Holds placed so far (their idempotency keys).")
    failed_at = models.DateTimeField(null=True, blank=True, help_text="When the grace period started.")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "hold_placed_at"], name="plan_status_hold")]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_minor__gte=3), name="plan_total_splits_in_three"),
            models.CheckConstraint(condition=models.Q(hold_minor__gte=0), name="plan_hold_not_negative"),
        ]

    def __str__(self):
        return f"Plan for {self.order.number}" if self.order_id else "Plan"

    @property
    def total(self) -> Money:
        return Money.from_minor_units(self.total_minor, self.currency)

    @property
    def held(self) -> Money:
        return Money.from_minor_units(self.hold_minor, self.currency)


class Installment(models.Model):
    """One of a plan's 3 payments. The unique (plan, number) and the row lock taken before any charge are what make a
    second charge of the same instalment impossible, whatever runs it (two workers, two beat schedulers, staff)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"

    plan = models.ForeignKey(InstallmentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount_minor = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set before the gateway is called and cleared when its answer is recorded: a worker killed in between leaves it,
    # and the next run asks the gateway about that key instead of charging again.
    charging_key = models.CharField(max_length=255, blank=True)
    gateway_id = models.CharField(max_length=255, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        indexes = [models.Index(fields=["status", "due_on"], name="instalment_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_unique_number"),
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self):
        return f"Instalment {self.number}"

    @property
    def amount(self) -> Money:
        return Money.from_minor_units(self.amount_minor, self.plan.currency)


class PlanEvent(models.Model):
    """What happened to a plan, in words the shopper and staff both read."""

    plan = models.ForeignKey(InstallmentPlan, on_delete=models.CASCADE, related_name="events")
    created = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20)
    message = models.TextField()

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.kind}: {self.message[:40]}"
