"""The grade scales of the trade, as ordered choices.

Ordered grades are stored as small integers, best first (D=1, FL=1, Excellent=1 ...), so "G or better" is
`colour <= G` and any range is one indexed comparison. `parse_*` read the spellings suppliers use in their feeds
("RD", "EX", "VG", "Faint", "FNT", "Very Good") and raise GradeError for anything else."""

from __future__ import annotations

import re

from django.db import models


class GradeError(ValueError):
    """A value that is not a known spelling of any grade of the scale."""


class Shape(models.TextChoices):
    ROUND = "round", "Round"
    PRINCESS = "princess", "Princess"
    CUSHION = "cushion", "Cushion"
    EMERALD = "emerald", "Emerald"
    OVAL = "oval", "Oval"
    RADIANT = "radiant", "Radiant"
    ASSCHER = "asscher", "Asscher"
    MARQUISE = "marquise", "Marquise"
    HEART = "heart", "Heart"
    PEAR = "pear", "Pear"
    OCTAGON = "octagon", "Octagon"


class Cut(models.IntegerChoices):
    TRUE_HEARTS = 1, "True Hearts"
    IDEAL = 2, "Ideal"
    VERY_GOOD = 3, "Very Good"
    GOOD = 4, "Good"
    FAIR = 5, "Fair"


class Finish(models.IntegerChoices):
    """Polish and symmetry."""

    EXCELLENT = 1, "Excellent"
    VERY_GOOD = 2, "Very Good"
    GOOD = 3, "Good"
    FAIR = 4, "Fair"
    POOR = 5, "Poor"


class Color(models.IntegerChoices):
    D = 1, "D"
    E = 2, "E"
    F = 3, "F"
    G = 4, "G"
    H = 5, "H"
    I = 6, "I"  # noqa: E741 - the grade is called I
    J = 7, "J"
    K = 8, "K"
    L = 9, "L"
    M = 10, "M"


class Clarity(models.IntegerChoices):
    FL = 1, "FL"
    IF = 2, "IF"
    VVS1 = 3, "VVS1"
    VVS2 = 4, "VVS2"
    VS1 = 5, "VS1"
    VS2 = 6, "VS2"
    SI1 = 7, "SI1"
    SI2 = 8, "SI2"
    I1 = 9, "I1"


class Fluorescence(models.IntegerChoices):
    NONE = 1, "None"
    FAINT = 2, "Faint"
    MEDIUM = 3, "Medium"
    STRONG = 4, "Strong"
    VERY_STRONG = 5, "Very Strong"


class Lab(models.TextChoices):
    GIA = "GIA", "GIA"
    IGI = "IGI", "IGI"
    GCAL = "GCAL", "GCAL"
    AGS = "AGS", "AGS"


class Origin(models.TextChoices):
    NATURAL = "natural", "Natural"
    LAB = "lab", "Lab-grown"


class FancyHue(models.TextChoices):
    YELLOW = "yellow", "Yellow"
    PINK = "pink", "Pink"
    PURPLE = "purple", "Purple"
    RED = "red", "Red"
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    ORANGE = "orange", "Orange"
    BROWN = "brown", "Brown"
    BLACK = "black", "Black"
    GRAY = "gray", "Gray"


class FancyIntensity(models.IntegerChoices):
    FAINT = 1, "Faint"
    VERY_LIGHT = 2, "Very Light"
    LIGHT = 3, "Light"
    FANCY_LIGHT = 4, "Fancy Light"
    FANCY = 5, "Fancy"
    FANCY_INTENSE = 6, "Fancy Intense"
    FANCY_VIVID = 7, "Fancy Vivid"
    FANCY_DEEP = 8, "Fancy Deep"
    FANCY_DARK = 9, "Fancy Dark"


class StoneStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    RESERVED = "reserved", "Reserved"
    SOLD = "sold", "Sold"


class GemKind(models.TextChoices):
    BLUE_SAPPHIRE = "blue_sapphire", "Blue sapphire"
    PINK_SAPPHIRE = "pink_sapphire", "Pink sapphire"
    YELLOW_SAPPHIRE = "yellow_sapphire", "Yellow sapphire"
    GREEN_SAPPHIRE = "green_sapphire", "Green sapphire"
    RUBY = "ruby", "Ruby"
    EMERALD = "emerald", "Emerald"
    MOISSANITE = "moissanite", "Moissanite"


# Mohs hardness of each gemstone kind; diamonds are 10. Used by the ring builder's tension-setting rule.
MOHS = {
    GemKind.BLUE_SAPPHIRE: 9,
    GemKind.PINK_SAPPHIRE: 9,
    GemKind.YELLOW_SAPPHIRE: 9,
    GemKind.GREEN_SAPPHIRE: 9,
    GemKind.RUBY: 9,
    GemKind.EMERALD: 7.5,
    GemKind.MOISSANITE: 9.25,
}


