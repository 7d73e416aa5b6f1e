from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

SEEDED_HOLIDAY_YEARS = (2026, 2027)


def _holidays_changed(sender, using="default", **kwargs):
    from .delivery import forget_holidays

    # Now for this process, and again on commit: a request between the two could have re-read the old rows.
    forget_holidays()
    transaction.on_commit(forget_holidays, using=using)


def _seed_holidays(sender, using="default", **kwargs):
    """The US federal holidays of the launch years, so that "delivered by" dates skip them in tests and demos too.
    Get-or-create by date: a seeded day staff renamed keeps its name and days staff added stay, but a seeded day
    staff deleted comes back. Done after every migrate so a flushed database gets them back."""
    from .delivery import forget_holidays, us_federal_holidays
    from .models import Holiday

    existing = set(Holiday.objects.using(using).values_list("date", flat=True))
    created = Holiday.objects.using(using).bulk_create(
        Holiday(date=day, name=name)
        for year in SEEDED_HOLIDAY_YEARS
        for day, name in us_federal_holidays(year)
        if day not in existing
    )
    if created:
        forget_holidays()  # bulk_create sends no post_save


class RingBuilderConfig(AppConfig):
    name = "ring_builder"
    verbose_name = "Ring builder"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
        from .models import Holiday

        post_save.connect(_holidays_changed, sender=Holiday, dispatch_uid="ring_builder.holiday_saved")
        post_delete.connect(_holidays_changed, sender=Holiday, dispatch_uid="ring_builder.holiday_deleted")
        post_migrate.connect(_seed_holidays, sender=self, dispatch_uid="ring_builder.seed_holidays")
