"""Search and browse pages: diamonds, gemstones, ring settings, jewelry. Each binds the query string, calls one
selector and renders; an htmx request gets only the search area, so results update in place."""

from django.http import Http404
from django.shortcuts import render

from checkout.currency import request_rate

from .. import browse as selectors
from ..grades import FancyHue, GemKind, Lab, Shape
from ..search import DIAMOND_GRADES, INTENSITY, diamond_search, gemstone_search

KIND_TITLES = {
    "natural": ("Loose diamonds", "Natural, conflict-free diamonds, each graded by an independent lab."),
    "lab": ("Lab-grown diamonds", "Real diamonds, grown above ground: the same fire and hardness, for less."),
    "fancy": ("Fancy colour diamonds", "Yellow, pink, blue and every rare hue between, graded for intensity."),
}
KIND_URLS = {"natural": "/loose-diamonds/", "lab": "/lab-grown-diamonds/", "fancy": "/fancy-color-diamonds/"}


def _render_search(request, template, context):
    if request.htmx and not request.htmx.boosted:
        return render(request, f"{template}#search-area", context)
    return render(request, template, context)


def _choice_options(result, param, choices):
    """Checkbox options with their facet counts and checked state."""
    chosen = set(result.form.data.getlist(param)) & {v for v, _ in choices}
    counts = result.facets.get(param, {})
    return [{"value": v, "label": label, "count": counts.get(v), "checked": v in chosen} for v, label in choices]


def _grade_controls(result, grades):
    """A from/to pair of selects per ordered grade, each option with its count."""
    data, controls = result.form.cleaned_data, []
    for grade in grades:
        counts = result.facets.get(grade.param, {})
        options = [{"value": v, "label": label, "count": counts.get(v)} for v, label in grade.choices()]
        controls.append(
            {
                "grade": grade,
                "options": options,
                "from": data.get(f"{grade.param}_from") or options[0]["value"],
                "to": data.get(f"{grade.param}_to") or options[-1]["value"],
            }
        )
    return controls


def diamond_search_view(request, kind, shape=None):
    query = request.GET.copy()
    if shape is not None:
        if shape not in Shape.values:
            raise Http404("No such shape")
        if "shape" not in query:
            query.setlist("shape", [shape])
    result = diamond_search(query, kind=kind, currency_rate=request_rate(request))
    title, intro = KIND_TITLES[kind]
    if shape and query.getlist("shape") == [shape]:
        title = f"{Shape(shape).label} {title.lower()}"
    grades = [
        *([INTENSITY] if kind == "fancy" else []),
        *[g for g in DIAMOND_GRADES if kind != "fancy" or g.param != "color"],
    ]
    return _render_search(
        request,
        "catalog/diamond_search.html",
        {
            "result": result,
            "kind": kind,
            "title": title,
            "intro": intro,
            "base_url": request.path,
            "kind_urls": KIND_URLS,
            "shapes": _choice_options(result, "shape", Shape.choices),
            "labs": _choice_options(result, "lab", Lab.choices),
            "hues": _choice_options(result, "hue", FancyHue.choices),
            "main_grades": _grade_controls(result, grades[:3]),
            "advanced_grades": _grade_controls(result, grades[3:]),
            "view_mode": "list" if request.GET.get("view") == "list" else "grid",
        },
    )


def gemstone_search_view(request):
    result = gemstone_search(request.GET, currency_rate=request_rate(request))
    return _render_search(
        request,
        "catalog/gemstone_search.html",
        {
            "result": result,
            "base_url": request.path,
            "kinds": _choice_options(result, "kind", GemKind.choices),
            "shapes": _choice_options(result, "shape", Shape.choices),
            "view_mode": "list" if request.GET.get("view") == "list" else "grid",
        },
    )


def setting_browse_view(request, style=None):
    browse = selectors.setting_browse(request.GET, style=style, currency_rate=request_rate(request))
    if browse is None:
        raise Http404("No such style")
    return _render_search(request, "catalog/setting_browse.html", {"browse": browse, "base_url": request.path})


def jewelry_browse_view(request, category=None):
    browse = selectors.jewelry_browse(request.GET, category=category, currency_rate=request_rate(request))
    if browse is None:
        raise Http404("No such category")
    return _render_search(request, "catalog/jewelry_browse.html", {"browse": browse, "base_url": request.path})
