"""The bag's pages: show it (priced now, in the shopper's currency), add to it, remove from it, and combine a setting
and a loose stone into one ring. Plain POST forms that redirect; a question (a setting that needs its centre stone)
is a page with a dialog, or with htmx the dialog alone."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from catalog.grades import Metal
from catalog.models import Jewelry
from ring_builder import prompts
from ring_builder.builder import load_setting, load_stone

from . import bag as services
from . import flow
from .addresses import ADDRESS_REGIONS, COUNTRY_CHOICES, REGION_CHOICES
from .checkout_views import _summary

NOT_FOUND = "Sorry, we could not find that item."


class AddForm(forms.Form):
    """What a detail page posts: kind and ref, and the metal and size of a setting or the quantity of a piece. Any
    price posted alongside is ignored: the bag prices from the catalog."""

    kind = forms.ChoiceField(
        choices=[("diamond", "Diamond"), ("gemstone", "Gemstone"), ("setting", "Setting"), ("jewelry", "Jewelry")]
    )
    ref = forms.CharField(max_length=services.REF_MAX_LENGTH)
    metal = forms.ChoiceField(choices=[("", ""), *Metal.choices], required=False)
    size = forms.CharField(max_length=8, required=False)
    quantity = forms.CharField(max_length=12, required=False)
    confirm = forms.ChoiceField(choices=[("", ""), (prompts.CONFIRM_ALONE, "alone")], required=False)


class LineForm(forms.Form):
    line = forms.CharField(max_length=services.REF_MAX_LENGTH)


class CombineForm(forms.Form):
    setting_line = forms.CharField(max_length=services.REF_MAX_LENGTH)
    stone_line = forms.CharField(max_length=services.REF_MAX_LENGTH)
    answer = forms.ChoiceField(choices=[("combine", "Combine"), ("separate", "Keep separate")])


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_GET
def bag(request):
    contents = services.bag_contents(request)
    context = {"bag": contents}
    if contents.lines:
        country, region = flow.destination(request)
        estimate = EstimateForm(initial={"country": country, "region": f"{country}-{region}" if region else ""})
        context.update(_summary(request, contents), estimate_form=estimate)
    return render(request, "checkout/bag.html", context)


class EstimateForm(forms.Form):
    """Where the bag is going, for the tax and duty estimate before checkout (the shipping address replaces it)."""

    country = forms.ChoiceField(choices=COUNTRY_CHOICES, label="Ship to", required=True)
    region = forms.ChoiceField(choices=REGION_CHOICES, label="State or province", required=False)

    def clean(self):
        data = super().clean()
        country, region = data.get("country", ""), data.get("region") or ""
        if country in ADDRESS_REGIONS and not region.startswith(f"{country}-"):
            data["region"] = ""
        else:
            data["region"] = region.split("-", 1)[1] if region.startswith(f"{country}-") else ""
        return data


@require_POST
def bag_estimate(request):
    form = EstimateForm(request.POST)
    if form.is_valid():
        flow.save_estimate_destination(
            request, country=form.cleaned_data["country"], region=form.cleaned_data["region"]
        )
    else:
        messages.error(request, "Choose a country from the list.")
    return redirect("checkout:bag")


class QuantityForm(forms.Form):
    line = forms.CharField(max_length=services.REF_MAX_LENGTH)
    quantity = forms.CharField(max_length=12, required=False)


@require_POST
def bag_quantity(request):
    form = QuantityForm(request.POST)
    try:
        if not form.is_valid():
            raise services.BagError("That item is not in your bag.")
        services.bag_set_quantity(request, line_id=form.cleaned_data["line"], quantity=form.cleaned_data["quantity"])
    except services.BagError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Quantity updated.")
    return redirect("checkout:bag")


@require_POST
def bag_add(request):
    form = AddForm(request.POST)
    back = _back(request, reverse("checkout:bag"))
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, NOT_FOUND if "kind" in form.errors or "ref" in form.errors else errors[0])
        return redirect(back)
    data = form.cleaned_data
    kind, ref = data["kind"], data["ref"]
    try:
        if kind in ("diamond", "gemstone"):
            stone = load_stone(kind, ref)
            if stone is None:
                raise services.BagError(NOT_FOUND)
            services.bag_add_stone(request, stone=stone)
        elif kind == "jewelry":
            item = Jewelry.objects.filter(sku=ref).first()
            if item is None:
                raise services.BagError(NOT_FOUND)
            quantity = services.parse_quantity(data["quantity"]) if data["quantity"] else 1
            services.bag_add_jewelry(request, item=item, quantity=quantity)
        else:
            setting = load_setting(ref)
            if setting is None:
                raise services.BagError(NOT_FOUND)
            if setting.requires_center_stone and data["confirm"] != prompts.CONFIRM_ALONE:
                prompt = prompts.needs_centre(setting=setting, metal=data["metal"], size=data["size"], back=back)
                if request.htmx and not request.htmx.boosted:
                    return render(request, "ring_builder/includes/dialog.html", {"prompt": prompt, "injected": True})
                return render(request, "ring_builder/prompt.html", {"prompt": prompt})
            services.bag_add_setting(request, setting=setting, metal=data["metal"], size=data["size"])
    except services.BagError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, "Added to your bag.")
    return redirect("checkout:bag")


@require_POST
def bag_remove(request):
    form = LineForm(request.POST)
    try:
        if not form.is_valid():
            raise services.BagError("That item is not in your bag.")
        services.bag_remove(request, line_id=form.cleaned_data["line"])
    except services.BagError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Removed from your bag.")
    return redirect("checkout:bag")


@require_POST
def bag_combine(request):
    form = CombineForm(request.POST)
    try:
        if not form.is_valid():
            raise services.BagError("Those items are not a setting and a loose stone in your bag.")
        data = form.cleaned_data
        if data["answer"] == "separate":
            services.bag_keep_separate(request, setting_line_id=data["setting_line"], stone_line_id=data["stone_line"])
            messages.success(request, "We will keep them as separate items.")
        else:
            services.bag_combine(request, setting_line_id=data["setting_line"], stone_line_id=data["stone_line"])
            messages.success(request, "Combined: your setting and stone are now one complete engagement ring.")
    except services.BagError as error:
        messages.error(request, str(error))
    return redirect("checkout:bag")
