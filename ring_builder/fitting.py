"""The compatibility rules as database filters, so a stone search shows only the stones a setting can hold.

`check_fit` (compatibility.py) is the one statement of the rules. This module does not restate which kinds a style
accepts: it asks `check_fit` about one probe stone of each kind and turns the answers into a filter, so a new rule
about kinds (like the tension rule) reaches the search by itself. Shape, carat and availability are plain
comparisons. tests/ring_builder/test_fitting.py proves with generated settings and stones that
`stone in fitting_diamonds(spec)` exactly when `check_fit(spec, StoneSpec.of(stone)).fits`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from catalog.grades import GemKind, StoneStatus
from catalog.models import Diamond, Gemstone

from .compatibility import DIAMOND_KINDS, SettingSpec, StoneSpec, check_fit
from .matching import CARAT_TOLERANCE, GRADE_TOLERANCE

ALL_KINDS: tuple[str, ...] = (*DIAMOND_KINDS, *GemKind.values)
KIND_CODES = {"kind", "brittle", "soft"}

# How each diamond kind (Diamond.kind) reads as a filter.
DIAMOND_KIND_Q = {
    "natural": Q(origin="natural", fancy_hue=""),
    "lab": Q(origin="lab", fancy_hue=""),
    "fancy": ~Q(fancy_hue=""),
}


def accepted_kinds(spec: SettingSpec) -> list[str]:
    """The stone kinds the setting can hold, asked of check_fit with a probe stone that passes every other rule."""
    if not spec.holds_a_stone:
        return []
    kinds = []
    for kind in ALL_KINDS:
        probe = StoneSpec(kind=kind, shape=spec.shapes[0], carat=spec.min_carat)
        if not KIND_CODES & set(check_fit(spec, probe).codes):
            kinds.append(kind)
    return kinds


def _common(spec: SettingSpec) -> Q:
    return Q(
        status=StoneStatus.AVAILABLE, shape__in=list(spec.shapes), carat__gte=spec.min_carat, carat__lte=spec.max_carat
    )


def diamond_fit_q(spec: SettingSpec) -> Q | None:
    """The filter of the diamonds that fit, or None when none can."""
    kinds = [k for k in accepted_kinds(spec) if k in DIAMOND_KINDS]
    if not kinds:
        return None
    either = Q()
    for kind in kinds:
        either |= DIAMOND_KIND_Q[kind]
    return _common(spec) & either


def gemstone_fit_q(spec: SettingSpec) -> Q | None:
    kinds = [k for k in accepted_kinds(spec) if k not in DIAMOND_KINDS]
    if not kinds:
        return None
    return _common(spec) & Q(kind__in=kinds)


def fitting_diamonds(spec: SettingSpec, base: QuerySet | None = None) -> QuerySet:
    base = Diamond.objects.all() if base is None else base
    condition = diamond_fit_q(spec)
    return base.none() if condition is None else base.filter(condition)


def fitting_gemstones(spec: SettingSpec, base: QuerySet | None = None) -> QuerySet:
    base = Gemstone.objects.all() if base is None else base
    condition = gemstone_fit_q(spec)
    return base.none() if condition is None else base.filter(condition)


def fitting_stones(spec: SettingSpec, model, base: QuerySet | None = None) -> QuerySet:
    return (fitting_diamonds if model is Diamond else fitting_gemstones)(spec, base)


def pair_q(first) -> Q:
    """The stones that make a pair of earrings with `first` (a matching.PairStone), as a filter: the same rule as
    matching.match_pair, which tests/ring_builder/test_matching.py checks it against."""
    if first.status != StoneStatus.AVAILABLE:
        return Q(pk__in=[])  # matches nothing: a pair needs both stones
    # |a - b| <= 10% of the smaller: b <= a × 1.1 and b × 1.1 >= a.
    condition = Q(
        status=StoneStatus.AVAILABLE,
        shape=first.shape,
        carat__lte=first.carat * (1 + CARAT_TOLERANCE),
        carat__gte=first.carat / (1 + CARAT_TOLERANCE),
    )
    condition &= ~Q(sku=first.ref)
    if first.kind in DIAMOND_KINDS:
        condition &= DIAMOND_KIND_Q[first.kind]
        if first.kind == "fancy":
            condition &= Q(fancy_hue=first.hue)
            if first.intensity is not None:
                condition &= Q(
                    fancy_intensity__gte=first.intensity - GRADE_TOLERANCE,
                    fancy_intensity__lte=first.intensity + GRADE_TOLERANCE,
                )
        elif first.color is not None:
            condition &= Q(color__gte=first.color - GRADE_TOLERANCE, color__lte=first.color + GRADE_TOLERANCE)
        if first.clarity is not None:
            condition &= Q(clarity__gte=first.clarity - GRADE_TOLERANCE, clarity__lte=first.clarity + GRADE_TOLERANCE)
    else:
        condition &= Q(kind=first.kind)
    return condition
