"""Placeholder until this feature lands (being written in this session)."""

from django.http import Http404



def share(request, *args, **kwargs):
    raise Http404


def sent(request, *args, **kwargs):
    raise Http404
