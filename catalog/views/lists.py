"""The wish list and compare pages, and the toggles behind every "Add to wish list" and "Compare" button.

A toggle is a plain POST form (kind, ref, next, and the action the button showed, so a double submit or a stale
page never undoes itself). Without JavaScript it redirects back to `next` with a message; with htmx it answers
with the re-rendered buttons, the header's wish count (out of band) and an announcement for screen readers."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .. import lists
from ..models import ItemKind

WISH_MESSAGES = {"add": "Saved to your wish list", "remove": "Removed from your wish list"}
COMPARE_MESSAGES = {"add": "Added to your comparison", "remove": "Removed from your comparison"}
ONLY_CHOICES = [("", "both"), ("wish", "wish list only"), ("compare", "compare only")]


class ListItemForm(forms.Form):
    kind = forms.ChoiceField(choices=ItemKind.choices)
    ref = forms.CharField(max_length=lists.REF_MAX_LENGTH, strip=True)
    # The state the button showed; without it (an old page or a hand-made request) the item is toggled.
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")], required=False)
    # Which of the include's buttons to draw again ("wish", "compare" or both) and an optional suffix for their ids.
    only = forms.ChoiceField(choices=ONLY_CHOICES, required=False)
    slot = forms.SlugField(max_length=20, required=False)


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _toggle(request, *, add, remove, has, texts, which: str):
    form = ListItemForm(request.POST)
    next_url = _safe_next(request)
    htmx = bool(request.htmx) and not request.htmx.boosted
    if not form.is_valid():
        return _respond(request, htmx=htmx, next_url=next_url, form=None, error=lists.NOT_FOUND, which=which)

    kind, ref = form.cleaned_data["kind"], form.cleaned_data["ref"]
    action = form.cleaned_data["action"] or ("remove" if has(request, kind, ref) else "add")
    try:
        (add if action == "add" else remove)(request, kind=kind, ref=ref)
    except lists.ListError as error:
        # An unknown item has no buttons to redraw; a refusal (a full list) is shown beside them.
        redraw = None if isinstance(error, lists.ItemNotFound) else form
        return _respond(request, htmx=htmx, next_url=next_url, form=redraw, error=str(error), which=which)
    return _respond(request, htmx=htmx, next_url=next_url, form=form, done=texts[action], which=which)


def _respond(request, *, htmx, next_url, form, which, error="", done=""):
    if not htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return redirect(next_url)
    context = {"announcement": error or done, "list_error": error, "list_next": next_url, "which": which}
    if form is not None:
        context.update(
            kind=form.cleaned_data["kind"],
            ref=form.cleaned_data["ref"],
            only=form.cleaned_data["only"],
            slot=form.cleaned_data["slot"],
        )
    response = render(request, "catalog/lists/toggle_response.html", context)
    if form is None:
        response["HX-Reswap"] = "none"  # nothing to redraw; the announcement still arrives out of band
    return response


@require_POST
def wish_list_toggle(request):
    return _toggle(
        request,
        add=lists.wish_list_add,
        remove=lists.wish_list_remove,
        has=lists.wish_list_has,
        texts=WISH_MESSAGES,
        which="wish",
    )


@require_POST
def compare_toggle(request):
    return _toggle(
        request,
        add=lists.compare_add,
        remove=lists.compare_remove,
        has=lists.compare_has,
        texts=COMPARE_MESSAGES,
        which="compare",
    )


@require_GET
def wish_list_view(request):
    entries = lists.wish_list_items(request)
    return render(
        request,
        "catalog/wish_list.html",
        {"entries": entries, "show_prompt": bool(entries) and not request.user.is_authenticated},
    )


@require_GET
def compare_view(request):
    only_differences = request.GET.get("only") == "differences"
    tables = lists.compare_tables(request)
    return render(
        request,
        "catalog/compare.html",
        {
            "tables": tables,
            "only_differences": only_differences,
            "page_url": request.get_full_path(),
            "max_items": lists.COMPARE_MAX,
        },
    )
