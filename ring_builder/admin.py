from django.contrib import admin

from .models import Holiday, SavedBuild


@admin.register(SavedBuild)
class SavedBuildAdmin(admin.ModelAdmin):
    list_display = ["token", "owner", "setting", "metal", "diamond", "gemstone", "ring_size", "updated_at"]
    list_select_related = ["owner", "setting", "diamond", "gemstone"]
    list_filter = ["metal", "updated_at"]
    search_fields = ["token", "owner__email", "setting__name", "diamond__sku", "gemstone__sku"]
    raw_id_fields = ["owner", "setting", "diamond", "gemstone"]
    readonly_fields = ["token", "created_at", "updated_at", "added_to_bag_at"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Days "delivered by" dates skip, like weekends. Changes count at once (the cache is forgotten on save)."""

    list_display = ["date", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]
