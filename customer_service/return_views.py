"""Placeholder until this feature lands (being written in this session)."""

from django.http import Http404



def return_start(request, *args, **kwargs):
    raise Http404


def return_detail(request, *args, **kwargs):
    raise Http404
