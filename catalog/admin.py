"""The catalog in the admin, for the Inventory group: stones with price history (django-simple-history), bulk status
and price actions, and the supplier CSV import/export (django-import-export, rules in importing.py).

Who may do what comes from the groups' model permissions (accounts/roles.py): viewing needs `view`, the actions
need `change`, importing needs `add` and `change`, exporting needs `view`."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_update_with_history

from .grades import GemKind, Shape, StoneStatus
from .importing import (
    COLUMNS,
    REQUIRED_COLUMNS,
    DiamondResource,
    GemstoneResource,
    SupplierCSV,
    SupplierFileError,
    problems_of,
    summarize,
)
from .models import Diamond, Gemstone, Jewelry, RingSetting, SettingImage, SettingVariant, WishListItem

CENT = Decimal("0.01")
MAX_PRICE = Decimal("9999999999.99")


# --- Services (the actions' writes) ------------------------------------------------------------------------------
def stones_set_status(*, stones, status: str, user, reason: str) -> tuple[int, int]:
    """Set `status` on each stone (clearing any reservation), one history record each. Returns (changed, already).

    Rows are locked in primary-key order so that a checkout reserving one of them waits rather than interleaves."""
    with transaction.atomic():
        locked = list(stones.select_for_update().order_by("pk"))
        now = timezone.now()
        changed = [s for s in locked if s.status != status or s.reserved_until is not None]
        for stone in changed:
            stone.status, stone.reserved_until, stone.updated_at = status, None, now
        if changed:
            bulk_update_with_history(
                changed,
                type(changed[0]),
                ["status", "reserved_until", "updated_at"],
                default_user=user,
                default_change_reason=reason,
            )
    return len(changed), len(locked) - len(changed)


def scaled(amount: Decimal, percentage: Decimal) -> Decimal:
    """`amount` changed by `percentage` %, rounded half-up to the cent."""
    return (amount * (Decimal(100) + percentage) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def stones_change_price(*, stones, percentage: Decimal, sale_prices: str, user) -> tuple[int, int]:
    """Change the price of each stone that is not sold by `percentage` %; sale prices are scaled by the same
    percentage (which keeps sale <= price, rounding being monotonic) or cleared. Returns (changed, sold left alone).
    Raises ValueError, changing nothing, if a new price would not fit the price column."""
    reason = f"Price changed by {percentage:+} % (sale prices {'scaled' if sale_prices == 'scale' else 'cleared'})"
    with transaction.atomic():
        locked = list(stones.select_for_update().order_by("pk"))
        sold = [s for s in locked if s.status == StoneStatus.SOLD]
        changed = []
        for stone in locked:
            if stone.status == StoneStatus.SOLD:
                continue
            price = scaled(stone.price, percentage)
            if price > MAX_PRICE:
                raise ValueError(f"{stone.sku} would cost {price}, more than the catalog can hold.")
            sale = None
            if stone.sale_price is not None and sale_prices == "scale":
                sale = scaled(stone.sale_price, percentage)
            if (price, sale) != (stone.price, stone.sale_price):
                stone.price, stone.sale_price, stone.updated_at = price, sale, timezone.now()
                changed.append(stone)
        if changed:
            bulk_update_with_history(
                changed,
                type(changed[0]),
                ["price", "sale_price", "updated_at"],
                default_user=user,
                default_change_reason=reason,
            )
    return len(changed), len(sold)


# --- Forms -------------------------------------------------------------------------------------------------------
class PercentField(forms.DecimalField):
    """Accepts '10', '+10', '-7.5' and '10 %'."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("%", "").replace(" ", "").removeprefix("+")
        return super().to_python(value)


