"""The tax & duty calculator: a GET form (so an estimate is a shareable link) over checkout.tax."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.shortcuts import render

from .currency import current_rates
from .money import Money, format_money
from .tax import COUNTRIES, ESTIMATE_NOTE, REGIONS, estimate_tax, tax_rules_for

MAX_AMOUNT = Decimal("10000000")
REGION_LABELS = {"US": "State", "CA": "Province or territory"}


class TaxCalculatorForm(forms.Form):
    amount = forms.DecimalField(
        label="Order amount",
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT - Decimal("0.01"),
        error_messages={
            "required": "Enter the amount of your order.",
            "invalid": "Enter the amount as a number, such as 2500 or 2500.50.",
            "min_value": "Enter an amount above zero.",
            "max_value": "Enter an amount under 10,000,000.",
            "max_digits": "Enter an amount under 10,000,000.",
            "max_whole_digits": "Enter an amount under 10,000,000.",
            "max_decimal_places": "Enter at most two decimal places.",
        },
    )
    country = forms.ChoiceField(
        label="Destination",
        choices=[("", "Choose a country"), *sorted(COUNTRIES.items(), key=lambda item: item[1])],
        error_messages={
            "required": "Choose the destination country.",
            "invalid_choice": "Choose a country from the list.",
        },
    )
    region = forms.ChoiceField(
        label="State or province (United States and Canada)",
        required=False,
        choices=[("", "Not applicable")]
        + [(COUNTRIES[c], [(f"{c}-{code}", name) for code, name in regions.items()]) for c, regions in REGIONS.items()],
        error_messages={"invalid_choice": "Choose a state or province from the list."},
    )

    def clean(self):
        data = super().clean()
        country, region = data.get("country"), data.get("region") or ""
        if not country:
            return data
        if country in REGIONS:
            if not region:
                self.add_error(
                    "region", forms.ValidationError(f"Choose the {REGION_LABELS[country].lower()}.", code="required")
                )
            elif not region.startswith(f"{country}-"):
                self.add_error(
                    "region",
                    forms.ValidationError(
                        f"Choose a {REGION_LABELS[country].lower()} of {COUNTRIES[country]}.", code="mismatch"
                    ),
                )
        data["region_code"] = region.split("-", 1)[1] if country in REGIONS and region.startswith(f"{country}-") else ""
        return data


def tax_duty_calculator(request):
    currency = getattr(request, "currency", "USD")
    # Bound only when the form was sent: a link with just tracking parameters shows the empty form, not errors.
    sent = any(name in request.GET for name in TaxCalculatorForm.base_fields)
    form = TaxCalculatorForm(request.GET if sent else None)
    estimate = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        estimate = estimate_tax(
            subtotal=Money(data["amount"], currency),
            country=data["country"],
            region=data["region_code"],
            rates=tax_rules_for(data["country"], data["region_code"]),
            rates_per_usd=current_rates(),
        )
    context = {
        "form": form,
        "estimate": estimate,
        "currency": currency,
        "currency_example": format_money(Money(Decimal("2500"), currency)),
        "destination": COUNTRIES.get(estimate.country, "") if estimate else "",
        "region_name": REGIONS.get(estimate.country, {}).get(estimate.region, "") if estimate else "",
        "estimate_note": ESTIMATE_NOTE,
    }
    return render(request, "checkout/tax_duty_calculator.html", context)
