"""The catalog: one-of-a-kind loose stones (diamonds, gemstones), ring settings with metal variants, and fine
jewelry. Prices are stored in USD (Decimal); grades are ordered integers (grades.py)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Coalesce, Round
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .grades import (
    Clarity,
    Color,
    Cut,
    FancyHue,
    FancyIntensity,
    Finish,
    Fluorescence,
    GemKind,
    Lab,
    Metal,
    Origin,
    Shape,
    StoneStatus,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
MM = {"max_digits": 5, "decimal_places": 2}


class StoneQuerySet(models.QuerySet):
    def for_sale(self):
        """Stones a shopper may find in search: available, or reserved in someone's checkout."""
        return self.exclude(status=StoneStatus.SOLD)

    def available(self):
        return self.filter(status=StoneStatus.AVAILABLE)


class Stone(models.Model):
    """What every one-of-a-kind loose stone has."""

    sku = models.CharField("SKU", max_length=24, unique=True)
    shape = models.CharField(max_length=10, choices=Shape)
    carat = models.DecimalField(max_digits=5, decimal_places=2)
    length_mm = models.DecimalField("length (mm)", **MM, null=True, blank=True)
    width_mm = models.DecimalField("width (mm)", **MM, null=True, blank=True)
    depth_mm = models.DecimalField("depth (mm)", **MM, null=True, blank=True)
    price = models.DecimalField("price (USD)", **MONEY)
    sale_price = models.DecimalField("sale price (USD)", **MONEY, null=True, blank=True)
    # What the shopper pays: the sale price when there is one. Stored so price filters and sorts use an index.
    current_price = models.GeneratedField(
        expression=Coalesce("sale_price", "price"), output_field=models.DecimalField(**MONEY), db_persist=True
    )
    status = models.CharField(max_length=10, choices=StoneStatus, default=StoneStatus.AVAILABLE)
    reserved_until = models.DateTimeField(null=True, blank=True)
    # Whose checkout holds the reservation (an opaque token): only that checkout may turn it into a sale.
    reserved_by = models.CharField(max_length=64, blank=True, default="")
    arrival_date = models.DateField(default=timezone.localdate)
    image = models.ImageField(upload_to="stones/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoneQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_sold(self) -> bool:
        return self.status == StoneStatus.SOLD

    @property
    def is_reserved(self) -> bool:
        return self.status == StoneStatus.RESERVED and (
            self.reserved_until is None or self.reserved_until > timezone.now()
        )

    @property
    def on_sale(self) -> bool:
        return self.sale_price is not None and self.sale_price < self.price

    @property
    def measurements(self) -> str:
        parts = [self.length_mm, self.width_mm, self.depth_mm]
        return " × ".join(f"{p:.2f}" for p in parts if p is not None) + " mm" if all(parts) else ""


def _stone_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(condition=Q(carat__gt=0), name=f"{prefix}_carat_positive"),
        models.CheckConstraint(condition=Q(price__gte=0), name=f"{prefix}_price_not_negative"),
        models.CheckConstraint(
            condition=Q(sale_price__isnull=True) | Q(sale_price__gte=0, sale_price__lte=F("price")),
            name=f"{prefix}_sale_price_within_price",
        ),
        models.CheckConstraint(
            condition=~Q(status=StoneStatus.RESERVED) | Q(reserved_until__isnull=False),
            name=f"{prefix}_reservation_has_expiry",
        ),
    ]


SEARCH_COLUMNS = [
    "id", "origin", "fancy_hue", "status", "shape", "cut", "color", "clarity", "polish", "symmetry", "fluorescence",
    "lab", "current_price",
]  # fmt: skip


