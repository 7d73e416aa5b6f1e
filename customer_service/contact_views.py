"""The contact form (on /guarantee/customer-service/), the thank-you page, and a ticket's private page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import limits, tickets
from .forms import ContactForm, FollowUpForm
from .models import Ticket
from .pages import page_context

MESSAGES_PER_HOUR = 6  # from one email address; the seventh in an hour gets the 429 page
IP_RATE = "20/h"  # from one client address, whatever email it gives
SESSION_KEY = "customer_service:last_ticket"


@require_http_methods(["GET", "POST"])
def contact(request):
    if request.method == "GET":
        return redirect("/guarantee/customer-service/#send-a-message")
    form = ContactForm(request.POST)
    if form.is_bot:
        return redirect("customer_service:contact_sent")  # absorbed: looks sent, nothing stored or emailed
    if not form.is_valid():
        context = page_context(request, "customer-service")
        return render(request, "customer_service/page.html", {**context, "contact_form": form}, status=400)
    data = form.cleaned_data
    by_email = limits.sent_in_last_hour(Ticket.objects.filter(email__iexact=data["email"]))
    if by_email >= MESSAGES_PER_HOUR or limits.ip_over_limit(request, group="contact", rate=IP_RATE):
        return limits.too_many(request, what="messages")
    ticket = tickets.ticket_open(
        name=data["name"], email=data["email"], phone=data["phone"], message=data["message"], user=request.user
    )
    request.session[SESSION_KEY] = ticket.token
    return redirect("customer_service:contact_sent")


@require_GET
def sent(request):
    token = request.session.get(SESSION_KEY)
    ticket = Ticket.objects.filter(token=token).first() if token else None
    return render(request, "customer_service/contact_sent.html", {"ticket": ticket})


@require_http_methods(["GET", "POST"])
def ticket(request, token: str):
    """Anyone with the link sees the request: the link is the secret (it is only ever sent to the shopper)."""
    item = get_object_or_404(Ticket.objects.prefetch_related("messages"), token=token)
    form, status = FollowUpForm(), 200
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            recent = limits.sent_in_last_hour(item.messages.filter(author="customer"), field="created_at")
            if recent >= MESSAGES_PER_HOUR:
                return limits.too_many(request, what="messages")
            tickets.ticket_follow_up(ticket=item, body=form.cleaned_data["message"])
            return redirect(item.get_absolute_url() + "?added=1")
        status = 400
    response = render(
        request,
        "customer_service/ticket.html",
        {"ticket": item, "form": form, "added": request.GET.get("added") == "1"},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
