"""Real-time diamond inspection: the request form beside the diamond, and the thank-you page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import Diamond
from catalog.views.detail import diamond_title

from . import inspections, limits
from .inspection_forms import InspectionForm, say_time
from .models import InspectionRequest, Ticket

REQUESTS_PER_HOUR = 3  # from one email address; the fourth in an hour gets the 429 page
IP_RATE = "10/h"  # from one client address, whatever email it gives
SESSION_KEY = "customer_service:last_inspection"


@require_http_methods(["GET", "POST"])
def request_inspection(request, sku: str):
    diamond = get_object_or_404(Diamond, sku=sku)
    context = {"diamond": diamond, "title": diamond_title(diamond)}
    if diamond.is_sold:
        return render(request, "customer_service/inspection/sold.html", context, status=404)
    now = timezone.now()
    if request.method == "GET":
        return render(request, "customer_service/inspection/request.html", {**context, "form": InspectionForm(now=now)})
    form = InspectionForm(request.POST, now=now)
    if form.is_bot:
        return redirect("customer_service:inspection_requested")  # absorbed: looks sent, nothing stored or emailed
    if not form.is_valid():
        return render(request, "customer_service/inspection/request.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    mine = Ticket.objects.filter(kind=Ticket.Kind.INSPECTION, email__iexact=data["email"])
    if limits.sent_in_last_hour(mine) >= REQUESTS_PER_HOUR or limits.ip_over_limit(
        request, group="inspection", rate=IP_RATE
    ):
        return limits.too_many(request, what="inspection requests")
    inspection = inspections.inspection_request(
        diamond=diamond,
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        time_zone=data["time_zone"],
        preferred_times=data["preferred_times"],
        message=data["message"],
        user=request.user,
        now=now,
    )
    request.session[SESSION_KEY] = inspection.ticket.token
    return redirect("customer_service:inspection_requested")


@require_GET
def requested(request):
    token = request.session.get(SESSION_KEY)
    inspection = (
        InspectionRequest.objects.select_related("ticket", "diamond").filter(ticket__token=token).first()
        if token
        else None
    )
    context = {"inspection": inspection}
    if inspection is not None:
        context.update(
            title=diamond_title(inspection.diamond),
            times=[say_time(moment, inspection.time_zone) for moment in inspections.preferred_moments(inspection)],
        )
    response = render(request, "customer_service/inspection/requested.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
