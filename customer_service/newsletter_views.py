"""The newsletter's pages: sign up (the footer form posts here), check your inbox, confirm, unsubscribe.

Links in emails are opened by scanners and previewers, so a GET never changes anything: confirming and
unsubscribing each take a press of a button (a POST). The unsubscribe POST also takes mail clients' one-click
requests (RFC 8058), which carry no CSRF token: the secret token in the URL is what authorises it."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import limits
from .models import Subscriber
from .newsletter import CONSENT_TEXT, subscriber_confirm, subscriber_request, subscriber_unsubscribe
from .newsletter_forms import SubscribeForm

IP_RATE = "10/h"  # sign-ups from one client address


def _client(request) -> dict:
    """Where a consent came from: the client's address (as the rate limit sees it) and browser."""
    return {"ip": limits.client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")}


def _robots(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        return render(request, "customer_service/newsletter/subscribe.html", _form_context(SubscribeForm()))
    form = SubscribeForm(request.POST)
    if form.is_bot:
        return redirect("customer_service:newsletter_check_inbox")  # absorbed: looks done, nothing stored or sent
    if not form.is_valid():
        context = _form_context(form)
        return render(request, "customer_service/newsletter/subscribe.html", context, status=400)
    if limits.ip_over_limit(request, group="newsletter", rate=IP_RATE):
        return limits.too_many(request, what="sign-ups")
    subscriber_request(email=form.cleaned_data["email"], **_client(request))
    return redirect("customer_service:newsletter_check_inbox")


def _form_context(form) -> dict:
    return {"form": form, "consent_text": CONSENT_TEXT}


@require_GET
def check_inbox(request):
    return _robots(render(request, "customer_service/newsletter/check_inbox.html"))


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    subscriber = get_object_or_404(Subscriber, token=token)
    confirmed_now = False
    if request.method == "POST":
        confirmed_now = subscriber_confirm(subscriber=subscriber, **_client(request))
        subscriber.refresh_from_db()
    context = {"subscriber": subscriber, "confirmed_now": confirmed_now}
    return _robots(render(request, "customer_service/newsletter/confirm.html", context))


@csrf_exempt  # RFC 8058 one-click: the mail client posts without a token; the URL's secret token is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        subscriber_unsubscribe(subscriber=subscriber, **_client(request))
        subscriber.refresh_from_db()
    context = {"subscriber": subscriber, "done": request.method == "POST"}
    return _robots(render(request, "customer_service/newsletter/unsubscribe.html", context))
