from django.urls import path

from . import bag_views, checkout_views, plan_views, tax_views, webhooks

app_name = "checkout"

urlpatterns = [
    path("bag/", bag_views.bag, name="bag"),
    path("bag/add/", bag_views.bag_add, name="bag_add"),
    path("bag/remove/", bag_views.bag_remove, name="bag_remove"),
    path("bag/quantity/", bag_views.bag_quantity, name="bag_quantity"),
    path("bag/combine/", bag_views.bag_combine, name="bag_combine"),
    path("bag/estimate/", bag_views.bag_estimate, name="bag_estimate"),
    path("checkout/", checkout_views.details, name="details"),
    path("checkout/payment/", checkout_views.payment, name="payment"),
    path("checkout/code/", checkout_views.offer_code, name="code"),
    path("checkout/review/", checkout_views.review, name="review"),
    path("checkout/place/", checkout_views.place, name="place"),
    path("checkout/authenticate/<str:number>/", checkout_views.authenticate, name="authenticate"),
    path("order/<str:number>/", checkout_views.order_detail, name="order"),
    path("account/plans/<int:plan_id>/card/", plan_views.plan_card, name="plan_card"),
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("tax-duty-calculator/", tax_views.tax_duty_calculator, name="tax_duty_calculator"),
]
