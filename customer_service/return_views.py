"""Returns: choose the lines of an order to send back, and the return's page with its RMA number. Only someone who
may see the order (its account, or the browser that placed it) gets either page; anyone else gets the same 404 as an
order that does not exist."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from checkout import flow
from checkout.models import Order, OrderEvent

from . import emails, returns
from .models import ReturnRequest
from .return_forms import ReturnForm


def _status_events():
    return Prefetch("events", queryset=OrderEvent.objects.filter(kind=OrderEvent.Kind.STATUS_CHANGED))


def _refuse(request, order):
    """Like the order page: a signed-out owner is asked to sign in; anyone else learns nothing."""
    if order.user_id and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


@require_http_methods(["GET", "POST"])
def return_start(request, number: str):
    order = Order.objects.filter(number=number).prefetch_related("lines", _status_events()).first()
    if order is None:
        raise Http404
    if not flow.may_see_order(request, order):
        return _refuse(request, order)
    form, refused, status = ReturnForm(order=order), [], 200
    if request.method == "POST":
        form = ReturnForm(request.POST, order=order)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = returns.return_request(
                    order=order, lines=data["lines"], reason=data["reason"], note=data["note"], user=request.user
                )
            except returns.ReturnRefused as refusal:
                refused = refusal.problems
            else:
                return redirect(returns.return_url(created))
        status = 400
    problems, rows = returns.return_choices(order)
    context = {
        "order": order,
        "form": form,
        "problems": problems,
        "rows": rows,
        "any_eligible": any(row["eligible"] for row in rows),
        "refused": refused,
        "chosen": {str(value) for value in form["lines"].value() or []},
        "deadline": returns.return_deadline(order),
        "return_days": returns.RETURN_DAYS,
    }
    response = render(request, "customer_service/returns/start.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def return_detail(request, number: str, rma: str):
    found = (
        ReturnRequest.objects.select_related("ticket", "order")
        .prefetch_related("lines")
        .filter(order__number=number, rma_number=rma)
        .first()
    )
    if found is None:
        raise Http404
    if not flow.may_see_order(request, found.order):
        return _refuse(request, found.order)
    due = found.ticket.due_at
    context = {
        "return_request": found,
        "order": found.order,
        "titles": [returns.line_title(line) for line in found.lines.all()],
        "due": due,
        "steps": returns.instructions(rma=found.rma_number, due=emails.long_date(due)),
    }
    response = render(request, "customer_service/returns/detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
