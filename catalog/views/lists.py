"""Wish list and compare list (built by the lists work)."""

from django.http import Http404


def wish_list_view(request):
    raise Http404


def wish_list_toggle(request):
    raise Http404


def compare_view(request):
    raise Http404


def compare_toggle(request):
    raise Http404