class Diamond(Stone):
    cut = models.PositiveSmallIntegerField(choices=Cut)
    color = models.PositiveSmallIntegerField(
        "colour", choices=Color, null=True, blank=True, help_text="Empty for fancy colour diamonds."
    )
    clarity = models.PositiveSmallIntegerField(choices=Clarity)
    polish = models.PositiveSmallIntegerField(choices=Finish)
    symmetry = models.PositiveSmallIntegerField(choices=Finish)
    fluorescence = models.PositiveSmallIntegerField(choices=Fluorescence, default=Fluorescence.NONE)
    lab = models.CharField(max_length=4, choices=Lab)
    certificate_number = models.CharField("certificate #", max_length=20)
    origin = models.CharField(max_length=8, choices=Origin, default=Origin.NATURAL)
    fancy_hue = models.CharField(max_length=8, choices=FancyHue, blank=True, default="")
    fancy_intensity = models.PositiveSmallIntegerField(choices=FancyIntensity, null=True, blank=True)
    depth_pct = models.DecimalField("depth %", max_digits=4, decimal_places=1)
    table_pct = models.DecimalField("table %", max_digits=4, decimal_places=1)
    girdle = models.CharField(max_length=40, blank=True)
    culet = models.CharField(max_length=20, blank=True, default="None")
    lw_ratio = models.GeneratedField(
        # A ratio, not money: dividing as a real number keeps SQLite from integer division when both sizes are
        # whole millimetres (11.00 / 7.00); the result is cast back to a decimal so PostgreSQL can round it.
        expression=Round(
            Cast(
                Cast("length_mm", models.FloatField()) / F("width_mm"),
                models.DecimalField(max_digits=8, decimal_places=4),
            ),
            2,
        ),
        output_field=models.DecimalField(max_digits=4, decimal_places=2),
        db_persist=True,
        verbose_name="L/W ratio",
    )
    true_hearts = models.GeneratedField(
        expression=Q(cut=Cut.TRUE_HEARTS), output_field=models.BooleanField(), db_persist=True
    )

    history = HistoricalRecords(excluded_fields=["image", "updated_at"])

    class Meta:
        ordering = ["current_price"]
        constraints = [
            *_stone_constraints("diamond"),
            models.CheckConstraint(condition=Q(depth_pct__gte=40, depth_pct__lte=90), name="diamond_depth_40_90"),
            models.CheckConstraint(condition=Q(table_pct__gte=40, table_pct__lte=90), name="diamond_table_40_90"),
            models.CheckConstraint(
                condition=Q(fancy_hue="", color__isnull=False) | (~Q(fancy_hue="") & Q(fancy_intensity__isnull=False)),
                name="diamond_colour_or_fancy_hue",
            ),
            models.UniqueConstraint(fields=["lab", "certificate_number"], name="diamond_unique_certificate"),
        ]
        indexes = [
            # Covering indexes for the search: the filters shoppers set most (carat, or shape and carat) lead, and
            # every other filter column rides along, so counts and facets are index-only scans.
            models.Index(fields=["carat"], include=SEARCH_COLUMNS, name="diamond_carat_cover"),
            models.Index(fields=["shape", "carat"], include=SEARCH_COLUMNS, name="diamond_shape_carat_cover"),
            models.Index(fields=["current_price"], name="diamond_price"),
            # One index for each other filter; PostgreSQL combines them (bitmap AND) for any mix.
            models.Index(fields=["cut"], name="diamond_cut"),
            models.Index(fields=["color"], name="diamond_color"),
            models.Index(fields=["clarity"], name="diamond_clarity"),
            models.Index(fields=["polish"], name="diamond_polish"),
            models.Index(fields=["symmetry"], name="diamond_symmetry"),
            models.Index(fields=["fluorescence"], name="diamond_fluorescence"),
            models.Index(fields=["lab"], name="diamond_lab"),
            models.Index(fields=["depth_pct"], name="diamond_depth"),
            models.Index(fields=["table_pct"], name="diamond_table"),
            models.Index(fields=["lw_ratio"], name="diamond_lw_ratio"),
            models.Index(fields=["fancy_hue", "fancy_intensity"], name="diamond_fancy"),
            models.Index(fields=["arrival_date"], name="diamond_arrival"),
            models.Index(fields=["status"], name="diamond_status"),
            models.Index(fields=["certificate_number"], name="diamond_certificate"),
            models.Index(fields=["current_price"], name="diamond_on_sale", condition=Q(sale_price__isnull=False)),
        ]

    def __str__(self):
        return f"{self.carat} ct {self.get_shape_display()} {self.grade_summary} ({self.sku})"

    def get_absolute_url(self):
        return reverse("catalog:diamond_detail", args=[self.sku])

    @property
    def is_fancy(self) -> bool:
        return bool(self.fancy_hue)

    @property
    def colour_label(self) -> str:
        if self.is_fancy:
            return f"{self.get_fancy_intensity_display()} {self.get_fancy_hue_display()}"
        return self.get_color_display()

    @property
    def grade_summary(self) -> str:
        return f"{self.colour_label} {self.get_clarity_display()}"

    @property
    def kind(self) -> str:
        """The stone kind a setting may accept: natural, lab or fancy."""
        return "fancy" if self.is_fancy else self.origin

    @property
    def price_per_carat(self) -> Decimal:
        return (self.current_price / self.carat).quantize(Decimal("0.01"))


class Treatment(models.TextChoices):
    NONE = "none", "No treatment"
    HEATED = "heated", "Heated"
    MINOR_OIL = "minor_oil", "Minor oil"
    MODERATE_OIL = "moderate_oil", "Moderate oil"
    LAB_CREATED = "lab_created", "Lab-created"


class Gemstone(Stone):
    kind = models.CharField(max_length=16, choices=GemKind)
    color = models.CharField("colour", max_length=40, help_text='As the shop describes it, e.g. "Royal blue".')
    treatment = models.CharField(max_length=16, choices=Treatment, default=Treatment.HEATED)
    origin = models.CharField(max_length=40, blank=True, help_text="Country of origin, if known.")
    lab = models.CharField(max_length=20, blank=True)
    certificate_number = models.CharField("certificate #", max_length=20, blank=True)

    history = HistoricalRecords(excluded_fields=["image", "updated_at"])

    class Meta:
        ordering = ["current_price"]
        constraints = _stone_constraints("gemstone")
        indexes = [
            models.Index(fields=["kind", "shape", "current_price"], name="gem_search_price"),
            models.Index(fields=["carat"], name="gem_carat"),
            models.Index(fields=["status"], name="gem_status"),
            models.Index(fields=["certificate_number"], name="gem_certificate"),
        ]

    def __str__(self):
        return f"{self.carat} ct {self.get_shape_display()} {self.get_kind_display()} ({self.sku})"

    def get_absolute_url(self):
        return reverse("catalog:gemstone_detail", args=[self.sku])


