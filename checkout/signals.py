"""Signal receivers of checkout, connected in CheckoutConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .bag import bag_merge_on_login


@receiver(user_logged_in, dispatch_uid="checkout.merge_bag_on_login")
def merge_bag_on_login(sender, request, user, **kwargs):
    """The bag chosen before signing in is kept, and the account's saved bag joins it."""
    if request is not None and hasattr(request, "session"):
        bag_merge_on_login(request, user=user)
