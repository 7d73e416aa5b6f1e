from django import forms
from django.utils import timezone


class SignupForm(forms.Form):
    """Fields allauth adds to its own sign-up form (email and password come from allauth)."""

    first_name = forms.CharField(
        max_length=150, label="First name", widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, label="Last name", widget=forms.TextInput({"autocomplete": "family-name"})
    )
    marketing_opt_in = forms.BooleanField(
        required=False,
        label="Sign up for special offers",
        help_text="Be the first to hear about new designs, events and private sales. Unsubscribe at any time.",
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2", "marketing_opt_in"]

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.marketing_opt_in = self.cleaned_data["marketing_opt_in"]
        user.marketing_opt_in_at = timezone.now() if user.marketing_opt_in else None
        user.save()
