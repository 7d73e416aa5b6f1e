"""Placeholder until this feature lands (being written in this session)."""

from django.http import Http404



def subscribe(request, *args, **kwargs):
    raise Http404


def check_inbox(request, *args, **kwargs):
    raise Http404


def confirm(request, *args, **kwargs):
    raise Http404


def unsubscribe(request, *args, **kwargs):
    raise Http404
