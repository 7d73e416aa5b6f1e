"""The newsletter sign-up form (the footer's and the standalone page's)."""

from django import forms

from .forms import HoneypotMixin, StrictEmailField


class SubscribeForm(HoneypotMixin, forms.Form):
    email = StrictEmailField(label="Email address", max_length=254)