class Metal(models.TextChoices):
    WHITE_GOLD_14K = "14k_white", "14k White Gold"
    YELLOW_GOLD_14K = "14k_yellow", "14k Yellow Gold"
    ROSE_GOLD_14K = "14k_rose", "14k Rose Gold"
    WHITE_GOLD_18K = "18k_white", "18k White Gold"
    YELLOW_GOLD_18K = "18k_yellow", "18k Yellow Gold"
    ROSE_GOLD_18K = "18k_rose", "18k Rose Gold"
    PLATINUM = "platinum", "Platinum"


# --- Supplier spellings ------------------------------------------------------------------------------------------
def _key(value: object) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(value or "").upper())


def _table(choices, extra: dict[str, object]) -> dict[str, object]:
    table = {_key(c.label): c for c in choices}
    table.update({_key(c.value): c for c in choices if isinstance(c.value, str)})
    table.update({_key(k): v for k, v in extra.items()})
    return table


_SHAPES = _table(
    Shape,
    {
        "RD": Shape.ROUND, "BR": Shape.ROUND, "RB": Shape.ROUND, "RBC": Shape.ROUND, "ROUND BRILLIANT": Shape.ROUND,
        "PR": Shape.PRINCESS, "PRIN": Shape.PRINCESS, "CU": Shape.CUSHION, "CUS": Shape.CUSHION,
        "CUSHION MODIFIED": Shape.CUSHION, "CMB": Shape.CUSHION, "EM": Shape.EMERALD, "EMR": Shape.EMERALD,
        "OV": Shape.OVAL, "OVL": Shape.OVAL, "RA": Shape.RADIANT, "RAD": Shape.RADIANT, "AS": Shape.ASSCHER,
        "ASH": Shape.ASSCHER, "SQ EMERALD": Shape.ASSCHER, "MQ": Shape.MARQUISE, "MAR": Shape.MARQUISE,
        "HS": Shape.HEART, "HT": Shape.HEART, "HRT": Shape.HEART, "PS": Shape.PEAR, "PE": Shape.PEAR,
        "PEA": Shape.PEAR, "OC": Shape.OCTAGON, "OCT": Shape.OCTAGON,
    },
)  # fmt: skip
_CUTS = _table(
    Cut,
    {"TH": Cut.TRUE_HEARTS, "SUPER IDEAL": Cut.TRUE_HEARTS, "H&A": Cut.TRUE_HEARTS, "ID": Cut.IDEAL,
     "EX": Cut.IDEAL, "EXCELLENT": Cut.IDEAL, "VG": Cut.VERY_GOOD, "G": Cut.GOOD, "GD": Cut.GOOD,
     "F": Cut.FAIR, "FR": Cut.FAIR},
)  # fmt: skip
_FINISHES = _table(
    Finish,
    {"EX": Finish.EXCELLENT, "EXC": Finish.EXCELLENT, "ID": Finish.EXCELLENT, "IDEAL": Finish.EXCELLENT,
     "VG": Finish.VERY_GOOD, "G": Finish.GOOD, "GD": Finish.GOOD, "F": Finish.FAIR, "FR": Finish.FAIR,
     "P": Finish.POOR, "PR": Finish.POOR},
)  # fmt: skip
_COLORS = _table(Color, {})
_CLARITIES = _table(Clarity, {"I": Clarity.I1})
_FLUORESCENCE = _table(
    Fluorescence,
    {"N": Fluorescence.NONE, "NON": Fluorescence.NONE, "NIL": Fluorescence.NONE, "F": Fluorescence.FAINT,
     "FNT": Fluorescence.FAINT, "SLIGHT": Fluorescence.FAINT, "M": Fluorescence.MEDIUM, "MED": Fluorescence.MEDIUM,
     "MB": Fluorescence.MEDIUM, "S": Fluorescence.STRONG, "STG": Fluorescence.STRONG, "SB": Fluorescence.STRONG,
     "VS": Fluorescence.VERY_STRONG, "VST": Fluorescence.VERY_STRONG, "VSTG": Fluorescence.VERY_STRONG},
)  # fmt: skip
_LABS = _table(Lab, {})


def _parser(table: dict[str, object], scale: str):
    def parse(value: object):
        try:
            return table[_key(value)]
        except KeyError:
            raise GradeError(f"{value!r} is not a known {scale}") from None

    parse.__name__ = f"parse_{scale.replace(' ', '_')}"
    return parse


parse_shape = _parser(_SHAPES, "shape")
parse_cut = _parser(_CUTS, "cut grade")
parse_finish = _parser(_FINISHES, "polish or symmetry grade")
parse_color = _parser(_COLORS, "colour grade")
parse_clarity = _parser(_CLARITIES, "clarity grade")
parse_fluorescence = _parser(_FLUORESCENCE, "fluorescence")
parse_lab = _parser(_LABS, "lab")
