from django.apps import AppConfig


class RingBuilderConfig(AppConfig):
    name = "ring_builder"
    verbose_name = "Ring builder"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
