from django.urls import path

from . import bag_views, tax_views

app_name = "checkout"

urlpatterns = [
    path("bag/", bag_views.bag, name="bag"),
    path("bag/add/", bag_views.bag_add, name="bag_add"),
    path("bag/remove/", bag_views.bag_remove, name="bag_remove"),
    path("bag/combine/", bag_views.bag_combine, name="bag_combine"),
    path("tax-duty-calculator/", tax_views.tax_duty_calculator, name="tax_duty_calculator"),
]
