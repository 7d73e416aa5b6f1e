"""The header's site search: GET /search/?q=... (catalog/sitesearch.py). A stone's SKU or certificate number jumps
straight to its page; anything else shows the results grouped by kind, or one kind paged with ?kind=."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ..sitesearch import site_search


@require_GET
def site_search_view(request):
    search = site_search(request.GET.get("q", ""), kind=request.GET.get("kind"), page=request.GET.get("page"))
    if search.redirect_to:
        return redirect(search.redirect_to)
    return render(request, "catalog/site_search.html", {"search": search})
