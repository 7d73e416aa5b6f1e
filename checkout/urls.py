from django.urls import path  # noqa: F401 - the bag's routes arrive with it

app_name = "checkout"

urlpatterns: list = []
