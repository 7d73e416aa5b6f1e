"""Search and browse pages: diamonds, gemstones, ring settings, jewelry. Each binds the query string, calls one
selector and renders; an htmx request gets only the search area, so results update in place."""

from django.http import Http404
from django.shortcuts import render

from checkout.currency import request_rate

from .. import browse as selectors
from ..grades import FancyHue, GemKind, Lab, Shape
from ..search import DIAMOND_GRADES, INTENSITY, diamond_search, gemstone_search
from ..search_controls import choice_options, grade_controls

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
            "shapes": choice_options(result, "shape", Shape.choices),
            "labs": choice_options(result, "lab", Lab.choices),
            "hues": choice_options(result, "hue", FancyHue.choices),
            "main_grades": grade_controls(result, grades[:3]),
            "advanced_grades": grade_controls(result, grades[3:]),
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
            "kinds": choice_options(result, "kind", GemKind.choices),
            "shapes": choice_options(result, "shape", Shape.choices),
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
