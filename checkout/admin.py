from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from .models import Currency, Promotion, PromotionRedemption, TaxRate


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "symbol", "rate_per_usd", "updated_at"]
    ordering = ["position"]


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ["country", "region", "name", "kind", "rate", "threshold_amount", "threshold_currency", "active"]
    list_filter = ["active", "kind", "country"]
    search_fields = ["country", "region", "name"]
    list_editable = ["active"]
    ordering = ["country", "region", "kind"]


class RunningNowFilter(admin.SimpleListFilter):
    title = "running now"
    parameter_name = "running"

    def lookups(self, request, model_admin):
        return [("yes", "Running now"), ("no", "Not running")]

    def queryset(self, request, queryset):
        now = timezone.now()
        running = Q(active=True, starts_at__lte=now, ends_at__gt=now)
        if self.value() == "yes":
            return queryset.filter(running)
        if self.value() == "no":
            return queryset.exclude(running)
        return queryset


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "percent", "category", "starts_at", "ends_at", "exclusive", "active"]
    list_filter = ["active", "kind", RunningNowFilter, "category"]
    search_fields = ["name", "code"]
    date_hierarchy = "starts_at"


@admin.register(PromotionRedemption)
class PromotionRedemptionAdmin(admin.ModelAdmin):
    """Written by checkout when an order is placed; staff only read it."""

    list_display = ["promotion", "email", "order_reference", "created"]
    list_filter = ["promotion"]
    search_fields = ["email", "order_reference", "promotion__name", "promotion__code"]
    list_select_related = ["promotion"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
