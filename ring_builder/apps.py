from django.apps import AppConfig


class RingBuilderConfig(AppConfig):
    name = "ring_builder"
    verbose_name = "Ring builder"
