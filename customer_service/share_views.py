""" "Send to a friend" and "drop a hint" beside a product, and the thank-you page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import limits, sharing
from .models import ProductShare
from .share_forms import FORMS

SHARES_PER_HOUR = 5  # from one sender's address; the sixth in an hour gets the 429 page
IP_RATE = "10/h"  # from one client address, whatever email it gives
SESSION_KEY = "customer_service:last_share"


def _noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def share(request, kind: str, item_type: str, ref: str):
    form_class = FORMS.get(kind)
    item = sharing.shared_item(item_type=item_type, ref=ref) if form_class else None
    if item is None:
        raise Http404("Nothing to share here")
    currency = getattr(request, "currency", "USD")
    context = {"kind": kind, "item": item, "price": item.price(currency)}
    if request.method == "GET":
        return _noindex(render(request, "customer_service/share/form.html", {**context, "form": form_class()}))
    form = form_class(request.POST)
    if form.is_bot:
        request.session[SESSION_KEY] = {"kind": kind, "item_type": item.item_type, "ref": item.ref}
        return redirect("customer_service:share_sent")  # absorbed: looks sent, nothing stored or emailed
    if not form.is_valid():
        page = render(request, "customer_service/share/form.html", {**context, "form": form}, status=400)
        return _noindex(page)
    data = form.cleaned_data
    sender = sharing.normalize_email(data["email"])
    mine = ProductShare.objects.filter(sender_email=sender)
    if limits.sent_in_last_hour(mine, field="created_at") >= SHARES_PER_HOUR or limits.ip_over_limit(
        request, group="share", rate=IP_RATE
    ):
        return limits.too_many(request, what="shares")
    if sharing.recipients_over_limit(data["recipients"]):
        # Someone has had several of these today already: no more for them from anyone until tomorrow.
        return limits.too_many(
            request,
            what="shares",
            reason="That address has already had several emails about our pieces today, so we have paused new ones to "
            "it for a day.",
        )
    sharing.product_share(
        kind=kind,
        item=item,
        sender_name=data["name"],
        sender_email=sender,
        recipients=data["recipients"],
        currency=currency,
        ip_address=limits.client_ip(request),
    )
    request.session[SESSION_KEY] = {"kind": kind, "item_type": item.item_type, "ref": item.ref}
    return redirect("customer_service:share_sent")


@require_GET
def sent(request):
    last = request.session.get(SESSION_KEY) or {}
    item = None
    if last.get("item_type") and last.get("ref"):
        item = sharing.shared_item(item_type=last["item_type"], ref=last["ref"])
    return _noindex(render(request, "customer_service/share/sent.html", {"item": item, "kind": last.get("kind")}))
