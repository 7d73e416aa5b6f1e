"""Detail pages (built by the catalog detail work)."""

from django.http import Http404


def diamond_detail(request, sku):
    raise Http404


def gemstone_detail(request, sku):
    raise Http404


def setting_detail(request, slug):
    raise Http404


def jewelry_detail(request, category, slug):
    raise Http404
