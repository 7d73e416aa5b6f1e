"""Checkout pages: details (contact, shipping, billing) -> payment (card, offer code) -> review -> place order, then
3-D Secure when the bank asks, the order page and the account's order history.

Views bind a form, call one service from placing.py / flow.py, and render. Every page quotes the bag again in the
shopper's current currency; the review page's total and currency travel with "place order" and the service refuses
to charge anything else (QuoteChanged), so a currency switch mid-checkout is re-quoted before any charge."""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from customer_service.returns import order_returns
from ring_builder.delivery import shop_today

from . import flow, plans
from .addresses import ADDRESS_REGIONS, AddressForm, ContactForm, address_initial
from .bag import bag_contents, bag_lines
from .installments import plan_months
from .inventory import StoneUnavailable
from .models import Order, OrderEvent
from .money import Money
from .payments import GatewayError, PaymentActionRequired, PaymentDeclined, get_gateway
from .placing import (
    AlreadyPlaced,
    CheckoutError,
    QuoteChanged,
    checkout_quote,
    order_authentication_finish,
    order_place,
    plan_problems,
)
from .promotions import normalise_code
from .tax import COUNTRIES, ESTIMATE_NOTE

log = logging.getLogger(__name__)
GATEWAY_DOWN = "We could not reach our payment provider, and nothing was charged. Please try again in a moment."
STEPS = [("details", "Details"), ("payment", "Payment"), ("review", "Review")]
STEP_URLS = {
    "bag": "checkout:bag",
    "details": "checkout:details",
    "payment": "checkout:payment",
    "review": "checkout:review",
}


# --- Shared ------------------------------------------------------------------------------------------------------
def _holder(request) -> str:
    """This checkout's name on its stone reservations: the session, which survives signing in (its key changes)."""
    holder = flow.recall(request, "holder")
    if not holder:
        import secrets

        holder = "checkout-" + secrets.token_hex(12)
        flow.remember(request, "holder", holder)
    return holder


def _summary(request, bag) -> dict:
    """The order summary every step shows: lines, offers, tax and duty for the destination, total."""
    country, region = flow.destination(request)
    code = flow.code(request)
    try:
        quote = checkout_quote(bag=bag, country=country, region=region, email=flow.email(request), code=code)
    except CheckoutError as refused:
        # The stored code stopped applying (it ended, the bag changed): drop it and say why.
        flow.save_code(request, "")
        messages.warning(request, f"We removed the code {code}: {refused.message}")
        quote = checkout_quote(bag=bag, country=country, region=region, email=flow.email(request))
    return {
        "bag": bag,
        "quote": quote,
        "code": flow.code(request),
        "destination": COUNTRIES.get(country, ""),
        "estimate_note": ESTIMATE_NOTE,
    }


def _gate(request, step: str):
    """The bag priced now, or a redirect to the first step this shopper still has to do."""
    bag = bag_contents(request)
    if bag.has_problems:
        messages.error(request, "Some items in your bag cannot be ordered. Please remove them to continue.")
        return bag, redirect("checkout:bag")
    needed = flow.next_step(request, bag_empty=not bag.lines)
    order = ["bag", "details", "payment", "review"]
    if order.index(needed) < order.index(step):
        if needed == "bag":
            messages.info(request, "Your bag is empty.")
        return bag, redirect(STEP_URLS[needed])
    return bag, None


def _page(request, template: str, step: str, context: dict, status: int = 200):
    at = [key for key, _ in STEPS].index(step)
    steps = [
        {"key": key, "label": label, "state": "done" if i < at else "current" if i == at else "todo"}
        for i, (key, label) in enumerate(STEPS)
    ]
    context.update({"steps": steps, "step": step, "gateway": get_gateway()})
    return render(request, template, context, status=status)


