"""Signal receivers of the catalog, connected in CatalogConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .lists import wish_list_merge


@receiver(user_logged_in, dispatch_uid="catalog.merge_wish_list_on_login")
def merge_wish_list_on_login(sender, request, user, **kwargs):
    """What a shopper saved before signing in is kept: allauth logs in through django.contrib.auth, which sends
    user_logged_in after the session has been cycled (its data kept)."""
    if request is not None:
        wish_list_merge(request, user=user)