class SettingStyle(models.TextChoices):
    SOLITAIRE = "solitaire", "Solitaire"
    PAVE = "pave", "Pavé"
    HALO = "halo", "Halo"
    SIDE_STONE = "side_stone", "Side stone"
    THREE_STONE = "three_stone", "Three stone"
    VINTAGE = "vintage", "Vintage"
    HIDDEN_HALO = "hidden_halo", "Hidden halo"
    TENSION = "tension", "Tension"
    BEZEL = "bezel", "Bezel"
    CATHEDRAL = "cathedral", "Cathedral"


class RingSetting(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    style = models.CharField(max_length=16, choices=SettingStyle)
    collection = models.CharField("designer collection", max_length=60, blank=True)
    description = models.TextField(blank=True)
    shapes = models.JSONField(help_text='Centre-stone shapes the head holds, e.g. ["round", "oval"].')
    min_carat = models.DecimalField("centre stone from (ct)", max_digits=4, decimal_places=2)
    max_carat = models.DecimalField("centre stone to (ct)", max_digits=4, decimal_places=2)
    stone_kinds = models.JSONField(
        help_text='Stone kinds it takes: "natural", "lab", "fancy" and gemstone kinds such as "ruby".'
    )
    requires_center_stone = models.BooleanField(default=True)
    side_stones = models.CharField(max_length=120, blank=True, help_text='e.g. "24 round pavé diamonds, 0.25 ctw"')
    side_stones_carat = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    ring_size_min = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(3))
    ring_size_max = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(9))
    resizable = models.BooleanField(default=True)
    production_days = models.PositiveSmallIntegerField(default=5)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_carat__gt=0, max_carat__gte=F("min_carat")), name="setting_carat_range"
            ),
            models.CheckConstraint(
                condition=Q(ring_size_min__gte=3, ring_size_max__lte=9, ring_size_max__gte=F("ring_size_min")),
                name="setting_ring_size_range",
            ),
        ]
        indexes = [models.Index(fields=["style", "is_active"], name="setting_style")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:setting_detail", args=[self.slug])


class SettingVariant(models.Model):
    """A setting in one metal, with its own price."""

    setting = models.ForeignKey(RingSetting, on_delete=models.CASCADE, related_name="variants")
    metal = models.CharField(max_length=12, choices=Metal)
    price = models.DecimalField("price (USD)", **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["setting", "price"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "metal"], name="setting_variant_unique_metal"),
            models.CheckConstraint(condition=Q(price__gte=0), name="setting_variant_price_not_negative"),
        ]
        indexes = [models.Index(fields=["metal", "price"], name="setting_variant_metal")]

    def __str__(self):
        return f"{self.setting} in {self.get_metal_display()}"


class SettingImage(models.Model):
    setting = models.ForeignKey(RingSetting, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="settings/")
    alt = models.CharField(max_length=160)
    metal = models.CharField(max_length=12, choices=Metal, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt


class JewelryCategory(models.TextChoices):
    EARRINGS = "earrings", "Earrings"
    PENDANTS = "pendants", "Pendants & necklaces"
    BRACELETS = "bracelets", "Bracelets"
    WEDDING_BANDS = "wedding-bands", "Wedding bands"
    RINGS = "rings", "Fashion rings"


class Jewelry(models.Model):
    sku = models.CharField("SKU", max_length=24, unique=True)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    category = models.CharField(max_length=16, choices=JewelryCategory)
    metal = models.CharField(max_length=12, choices=Metal)
    collection = models.CharField("designer collection", max_length=60, blank=True)
    description = models.TextField(blank=True)
    total_carat = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    price = models.DecimalField("price (USD)", **MONEY)
    stock_count = models.PositiveIntegerField(default=0)
    image = models.ImageField(upload_to="jewelry/", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["image"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "jewelry"
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="jewelry_price_not_negative")]
        indexes = [models.Index(fields=["category", "metal", "price"], name="jewelry_browse")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:jewelry_detail", args=[self.category, self.slug])

    @property
    def in_stock(self) -> bool:
        return self.stock_count > 0


class ItemKind(models.TextChoices):
    DIAMOND = "diamond", "Diamond"
    GEMSTONE = "gemstone", "Gemstone"
    SETTING = "setting", "Ring setting"
    JEWELRY = "jewelry", "Jewelry"


class WishListItem(models.Model):
    """A saved item of a signed-in shopper. `ref` is the SKU (stones, jewelry) or slug (settings), so a saved
    stone that has since been sold still shows, as sold."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="wish_list")
    kind = models.CharField(max_length=10, choices=ItemKind)
    ref = models.CharField(max_length=140)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "ref"], name="wish_list_unique_item")]

    def __str__(self):
        return f"{self.user} ♥ {self.kind} {self.ref}"
