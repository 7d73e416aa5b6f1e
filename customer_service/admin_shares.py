"""Shares in the admin: what was sent to whom, for staff to see (read-only; the rows also count toward the limits,
so nobody edits or adds them by hand)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from .models import ProductShare
from .sharing import shared_item


@admin.register(ProductShare)
class ProductShareAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "item", "sender", "recipients_count"]
    list_filter = ["kind", "item_type", "created_at"]
    search_fields = ["sender_email", "sender_name", "item_ref"]
    date_hierarchy = "created_at"
    list_per_page = 50
    fields = ["created_at", "kind", "item_type", "item_link", "sender_name", "sender_email", "recipient_list",
              "ip_address"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # shares come from the product pages

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="Item", ordering="item_ref")
    def item(self, obj):
        return f"{obj.item_type} {obj.item_ref}"

    @admin.display(description="Item")
    def item_link(self, obj):
        found = shared_item(item_type=obj.item_type, ref=obj.item_ref)
        if found is None:  # sold or withdrawn since
            return f"{obj.item_type} {obj.item_ref} (no longer offered)"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> · {}', found.path, obj.item_ref, found.title
        )

    @admin.display(description="Sender", ordering="sender_email")
    def sender(self, obj):
        return format_html("{} &lt;{}&gt;", obj.sender_name, obj.sender_email)

    @admin.display(description="Recipients")
    def recipients_count(self, obj):
        return len(obj.recipients or [])

    @admin.display(description="Sent to")
    def recipient_list(self, obj):
        return ", ".join(obj.recipients or [])
