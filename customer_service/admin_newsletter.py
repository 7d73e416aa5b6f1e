"""The newsletter in the admin, for Marketing: subscribers and their consent records (read-only: the proof of consent
stays what the subscriber did), a CSV export of the list, and mailings with a "send to all confirmed subscribers"
action that asks before it sends and never sends a mailing twice."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from import_export import resources
from import_export.admin import ExportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm
from import_export.widgets import DateTimeWidget

from .content import render_markdown
from .forms import SingleLineField
from .models import ConsentRecord, Mailing, Subscriber
from .newsletter import mailing_queue


def with_confirmation(queryset):
    """Each subscriber with the consent text and time of their latest confirmation (one query, no N+1)."""
    confirmation = ConsentRecord.objects.filter(
        subscriber=OuterRef("pk"), action=ConsentRecord.Action.CONFIRMED
    ).order_by("-created_at", "-pk")
    return queryset.annotate(
        consent_text=Subquery(confirmation.values("consent_text")[:1]),
        consented_at=Subquery(confirmation.values("created_at")[:1]),
    )


class SubscriberResource(resources.ModelResource):
    """The list for Marketing's mailing tools, with the proof of each consent."""

    email = Field(attribute="email", column_name="email")
    status = Field(attribute="status", column_name="status")
    created_at = Field(attribute="created_at", column_name="created_at", widget=DateTimeWidget())
    confirmed_at = Field(attribute="confirmed_at", column_name="confirmed_at", widget=DateTimeWidget())
    unsubscribed_at = Field(attribute="unsubscribed_at", column_name="unsubscribed_at", widget=DateTimeWidget())
    consent_text = Field(attribute="consent_text", column_name="consent_text")
    consented_at = Field(attribute="consented_at", column_name="consent_confirmed_at", widget=DateTimeWidget())

    class Meta:
        model = Subscriber
        name = "Subscribers"
        fields = ("email", "status", "created_at", "confirmed_at", "unsubscribed_at", "consent_text", "consented_at")
        export_order = fields

    def get_queryset(self):
        return with_confirmation(super().get_queryset())


class ConsentRecordInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "ip_address", "user_agent", "consent_text"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    list_per_page = 100
    fields = ["email", "status", "created_at", "confirmation_sent_at", "confirmed_at", "unsubscribed_at"]
    readonly_fields = fields
    inlines = [ConsentRecordInline]
    resource_classes = [SubscriberResource]
    export_formats = [CSV]
    export_form_class = ExportForm

    # Subscribers come from the sign-up form and change only by their own clicks; nobody edits them by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # an erasure request

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_queryset(self, request):
        """The filtered list; without a status filter, only the confirmed subscribers (the ones who may be mailed)."""
        queryset = super().get_export_queryset(request)
        if "status__exact" not in request.GET:
            queryset = queryset.filter(status=Subscriber.Status.CONFIRMED)
        return with_confirmation(queryset)


class MailingForm(forms.ModelForm):
    subject = SingleLineField(label="Subject", max_length=150)  # a line break in a subject is a header injection

    class Meta:
        model = Mailing
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 90})}


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    form = MailingForm
    list_display = ["subject", "created_at", "sent_at", "recipients"]
    search_fields = ["subject"]
    actions = ["send_to_subscribers"]
    fields = ["subject", "body", "preview", "created_at", "sent_at", "recipients"]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.sent_at:
            return ["subject", "body", "preview", "created_at", "sent_at", "recipients"]  # what was sent stays
        return ["preview", "created_at", "sent_at", "recipients"]

    @admin.display(description="Preview")
    def preview(self, obj):
        if not obj or not obj.body:
            return "Saved mailings show their formatted text here."
        return mark_safe(render_markdown(obj.body))  # noqa: S308 - nh3-cleaned

    @admin.action(description="Send to all confirmed subscribers", permissions=["change"])
    def send_to_subscribers(self, request, queryset):
        """Asks first (how many will receive it), then queues the sending; a sent mailing is never sent again."""
        for mailing in queryset.filter(sent_at__isnull=False):
            sent_on = timezone.localtime(mailing.sent_at).strftime("%b %d, %Y %H:%M")
            self.message_user(
                request,
                f"“{mailing}” was already sent on {sent_on} to {mailing.recipients}; it is not sent twice.",
                messages.WARNING,
            )
        waiting = list(queryset.filter(sent_at__isnull=True))
        if not waiting:
            return None
        audience = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).count()
        if "confirm" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": "Send to all confirmed subscribers",
                "opts": self.model._meta,
                "mailings": waiting,
                "audience": audience,
                "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "customer_service/newsletter/admin_send.html", context)
        for mailing in waiting:
            mailing_queue(mailing=mailing)
            self.message_user(request, f"Sending “{mailing}” to {audience} confirmed subscribers.", messages.SUCCESS)
        return None