# --- Step 1: details ---------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def details(request):
    bag, stop = _gate(request, "details")
    if stop:
        return stop
    state = flow.state(request)
    billing_differs = bool(flow.billing(request))
    if request.method == "POST":
        contact = ContactForm(request.POST)
        shipping = AddressForm(request.POST, prefix="shipping")
        same = request.POST.get("billing_same") in ("on", "1", "true")
        # Unbound when "same as shipping" is ticked: its empty fields are not errors then.
        billing = AddressForm(request.POST, prefix="billing") if not same else AddressForm(prefix="billing")
        valid = all([contact.is_valid(), shipping.is_valid()]) and (same or billing.is_valid())
        if valid:
            flow.save_details(
                request,
                email=contact.cleaned_data["email"].strip().lower(),
                shipping=shipping.cleaned_data,
                billing=None if same else billing.cleaned_data,
            )
            return redirect("checkout:payment")
        billing_differs = not same
        status = 400
    else:
        email = state.get("email") or (request.user.email if request.user.is_authenticated else "")
        contact = ContactForm(initial={"email": email, "billing_same": not billing_differs})
        initial = address_initial(flow.shipping(request))
        if not initial and request.user.is_authenticated:
            initial = {"name": request.user.get_full_name()}
        shipping = AddressForm(initial=initial, prefix="shipping")
        billing = AddressForm(initial=address_initial(flow.billing(request)), prefix="billing")
        status = 200
    context = {
        **_summary(request, bag),
        "contact": contact,
        "shipping_form": shipping,
        "billing_form": billing,
        "billing_differs": billing_differs,
        "region_countries": sorted(ADDRESS_REGIONS),
    }
    return _page(request, "checkout/details.html", "details", context, status=status)


# --- Step 2: payment -----------------------------------------------------------------------------------------------
class TestCardForm(forms.Form):
    """Test mode only (the offline gateway): a test card number, never stored, turned into a payment-method name."""

    number = forms.CharField(label="Card number", max_length=23, error_messages={"required": "Enter the card number."})
    expiry = forms.RegexField(
        label="Expiry (MM/YY)",
        regex=r"^(0[1-9]|1[0-2])\s*/\s*\d{2}$",
        error_messages={"required": "Enter the expiry date.", "invalid": "Enter the expiry as MM/YY, such as 12/30."},
    )
    cvc = forms.RegexField(
        label="Security code",
        regex=r"^\d{3,4}$",
        error_messages={"required": "Enter the security code.", "invalid": "Enter the 3 or 4 digits on the card."},
    )

    def clean_number(self):
        digits = "".join(self.cleaned_data["number"].split())
        if not digits.isdigit() or not 13 <= len(digits) <= 19:
            raise forms.ValidationError("Enter the card number: 13 to 19 digits.", code="invalid")
        return digits


def _stripe_setup(request, gateway):
    """This checkout's Stripe customer and a fresh SetupIntent for the card element."""
    customer = flow.recall(request, "customer")
    if not customer:
        customer = gateway.create_customer(flow.email(request))
        flow.remember(request, "customer", customer)
    setup = gateway.card_setup(customer=customer)
    flow.remember(request, "setup", setup.id)
    return setup


@require_http_methods(["GET", "POST"])
def payment(request):
    bag, stop = _gate(request, "payment")
    if stop:
        return stop
    gateway = get_gateway()
    form, status, card_error = TestCardForm(), 200, ""
    if request.method == "POST":
        try:
            saved = None
            if gateway.name == "offline":
                form = TestCardForm(request.POST)
                if form.is_valid():
                    saved = gateway.card_from_number(form.cleaned_data["number"])
                else:
                    status = 400
            else:
                setup_id = request.POST.get("setup_intent", "")
                if not setup_id or setup_id != flow.recall(request, "setup"):
                    raise PaymentDeclined("Enter your card details to continue.", "missing_setup")
                saved = gateway.card_saved(setup_id, customer=flow.recall(request, "customer"))
            if saved is not None:
                flow.save_card(request, saved)
                return _after_card(request, bag, saved)
        except PaymentDeclined as declined:
            card_error, status = declined.message, 400
        except GatewayError:
            card_error, status = GATEWAY_DOWN, 502
    context = {**_summary(request, bag), "card_form": form, "card_error": card_error, "saved_card": flow.card(request)}
    context.update(_plan_context(request, context["quote"], brand=None))
    if gateway.name == "stripe":
        try:
            context["setup"] = _stripe_setup(request, gateway)
        except GatewayError:
            context["card_error"], status = GATEWAY_DOWN, 502
        from django.conf import settings

        context.update(stripe_key=settings.STRIPE_PUBLISHABLE_KEY, stripe_js=settings.STRIPE_JS_URL)
    response = _page(request, "checkout/payment.html", "payment", context, status=status)
    if gateway.name == "stripe":
        response._csp_update = flow.stripe_origins()
    return response


