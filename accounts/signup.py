"""The sign-up form allauth uses. It lives apart from forms.py because allauth builds its own SignupForm on top of
forms.SignupForm (ACCOUNT_SIGNUP_FORM_CLASS), and this module subclasses allauth's."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.utils import filter_users_by_email
from django.core.exceptions import ValidationError


class ShopSignupForm(AllauthSignupForm):
    """Says plainly when an email already has an account (the seed's behaviour), with links to log in and reset
    beside the field. Elsewhere (password reset) allauth's enumeration prevention stays on."""

    def clean_email(self):
        email = super().clean_email()
        if email and filter_users_by_email(email):
            raise ValidationError(get_adapter().error_messages["email_taken"], code="email_taken")
        return email