class PriceChangeForm(forms.Form):
    percentage = PercentField(
        label="Change prices by (%)",
        min_value=Decimal(-90),
        max_value=Decimal(300),
        max_digits=5,
        decimal_places=2,
        help_text="Between -90 and +300. 10 raises each price by 10 %; -15 lowers it by 15 %. Rounded to the cent.",
    )
    sale_prices = forms.ChoiceField(
        label="Sale prices",
        choices=[("scale", "Scale them by the same percentage"), ("clear", "Clear them (end the sale)")],
        initial="scale",
        widget=forms.RadioSelect,
    )

    def clean_percentage(self):
        percentage = self.cleaned_data["percentage"]
        if percentage == 0:
            raise forms.ValidationError("A change of 0 % changes nothing.", code="zero")
        return percentage


STONE_KIND_CHOICES = [
    ("natural", "Natural diamond"),
    ("lab", "Lab-grown diamond"),
    ("fancy", "Fancy colour diamond"),
    *GemKind.choices,
]


class RingSettingForm(forms.ModelForm):
    """Shapes and stone kinds as checkboxes rather than raw JSON."""

    shapes = forms.MultipleChoiceField(
        choices=Shape.choices, widget=forms.CheckboxSelectMultiple, help_text="Centre-stone shapes the head holds."
    )
    stone_kinds = forms.MultipleChoiceField(
        choices=STONE_KIND_CHOICES, widget=forms.CheckboxSelectMultiple, help_text="Stone kinds it takes."
    )

    class Meta:
        model = RingSetting
        fields = "__all__"  # noqa: DJ007 - every field of a setting is staff-edited


# --- Filters -----------------------------------------------------------------------------------------------------
class OnSaleFilter(admin.SimpleListFilter):
    title = "on sale"
    parameter_name = "on_sale"

    def lookups(self, request, model_admin):
        return [("yes", "On sale"), ("no", "Not on sale")]

    def queryset(self, request, queryset):
        on_sale = Q(sale_price__isnull=False, sale_price__lt=F("price"))
        if self.value() == "yes":
            return queryset.filter(on_sale)
        if self.value() == "no":
            return queryset.exclude(on_sale)
        return queryset


