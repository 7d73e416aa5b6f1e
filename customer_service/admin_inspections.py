"""Live inspection requests in the admin: what each shopper asked for, by due date, and a "Confirm a time" page
that picks one of the shopper's times (or another), with the meeting link, and sends both calendar invitations."""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog.views.detail import diamond_title

from .due_dates import shop_zone
from .inspection_forms import ConfirmForm, say_time
from .inspections import inspection_confirm, preferred_moments
from .models import InspectionRequest


def _short(moment: datetime | None) -> str:
    """'Thu Dec 10, 9:00 PM' in the shop's zone: the admin's clock."""
    if moment is None:
        return "-"
    local = moment.astimezone(shop_zone())
    return f"{local:%a %b} {local.day}, {local.strftime('%I').lstrip('0')}:{local:%M %p}"


class ConfirmedFilter(admin.SimpleListFilter):
    title = "time"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("no", "Waiting for a time"), ("yes", "Confirmed")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(confirmed_start__isnull=True)
        if self.value() == "yes":
            return queryset.filter(confirmed_start__isnull=False)
        return queryset


@admin.register(InspectionRequest)
class InspectionRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "diamond_link", "shopper", "first_time", "confirmed", "due"]
    list_filter = [ConfirmedFilter]
    list_select_related = ["ticket", "diamond"]
    search_fields = ["ticket__reference", "ticket__email", "ticket__name", "diamond__sku"]
    ordering = ["ticket__due_at"]
    list_per_page = 50
    fields = ["reference", "diamond_link", "shopper", "time_zone", "proposed", "confirmed", "duration_minutes",
              "meeting_url", "expert", "sequence", "ticket_link", "confirm_button"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # requests come from the shop's form

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="Reference", ordering="ticket__reference")
    def reference(self, obj):
        return obj.ticket.reference

    @admin.display(description="Diamond", ordering="diamond__sku")
    def diamond_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> · {}',
            obj.diamond.get_absolute_url(),
            obj.diamond.sku,
            diamond_title(obj.diamond),
        )

    @admin.display(description="Shopper", ordering="ticket__name")
    def shopper(self, obj):
        return format_html("{} &lt;{}&gt;", obj.ticket.name, obj.ticket.email)

    @admin.display(description="First preferred time")
    def first_time(self, obj):
        moments = preferred_moments(obj)
        return _short(moments[0]) if moments else "-"

    @admin.display(description="Confirmed time", ordering="confirmed_start")
    def confirmed(self, obj):
        return _short(obj.confirmed_start) if obj.confirmed_start else "Not yet"

    @admin.display(description="Due", ordering="ticket__due_at")
    def due(self, obj):
        local = obj.ticket.due_at.astimezone(shop_zone())
        label = f"{local:%a %b} {local.day}"
        if obj.confirmed_start is None and obj.ticket.is_overdue:
            return format_html("<strong>{} · OVERDUE</strong>", label)
        return label

    @admin.display(description="Times the shopper proposed")
    def proposed(self, obj):
        return format_html_join(
            "",
            "<p>{} · {}</p>",
            ((say_time(m, shop_zone()), say_time(m, obj.time_zone)) for m in preferred_moments(obj)),
        )

    @admin.display(description="Ticket")
    def ticket_link(self, obj):
        url = reverse("admin:customer_service_ticket_change", args=[obj.ticket.pk])
        return format_html('<a href="{}">{} · {}</a>', url, obj.ticket.reference, obj.ticket.get_status_display())

    @admin.display(description="Confirm")
    def confirm_button(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        url = reverse("admin:customer_service_inspectionrequest_confirm", args=[obj.pk])
        label = "Move to another time…" if obj.confirmed_start else "Confirm a time…"
        return format_html('<a class="button" href="{}">{}</a>', url, label)

    def get_urls(self):
        confirm = path(
            "<path:object_id>/confirm/",
            self.admin_site.admin_view(self.confirm_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_confirm",
        )
        return [confirm, *super().get_urls()]

    def confirm_view(self, request, object_id):
        """Pick the time and the meeting link; the shopper and the expert (this staff member) get the invitation.
        Needs the change permission on inspection requests (the Customer service group has it)."""
        inspection = self.get_object(request, unquote(object_id))
        if inspection is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, inspection):
            raise PermissionDenied
        change_url = reverse("admin:customer_service_inspectionrequest_change", args=[inspection.pk])
        form = ConfirmForm(request.POST if request.method == "POST" else None, inspection=inspection)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            inspection = inspection_confirm(
                inspection=inspection,
                start=data["start"],
                duration_minutes=data["duration_minutes"],
                meeting_url=data["meeting_url"],
                expert=request.user,
            )
            verb = "Moved" if inspection.sequence else "Confirmed"
            self.message_user(
                request,
                f"{verb}: {say_time(inspection.confirmed_start, shop_zone())}. The invitation went to "
                f"{inspection.ticket.email} and to you ({request.user.email}).",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Confirm a time for {inspection.ticket.reference}",
            "opts": self.opts,
            "original": inspection,
            "inspection": inspection,
            "ticket": inspection.ticket,
            "diamond_title": diamond_title(inspection.diamond),
            "shop_zone": shop_zone().key,
            "current": say_time(inspection.confirmed_start, shop_zone()) if inspection.confirmed_start else "",
            "form": form,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/customer_service/inspectionrequest/confirm.html", context)
