"""The shopper's side of the monthly plan: each plan with a live "paid / held / next charge on" schedule, and the
page the grace-period email links to, where a new card is saved and the missed payment taken with the shopper
present (3-D Secure when the bank asks)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import flow, plans
from .checkout_views import GATEWAY_DOWN, TestCardForm
from .models import Installment, InstallmentPlan
from .payments import GatewayError, PaymentActionRequired, PaymentDeclined


def _plans():
    return InstallmentPlan.objects.select_related("order").prefetch_related(
        Prefetch("instalments", queryset=Installment.objects.order_by("number")), "events"
    )


@login_required
def plan_list(request):
    rows = [
        (plan, plans.plan_summary(plan), plans.grace_ends(plan) if plan.failed_at else None)
        for plan in _plans().filter(order__user=request.user).prefetch_related("order__lines")
    ]
    return render(request, "checkout/plans.html", {"rows": rows})


class SignInFirst(Exception):
    pass


def _owned_plan(request, plan_id: int) -> InstallmentPlan:
    """The owner's plan: their account, the browser that placed it, or the signed link from the email (which then
    lets this browser see the order too)."""
    plan = _plans().filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    if flow.may_see_order(request, plan.order):
        return plan
    if plans.card_link_valid(plan, request.GET.get("t", "")):
        flow.remember_order(request, plan.order.number)
        return plan
    if plan.order.user_id and not request.user.is_authenticated:
        raise SignInFirst
    raise Http404


def _owed(plan: InstallmentPlan) -> Installment | None:
    return next((i for i in plan.instalments.all() if i.status != Installment.Status.PAID), None)


@require_http_methods(["GET", "POST"])
def plan_card(request, plan_id: int):
    """Save a new card for the plan and pay the missed instalment now, on-session."""
    try:
        plan = _owned_plan(request, plan_id)
    except SignInFirst:
        return redirect_to_login(request.get_full_path())
    if plan.status not in plans.LIVE:
        messages.info(request, f"This plan is {plan.get_status_display().lower()}: there is nothing to pay.")
        return redirect(plan.order.get_absolute_url())
    gateway = plans.gateway_for(plan)
    owed = _owed(plan)
    form, status, error, client_secret, setup = TestCardForm(), 200, "", "", None
    if request.method == "POST":
        try:
            if request.POST.get("authenticated") and owed is not None:
                outcome = plans.plan_charge_instalment(
                    instalment_id=owed.pk, gateway=gateway, force=True, off_session=False, resume=True
                )
                return _done(request, plan, outcome)
            if gateway.name == "offline":
                form = TestCardForm(request.POST)
                saved = gateway.card_from_number(form.cleaned_data["number"]) if form.is_valid() else None
            else:
                setup_id = request.POST.get("setup_intent", "")
                if not setup_id or setup_id != request.session.get(f"plan-setup-{plan.pk}"):
                    raise PaymentDeclined("Enter your card details to continue.", "missing_setup")
                saved = gateway.card_saved(setup_id, customer=plan.customer)
            if saved is not None:
                if saved.brand not in plans.rules.ELIGIBLE_BRANDS:
                    raise PaymentDeclined("Monthly payments need a Visa, Mastercard or American Express card.")
                InstallmentPlan.objects.filter(pk=plan.pk).update(
                    payment_method=saved.payment_method, card_label=saved.label
                )
                plans._event(plan, "card", f"Card updated to {saved.label}.")
                if owed is None:
                    messages.success(request, f"Your plan now uses {saved.label}.")
                    return redirect(plan.order.get_absolute_url())
                outcome = plans.plan_charge_instalment(
                    instalment_id=owed.pk, gateway=gateway, force=True, off_session=False
                )
                return _done(request, plan, outcome)
            status = 400
        except PaymentActionRequired as action:
            client_secret = action.client_secret
        except PaymentDeclined as declined:
            error, status = declined.message, 400
        except GatewayError:
            error, status = GATEWAY_DOWN, 502
    if gateway.name == "stripe" and not client_secret:
        try:
            setup = gateway.card_setup(customer=plan.customer)
            request.session[f"plan-setup-{plan.pk}"] = setup.id
        except GatewayError:
            error, status = GATEWAY_DOWN, 502
    context = {
        "plan": plan,
        "summary": plans.plan_summary(plan),
        "owed": owed,
        "grace_ends": plans.grace_ends(plan) if plan.failed_at else None,
        "card_form": form,
        "card_error": error,
        "setup": setup,
        "client_secret": client_secret,
        "gateway": gateway,
        "stripe_key": settings.STRIPE_PUBLISHABLE_KEY,
        "stripe_js": settings.STRIPE_JS_URL,
    }
    response = render(request, "checkout/plan_card.html", context, status=status)
    if gateway.name == "stripe":
        response._csp_update = flow.stripe_origins()
    return response


def _done(request, plan: InstallmentPlan, outcome: str):
    if outcome in ("paid", "already paid"):
        messages.success(request, "Thank you: your payment went through and your plan is back on schedule.")
    elif outcome == "failed":
        messages.error(request, "That card was declined too. Please try another card, or call us.")
        return redirect("checkout:plan_card", plan_id=plan.pk)
    else:
        messages.info(request, "Your payment is being processed.")
    return redirect(plan.order.get_absolute_url())
