from django.urls import path  # noqa: F401 - routes arrive with the builder

app_name = "ring_builder"

urlpatterns: list = []
