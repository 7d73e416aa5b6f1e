from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from checkout.checkout_views import order_history
from checkout.plan_views import plan_list
from checkout.views import set_currency
from core.views import home

admin.site.site_header = "Solitaire administration"
admin.site.site_title = "Solitaire admin"
admin.site.index_title = "Shop administration"

urlpatterns = [
    path("", home, name="home"),
    path("currency/", set_currency, name="set_currency"),
    path("account/orders/", order_history, name="order_history"),
    path("account/plans/", plan_list, name="plan_list"),
    path("account/", include("allauth.urls")),
    path("ring-builder/", include("ring_builder.urls")),
    path("engagement-moments/", include("moments.urls")),
    path("", include("customer_service.urls")),
    path("", include("checkout.urls")),
    path("", include("catalog.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
