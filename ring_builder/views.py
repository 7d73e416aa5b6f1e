"""The ring builder's pages. Each view binds a form or the query string, calls one service or selector of builder.py
/ selectors.py, and renders. Without JavaScript every change is a plain POST that redirects, and every question is
a page with a dialog on it; with htmx the same views answer with the dialog alone, or a client redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from catalog.grades import FancyHue, GemKind, Lab, Shape
from catalog.search import DIAMOND_GRADES, INTENSITY
from catalog.search_controls import choice_options, grade_controls
from checkout.currency import request_rate

from . import builder
from .builder import STONE_KINDS, BuildError, build_get
from .forms import ChooseForm, RemoveForm, ReviewForm, TokenForm
from .prompts import Prompt
from .selectors import setting_choices, stone_choices

NOT_FOUND = "Sorry, we could not find that item."


def _htmx(request) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _go(request, url: str):
    """Where to go after a change: a plain redirect, or for htmx a client-side one."""
    return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)


def _prompt(request, prompt: Prompt):
    """A question before a change: the dialog alone for htmx (it opens in place), else a page with the dialog."""
    if _htmx(request):
        return render(request, "ring_builder/includes/dialog.html", {"prompt": prompt, "injected": True})
    build = build_get(request)
    return render(request, "ring_builder/prompt.html", {"prompt": prompt, "build": build, "steps": build.steps()})


def _load_item(kind: str, ref: str):
    if kind == "setting":
        return builder.load_setting(ref)
    return builder.load_stone(kind, ref)


def _choose(request, *, kind: str, ref: str, metal: str = "", confirm: str = "", stone_kind: str = ""):
    """Shared by the Select buttons (POST) and the detail pages' entry links (GET): returns a response."""
    item = _load_item(kind, ref)
    if item is None:
        messages.error(request, NOT_FOUND)
        return _go(request, build_get(request).next_url)
    try:
        if kind == "setting":
            prompt = builder.build_choose_setting(
                request, setting=item, metal=metal, confirm=confirm, stone_kind=stone_kind
            )
        else:
            prompt = builder.build_choose_stone(request, stone=item, confirm=confirm)
    except BuildError as error:
        messages.error(request, str(error))
        return _go(request, build_get(request).next_url)
    if prompt is not None:
        return _prompt(request, prompt)
    build = build_get(request)
    if kind == "setting":
        messages.success(request, f"The {item.name} in {build.metal_label} is in your ring.")
    else:
        messages.success(request, f"The {builder.stone_title(item)} is in your ring.")
    return _go(request, build.next_url)


@require_GET
def start(request):
    """Where a ring begins: a setting, a natural, lab-grown or fancy colour diamond, or a gemstone. The catalog's
    detail pages link here with ?setting=<slug>, ?diamond=<sku> or ?gemstone=<sku>."""
    for kind in ("setting", "diamond", "gemstone"):
        if kind in request.GET:
            form = ChooseForm({"kind": kind, "ref": request.GET[kind], "metal": request.GET.get("metal", "")})
            if not form.is_valid():
                messages.error(request, NOT_FOUND)
                return redirect("ring_builder:start")
            return _choose(request, kind=kind, ref=form.cleaned_data["ref"], metal=form.cleaned_data["metal"])
    build = build_get(request)
    return render(
        request,
        "ring_builder/start.html",
        {"build": build, "steps": build.steps(), "saved": builder.saved_builds(request.user)},
    )


@require_POST
def choose(request):
    form = ChooseForm(request.POST)
    if not form.is_valid():
        messages.error(request, NOT_FOUND)
        return _go(request, build_get(request).next_url)
    data = form.cleaned_data
    return _choose(
        request,
        kind=data["kind"],
        ref=data["ref"],
        metal=data["metal"],
        confirm=data["confirm"],
        stone_kind=data["stone_kind"],
    )


@require_POST
def remove(request):
    form = RemoveForm(request.POST)
    if form.is_valid():
        builder.build_remove(request, part=form.cleaned_data["part"])
        part = form.cleaned_data["part"]
        messages.success(request, "Your ring has been cleared." if part == "all" else f"The {part} has been removed.")
    return _go(request, build_get(request).next_url if form.is_valid() else reverse("ring_builder:start"))


def _search_page(request, template: str, context: dict):
    if _htmx(request):
        return render(request, f"{template}#search-area", context)
    return render(request, template, context)


@require_GET
def settings_step(request):
    build = build_get(request)
    stone = build.stone if build.stone is not None and not build.stone_problem else None
    show_all = request.GET.get("all") == "1"
    choices = setting_choices(request.GET, stone=stone, show_all=show_all, metal_hint=build.state.metal)
    return _search_page(
        request,
        "ring_builder/settings.html",
        {
            "build": build,
            "steps": build.steps("setting"),
            "choices": choices,
            "stone": stone,
            "show_all": show_all,
            "base_url": request.path,
        },
    )


