"""Is this stone fairly priced? Where its price per carat sits among comparable available stones, and for a natural
diamond what the closest lab-grown match costs. Each answer is one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Min, Q, Value
from django.db.models.functions import Abs

from .models import Diamond

MIN_COMPARABLES = 5
CARAT_BAND = Decimal("0.10")  # ±10 %


@dataclass(frozen=True)
class FairPrice:
    price_per_carat: Decimal
    comparables: int  # other available stones of the same shape, colour, clarity and origin, carat ±10 %
    priced_higher: int  # of those, how many cost more per carat
    priced_lower: int = 0  # ... and how many cost less (the rest cost the same)
    lowest_per_carat: Decimal | None = None  # the range of the comparable stones' prices per carat
    highest_per_carat: Decimal | None = None

    @property
    def enough(self) -> bool:
        return self.comparables >= MIN_COMPARABLES

    @property
    def percent_cheaper_than(self) -> int:
        """ "Priced lower than 72% of 140 comparable diamonds"."""
        return round(100 * self.priced_higher / self.comparables) if self.comparables else 0

    @property
    def decile(self) -> int:
        """0–10, for placing the marker on a scale from the lowest price per carat (0) to the highest (10): the
        share of comparable stones that cost less, ties counted half."""
        if not self.comparables:
            return 5
        return round(
            10
            * (self.priced_lower + (self.comparables - self.priced_lower - self.priced_higher) / 2)
            / self.comparables
        )

    @property
    def verdict(self) -> str:
        if not self.enough:
            return "too few"
        share = self.percent_cheaper_than
        return "great" if share >= 70 else "fair" if share >= 30 else "high"


def _price_per_carat():
    return ExpressionWrapper(
        F("current_price") / F("carat"), output_field=DecimalField(max_digits=14, decimal_places=4)
    )


def comparable_diamonds(diamond: Diamond):
    low, high = diamond.carat * (1 - CARAT_BAND), diamond.carat * (1 + CARAT_BAND)
    colour = (
        Q(fancy_hue=diamond.fancy_hue, fancy_intensity=diamond.fancy_intensity)
        if diamond.is_fancy
        else Q(fancy_hue="", color=diamond.color)
    )
    return (
        Diamond.objects.available()
        .filter(colour, shape=diamond.shape, clarity=diamond.clarity, origin=diamond.origin, carat__range=(low, high))
        .exclude(pk=diamond.pk)
    )


def fair_price(diamond: Diamond) -> FairPrice:
    ppc = diamond.current_price / diamond.carat
    # Dearer or cheaper per carat, compared by cross-multiplying (their price × our carat against our price × their
    # carat): exact on every database, where comparing two divisions rounds (SQLite divides in floating point).
    versus = ExpressionWrapper(
        F("current_price") * Value(diamond.carat) - F("carat") * Value(diamond.current_price),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    row = (
        comparable_diamonds(diamond)
        .annotate(ppc=_price_per_carat(), versus=versus)
        .aggregate(
            total=Count("pk"),
            higher=Count("pk", filter=Q(versus__gt=0)),
            lower=Count("pk", filter=Q(versus__lt=0)),
            lowest=Min("ppc"),
            highest=Max("ppc"),
        )
    )

    def cents(value) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))

    return FairPrice(
        price_per_carat=ppc.quantize(Decimal("0.01")),
        comparables=row["total"],
        priced_higher=row["higher"],
        priced_lower=row["lower"],
        lowest_per_carat=cents(row["lowest"]),
        highest_per_carat=cents(row["highest"]),
    )


def lab_grown_match(diamond: Diamond) -> Diamond | None:
    """For a natural colourless diamond: the lab-grown stone of the same shape, colour and clarity nearest in carat
    (the cheapest of equally near ones). Only a stone within the same ±10% carat window counts as a match: a lab
    stone three times the size is not "the same diamond, grown"."""
    if diamond.origin != "natural" or diamond.is_fancy:
        return None
    low, high = diamond.carat * (1 - CARAT_BAND), diamond.carat * (1 + CARAT_BAND)
    return (
        Diamond.objects.available()
        .filter(origin="lab", fancy_hue="", shape=diamond.shape, color=diamond.color, clarity=diamond.clarity)
        .filter(carat__range=(low, high))
        .annotate(distance=Abs(F("carat") - diamond.carat))
        .order_by("distance", "current_price", "pk")
        .first()
    )
