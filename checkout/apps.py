from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


def _rates_changed(sender, **kwargs):
    from .currency import forget_rates

    forget_rates()


def _promotions_changed(sender, **kwargs):
    from django.core.cache import cache

    from .deals import CACHE_KEY

    cache.delete(CACHE_KEY)  # the deal alert bar shows an edited or new offer at once


def _seed_currencies(sender, using="default", **kwargs):
    """Every currency the shop sells in has a row, seeded with the launch rates (DESIGN.md §4). Existing rows,
    refreshed or edited since, are left alone. Done after every migrate so a flushed database gets them back."""
    from .models import Currency
    from .money import CURRENCIES, SEED_RATES

    existing = set(Currency.objects.using(using).values_list("code", flat=True))
    Currency.objects.using(using).bulk_create(
        Currency(code=code, name=name, symbol=symbol, minor_units=digits, rate_per_usd=SEED_RATES[code], position=i)
        for i, (code, (symbol, name, digits)) in enumerate(CURRENCIES.items())
        if code not in existing
    )


def _seed_tax_rates(sender, using="default", **kwargs):
    from .tax_seed import seed_tax_rates

    seed_tax_rates(using=using)


class CheckoutConfig(AppConfig):
    name = "checkout"
    verbose_name = "Checkout"

    def ready(self):
        from . import checks, signals  # noqa: F401 - registers the deploy checks and the receivers
        from .models import Currency, Promotion

        post_save.connect(_rates_changed, sender=Currency, dispatch_uid="checkout.rates_saved")
        post_delete.connect(_rates_changed, sender=Currency, dispatch_uid="checkout.rates_deleted")
        post_save.connect(_promotions_changed, sender=Promotion, dispatch_uid="checkout.promotion_saved")
        post_delete.connect(_promotions_changed, sender=Promotion, dispatch_uid="checkout.promotion_deleted")
        post_migrate.connect(_seed_currencies, sender=self, dispatch_uid="checkout.seed_currencies")
        post_migrate.connect(_seed_tax_rates, sender=self, dispatch_uid="checkout.seed_tax_rates")
