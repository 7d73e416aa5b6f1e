"""The closest stones or settings that do fit, offered when a pair does not.

Every suggestion is checked by the same rules (the stones come from the fitting filter, the settings from
check_fit), so nothing offered can itself be refused; tests/ring_builder/test_suggestions.py proves it."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models.functions import Abs

from catalog.models import Diamond

from .compatibility import SettingSpec, StoneSpec, check_fit
from .fitting import DIAMOND_KIND_Q, fitting_stones

LIMIT = 4


def closest_fitting_stones(spec: SettingSpec, stone, *, limit: int = LIMIT) -> list:
    """Stones of the same model that fit `spec`, the same kind first, then nearest in carat, then in price: one
    query."""
    model = type(stone)
    same_kind = DIAMOND_KIND_Q[stone.kind] if model is Diamond else Q(kind=stone.kind)
    same_kind_first = Case(
        When(same_kind, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    carat_gap = Abs(ExpressionWrapper(F("carat") - Value(stone.carat), output_field=DecimalField()))
    price_gap = Abs(ExpressionWrapper(F("current_price") - Value(stone.current_price), output_field=DecimalField()))
    return list(
        fitting_stones(spec, model)
        .exclude(pk=stone.pk)
        .annotate(same_kind_first=same_kind_first, carat_gap=carat_gap, price_gap=price_gap)
        .order_by("same_kind_first", "carat_gap", "price_gap", "pk")[:limit]
    )


def closest_fitting_settings(stone_spec: StoneSpec, settings, *, like=None, metal: str = "", limit: int = LIMIT):
    """Settings (an already loaded list, variants prefetched) that hold the stone: those of `like`'s style first,
    then nearest in price to it."""
    target = _price(like, metal) if like is not None else Decimal(0)
    fitting = [
        s for s in settings if (like is None or s.pk != like.pk) and check_fit(SettingSpec.of(s), stone_spec).fits
    ]
    fitting.sort(key=lambda s: (like is not None and s.style != like.style, abs(_price(s, metal) - target), s.name))
    return fitting[:limit]


def _price(setting, metal: str) -> Decimal:
    prices = {v.metal: v.price for v in setting.variants.all()}
    if metal in prices:
        return prices[metal]
    return min(prices.values(), default=Decimal(0))