def _plan_context(request, quote, *, brand: str | None) -> dict:
    """The monthly plan as the payment and review pages show it: the months (in the order's currency), whether this
    order may use it and why not, and whether the shopper chose it."""
    from django.conf import settings

    problems = plan_problems(total=quote.total, rate_per_usd=quote.rate_per_usd, brand=brand)
    months = plan_months(quote.total, shop_today()) if quote.total.to_minor_units() >= 3 else []
    low = Money(Decimal(str(settings.PLAN_MIN_TOTAL_USD)) * quote.rate_per_usd, quote.total.currency).rounded()
    high = Money(Decimal(str(settings.PLAN_MAX_TOTAL_USD)) * quote.rate_per_usd, quote.total.currency).rounded()
    return {
        "plan_months": months,
        "plan_problems": problems,
        "plan_eligible": not problems,
        "plan_chosen": flow.plan_chosen(request) and not problems,
        "plan_range": (low, high),
    }


def _after_card(request, bag, saved):
    """The card is saved; honour the plan choice only if this order and card may use it (the server decides)."""
    wants_plan = request.POST.get("pay") == "monthly"
    if wants_plan:
        quote = _summary(request, bag)["quote"]
        problems = plan_problems(total=quote.total, rate_per_usd=quote.rate_per_usd, brand=saved.brand)
        if problems:
            log.info("Plan refused at the payment step: %s", " ".join(problems))
            flow.save_plan(request, False)
            messages.error(
                request, f"{' '.join(problems)} You can pay in full with {saved.label}, or use another card."
            )
            return redirect("checkout:payment")
    flow.save_plan(request, wants_plan)
    return redirect("checkout:review")


@require_POST
def offer_code(request):
    """Apply or remove an offer code (from the bag or the payment step). A refused code changes nothing."""
    back = request.POST.get("next") or ""
    back = back if back in ("bag", "payment", "review") else "bag"
    target = reverse(STEP_URLS[back])
    if request.POST.get("remove"):
        flow.save_code(request, "")
        messages.success(request, "Offer code removed.")
        return redirect(target)
    code = normalise_code(request.POST.get("code", ""))[:40]
    if not code:
        messages.error(request, "Enter an offer code.")
        return redirect(target)
    bag = bag_contents(request)
    country, region = flow.destination(request)
    try:
        checkout_quote(bag=bag, country=country, region=region, email=flow.email(request), code=code)
    except CheckoutError as refused:
        messages.error(request, f"The code {code} cannot be used: {refused.message}")
        return redirect(target)
    if flow.code(request) and flow.code(request) != code:
        messages.error(request, "Only one offer code can be used per order. Remove the current code first.")
        return redirect(target)
    flow.save_code(request, code)
    messages.success(request, f"The code {code} is applied.")
    return redirect(target)


# --- Step 3: review and place ----------------------------------------------------------------------------------------
@require_http_methods(["GET"])
def review(request):
    bag, stop = _gate(request, "review")
    if stop:
        return stop
    context = {
        **_summary(request, bag),
        "token": flow.token(request),
        "email": flow.email(request),
        "shipping": flow.shipping(request),
        "billing": flow.billing(request),
        "card": flow.card(request),
        **_plan_context(request, _summary(request, bag)["quote"], brand=flow.card(request).brand),
        "region_names": ADDRESS_REGIONS,
        "countries": COUNTRIES,
    }
    return _page(request, "checkout/review.html", "review", context)


