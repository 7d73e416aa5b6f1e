from django.contrib import admin

from .models import SavedBuild


@admin.register(SavedBuild)
class SavedBuildAdmin(admin.ModelAdmin):
    list_display = ["token", "owner", "setting", "metal", "diamond", "gemstone", "ring_size", "updated_at"]
    list_select_related = ["owner", "setting", "diamond", "gemstone"]
    list_filter = ["metal", "updated_at"]
    search_fields = ["token", "owner__email", "setting__name", "diamond__sku", "gemstone__sku"]
    raw_id_fields = ["owner", "setting", "diamond", "gemstone"]
    readonly_fields = ["token", "created_at", "updated_at", "added_to_bag_at"]
