"""The Customer service group's inbox: tickets by status and due date, an "overdue" filter, and a reply box on each
ticket that emails the shopper and keeps the reply on the ticket."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe

from .models import Ticket
from .tickets import ticket_reply


class DueFilter(admin.SimpleListFilter):
    title = "answer due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("today", "Due in the next 24 hours"), ("later", "Due later")]

    def queryset(self, request, queryset):
        now, waiting = timezone.now(), queryset.filter(status__in=Ticket.OPEN_STATUSES)
        if self.value() == "overdue":
            return waiting.filter(due_at__lt=now)
        if self.value() == "today":
            return waiting.filter(due_at__gte=now, due_at__lt=now + timedelta(days=1))
        if self.value() == "later":
            return waiting.filter(due_at__gte=now + timedelta(days=1))
        return queryset


class TicketForm(forms.ModelForm):
    reply = forms.CharField(
        label="Reply to the customer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Sent by email when you save, and kept on this ticket.",
    )
    close = forms.BooleanField(label="Close the ticket with this reply", required=False)

    class Meta:
        model = Ticket
        fields = ["status"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    form = TicketForm
    list_display = ["reference", "kind", "name", "email", "status", "received_at", "due"]
    list_filter = [DueFilter, "status", "kind"]
    search_fields = ["reference", "email", "name", "message"]
    ordering = ["due_at"]
    date_hierarchy = "received_at"
    list_per_page = 50
    readonly_fields = ["reference", "kind", "name", "email", "phone", "received_at", "due_at", "answered_at",
                       "closed_at", "user", "private_link", "conversation"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["reference", "kind", "status", "due_at", "received_at", "answered_at", "closed_at"]}),
        ("Customer", {"fields": ["name", "email", "phone", "user", "private_link"]}),
        ("Conversation", {"fields": ["conversation"]}),
        ("Answer", {"fields": ["reply", "close"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request):
        return False  # tickets come from the shop's forms

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="Due", ordering="due_at")
    def due(self, obj):
        local = timezone.localtime(obj.due_at)  # the admin runs on the shop's clock (core.middleware)
        label = f"{local:%a %b} {local.day}"
        if obj.is_overdue:
            return format_html("<strong>{} · OVERDUE</strong>", label)
        return label

    @admin.display(description="Customer's private link")
    def private_link(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), "Open")

    @admin.display(description="Messages")
    def conversation(self, obj):
        """Every message on the ticket, oldest first, with whether the email of each reply went out."""
        rows = [
            format_html(
                "<p><strong>{}</strong> · {}{}</p><blockquote>{}</blockquote>",
                message.staff_user.get_full_name() if message.staff_user else message.get_author_display(),
                timezone.localtime(message.created_at).strftime("%b %d, %Y %H:%M"),
                f" · email {message.email.get_status_display().lower()}" if message.email else "",
                mark_safe(linebreaks(message.body, autoescape=True)),  # noqa: S308 - escaped by linebreaks
            )
            for message in obj.messages.select_related("staff_user", "email")
        ]
        return format_html_join("", "{}", ((row,) for row in rows))

    def save_model(self, request, obj, form, change):
        reply = (form.cleaned_data.get("reply") or "").strip()
        if reply:
            # ticket_reply sets the status (answered, or closed) under the ticket's row lock.
            ticket_reply(ticket=obj, staff_user=request.user, body=reply, close=form.cleaned_data.get("close"))
            messages.success(request, f"Your reply was sent to {obj.email} and added to {obj.reference}.")
            return
        super().save_model(request, obj, form, change)
