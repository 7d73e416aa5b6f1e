"""Stones like this one, for the "sorry, this item has just been sold" page: same shape and kind, nearest in carat,
then closest in colour and clarity. One query."""

from __future__ import annotations

from django.db.models import F, Value
from django.db.models.functions import Abs, Coalesce

from .models import Diamond, Gemstone

LIMIT = 8


def similar_diamonds(diamond: Diamond, *, limit: int = LIMIT) -> list[Diamond]:
    qs = Diamond.objects.available().filter(shape=diamond.shape, origin=diamond.origin).exclude(pk=diamond.pk)
    if diamond.is_fancy:
        qs = qs.filter(fancy_hue=diamond.fancy_hue)
        grade = Abs(Coalesce("fancy_intensity", Value(5)) - (diamond.fancy_intensity or 5))
    else:
        qs = qs.filter(fancy_hue="")
        grade = Abs(Coalesce("color", Value(4)) - (diamond.color or 4))
    # A tenth of a carat weighs as much as one grade of colour or clarity.
    distance = Abs(F("carat") - diamond.carat) * 10 + grade + Abs(F("clarity") - diamond.clarity)
    return list(qs.annotate(distance=distance).order_by("distance", "current_price", "pk")[:limit])


def similar_gemstones(gem: Gemstone, *, limit: int = LIMIT) -> list[Gemstone]:
    qs = Gemstone.objects.available().filter(kind=gem.kind).exclude(pk=gem.pk)
    distance = Abs(F("carat") - gem.carat)
    return list(qs.annotate(distance=distance).order_by("distance", "current_price", "pk")[:limit])
