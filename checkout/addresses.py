"""Checkout's contact and address forms, with each destination's own rules.

We ship to the countries of the tax table (checkout.tax.COUNTRIES). Each has its postal-code format (checked and
written the way its post office writes it), and the United States, Canada and Australia need a state or province.
Every error says what to type, with an example, because a luxury parcel that cannot be delivered is returned."""

from __future__ import annotations

import re

from django import forms

from .tax import COUNTRIES, REGIONS

AU_STATES = {
    "ACT": "Australian Capital Territory", "NSW": "New South Wales", "NT": "Northern Territory",
    "QLD": "Queensland", "SA": "South Australia", "TAS": "Tasmania", "VIC": "Victoria", "WA": "Western Australia",
}  # fmt: skip
ADDRESS_REGIONS: dict[str, dict[str, str]] = {**REGIONS, "AU": AU_STATES}
REGION_LABELS = {"US": "state", "CA": "province or territory", "AU": "state or territory"}

# country -> (pattern on the upper-cased code with spaces squeezed, example, how to write it back)
POSTAL_CODES: dict[str, tuple[str, str]] = {
    "US": (r"\d{5}(-\d{4})?", "10001 or 10001-2345"),
    "CA": (r"[ABCEGHJ-NPRSTVXY]\d[A-Z] ?\d[A-Z]\d", "K1A 0B1"),
    "GB": (r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", "SW1A 1AA"),
    "AU": (r"\d{4}", "2000"),
    "NZ": (r"\d{4}", "6011"),
    "SG": (r"\d{6}", "018956"),
    "CN": (r"\d{6}", "100000"),
    "AT": (r"\d{4}", "1010"),
    "BE": (r"\d{4}", "1000"),
    "FR": (r"\d{5}", "75001"),
    "DE": (r"\d{5}", "10117"),
    "IE": (r"[AC-FHKNPRTV-Y]\d[\dW] ?[\dAC-FHKNPRTV-Y]{4}", "D02 X285"),
    "IT": (r"\d{5}", "00184"),
    "NL": (r"[1-9]\d{3} ?[A-Z]{2}", "1012 AB"),
    "ES": (r"\d{5}", "28013"),
}
# Hong Kong has no postal codes.
NO_POSTAL_CODE = frozenset({"HK"})
PHONE = re.compile(r"^\+?[\d\s().-]{7,25}$")


def normalise_postal_code(country: str, value: str) -> str:
    """The code as the country's post writes it: upper case, single spaces, the space where it belongs."""
    code = " ".join(value.upper().split())
    if country in ("CA", "GB", "IE") and " " not in code and len(code) > 4:
        code = f"{code[:-3]} {code[-3:]}" if country != "IE" else f"{code[:3]} {code[3:]}"
    if country == "NL" and " " not in code and len(code) == 6:
        code = f"{code[:4]} {code[4:]}"
    return code


def postal_code_problem(country: str, value: str) -> str:
    """'' when `value` is a valid postal code for `country`, else what to type."""
    if country in NO_POSTAL_CODE:
        return ""
    if not value.strip():
        return "Enter the postal code."
    pattern, example = POSTAL_CODES.get(country, (r"[A-Z\d -]{2,10}", "12345"))
    if not re.fullmatch(pattern, normalise_postal_code(country, value)):
        return f"Enter a postal code for {COUNTRIES.get(country, country)}, such as {example}."
    return ""


COUNTRY_CHOICES = [("", "Choose a country"), *sorted(COUNTRIES.items(), key=lambda item: item[1])]
REGION_CHOICES = [("", "Not applicable")] + [
    (COUNTRIES[country], [(f"{country}-{code}", name) for code, name in regions.items()])
    for country, regions in ADDRESS_REGIONS.items()
]


class AddressForm(forms.Form):
    """One address. Used twice on the details step: shipping, and billing when it differs."""

    name = forms.CharField(
        label="Full name", max_length=120, error_messages={"required": "Enter the name of the person receiving it."}
    )
    line1 = forms.CharField(label="Address", max_length=200, error_messages={"required": "Enter the street address."})
    line2 = forms.CharField(label="Apartment, suite, floor (optional)", max_length=200, required=False)
    city = forms.CharField(label="City", max_length=100, error_messages={"required": "Enter the city."})
    country = forms.ChoiceField(
        label="Country",
        choices=COUNTRY_CHOICES,
        error_messages={
            "required": "Choose the country.",
            "invalid_choice": "We do not ship there yet. Choose a country from the list, or call us.",
        },
    )
    region = forms.ChoiceField(
        label="State or province",
        choices=REGION_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a state or province from the list."},
    )
    postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        help_text="For the courier: insured parcels are handed over against a signature.",
        error_messages={"required": "Enter a phone number for the courier."},
    )

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not PHONE.match(phone) or sum(c.isdigit() for c in phone) < 7:
            raise forms.ValidationError("Enter a phone number with its area code, such as +1 212 555 0148.", "phone")
        return phone

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if not country:
            return data
        for name in ("name", "line1", "line2", "city"):
            if any(ord(c) < 32 for c in data.get(name, "") or ""):
                self.add_error(name, forms.ValidationError("Remove the control characters.", code="control"))
        region = data.get("region") or ""
        if country in ADDRESS_REGIONS:
            label = REGION_LABELS[country]
            if not region:
                self.add_error("region", forms.ValidationError(f"Choose the {label}.", code="required"))
            elif not region.startswith(f"{country}-"):
                self.add_error(
                    "region",
                    forms.ValidationError(f"Choose a {label} of {COUNTRIES[country]}.", code="mismatch"),
                )
        data["region"] = region.split("-", 1)[1] if region.startswith(f"{country}-") else ""
        problem = postal_code_problem(country, data.get("postal_code", ""))
        if problem:
            self.add_error("postal_code", forms.ValidationError(problem, code="postal_code"))
        elif country not in NO_POSTAL_CODE:
            data["postal_code"] = normalise_postal_code(country, data["postal_code"])
        else:
            data["postal_code"] = ""
        return data


def address_initial(address: dict | None) -> dict:
    """A stored address back into the form's fields (the region select's values are 'US-NY')."""
    if not address:
        return {}
    initial = dict(address)
    if address.get("region") and address.get("country"):
        initial["region"] = f"{address['country']}-{address['region']}"
    return initial


class ContactForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="For your confirmation and delivery updates.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like ada@example.com.",
        },
    )
    billing_same = forms.BooleanField(label="Billing address is the same as shipping", required=False, initial=True)
