from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _rates_changed(sender, **kwargs):
    from .currency import forget_rates

    forget_rates()


class CheckoutConfig(AppConfig):
    name = "checkout"
    verbose_name = "Checkout"

    def ready(self):
        from .models import Currency

        post_save.connect(_rates_changed, sender=Currency, dispatch_uid="checkout.rates_saved")
        post_delete.connect(_rates_changed, sender=Currency, dispatch_uid="checkout.rates_deleted")
