"""Returns for the Customer service group: each RMA with its order, its ticket's status and whether the parcel is
back. The lines are the shopper's choice and stay read-only; the conversation happens on the ticket."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .models import ReturnRequest
from .returns import line_title, return_mark_received


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = ["rma_number", "order_link", "ticket_status", "reason", "lines_count", "created", "received_back_at"]
    list_filter = ["reason", "ticket__status", ("received_back_at", admin.EmptyFieldListFilter)]
    search_fields = ["rma_number", "order__number"]
    list_select_related = ["order", "ticket"]
    list_per_page = 50
    actions = ["mark_received"]
    fields = ["rma_number", "order_link", "ticket_link", "ticket_status", "reason", "items", "created",
              "received_back_at"]  # fmt: skip
    readonly_fields = ["rma_number", "order_link", "ticket_link", "ticket_status", "reason", "items", "created"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lines_total=Count("lines"))

    def has_add_permission(self, request):
        return False  # returns come from the order page

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="Order", ordering="order__number")
    def order_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:checkout_order_change", args=[obj.order_id]), obj.order
        )

    @admin.display(description="Ticket")
    def ticket_link(self, obj):
        url = reverse("admin:customer_service_ticket_change", args=[obj.ticket_id])
        return format_html('<a href="{}">{}</a>', url, obj.ticket.reference)

    @admin.display(description="Ticket status", ordering="ticket__status")
    def ticket_status(self, obj):
        return obj.ticket.get_status_display()

    @admin.display(description="Lines", ordering="lines_total")
    def lines_count(self, obj):
        return obj.lines_total

    @admin.display(description="Requested", ordering="ticket__received_at")
    def created(self, obj):
        return timezone.localtime(obj.ticket.received_at).strftime("%b %d, %Y %H:%M")

    @admin.display(description="Items")
    def items(self, obj):
        rows = ((line_title(line), line.get_kind_display(), line.pk) for line in obj.lines.all())
        return format_html_join("", "<p>{} <small>({}, line {})</small></p>", rows)

    @admin.action(description="Mark parcel received", permissions=["change"])
    def mark_received(self, request, queryset):
        marked = sum(return_mark_received(return_request=item) for item in queryset)
        skipped = queryset.count() - marked
        note = f" ({skipped} already marked)" if skipped else ""
        messages.success(request, f"Marked {marked} parcel{'s' if marked != 1 else ''} received{note}.")
