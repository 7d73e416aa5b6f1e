"""Signal receivers of the ring builder, connected in RingBuilderConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .builder import build_merge_on_login


@receiver(user_logged_in, dispatch_uid="ring_builder.merge_build_on_login")
def merge_build_on_login(sender, request, user, **kwargs):
    """The ring a shopper was designing before signing in is saved to their account; with none in progress, their
    latest unfinished design is picked up again."""
    if request is not None and hasattr(request, "session"):
        build_merge_on_login(request, user=user)
