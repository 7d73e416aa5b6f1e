"""The share form: who the couple are, which order, where they live, the story, the photos and the consent."""

from __future__ import annotations

import re

from django import forms

from checkout.models import Order
from checkout.tax import COUNTRIES

from .models import CONSENT_TEXT

INSTAGRAM = re.compile(r"^@?[A-Za-z0-9._]{1,30}$")
NOT_FOUND = (
    "We could not find an order with that number and email. Please check both as they appear on your order "
    "confirmation."
)


def _clean_text(value: str, label: str) -> str:
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value) or "\x00" in value:
        raise forms.ValidationError(f"Remove the control characters from the {label}.", code="control")
    return value


class ShareForm(forms.Form):
    first_name_1 = forms.CharField(label="Your first name", max_length=60)
    last_name_1 = forms.CharField(label="Your last name", max_length=60)
    first_name_2 = forms.CharField(label="Your partner's first name", max_length=60)
    last_name_2 = forms.CharField(label="Your partner's last name", max_length=60)
    email_1 = forms.EmailField(label="Your email")
    email_2 = forms.EmailField(label="Your partner's email", required=False)
    order_number = forms.CharField(
        label="Order number", max_length=20, help_text="As on your confirmation, e.g. SOL-7KQ2MXW9."
    )
    order_email = forms.EmailField(label="Email used for the order")
    country = forms.ChoiceField(
        label="Country", choices=[("", "Choose a country"), *sorted(COUNTRIES.items(), key=lambda c: c[1])]
    )
    region = forms.CharField(label="State or province", max_length=60, required=False)
    city = forms.CharField(label="City", max_length=80)
    story = forms.CharField(
        label="Your proposal story",
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=40,
        max_length=5000,
        error_messages={"min_length": "Tell us a little more: at least 40 characters."},
    )
    instagram_1 = forms.CharField(label="Your Instagram (optional)", max_length=31, required=False)
    instagram_2 = forms.CharField(label="Your partner's Instagram (optional)", max_length=31, required=False)
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Please agree to the use of your photos and story, or we cannot publish them."},
    )

    def clean(self):
        data = super().clean()
        for name in ("first_name_1", "last_name_1", "first_name_2", "last_name_2", "city", "region", "story"):
            if data.get(name):
                try:
                    data[name] = _clean_text(data[name], self.fields[name].label.lower())
                except forms.ValidationError as error:
                    self.add_error(name, error)
        for name in ("instagram_1", "instagram_2"):
            value = (data.get(name) or "").strip()
            if value and not INSTAGRAM.match(value):
                self.add_error(
                    name, forms.ValidationError("Enter an Instagram name: letters, digits, . and _ only.", "ig")
                )
            data[name] = value.lstrip("@")
        number, email = (data.get("order_number") or "").strip().upper(), (data.get("order_email") or "").strip()
        if number and email:
            order = (
                Order.objects.filter(number=number, email__iexact=email)
                .exclude(status__in=[Order.Status.CANCELLED, Order.Status.PLACED])
                .first()
            )
            if order is None:
                self.add_error("order_number", forms.ValidationError(NOT_FOUND, code="no_order"))
            data["order"] = order
        return data