def _posted_total(request) -> Money | None:
    """The total the review page showed, as posted back. Only compared, never charged."""
    try:
        amount = Decimal(request.POST.get("total", ""))
        return Money(amount, request.POST.get("currency", ""))
    except (InvalidOperation, ValueError, TypeError):
        return None


@require_POST
def place(request):
    token = request.POST.get("token", "")
    placed = Order.objects.filter(checkout_token=token).first() if token else None
    if placed is not None:  # a second click, or the back button after paying: show the order, never charge again
        return _after_already_placed(request, placed)
    bag, stop = _gate(request, "review")
    if stop:
        return stop
    if not token or token != flow.state(request).get("token"):
        messages.error(request, "This page was out of date. Please check your order and place it again.")
        return redirect("checkout:review")
    expected = _posted_total(request)
    if expected is None:
        messages.error(request, "Please review your order before paying.")
        return redirect("checkout:review")
    card = flow.card(request)
    country, region = flow.destination(request)
    address = flow.shipping(request)
    plan = flow.plan_chosen(request)
    if plan and request.POST.get("agree_plan") != "on":
        messages.error(request, "Please agree to the monthly charges of your saved card, or choose to pay in full.")
        return redirect("checkout:review")
    try:
        order = order_place(
            bag=bag,
            email=flow.email(request),
            user=request.user,
            address=address,
            country=country,
            region=region,
            billing=flow.billing(request),
            payment_method=card.payment_method,
            customer=card.customer,
            payment_label=card.label,
            expected_total=expected,
            holder=_holder(request),
            token=token,
            code=flow.code(request),
            stored_lines=bag_lines(request),
            plan=plan,
            card_brand=card.brand,
        )
    except AlreadyPlaced as placed:
        return _after_already_placed(request, placed.order)
    except QuoteChanged as changed:
        messages.warning(request, changed.message)
        return redirect("checkout:review")
    except StoneUnavailable as lost:
        flow.rotate_token(request)
        messages.error(request, f"{lost.message} (stock number {lost.sku}). Nothing was charged for it.")
        return redirect("checkout:bag")
    except PaymentDeclined as declined:
        flow.rotate_token(request)
        flow.forget_card(request)
        messages.error(request, f"{declined.message} Your bag is saved: please try another card.")
        return redirect("checkout:payment")
    except PaymentActionRequired as action:
        flow.remember(request, "awaiting", action.order_number)
        flow.remember_order(request, action.order_number)
        return redirect("checkout:authenticate", number=action.order_number)
    except CheckoutError as refused:
        flow.rotate_token(request)
        messages.error(request, refused.message)
        return redirect("checkout:bag")
    except GatewayError:
        flow.rotate_token(request)
        messages.error(request, GATEWAY_DOWN)
        return redirect("checkout:review")
    flow.finish(request, order.number)
    return redirect(order.get_absolute_url() + "?placed=1")


def _after_already_placed(request, order: Order):
    if order.status == Order.Status.PLACED and flow.may_see_order(request, order):
        return redirect("checkout:authenticate", number=order.number)
    if order.status == Order.Status.CANCELLED:
        flow.rotate_token(request)
        messages.error(request, "That attempt did not go through. Please check your order and place it again.")
        return redirect("checkout:review")
    if flow.may_see_order(request, order):
        return redirect(order.get_absolute_url())
    raise Http404


# --- 3-D Secure ------------------------------------------------------------------------------------------------------
def _awaiting_order(request, number: str) -> Order:
    order = Order.objects.filter(number=number).first()
    if order is None or not flow.may_see_order(request, order):
        raise Http404
    return order


