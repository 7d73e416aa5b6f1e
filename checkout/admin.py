from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone

from .models import Currency, Order, OrderEvent, OrderLine, Payment, Promotion, PromotionRedemption, TaxRate
from .orders import InvalidTransition, check_move, order_transition


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


# --- Orders ----------------------------------------------------------------------------------------------------------
class _ReadOnlyInline(admin.TabularInline):
    """Lines, payments and the event log are written by checkout and the order services; staff only read them."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderLineInline(_ReadOnlyInline):
    model = OrderLine
    fields = ["kind", "description", "references", "unit_price_usd", "unit_amount", "quantity", "line_amount"]


class PaymentInline(_ReadOnlyInline):
    model = Payment
    fields = ["created", "gateway", "gateway_id", "kind", "status", "amount_minor", "refunded_minor", "currency"]


class OrderEventInline(_ReadOnlyInline):
    model = OrderEvent
    fields = ["created", "kind", "from_status", "to_status", "message", "staff_user"]


class OrderAdminForm(forms.ModelForm):
    status_note = forms.CharField(
        required=False, max_length=500, help_text="Optional: why the status changed (written to the order's log)."
    )

    class Meta:
        model = Order
        fields = ["status", "tracking_number", "delivered_by"]

    def clean_status(self):
        to_status = self.cleaned_data["status"]
        if self.instance.pk and to_status != self.initial.get("status"):
            # Checked against the status saved now, not the one the page was loaded with.
            current = Order.objects.values_list("status", flat=True).get(pk=self.instance.pk)
            if to_status != current:
                try:
                    check_move(current, to_status)
                except InvalidTransition as refused:
                    raise forms.ValidationError(refused.message, code="invalid_transition") from refused
        return to_status


def _move_action(to_status: str):
    label = Order.Status(to_status).label

    @admin.action(description=f"Mark selected orders as {label.lower()}", permissions=["change"])
    def action(modeladmin, request, queryset):
        moved, refused = 0, []
        for order in queryset.order_by("pk"):
            try:
                before = order.status
                order_transition(order=order, to_status=to_status, by=request.user, message="Admin bulk action.")
                moved += before != to_status
            except InvalidTransition as error:
                refused.append(f"{order.number}: {error.message}")
        if moved:
            modeladmin.message_user(request, f"{moved} order(s) marked as {label.lower()}.", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)

    action.__name__ = f"mark_{to_status}"
    return action


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders come from checkout: staff read them, add a tracking number, and move the status by the rules only
    (every move goes through order_transition and is logged with the staff user)."""

    form = OrderAdminForm
    list_display = ["number", "placed_at", "email", "status", "total_display", "tracking_number"]
    list_filter = ["status", "currency", "placed_at"]
    search_fields = ["number", "email", "tracking_number"]
    date_hierarchy = "placed_at"
    ordering = ["-placed_at"]
    inlines = [OrderLineInline, PaymentInline, OrderEventInline]
    actions = [_move_action(s) for s in ("in_production", "shipped", "delivered", "cancelled")]
    fieldsets = [
        (None, {"fields": ["number", "status", "status_note", "placed_at", "updated_at", "email", "user"]}),
        (
            "Amounts",
            {
                "fields": [
                    "currency",
                    "rate_per_usd",
                    "subtotal_amount",
                    "discount_amount",
                    "tax_amount",
                    "shipping_amount",
                    "total_display",
                ]
            },
        ),
        (
            "Delivery",
            {
                "fields": [
                    "tracking_number",
                    "delivered_by",
                    "shipping_name",
                    "shipping_line1",
                    "shipping_line2",
                    "shipping_city",
                    "shipping_region",
                    "shipping_postal_code",
                    "shipping_country",
                    "shipping_phone",
                ]
            },
        ),
        (
            "Billing",
            {
                "fields": [
                    "billing_same_as_shipping",
                    "billing_name",
                    "billing_line1",
                    "billing_line2",
                    "billing_city",
                    "billing_region",
                    "billing_postal_code",
                    "billing_country",
                    "billing_phone",
                ]
            },
        ),
    ]
    EDITABLE = ("status", "status_note", "tracking_number", "delivered_by")

    @admin.display(description="Total", ordering="total_amount")
    def total_display(self, obj):
        return str(obj.total)

    def get_readonly_fields(self, request, obj=None):
        every = [name for _, options in self.fieldsets for name in options["fields"]]
        return [name for name in every if name not in self.EDITABLE]

    def get_fieldsets(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fieldsets
        # A read-only viewer gets no note box (it is a form field, not a column).
        return [(title, {"fields": [f for f in o["fields"] if f != "status_note"]}) for title, o in self.fieldsets]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Never obj.save() whole: it would write the new status without the rules. Save the plain fields, then move.
        plain = [name for name in ("tracking_number", "delivered_by") if name in form.changed_data]
        if plain:
            obj.save(update_fields=[*plain, "updated_at"])
        note = form.cleaned_data.get("status_note", "")
        if "status" in form.changed_data:
            try:
                order_transition(order=obj, to_status=obj.status, by=request.user, message=note)
            except InvalidTransition as refused:  # the status changed under us since the form was checked
                self.message_user(request, refused.message, messages.ERROR)
        elif note:
            OrderEvent.objects.create(order=obj, kind=OrderEvent.Kind.NOTE, message=note, staff_user=request.user)
