"""Placeholder until this feature lands (being written in this session)."""

from django.http import Http404



def request_inspection(request, *args, **kwargs):
    raise Http404


def requested(request, *args, **kwargs):
    raise Http404
