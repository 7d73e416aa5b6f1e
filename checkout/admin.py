from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import plans
from .models import (
    Currency,
    Installment,
    InstallmentPlan,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    PlanEvent,
    Promotion,
    PromotionRedemption,
    TaxRate,
)
from .money import Money, minor_units, quantize
from .orders import InvalidTransition, check_move, check_ready, order_transition
from .payments import GatewayError
from .refunds import RefundError, order_refund, refundable


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

    def clean(self):
        cleaned = super().clean()
        to_status = cleaned.get("status")
        if to_status and to_status != self.initial.get("status"):
            # The tracking number on this form is saved before the move, so it is the one that counts.
            try:
                check_ready(
                    self.initial.get("status", ""), to_status, tracking_number=cleaned.get("tracking_number", "")
                )
            except InvalidTransition as refused:
                self.add_error("tracking_number", forms.ValidationError(refused.message, code="tracking_required"))
        return cleaned


class RefundForm(forms.Form):
    """How much to give back, in the order's currency; blank is everything that is left."""

    amount = forms.CharField(required=False, max_length=30)
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Written to the order's log with your name.",
    )

    def __init__(self, *args, left: Money, **kwargs):
        super().__init__(*args, **kwargs)
        self.left = left
        self.fields["amount"].label = f"Amount ({left.currency})"
        self.fields["amount"].help_text = f"Leave blank to refund everything that is left: {left}."
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean_amount(self) -> Money | None:
        raw = self.cleaned_data["amount"].strip()
        if not raw:
            return None
        currency = self.left.currency
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise forms.ValidationError(
                "Enter the amount as a number, without a currency symbol or separators, e.g. 1250.00.", code="invalid"
            )
        if value <= 0:
            raise forms.ValidationError("Enter an amount above zero.", code="not_positive")
        if value > self.left.amount:
            raise forms.ValidationError(f"Only {self.left} is left to refund on this order.", code="too_much")
        if quantize(value, currency) != value:
            raise forms.ValidationError(
                f"{currency} amounts have at most {minor_units(currency)} decimals.", code="too_many_decimals"
            )
        return Money(quantize(value, currency), currency)


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


class PaymentStatusFilter(admin.SimpleListFilter):
    title = "payment status"
    parameter_name = "payment_status"

    def lookups(self, request, model_admin):
        return Payment.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Payment.Status.values:
            return queryset.filter(payments__status=self.value(), payments__kind=Payment.Kind.CHARGE).distinct()
        return queryset