@require_http_methods(["GET", "POST"])
def authenticate(request, number: str):
    """The bank asked the cardholder to confirm the payment: Stripe.js shows the bank's page (test mode: two buttons),
    then this view asks the gateway how it ended. The stones stay reserved meanwhile."""
    order = _awaiting_order(request, number)
    if order.status != Order.Status.PLACED:
        return redirect(order.get_absolute_url())
    gateway = get_gateway()
    payment_row = order.payments.order_by("-pk").first()
    if request.method == "POST":
        try:
            if gateway.name == "offline" and payment_row is not None and payment_row.gateway_id:
                gateway.authenticate(payment_row.gateway_id, approve=request.POST.get("outcome") == "complete")
            order = order_authentication_finish(order=order, gateway=gateway)
        except PaymentActionRequired:
            messages.info(request, "Your bank is still waiting for you to confirm the payment.")
        except PaymentDeclined as declined:
            flow.rotate_token(request)
            flow.forget_card(request)
            messages.error(request, f"{declined.message} Your bag is saved.")
            return redirect("checkout:payment")
        except StoneUnavailable as lost:
            flow.rotate_token(request)
            messages.error(request, f"{lost.message} (stock number {lost.sku}). Your payment was refunded.")
            return redirect("checkout:bag")
        except GatewayError:
            messages.error(request, GATEWAY_DOWN)
        else:
            flow.finish(request, order.number)
            return redirect(order.get_absolute_url() + "?placed=1")
    client_secret = ""
    if gateway.name == "stripe" and payment_row is not None and payment_row.gateway_id:
        try:
            client_secret = gateway.retrieve(payment_row.gateway_id).client_secret
        except GatewayError:
            messages.error(request, GATEWAY_DOWN)
    from django.conf import settings

    context = {
        "order": order,
        "client_secret": client_secret,
        "stripe_key": settings.STRIPE_PUBLISHABLE_KEY,
        "stripe_js": settings.STRIPE_JS_URL,
    }
    response = _page(request, "checkout/authenticate.html", "review", context)
    if gateway.name == "stripe":
        response._csp_update = flow.stripe_origins()
    return response


# --- After the order -------------------------------------------------------------------------------------------------
def order_detail(request, number: str):
    """An order's status page, for its owner only (anyone else gets the same 404 as a number that does not exist)."""
    order = (
        Order.objects.filter(number=number)
        .prefetch_related("lines", Prefetch("events", queryset=OrderEvent.objects.filter(kind="status_changed")))
        .first()
    )
    if order is None:
        raise Http404
    if not flow.may_see_order(request, order):
        if order.user_id and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    just_placed = request.GET.get("placed") == "1"
    plan = _plan_of(order)
    context = {
        "plan": plan,
        "summary": plans.plan_summary(plan) if plan else None,
        "grace_ends": plans.grace_ends(plan) if plan and plan.failed_at else None,
        "order": order,
        "just_placed": just_placed,
        "country": COUNTRIES.get(order.shipping_country, order.shipping_country),
        "region": ADDRESS_REGIONS.get(order.shipping_country, {}).get(order.shipping_region, order.shipping_region),
        "pipeline": _pipeline(order),
        **order_returns(order),  # "Return items" when something may go back, and the order's returns
    }
    return render(request, "checkout/order_detail.html", context)


def _plan_of(order: Order):
    from .models import InstallmentPlan

    return (
        InstallmentPlan.objects.filter(order=order).prefetch_related("instalments", "events").first()
        if order.total_amount
        else None
    )


PIPELINE = [
    (Order.Status.PLACED, "Placed"),
    (Order.Status.PAID, "Paid"),
    (Order.Status.IN_PRODUCTION, "In production"),
    (Order.Status.SHIPPED, "Shipped"),
    (Order.Status.DELIVERED, "Delivered"),
]


def _pipeline(order: Order) -> list[dict]:
    """The progress bar: each stage done, current or to come (a cancelled or refunded order shows none)."""
    values = [status for status, _ in PIPELINE]
    if order.status not in values:
        return []
    at = values.index(order.status)
    return [{"label": label, "done": i < at, "current": i == at} for i, (_, label) in enumerate(PIPELINE)]


@login_required
def order_history(request):
    orders = Order.objects.filter(user=request.user).prefetch_related("lines").order_by("-placed_at")
    page = Paginator(orders, 10).get_page(request.GET.get("page"))
    return render(request, "checkout/order_history.html", {"page": page})