@require_GET
def stone_step(request, kind: str):
    if kind not in STONE_KINDS:
        raise Http404
    build = build_get(request)
    show_all = request.GET.get("all") == "1"
    choices = stone_choices(
        request.GET, kind=kind, setting=build.setting, show_all=show_all, currency_rate=request_rate(request)
    )
    result = choices.result
    context = {
        "build": build,
        "steps": build.steps("stone"),
        "choices": choices,
        "result": result,
        "kind": kind,
        "kind_title": STONE_KINDS[kind],
        "kinds": STONE_KINDS,
        "show_all": show_all,
        "base_url": request.path,
        "shapes": choice_options(result, "shape", Shape.choices),
    }
    if kind == "gemstone":
        context["gem_kinds"] = choice_options(result, "kind", GemKind.choices)
    else:
        grades = [
            *([INTENSITY] if kind == "fancy" else []),
            *[g for g in DIAMOND_GRADES[:3] if kind != "fancy" or g.param != "color"],
        ]
        context["grades"] = grade_controls(result, grades)
        context["hues"] = choice_options(result, "hue", FancyHue.choices) if kind == "fancy" else []
        context["labs"] = choice_options(result, "lab", Lab.choices)
    return _search_page(request, "ring_builder/stones.html", context)


@require_http_methods(["GET", "POST"])
def review(request):
    build = build_get(request)
    if build.setting is None or build.stone is None:
        messages.info(request, "Choose a setting and a centre stone, then review your ring here.")
        return redirect(build.next_url)
    token = build.state.token
    if request.method == "POST":
        action = request.POST.get("action", "save")
        data = request.POST
        if action == "update":
            # A metal or size picked with JavaScript on: the price updates in place while the shopper may still be
            # typing an engraving, which is saved with the form itself.
            data = data.copy()
            data["engraving"] = build.state.engraving
        form = ReviewForm(data, setting=build.setting, token=token)
        if form.is_valid():
            data = form.cleaned_data
            try:
                builder.build_update_details(
                    request, metal=data["metal"], size=data["size"], engraving=data["engraving"]
                )
                if action == "bag":
                    builder.build_add_to_bag(request)
                    messages.success(request, "Your ring is in your bag.")
                    return _go(request, reverse("checkout:bag"))
            except BuildError as error:
                form.add_error(None, str(error))
            else:
                if not _htmx(request):
                    messages.success(request, "Your design is saved.")
                    return redirect("ring_builder:review")
                build = build_get(request)
                form = ReviewForm(initial=_review_initial(build), setting=build.setting, token=build.state.token)
    else:
        form = ReviewForm(initial=_review_initial(build), setting=build.setting, token=token)
    context = {
        "build": build,
        "steps": build.steps("review"),
        "form": form,
        "quote": builder.build_quote(request, build),
        "metals": builder.metal_options(request, build.setting),
        "fit": build.fit,
        "share_url": request.build_absolute_uri(reverse("ring_builder:shared", args=[build.state.token]))
        if build.state.token
        else "",
    }
    # With htmx too the whole page: the form takes the summary from it, and the progress bar's prices (hx-select-oob).
    return render(request, "ring_builder/review.html", context)


def _review_initial(build) -> dict:
    return {
        "metal": build.state.metal,
        "size": build.state.size,
        "engraving": build.state.engraving,
        "build": build.state.token,
    }


@require_POST
def share(request):
    try:
        builder.build_share(request)
    except BuildError as error:
        messages.error(request, str(error))
        return redirect(build_get(request).next_url)
    messages.success(request, "Your design has a link of its own: copy it below and share it with anyone.")
    build = build_get(request)
    return redirect(f"{reverse('ring_builder:review') if build.setting and build.stone else build.next_url}#share")


@require_GET
def shared(request, token: str):
    """A shared design, rebuilt for whoever opens the link: each part as it is now (a stone sold since is marked)."""
    saved = builder.saved_build_get(token)
    if saved is None:
        raise Http404("No such design")
    view = builder.shared_view(saved)
    own = request.user.is_authenticated and saved.owner_id == request.user.pk
    return render(
        request,
        "ring_builder/shared.html",
        {
            "saved": saved,
            "shared": view,
            "quote": builder.build_quote(request, view) if not view.stone_problem else None,
            "own": own,
            "setting_gone": saved.setting is not None and view.setting is None,
        },
    )


@require_POST
def use_shared(request, token: str):
    saved = builder.saved_build_get(token)
    if saved is None:
        messages.error(request, "Sorry, we could not find that design.")
        return redirect("ring_builder:start")
    for note in builder.build_use_saved(request, saved=saved):
        messages.warning(request, note)
    messages.success(request, "This design is now yours to change.")
    return redirect(build_get(request).next_url)


@require_POST
def resume_saved(request):
    form = TokenForm(request.POST)
    try:
        if not form.is_valid():
            raise BuildError("That design is not in your account, so nothing was changed.")
        notes = builder.build_resume(request, token=form.cleaned_data["token"])
    except BuildError as error:
        messages.error(request, str(error))
        return redirect("ring_builder:start")
    for note in notes:
        messages.warning(request, note)
    return redirect(build_get(request).next_url)


@require_POST
def delete_saved(request):
    form = TokenForm(request.POST)
    try:
        if not form.is_valid():
            raise BuildError("That design is not in your account, so nothing was changed.")
        builder.build_delete_saved(request, token=form.cleaned_data["token"])
    except BuildError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The design has been deleted.")
    return redirect("ring_builder:start")
