"""Moderation for Marketing: a queue of pending moments with photo previews; approve, reject with a kind email,
withdraw; fix names and story; pick the cover and the moment of the month."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from . import services
from .models import Moment, MomentPhoto

DEFAULT_REASON = "the photos do not meet our gallery's quality guidelines."


class MomentPhotoForm(forms.ModelForm):
    """A photo added by Marketing (a story that came by email) goes through the same checks as the share form."""

    class Meta:
        model = MomentPhoto
        fields = ["position", "upload"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and hasattr(upload, "read") and not self.instance.pk:
            from .photos import PhotoRejected, check_upload

            data = upload.read(15 * 1024 * 1024 + 1)
            upload.seek(0)
            try:
                check_upload(getattr(upload, "name", "") or "", data)
            except PhotoRejected as rejected:
                raise forms.ValidationError(rejected.message, code="photo") from None
            upload.name = "admin.upload"  # a generated name: the sender's file name never reaches the disk
        return upload


class MomentPhotoInline(admin.TabularInline):
    model = MomentPhoto
    form = MomentPhotoForm
    fields = ["preview", "position", "state", "upload"]
    readonly_fields = ["preview", "state"]
    extra = 1

    @admin.display(description="Photo")
    def preview(self, obj):
        if obj.pk and obj.state == MomentPhoto.State.READY:
            return format_html('<img src="{}" alt="" width="160">', obj.url("thumb.jpg"))
        return obj.get_state_display() if obj.pk else ""


class MomentAdminForm(forms.ModelForm):
    class Meta:
        model = Moment
        fields = [
            "status", "rejection_reason", "cover", "month_of", "first_name_1", "last_name_1", "first_name_2",
            "last_name_2", "email_1", "email_2", "instagram_1", "instagram_2", "country", "region", "city", "story",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cover" in self.fields:
            self.fields["cover"].queryset = (
                MomentPhoto.objects.filter(moment=self.instance) if self.instance.pk else MomentPhoto.objects.none()
            )

    def clean_month_of(self):
        month = self.cleaned_data.get("month_of")
        return month.replace(day=1) if month else month


@admin.register(Moment)
class MomentAdmin(admin.ModelAdmin):
    form = MomentAdminForm
    list_display = ["cover_preview", "public_names", "city", "region", "country", "status", "month_of", "created"]
    list_filter = ["status", "country"]
    search_fields = ["first_name_1", "first_name_2", "last_name_1", "last_name_2", "city", "order__number"]
    list_select_related = ["cover"]
    inlines = [MomentPhotoInline]
    readonly_fields = ["consent_text", "consent_at", "approved_at", "created", "order"]
    actions = ["approve", "reject", "withdraw"]
    fieldsets = [
        (None, {"fields": ["status", "rejection_reason", "cover", "month_of", "order"]}),
        ("The couple", {"fields": ["first_name_1", "last_name_1", "first_name_2", "last_name_2", "email_1", "email_2",
                                   "instagram_1", "instagram_2"]}),
        ("Where", {"fields": ["country", "region", "city"]}),
        ("Story", {"fields": ["story"]}),
        ("Consent", {"fields": ["consent_text", "consent_at", "created", "approved_at"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cover")

    @admin.display(description="Cover")
    def cover_preview(self, obj):
        if obj.cover_id and obj.cover.state == MomentPhoto.State.READY:
            return format_html('<img src="{}" alt="" width="80">', obj.cover.url("thumb.jpg"))
        return "—"

    def save_model(self, request, obj, form, change):
        if not change:
            from django.utils import timezone

            from .models import CONSENT_TEXT

            obj.consent_text = obj.consent_text or f"{CONSENT_TEXT} (given by email, recorded by {request.user})"
            obj.consent_at = timezone.now()
        if "status" in form.changed_data and obj.status == Moment.Status.APPROVED and not obj.approved_at:
            from django.utils import timezone

            obj.approved_at = timezone.now()
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data and obj.status == Moment.Status.REJECTED:
            services.moment_reject(moment=obj, reason=obj.rejection_reason or DEFAULT_REASON)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from django.db import transaction

        from .services import _queue

        moment_id = form.instance.pk
        transaction.on_commit(lambda: _queue(moment_id))  # new photos get their page sizes; the upload is deleted

    @admin.action(description="Approve and publish", permissions=["change"])
    def approve(self, request, queryset):
        for moment in queryset:
            services.moment_approve(moment=moment)
        self.message_user(request, f"{queryset.count()} moment(s) published.", messages.SUCCESS)

    @admin.action(description="Reject (emails the couple the reason written on the moment)", permissions=["change"])
    def reject(self, request, queryset):
        for moment in queryset:
            reason = moment.rejection_reason or DEFAULT_REASON
            services.moment_reject(moment=moment, reason=reason)
        self.message_user(
            request, f"{queryset.count()} moment(s) rejected; the couples were emailed.", messages.SUCCESS
        )

    @admin.action(description="Withdraw (consent withdrawn)", permissions=["change"])
    def withdraw(self, request, queryset):
        for moment in queryset:
            services.moment_withdraw(moment=moment)
        self.message_user(request, f"{queryset.count()} moment(s) withdrawn from the gallery.", messages.SUCCESS)