# --- Stones ------------------------------------------------------------------------------------------------------
class StoneAdmin(SimpleHistoryAdmin):
    """What diamonds and gemstones share: exact search, status and price actions, price history."""

    search_fields = ["=sku", "=certificate_number"]
    search_help_text = "Stock # or certificate #, exactly; several may be given, separated by spaces or commas."
    date_hierarchy = "arrival_date"
    show_full_result_count = False  # one COUNT(*) over the whole catalog fewer per page
    readonly_fields = ["current_price", "image_preview", "created_at", "updated_at"]
    actions = ["mark_sold", "mark_available", "change_price_by_percentage"]
    history_list_display = ["price", "sale_price", "status"]

    def get_search_results(self, request, queryset, search_term):
        """Exact matches only, so that each term is one lookup in the SKU or certificate index (a LIKE over half a
        million stones is not). A leading '#' and the SKU's case are forgiven."""
        terms = [t.lstrip("#") for t in re.split(r"[\s,;]+", search_term.strip()) if t.lstrip("#")]
        if not terms:
            return queryset, False
        skus = {*terms, *(t.upper() for t in terms)}
        return queryset.filter(Q(sku__in=skus) | Q(certificate_number__in=terms)), False

    @admin.display(description="image")
    def image_preview(self, obj):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height: 160px">', obj.image.url)

    @admin.action(description="Mark selected as sold", permissions=["change"])
    def mark_sold(self, request, queryset):
        changed, already = stones_set_status(
            stones=queryset, status=StoneStatus.SOLD, user=request.user, reason="Marked sold (bulk action)"
        )
        self._report_status(request, changed, already, "sold")

    @admin.action(description="Mark selected as available (clears reservations)", permissions=["change"])
    def mark_available(self, request, queryset):
        changed, already = stones_set_status(
            stones=queryset, status=StoneStatus.AVAILABLE, user=request.user, reason="Marked available (bulk action)"
        )
        self._report_status(request, changed, already, "available")

    def _report_status(self, request, changed, already, status):
        opts = self.model._meta
        message = f"{changed} {opts.verbose_name if changed == 1 else opts.verbose_name_plural} marked {status}."
        if already:
            message += f" {already} already {status}, left as {'it was' if already == 1 else 'they were'}."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Change price by a percentage", permissions=["change"])
    def change_price_by_percentage(self, request, queryset):
        """An intermediate page asks for the percentage; bad input changes nothing and says why."""
        form = PriceChangeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST:
            if form.is_valid():
                try:
                    changed, sold = stones_change_price(
                        stones=queryset,
                        percentage=form.cleaned_data["percentage"],
                        sale_prices=form.cleaned_data["sale_prices"],
                        user=request.user,
                    )
                except ValueError as error:
                    self.message_user(request, f"No price was changed: {error}", messages.ERROR)
                    return None
                message = f"Changed the price of {changed} stone{'s' if changed != 1 else ''} by "
                message += f"{form.cleaned_data['percentage']:+} %."
                if sold:
                    message += (
                        f" {sold} sold stone{'s' if sold != 1 else ''} left at {'its' if sold == 1 else 'their'} price."
                    )
                self.message_user(request, message, messages.SUCCESS)
                return None
            reasons = "; ".join(e for errors in form.errors.values() for e in errors)
            self.message_user(request, f"No price was changed: {reasons}", messages.ERROR)
        count = queryset.count()
        context = {
            **self.admin_site.each_context(request),
            "title": "Change prices by a percentage",
            "opts": self.model._meta,
            "form": form,
            "count": count,
            "examples": list(queryset.order_by("pk")[:10]),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/catalog/change_price.html", context)


@admin.register(Diamond)
class DiamondAdmin(ImportExportMixin, StoneAdmin):
    # ImportExportMixin first: its get_urls/changelist_view add the import and export pages and buttons, then
    # call on to SimpleHistoryAdmin (history pages) and ModelAdmin.
    list_display = [
        "sku", "shape", "carat", "colour", "clarity", "cut", "lab", "certificate_number", "price", "sale_price",
        "status",
    ]  # fmt: skip
    list_filter = [
        "status", "origin", "shape", "lab", "cut", "color", "clarity", "fancy_hue", OnSaleFilter,
    ]  # fmt: skip
    readonly_fields = [*StoneAdmin.readonly_fields, "lw_ratio", "true_hearts"]
    fieldsets = [
        (None, {"fields": ["sku", "status", "reserved_until", "arrival_date", "image", "image_preview"]}),
        (
            "Grades",
            {
                "fields": [
                    "shape",
                    "carat",
                    "cut",
                    "color",
                    "clarity",
                    "polish",
                    "symmetry",
                    "fluorescence",
                    "origin",
                    ("fancy_hue", "fancy_intensity"),
                ]
            },
        ),
        ("Certificate", {"fields": ["lab", "certificate_number"]}),
        (
            "Proportions",
            {
                "fields": [
                    ("depth_pct", "table_pct"),
                    ("length_mm", "width_mm", "depth_mm"),
                    "lw_ratio",
                    "true_hearts",
                    "girdle",
                    "culet",
                ]
            },
        ),
        ("Price", {"fields": ["price", "sale_price", "current_price"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    resource_classes = [DiamondResource]
    import_formats = [SupplierCSV]
    export_formats = [CSV]
    export_form_class = ExportForm  # every column, so that an export imports back
    import_template_name = "admin/catalog/diamond/import.html"

    @admin.display(description="colour", ordering="color")
    def colour(self, obj):
        return obj.colour_label

    # -- import/export permissions: from the model permissions, whatever the project-wide settings say ----------
    def has_import_permission(self, request):
        return request.user.has_perms(["catalog.add_diamond", "catalog.change_diamond"])

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    # -- the import pages ---------------------------------------------------------------------------------------
    def get_import_context_data(self, **kwargs):
        return {
            "supplier_columns": [(column, aliases, column in REQUIRED_COLUMNS) for column, aliases in COLUMNS.items()]
        }

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SupplierFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        """After "Confirm import". The stock may have changed since the preview; if the file no longer imports
        cleanly, nothing was written (the resource rolled back) and staff are told why."""
        if result.has_errors() or result.has_validation_errors():
            problems = problems_of(result)
            self.message_user(
                request,
                "Nothing was imported: " + " ".join(problems[:20]) + (" …" if len(problems) > 20 else ""),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:catalog_diamond_import", current_app=self.admin_site.name))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        counts = getattr(result, "summary", None) or summarize(result)
        message = f"Import finished: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged"
        if counts["left_sold"]:
            message += f", {counts['left_sold']} sold left sold (an import never re-lists a sold stone)"
        message += "."
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Gemstone)
class GemstoneAdmin(ExportMixin, StoneAdmin):
    list_display = ["sku", "kind", "shape", "carat", "color", "treatment", "origin", "price", "sale_price", "status"]
    list_filter = ["status", "kind", "shape", "treatment", "lab", OnSaleFilter]
    fieldsets = [
        (None, {"fields": ["sku", "status", "reserved_until", "arrival_date", "image", "image_preview"]}),
        ("Stone", {"fields": ["kind", "shape", "carat", "color", "treatment", "origin"]}),
        ("Certificate", {"fields": ["lab", "certificate_number"]}),
        ("Measurements", {"fields": [("length_mm", "width_mm", "depth_mm")]}),
        ("Price", {"fields": ["price", "sale_price", "current_price"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    resource_classes = [GemstoneResource]
    export_formats = [CSV]
    export_form_class = ExportForm

    def has_export_permission(self, request):
        return self.has_view_permission(request)


# --- Settings and jewelry ----------------------------------------------------------------------------------------
class SettingVariantInline(admin.TabularInline):
    model = SettingVariant
    extra = 0
    min_num = 1
    fields = ["metal", "price"]


class SettingImageInline(admin.TabularInline):
    model = SettingImage
    extra = 1
    fields = ["image", "preview", "alt", "metal", "position"]
    readonly_fields = ["preview"]

    @admin.display(description="preview")
    def preview(self, obj):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height: 80px">', obj.image.url)


@admin.register(RingSetting)
class RingSettingAdmin(admin.ModelAdmin):
    form = RingSettingForm
    inlines = [SettingVariantInline, SettingImageInline]
    list_display = ["name", "style", "collection", "carat_range", "variant_count", "from_price", "is_active"]
    list_filter = ["style", "is_active", "requires_center_stone", "collection"]
    search_fields = ["name", "slug", "collection"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_variants=Count("variants"), _from_price=Min("variants__price"))

    @admin.display(description="centre stone (ct)")
    def carat_range(self, obj):
        return f"{obj.min_carat}–{obj.max_carat}"

    @admin.display(description="metals", ordering="_variants")
    def variant_count(self, obj):
        return obj._variants

    @admin.display(description="from (USD)", ordering="_from_price")
    def from_price(self, obj):
        return "—" if obj._from_price is None else f"{obj._from_price:.2f}"


@admin.register(SettingVariant)
class SettingVariantAdmin(SimpleHistoryAdmin):
    """Each metal's price, with its price history."""

    list_display = ["setting", "metal", "price"]
    list_filter = ["metal"]
    list_select_related = ["setting"]
    search_fields = ["setting__name", "setting__slug"]
    autocomplete_fields = ["setting"]
    history_list_display = ["price"]


@admin.register(Jewelry)
class JewelryAdmin(SimpleHistoryAdmin):
    list_display = ["sku", "name", "category", "metal", "price", "stock_count", "is_active"]
    list_filter = ["category", "metal", "is_active", "collection"]
    search_fields = ["=sku", "name", "collection"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at"]
    history_list_display = ["price", "stock_count"]


@admin.register(WishListItem)
class WishListItemAdmin(admin.ModelAdmin):
    """Read-only: what shoppers saved is theirs to change."""

    list_display = ["user", "kind", "ref", "added_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["user__email", "=ref"]
    date_hierarchy = "added_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