@admin.action(description="Refund the selected order…", permissions=["change"])
def refund_order(modeladmin, request, queryset):
    """Opens the refund page: one order at a time, because each refund needs its own amount."""
    orders = list(queryset.values_list("pk", flat=True)[:2])
    if len(orders) != 1:
        modeladmin.message_user(request, "Select exactly one order to refund.", messages.WARNING)
        return None
    return HttpResponseRedirect(reverse("admin:checkout_order_refund", args=[orders[0]]))


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders come from checkout: staff read them, add a tracking number, and move the status by the rules only
    (every move goes through order_transition and is logged with the staff user)."""

    form = OrderAdminForm
    list_display = ["number", "placed_at", "email", "status", "total_display", "tracking_number"]
    list_filter = ["status", PaymentStatusFilter, "currency", "placed_at"]
    search_fields = ["number", "email", "tracking_number"]
    date_hierarchy = "placed_at"
    ordering = ["-placed_at"]
    inlines = [OrderLineInline, PaymentInline, OrderEventInline]
    actions = [*(_move_action(s) for s in ("in_production", "shipped", "delivered", "cancelled")), refund_order]
    fieldsets = [
        (
            None,
            {"fields": ["number", "status", "status_note", "placed_at", "updated_at", "email", "user", "plan_link"]},
        ),
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
                    "refunds_display",
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

    @admin.display(description="Monthly plan")
    def plan_link(self, obj):
        plan = InstallmentPlan.objects.filter(order=obj).first() if obj is not None and obj.pk else None
        if plan is None:
            return "-"
        url = reverse("admin:checkout_installmentplan_change", args=[plan.pk])
        return format_html('<a href="{}">{}</a>', url, plan.get_status_display())

    @admin.display(description="Refunds")
    def refunds_summary(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        charges = [p for p in obj.payments.all() if p.kind == Payment.Kind.CHARGE and p.currency == obj.currency]
        refunded = Money.from_minor_units(sum(p.refunded_minor for p in charges), obj.currency)
        return f"{refunded} refunded, {refundable(obj)} left to refund."

    @admin.display(description="Refunds")
    def refunds_display(self, obj):
        """The summary, and for staff who may change orders the way to the refund page."""
        summary = self.refunds_summary(obj)
        if obj is None or obj.pk is None or refundable(obj).amount <= 0:
            return summary
        url = reverse("admin:checkout_order_refund", args=[obj.pk])
        return format_html('{} <a class="button" href="{}">Refund…</a>', summary, url)

    def get_urls(self):
        refund = path(
            "<path:object_id>/refund/",
            self.admin_site.admin_view(self.refund_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_refund",
        )
        return [refund, *super().get_urls()]

    def refund_view(self, request, object_id):
        """The refund page: amount (blank = all that is left) and reason; the money goes back through the gateway
        the order was paid with. Needs the change permission (Customer service only views orders)."""
        order = self.get_object(request, unquote(object_id))
        if order is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        change_url = reverse("admin:checkout_order_change", args=[order.pk])
        left = refundable(order)
        form = RefundForm(request.POST if request.method == "POST" else None, left=left)
        if request.method == "POST" and left.amount > 0 and form.is_valid():
            try:
                refund = order_refund(
                    order_id=order.pk,
                    amount=form.cleaned_data["amount"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except RefundError as refused:
                form.add_error(None, forms.ValidationError(refused.message, code="refused"))
            else:
                done = " The order is refunded in full." if refund.fully_refunded else ""
                self.message_user(request, f"Refunded {refund.amount} on order {order.number}.{done}", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
            left = refundable(order)
        payments = [p for p in order.payments.all() if p.kind == Payment.Kind.CHARGE]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Refund order {order.number}",
            "opts": self.opts,
            "original": order,
            "order": order,
            "form": form,
            "left": left,
            "payments": [
                {
                    "payment": p,
                    "amount": p.amount,
                    "refunded": Money.from_minor_units(p.refunded_minor, p.currency),
                }
                for p in payments
            ],
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/checkout/order/refund.html", context)

    def get_readonly_fields(self, request, obj=None):
        every = [name for _, options in self.fieldsets for name in options["fields"]]
        return [name for name in every if name not in self.EDITABLE]

    def get_fieldsets(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fieldsets
        # A read-only viewer gets no note box (it is a form field, not a column), and no way to the refund page.
        viewer = {"refunds_display": "refunds_summary"}
        return [
            (title, {"fields": [viewer.get(f, f) for f in o["fields"] if f != "status_note"]})
            for title, o in self.fieldsets
        ]

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


# --- Monthly plans ---------------------------------------------------------------------------------------------------
class InstalmentInline(_ReadOnlyInline):
    model = Installment
    fields = ["number", "due_on", "amount", "status", "attempts", "last_attempt_at", "paid_at", "gateway_id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")  # `amount` is in the plan's currency


class PlanEventInline(_ReadOnlyInline):
    model = PlanEvent
    fields = ["created", "kind", "message"]


def _retry_message(plan: InstallmentPlan, owed: Installment, outcome: str) -> tuple[str, int]:
    """What "retry now" did to one plan, in words for staff, and how loud to say it."""
    what = f"{plan.order.number}: payment {owed.number} of 3 ({owed.amount})"
    if outcome == "paid":
        plan.refresh_from_db(fields=["status"])
        return f"{what} paid; the plan is {plan.get_status_display().lower()}.", messages.SUCCESS
    if outcome == "already paid":
        return f"{what} was already paid; nothing was charged.", messages.INFO
    if outcome == "failed":
        failure = plan.events.filter(kind="failed").order_by("-created", "-pk").first()
        why = f" {failure.message}" if failure else ""
        return f"{what} failed again; the card was not charged.{why}", messages.ERROR
    if outcome == "being charged":
        return (
            f"{what} is being charged right now by another run; nothing more was charged. Look again in a few minutes.",
            messages.WARNING,
        )
    return f"{what}: {outcome}; nothing was charged.", messages.WARNING


@admin.register(InstallmentPlan)
class InstallmentPlanAdmin(admin.ModelAdmin):
    """Monthly plans, read-only: a plan changes only through the services in plans.py. Staff find the plans in
    grace or defaulted and retry the payment owed (the idempotent path: it charges an instalment once, whoever
    presses it); cancelling releases the hold and refunds, so it needs the right to refund orders too."""

    list_display = [
        "order_link",
        "status",
        "total_display",
        "paid_display",
        "held_display",
        "next_display",
        "card_label",
        "created",
    ]
    list_display_links = ["status"]  # the order number links to the order
    list_filter = ["status", "gateway"]
    search_fields = ["order__number", "order__email"]
    list_select_related = ["order"]
    date_hierarchy = "created"
    inlines = [InstalmentInline, PlanEventInline]
    actions = ["retry_instalment", "cancel_plans"]
    fieldsets = [
        (None, {"fields": ["order_link", "status", "failed_at", "created", "updated"]}),
        ("Amounts", {"fields": ["total_display", "paid_display", "held_display", "owed_display", "next_display"]}),
        (
            "Card and gateway",
            {
                "fields": [
                    "gateway",
                    "card_label",
                    "customer",
                    "payment_method",
                    "hold_id",
                    "hold_placed_at",
                    "hold_sequence",
                ]
            },
        ),
    ]
    readonly_fields = [name for _, options in fieldsets for name in options["fields"]]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("instalments", queryset=Installment.objects.order_by("number")))
        )

    # -- Columns ------------------------------------------------------------------------------------------------------
    @admin.display(description="Order", ordering="order__number")
    def order_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:checkout_order_change", args=[obj.order_id]), obj.order
        )

    @admin.display(description="Total", ordering="total_minor")
    def total_display(self, obj):
        return str(obj.total)

    @admin.display(description="Paid")
    def paid_display(self, obj):
        return str(plans.plan_summary(obj)["paid"])

    @admin.display(description="Held on the card", ordering="hold_minor")
    def held_display(self, obj):
        return str(obj.held)

    @admin.display(description="Still owed")
    def owed_display(self, obj):
        return str(plans.plan_summary(obj)["owed"])

    @admin.display(description="Next payment")
    def next_display(self, obj):
        owed = plans.plan_summary(obj)["next"]
        if owed is None:
            return "-"
        amount = Money.from_minor_units(owed.amount_minor, obj.currency)
        late = " (failed)" if owed.status == Installment.Status.FAILED else ""
        return f"{owed.due_on:%b %-d, %Y}: {amount}{late}"

    # -- Permissions: read-only pages, actions for staff who may change plans ------------------------------------------
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The plan's own page is always read-only (a save would write every field over what the services wrote); the
        # right to change plans is what the actions ask for.
        if obj is not None:
            return False
        return super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_cancel_permission(self, request):
        """Cancelling refunds the order: it needs the right to refund orders (change them) as well."""
        opts = Order._meta
        refund = f"{opts.app_label}.{get_permission_codename('change', opts)}"
        return self.has_change_permission(request) and request.user.has_perm(refund)

    # -- Actions ------------------------------------------------------------------------------------------------------
    @admin.action(description="Retry the due or failed instalment now", permissions=["change"])
    def retry_instalment(self, request, queryset):
        """The first unpaid instalment of each live plan, charged now through the idempotent path. One not due yet
        is left alone: "retry" charges what is owed, never early."""
        today = timezone.localdate()
        for plan in queryset.select_related("order").order_by("pk"):
            number = plan.order.number
            if plan.status not in plans.LIVE:
                self.message_user(
                    request,
                    f"{number}: the plan is {plan.get_status_display().lower()}; there is nothing to retry and "
                    "nothing was charged.",
                    messages.WARNING,
                )
                continue
            owed = plan.instalments.exclude(status=Installment.Status.PAID).order_by("number").first()
            if owed is None:
                self.message_user(request, f"{number}: nothing is owed; nothing was charged.", messages.INFO)
                continue
            if owed.status == Installment.Status.PENDING and owed.due_on > today:
                self.message_user(
                    request,
                    f"{number}: payment {owed.number} of 3 is not due until {owed.due_on:%B %-d, %Y}; nothing was "
                    "charged.",
                    messages.WARNING,
                )
                continue
            try:
                outcome = plans.plan_charge_instalment(instalment_id=owed.pk, force=True)
            except GatewayError as exc:
                self.message_user(
                    request,
                    f"{number}: the payment service did not answer ({exc}). The charge is checked on the next run "
                    "and cannot be made twice.",
                    messages.ERROR,
                )
                self.log_change(request, plan, f"Retried payment {owed.number} of 3: no answer from the gateway.")
                continue
            text, level = _retry_message(plan, owed, outcome)
            self.message_user(request, text, level)
            self.log_change(request, plan, f"Retried payment {owed.number} of 3: {outcome}.")

    @admin.action(description="Cancel the plan, release the hold and refund…", permissions=["cancel"])
    def cancel_plans(self, request, queryset):
        """A confirmation page first (it refunds money); then each live plan is cancelled by plans.plan_cancel."""
        chosen = list(queryset.select_related("order").order_by("pk"))  # instalments prefetched by get_queryset
        if request.POST.get("confirm") == "yes":
            reason = request.POST.get("reason", "").strip()[:500]
            for plan in chosen:
                number = plan.order.number
                if plan.status not in plans.LIVE:
                    self.message_user(
                        request,
                        f"{number}: the plan is {plan.get_status_display().lower()}; it was left as it is.",
                        messages.WARNING,
                    )
                    continue
                held = plan.held
                plans.plan_cancel(plan_id=plan.pk, by=request.user, reason=reason)
                plan.refresh_from_db()
                closing = plan.events.filter(kind="status").order_by("-created", "-pk").first()
                said = closing.message if closing else ""
                level = messages.ERROR if "FAILED" in said else messages.SUCCESS
                self.message_user(
                    request,
                    f"{number}: plan {plan.get_status_display().lower()}; {held} hold released. {said}".strip(),
                    level,
                )
                self.log_change(request, plan, f"Cancelled the plan from the admin. {said}".strip())
            return None
        rows = [
            {
                "plan": plan,
                "live": plan.status in plans.LIVE,
                "paid": plans.plan_summary(plan)["paid"],
                "refund": refundable(plan.order),
                "held": plan.held,
            }
            for plan in chosen
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Cancel monthly plans",
            "opts": self.opts,
            "rows": rows,
            "live_count": sum(row["live"] for row in rows),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/checkout/installmentplan/cancel_confirmation.html", context)
