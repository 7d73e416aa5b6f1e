from django.urls import path
from django.views.generic import RedirectView

from . import contact_views, inspection_views, newsletter_views, pages_views, return_views, share_views

app_name = "customer_service"

urlpatterns = [
    # Guarantee, policy and education pages, the FAQ
    path("guarantee/", pages_views.guarantee_index, name="guarantee_index"),
    path("guarantee/<slug:slug>/", pages_views.guarantee_page, name="guarantee_page"),
    path("education/", pages_views.education_index, name="education_index"),
    path("education/<slug:slug>/", pages_views.education_page, name="education_page"),
    path("faq/", pages_views.faq, name="faq"),
    # Contact: the form lives on /guarantee/customer-service/; /contact-us/ takes its posts
    path("contact-us/", contact_views.contact, name="contact"),
    path("contact-us/sent/", contact_views.sent, name="contact_sent"),
    path("contact-us/request/<str:token>/", contact_views.ticket, name="ticket"),
    # Real-time diamond inspection
    path("loose-diamonds/item/<str:sku>/inspection/", inspection_views.request_inspection, name="inspection"),
    path("inspection/requested/", inspection_views.requested, name="inspection_requested"),
    # Returns
    path("order/<str:number>/return/", return_views.return_start, name="return_start"),
    path("order/<str:number>/return/<str:rma>/", return_views.return_detail, name="return_detail"),
    # Newsletter (double opt-in)
    path("newsletter/", newsletter_views.subscribe, name="newsletter"),
    path("newsletter/check-your-inbox/", newsletter_views.check_inbox, name="newsletter_check_inbox"),
    path("newsletter/confirm/<str:token>/", newsletter_views.confirm, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", newsletter_views.unsubscribe, name="newsletter_unsubscribe"),
    # Send to a friend, drop a hint
    path("share/<str:kind>/<str:item_type>/<path:ref>/", share_views.share, name="share"),
    path("share-sent/", share_views.sent, name="share_sent"),
    path("customer-service/", RedirectView.as_view(url="/guarantee/customer-service/", permanent=True)),
]
