"""The header's site search (built by the site search work)."""

from django.http import Http404


def site_search_view(request):
    raise Http404
