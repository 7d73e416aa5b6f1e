"""Guarantee, policy and education pages and the FAQ, edited by staff in Markdown with a preview of the result."""

from django.contrib import admin
from django.utils.html import format_html

from .content import render_markdown
from .models import FaqEntry, Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "position", "published", "updated_at", "view_on_site_link"]
    list_editable = ["position", "published"]
    list_filter = ["section", "published"]
    search_fields = ["title", "summary", "body"]
    readonly_fields = ["preview", "updated_at"]
    fields = ["title", "slug", "section", "summary", "body", "position", "published", "preview", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}

    @admin.display(description="Preview (as saved)")
    def preview(self, obj):
        return format_html('<div class="cs-admin-preview">{}</div>', render_markdown(obj.body)) if obj.pk else "—"

    @admin.display(description="Page")
    def view_on_site_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "category", "position", "published"]
    list_editable = ["position", "published"]
    list_filter = ["category", "published"]
    search_fields = ["question", "answer"]
