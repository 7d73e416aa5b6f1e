"""A realistic, deterministic catalog for demos, tests and benchmarks.

The price model behaves like the market: price per carat rises with carat (with a jump at the popular whole and
half carats), colour, clarity and cut; fancy shapes trade below rounds; lab-grown stones cost a fraction of natural
ones; fancy colours carry premiums by hue and intensity. The same seed always gives the same catalog."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from .grades import Clarity, Color, Cut, FancyHue, FancyIntensity, Finish, Fluorescence, GemKind, Lab, Metal, Shape

# Price per carat of a 1.00 ct natural round, G colour, VS2, Ideal cut: the model's reference point.
REFERENCE_PPC = Decimal(6200)

_CARAT_CURVE = [(0.23, 0.30), (0.5, 0.52), (0.7, 0.68), (0.9, 0.82), (1.0, 1.0), (1.5, 1.38), (2.0, 1.85),
                (3.0, 2.55), (5.0, 3.5), (10.0, 5.0)]  # fmt: skip
COLOR_FACTOR = {Color.D: 1.50, Color.E: 1.36, Color.F: 1.22, Color.G: 1.00, Color.H: 0.88, Color.I: 0.76,
                Color.J: 0.66, Color.K: 0.56, Color.L: 0.48, Color.M: 0.42}  # fmt: skip
CLARITY_FACTOR = {Clarity.FL: 1.70, Clarity.IF: 1.50, Clarity.VVS1: 1.35, Clarity.VVS2: 1.22, Clarity.VS1: 1.10,
                  Clarity.VS2: 1.00, Clarity.SI1: 0.86, Clarity.SI2: 0.72, Clarity.I1: 0.50}  # fmt: skip
CUT_FACTOR = {Cut.TRUE_HEARTS: 1.12, Cut.IDEAL: 1.0, Cut.VERY_GOOD: 0.9, Cut.GOOD: 0.8, Cut.FAIR: 0.7}
SHAPE_FACTOR = {Shape.ROUND: 1.0, Shape.PRINCESS: 0.78, Shape.CUSHION: 0.76, Shape.EMERALD: 0.74, Shape.OVAL: 0.84,
                Shape.RADIANT: 0.78, Shape.ASSCHER: 0.76, Shape.MARQUISE: 0.75, Shape.HEART: 0.77,
                Shape.PEAR: 0.80, Shape.OCTAGON: 0.72}  # fmt: skip
FLUORESCENCE_FACTOR = {Fluorescence.NONE: 1.0, Fluorescence.FAINT: 0.99, Fluorescence.MEDIUM: 0.93,
                       Fluorescence.STRONG: 0.87, Fluorescence.VERY_STRONG: 0.82}  # fmt: skip
HUE_FACTOR = {FancyHue.YELLOW: 0.9, FancyHue.PINK: 8.0, FancyHue.PURPLE: 5.0, FancyHue.RED: 20.0,
              FancyHue.BLUE: 10.0, FancyHue.GREEN: 6.0, FancyHue.ORANGE: 3.0, FancyHue.BROWN: 0.4,
              FancyHue.BLACK: 0.35, FancyHue.GRAY: 0.8}  # fmt: skip
INTENSITY_FACTOR = {FancyIntensity.FAINT: 0.5, FancyIntensity.VERY_LIGHT: 0.6, FancyIntensity.LIGHT: 0.75,
                    FancyIntensity.FANCY_LIGHT: 0.9, FancyIntensity.FANCY: 1.0, FancyIntensity.FANCY_INTENSE: 1.6,
                    FancyIntensity.FANCY_VIVID: 3.0, FancyIntensity.FANCY_DEEP: 2.0,
                    FancyIntensity.FANCY_DARK: 0.8}  # fmt: skip
LAB_GROWN_FRACTION = (0.12, 0.2)

# How often each grade occurs in a jeweler's inventory.
SHAPE_WEIGHTS = {Shape.ROUND: 45, Shape.OVAL: 12, Shape.CUSHION: 8, Shape.PRINCESS: 7, Shape.EMERALD: 6,
                 Shape.PEAR: 6, Shape.RADIANT: 5, Shape.ASSCHER: 3, Shape.MARQUISE: 3, Shape.HEART: 3,
                 Shape.OCTAGON: 2}  # fmt: skip
COLOR_WEIGHTS = {Color.D: 7, Color.E: 11, Color.F: 14, Color.G: 17, Color.H: 16, Color.I: 13, Color.J: 10,
                 Color.K: 6, Color.L: 4, Color.M: 2}  # fmt: skip
CLARITY_WEIGHTS = {Clarity.FL: 1, Clarity.IF: 4, Clarity.VVS1: 9, Clarity.VVS2: 12, Clarity.VS1: 18,
                   Clarity.VS2: 20, Clarity.SI1: 18, Clarity.SI2: 12, Clarity.I1: 6}  # fmt: skip
CUT_WEIGHTS = {Cut.TRUE_HEARTS: 8, Cut.IDEAL: 42, Cut.VERY_GOOD: 30, Cut.GOOD: 15, Cut.FAIR: 5}
FLUORESCENCE_WEIGHTS = {Fluorescence.NONE: 60, Fluorescence.FAINT: 18, Fluorescence.MEDIUM: 12,
                        Fluorescence.STRONG: 7, Fluorescence.VERY_STRONG: 3}  # fmt: skip
LAB_WEIGHTS = {Lab.GIA: 60, Lab.IGI: 25, Lab.AGS: 10, Lab.GCAL: 5}
LAB_WEIGHTS_LAB_GROWN = {Lab.IGI: 70, Lab.GIA: 20, Lab.GCAL: 10}
HUE_WEIGHTS = {FancyHue.YELLOW: 40, FancyHue.PINK: 12, FancyHue.BROWN: 12, FancyHue.BLACK: 8, FancyHue.BLUE: 6,
               FancyHue.GREEN: 5, FancyHue.ORANGE: 5, FancyHue.GRAY: 5, FancyHue.PURPLE: 4, FancyHue.RED: 3}  # fmt: skip
INTENSITY_WEIGHTS = dict(zip(FancyIntensity, [3, 5, 8, 12, 25, 20, 12, 10, 5], strict=True))
# Popular sizes that buyers ask for, and so suppliers cut to.
MAGIC_CARATS = [0.30, 0.40, 0.50, 0.70, 0.75, 0.90, 1.00, 1.01, 1.20, 1.50, 1.51, 2.00, 2.01, 2.50, 3.00]
# (low, high) length/width ratios per shape
LW_RANGE = {Shape.ROUND: (0.99, 1.01), Shape.PRINCESS: (1.0, 1.05), Shape.CUSHION: (1.0, 1.2), Shape.EMERALD: (1.3, 1.5),
            Shape.OVAL: (1.3, 1.5), Shape.RADIANT: (1.1, 1.3), Shape.ASSCHER: (1.0, 1.05), Shape.MARQUISE: (1.85, 2.1),
            Shape.HEART: (0.9, 1.05), Shape.PEAR: (1.5, 1.7), Shape.OCTAGON: (1.0, 1.08)}  # fmt: skip
# Typical (depth %, table %) centres per shape.
PROPORTIONS = {Shape.ROUND: (61.5, 57), Shape.PRINCESS: (71, 69), Shape.CUSHION: (67, 62), Shape.EMERALD: (66, 64),
               Shape.OVAL: (61, 58), Shape.RADIANT: (66, 65), Shape.ASSCHER: (66, 63), Shape.MARQUISE: (61, 58),
               Shape.HEART: (60, 58), Shape.PEAR: (62, 58), Shape.OCTAGON: (65, 62)}  # fmt: skip
GIRDLES = ["Thin to Medium", "Medium", "Medium to Slightly Thick", "Slightly Thick", "Thin to Slightly Thick"]

DIAMOND_COLUMNS = [
    "sku", "shape", "carat", "cut", "color", "clarity", "polish", "symmetry", "fluorescence", "lab",
    "certificate_number", "origin", "fancy_hue", "fancy_intensity", "depth_pct", "table_pct", "length_mm",
    "width_mm", "depth_mm", "girdle", "culet", "price", "sale_price", "status", "reserved_until", "reserved_by",
    "arrival_date", "image",
]  # fmt: skip


def _chooser(rng: random.Random, weights: dict):
    keys = list(weights)
    cumulative, total = [], 0
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    return lambda: keys[bisect.bisect_right(cumulative, rng.random() * total)]


def carat_multiplier(carat: float) -> float:
    """Price per carat relative to 1.00 ct, interpolated along the curve, plus the premium at whole and half
    carats (a 1.00 ct costs clearly more per carat than a 0.98 ct)."""
    points = _CARAT_CURVE
    carat = min(max(carat, points[0][0]), points[-1][0])
    i = bisect.bisect_left([p[0] for p in points], carat)
    if points[i][0] == carat:
        factor = points[i][1]
    else:
        (x0, y0), (x1, y1) = points[i - 1], points[i]
        factor = y0 + (y1 - y0) * (carat - x0) / (x1 - x0)
    if carat >= 0.5 and (carat * 2) % 1 < 0.05:
        factor *= 1.08
    return factor


def diamond_price(*, carat, shape, cut, color, clarity, fluorescence, lab_grown_fraction=1.0, fancy_hue=None,
                  fancy_intensity=None, noise: float = 1.0) -> Decimal:  # fmt: skip
    """The model's price in USD, rounded to ten dollars. A lab-grown stone costs `lab_grown_fraction` of the
    natural one."""
    colour = (
        HUE_FACTOR[fancy_hue] * INTENSITY_FACTOR[fancy_intensity] if fancy_hue else COLOR_FACTOR[color]
    )  # fancy colour replaces the D–M scale
    ppc = (
        float(REFERENCE_PPC)
        * carat_multiplier(carat)
        * colour
        * CLARITY_FACTOR[clarity]
        * CUT_FACTOR[cut]
        * SHAPE_FACTOR[shape]
        * FLUORESCENCE_FACTOR[fluorescence]
        * noise
    )
    price = ppc * carat * lab_grown_fraction
    return Decimal(max(10, round(price / 10) * 10))


def _measurements(rng, shape, carat) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
    depth_c, table_c = PROPORTIONS[shape]
    depth_pct = round(rng.gauss(depth_c, 1.2), 1)
    table_pct = round(rng.gauss(table_c, 1.5), 1)
    depth_pct = min(max(depth_pct, 55.0), 78.0)
    table_pct = min(max(table_pct, 52.0), 75.0)
    lw = rng.uniform(*LW_RANGE[shape])
    # A round of 1 ct is about 6.4 mm across; volume scales with carat, so size with its cube root.
    area_side = 6.4 * carat ** (1 / 3) * (SHAPE_FACTOR[shape] ** 0.05)
    width = area_side / math.sqrt(lw)
    length = width * lw
    depth = width * depth_pct / 100
    return (
        Decimal(f"{length:.2f}"),
        Decimal(f"{width:.2f}"),
        Decimal(f"{depth:.2f}"),
        Decimal(f"{depth_pct:.1f}"),
        Decimal(f"{table_pct:.1f}"),
    )


def diamonds(count: int, *, seed: int = 1, today: date | None = None, sku_start: int = 1) -> Iterator[dict]:
    """`count` diamonds as dicts of model field values: about 70% natural, 24% lab-grown, 6% fancy colour."""
    rng = random.Random(seed)
    today = today or date.today()
    shape_of = _chooser(rng, SHAPE_WEIGHTS)
    color_of = _chooser(rng, COLOR_WEIGHTS)
    clarity_of = _chooser(rng, CLARITY_WEIGHTS)
    cut_of = _chooser(rng, CUT_WEIGHTS)
    fluor_of = _chooser(rng, FLUORESCENCE_WEIGHTS)
    lab_of = _chooser(rng, LAB_WEIGHTS)
    lab_grown_lab_of = _chooser(rng, LAB_WEIGHTS_LAB_GROWN)
    hue_of = _chooser(rng, HUE_WEIGHTS)
    intensity_of = _chooser(rng, INTENSITY_WEIGHTS)
    finish_of = _chooser(rng, {Finish.EXCELLENT: 55, Finish.VERY_GOOD: 32, Finish.GOOD: 11, Finish.FAIR: 2})
    for n in range(sku_start, sku_start + count):
        roll = rng.random()
        origin = "lab" if roll < 0.24 else "natural"
        fancy = roll > 0.94
        shape = shape_of()
        if rng.random() < 0.35:
            carat = rng.choice(MAGIC_CARATS)
        else:
            carat = round(min(max(rng.lognormvariate(-0.05, 0.55), 0.23), 8.0), 2)
        if origin == "lab":
            carat = round(min(carat * rng.uniform(1.0, 1.6), 8.0), 2)  # lab-grown buyers go bigger
        cut = cut_of()
        color = None if fancy else color_of()
        hue = hue_of() if fancy else ""
        intensity = intensity_of() if fancy else None
        clarity = clarity_of()
        fluorescence = fluor_of()
        lab = lab_grown_lab_of() if origin == "lab" else lab_of()
        length, width, depth, depth_pct, table_pct = _measurements(rng, shape, carat)
        noise = rng.lognormvariate(0, 0.08)
        lab_fraction = rng.uniform(*LAB_GROWN_FRACTION) if origin == "lab" else 1.0
        price = diamond_price(
            carat=carat, shape=shape, cut=cut, color=color, clarity=clarity, fluorescence=fluorescence,
            lab_grown_fraction=lab_fraction, fancy_hue=hue or None, fancy_intensity=intensity, noise=noise,
        )  # fmt: skip
        sale_price = (
            (price * Decimal(rng.choice(["0.85", "0.8", "0.9"]))).quantize(Decimal(10)) if rng.random() < 0.05 else None
        )
        status = "sold" if rng.random() < 0.01 else "available"
        yield {
            "sku": f"D{n:07d}",
            "shape": shape.value,
            "carat": Decimal(f"{carat:.2f}"),
            "cut": int(cut),
            "color": int(color) if color else None,
            "clarity": int(clarity),
            "polish": int(Finish.EXCELLENT if cut <= Cut.IDEAL else finish_of()),
            "symmetry": int(Finish.EXCELLENT if cut <= Cut.IDEAL else finish_of()),
            "fluorescence": int(fluorescence),
            "lab": lab.value,
            "certificate_number": f"{lab.value[:1]}{n:09d}{rng.randrange(10)}",
            "origin": origin,
            "fancy_hue": hue.value if hue else "",
            "fancy_intensity": int(intensity) if intensity else None,
            "depth_pct": depth_pct,
            "table_pct": table_pct,
            "length_mm": length,
            "width_mm": width,
            "depth_mm": depth,
            "girdle": rng.choice(GIRDLES),
            "culet": "None",
            "price": price,
            "sale_price": sale_price,
            "status": status,
            "reserved_until": None,
            "reserved_by": "",
            "arrival_date": today - timedelta(days=int(rng.expovariate(1 / 90))),
            "image": "",
        }


# --- Gemstones ------------------------------------------------------------------------------------------------------
GEM_COLOURS = {
    GemKind.BLUE_SAPPHIRE: ["Royal blue", "Cornflower blue", "Medium blue", "Deep blue"],
    GemKind.PINK_SAPPHIRE: ["Pink", "Hot pink", "Light pink"],
    GemKind.YELLOW_SAPPHIRE: ["Canary yellow", "Golden yellow", "Light yellow"],
    GemKind.GREEN_SAPPHIRE: ["Teal green", "Mint green"],
    GemKind.RUBY: ["Pigeon blood red", "Crimson", "Pinkish red"],
    GemKind.EMERALD: ["Vivid green", "Colombian green", "Light green"],
    GemKind.MOISSANITE: ["Colorless", "Near colorless"],
}
GEM_PPC = {GemKind.BLUE_SAPPHIRE: 1400, GemKind.PINK_SAPPHIRE: 1100, GemKind.YELLOW_SAPPHIRE: 700,
           GemKind.GREEN_SAPPHIRE: 600, GemKind.RUBY: 2600, GemKind.EMERALD: 1800, GemKind.MOISSANITE: 380}  # fmt: skip
GEM_ORIGINS = {GemKind.RUBY: ["Mozambique", "Burma", "Thailand"], GemKind.EMERALD: ["Colombia", "Zambia", "Brazil"],
               GemKind.MOISSANITE: [""]}  # fmt: skip
SAPPHIRE_ORIGINS = ["Sri Lanka", "Madagascar", "Australia", "Montana, USA"]
GEM_SHAPES = [Shape.OVAL, Shape.CUSHION, Shape.ROUND, Shape.EMERALD, Shape.PEAR, Shape.HEART, Shape.RADIANT]


def gemstones(count: int, *, seed: int = 2, today: date | None = None) -> Iterator[dict]:
    rng = random.Random(seed)
    today = today or date.today()
    for n in range(1, count + 1):
        kind = rng.choice(list(GemKind))
        shape = rng.choice(GEM_SHAPES)
        carat = round(min(max(rng.lognormvariate(0.2, 0.45), 0.4), 8.0), 2)
        length, width, depth, _dp, _tp = _measurements(rng, shape, carat)
        treatment = (
            "lab_created"
            if kind == GemKind.MOISSANITE
            else ("minor_oil" if kind == GemKind.EMERALD else rng.choice(["heated", "heated", "none"]))
        )
        premium = 1.8 if treatment == "none" else 1.0
        price = Decimal(round(GEM_PPC[kind] * carat**1.35 * premium * rng.lognormvariate(0, 0.12) / 10) * 10)
        yield {
            "sku": f"G{n:06d}",
            "kind": kind.value,
            "shape": shape.value,
            "carat": Decimal(f"{carat:.2f}"),
            "color": rng.choice(GEM_COLOURS[kind]),
            "treatment": treatment,
            "origin": rng.choice(GEM_ORIGINS.get(kind, SAPPHIRE_ORIGINS)),
            "lab": "GIA" if price > 3000 else "",
            "certificate_number": f"GEM{n:08d}" if price > 3000 else "",
            "length_mm": length,
            "width_mm": width,
            "depth_mm": depth,
            "price": max(price, Decimal(100)),
            "sale_price": None,
            "status": "available",
            "arrival_date": today - timedelta(days=rng.randrange(200)),
        }


# --- Settings -------------------------------------------------------------------------------------------------------
ALL_DIAMONDS = ["natural", "lab", "fancy"]
SAPPHIRES = ["blue_sapphire", "pink_sapphire", "yellow_sapphire", "green_sapphire"]
ALL_GEMS = [*SAPPHIRES, "ruby", "emerald", "moissanite"]
EVERY_SHAPE = [s.value for s in Shape]
METAL_PRICE = {Metal.WHITE_GOLD_14K: 1.0, Metal.YELLOW_GOLD_14K: 1.0, Metal.ROSE_GOLD_14K: 1.0,
               Metal.WHITE_GOLD_18K: 1.3, Metal.YELLOW_GOLD_18K: 1.3, Metal.ROSE_GOLD_18K: 1.3,
               Metal.PLATINUM: 1.55}  # fmt: skip

# name, style, collection, shapes, (min ct, max ct), kinds, requires centre, side stones, base price, days
SETTINGS: list[tuple] = [
    ("Classic Four-Prong Solitaire", "solitaire", "", ["round"], ("0.25", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 690, 3),
    ("Knife-Edge Solitaire", "solitaire", "", ["round", "oval", "cushion", "pear"], ("0.30", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 790, 3),
    ("Six-Prong Tiffany-Style Solitaire", "solitaire", "", ["round"], ("0.30", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "", 850, 4),
    ("Petite Comfort-Fit Solitaire", "solitaire", "", EVERY_SHAPE, ("0.25", "2.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 590, 3),
    ("Tapered Cathedral Solitaire", "cathedral", "", ["round", "oval", "cushion", "princess", "emerald", "radiant"], ("0.40", "3.50"), ALL_DIAMONDS + ALL_GEMS, True, "", 920, 4),
    ("Graduated Cathedral Pavé", "cathedral", "", ["round", "oval", "cushion"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "22 round pavé diamonds, 0.30 ctw", 1290, 5),
    ("Elongated Compass Solitaire", "solitaire", "", ["oval", "pear", "marquise", "emerald", "radiant"], ("0.50", "4.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 880, 4),
    ("Bezel-Set Solitaire", "bezel", "", ["round", "oval", "cushion"], ("0.30", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "", 1050, 6),
    ("Half-Bezel East-West", "bezel", "", ["oval", "emerald", "pear", "marquise"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "", 1150, 7),
    ("Petite Pavé", "pave", "", ["round", "oval", "cushion", "princess", "pear"], ("0.30", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "30 round pavé diamonds, 0.18 ctw", 1090, 5),
    ("French Pavé Cathedral", "pave", "", ["round", "oval", "cushion"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "36 round pavé diamonds, 0.33 ctw", 1490, 6),
    ("Micropavé Twist", "pave", "", ["round", "oval", "pear"], ("0.40", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "42 round micropavé diamonds, 0.26 ctw", 1390, 6),
    ("Channel-Set Eternity Shoulder", "side_stone", "", ["round", "princess", "cushion", "radiant"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "14 princess diamonds, 0.70 ctw", 1890, 7),
    ("Baguette Side-Stone", "side_stone", "", ["emerald", "asscher", "radiant", "octagon"], ("0.70", "3.50"), ALL_DIAMONDS + ALL_GEMS, True, "2 tapered baguettes, 0.30 ctw", 1650, 7),
    ("Trellis Side-Stone", "side_stone", "", ["round", "oval"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "10 round diamonds, 0.20 ctw", 1240, 5),
    ("Round Halo", "halo", "", ["round"], ("0.50", "2.00"), ALL_DIAMONDS + ALL_GEMS, True, "28 round halo diamonds, 0.22 ctw", 1290, 6),
    ("Classic Halo", "halo", "", ["round", "oval", "cushion"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "32 round halo diamonds, 0.28 ctw", 1390, 6),
    ("Cushion Double Halo", "halo", "", ["cushion", "round"], ("0.70", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "58 round diamonds, 0.55 ctw", 2190, 8),
    ("Pear Halo", "halo", "", ["pear"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "26 round halo diamonds, 0.25 ctw", 1450, 6),
    ("Emerald-Cut Halo", "halo", "", ["emerald", "asscher", "radiant"], ("0.70", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "30 round halo diamonds, 0.30 ctw", 1550, 7),
    ("Marquise Halo", "halo", "", ["marquise"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "24 round halo diamonds, 0.20 ctw", 1390, 6),
    ("Heart Halo", "halo", "", ["heart"], ("0.50", "2.00"), ALL_DIAMONDS + ALL_GEMS, True, "24 round halo diamonds, 0.22 ctw", 1390, 6),
    ("Princess Halo", "halo", "", ["princess"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "28 round halo diamonds, 0.25 ctw", 1350, 6),
    ("Hidden Halo Solitaire", "hidden_halo", "", ["round", "oval", "cushion", "pear", "emerald", "radiant"], ("0.50", "3.50"), ALL_DIAMONDS + ALL_GEMS, True, "18 round diamonds, 0.10 ctw", 1190, 5),
    ("Hidden Halo Pavé", "hidden_halo", "", ["round", "oval", "cushion"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "40 round diamonds, 0.30 ctw", 1590, 6),
    ("Classic Three-Stone", "three_stone", "", ["round", "oval", "cushion", "princess"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "2 round side diamonds, 0.50 ctw", 1990, 8),
    ("Pear-Sided Three-Stone", "three_stone", "", ["round", "oval", "cushion", "emerald"], ("0.70", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "2 pear side diamonds, 0.60 ctw", 2490, 9),
    ("Trapezoid Three-Stone", "three_stone", "", ["emerald", "asscher", "radiant", "octagon"], ("0.70", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "2 trapezoid side diamonds, 0.55 ctw", 2390, 9),
    ("Sapphire-Accented Three-Stone", "three_stone", "", ["round", "oval"], ("0.50", "2.00"), ALL_DIAMONDS, True, "2 blue sapphires, 0.40 ctw", 1790, 8),
    ("Milgrain Vintage", "vintage", "", ["round", "cushion", "asscher", "octagon"], ("0.40", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "44 round diamonds, 0.25 ctw", 1690, 9),
    ("Art Deco Filigree", "vintage", "", ["round", "emerald", "asscher", "octagon"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "36 round diamonds, 0.28 ctw", 1890, 10),
    ("Edwardian Halo", "vintage", "", ["round", "oval", "cushion"], ("0.50", "2.00"), ALL_DIAMONDS + ALL_GEMS, True, "52 round diamonds, 0.40 ctw", 2090, 10),
    ("Floral Vintage Engraved", "vintage", "", ["round", "oval"], ("0.30", "2.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 1290, 9),
    ("Classic Tension", "tension", "", ["round", "princess"], ("0.50", "1.50"), [*ALL_DIAMONDS, *SAPPHIRES], True, "", 1590, 10),
    ("Twisted Tension", "tension", "", ["round", "oval"], ("0.50", "1.50"), [*ALL_DIAMONDS, *SAPPHIRES], True, "", 1790, 10),
    ("Open Cathedral Solitaire", "cathedral", "", ["round", "oval", "cushion", "pear", "radiant"], ("0.40", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 990, 4),
    ("Split-Shank Pavé", "pave", "", ["round", "oval", "cushion"], ("0.70", "3.50"), ALL_DIAMONDS + ALL_GEMS, True, "48 round diamonds, 0.45 ctw", 1890, 7),
    ("Bypass Pavé", "pave", "", ["round", "oval", "pear", "marquise"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "34 round diamonds, 0.24 ctw", 1490, 6),
    ("Plain Band, No Centre", "solitaire", "", [], ("0.01", "0.01"), [], False, "", 490, 3),
    # Designer collections
    ("Lumière Halo", "halo", "Maison Lumière", ["round", "oval", "cushion"], ("0.70", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "38 round diamonds, 0.34 ctw", 2890, 12),
    ("Lumière Solitaire", "solitaire", "Maison Lumière", ["round", "oval"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 1990, 12),
    ("Lumière Pavé Crown", "pave", "Maison Lumière", ["round", "oval", "cushion", "pear"], ("0.70", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "56 round diamonds, 0.42 ctw", 3290, 14),
    ("Lumière Three-Stone", "three_stone", "Maison Lumière", ["round", "oval"], ("0.70", "2.50"), ALL_DIAMONDS, True, "2 half-moon diamonds, 0.60 ctw", 3890, 14),
    ("Noor Hidden Halo", "hidden_halo", "Atelier Noor", ["round", "oval", "pear", "emerald"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "22 round diamonds, 0.15 ctw", 2390, 12),
    ("Noor Bezel", "bezel", "Atelier Noor", ["round", "oval", "emerald"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "", 2190, 12),
    ("Noor Vintage Milgrain", "vintage", "Atelier Noor", ["round", "cushion", "asscher"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "60 round diamonds, 0.38 ctw", 2990, 15),
    ("Noor Side-Stone Baguette", "side_stone", "Atelier Noor", ["emerald", "radiant", "oval"], ("0.70", "3.50"), ALL_DIAMONDS + ALL_GEMS, True, "6 baguettes, 0.45 ctw", 3190, 15),
    ("Heirloom Cathedral", "cathedral", "The Heirloom Collection", ["round", "oval", "cushion"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "26 round diamonds, 0.20 ctw", 2490, 12),
    ("Heirloom Halo", "halo", "The Heirloom Collection", ["round", "cushion"], ("0.70", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "64 round diamonds, 0.50 ctw", 3590, 15),
    ("Heirloom Tension", "tension", "The Heirloom Collection", ["round", "oval"], ("0.50", "2.00"), [*ALL_DIAMONDS, *SAPPHIRES], True, "", 2990, 15),
    ("Sculpted Solitaire", "solitaire", "", ["round", "oval", "cushion", "emerald", "pear", "radiant", "princess"], ("0.30", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 950, 4),
    ("Whisper Thin Solitaire", "solitaire", "", ["round", "oval", "pear", "marquise"], ("0.25", "2.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 640, 3),
    ("Eternity Pavé", "pave", "", ["round", "oval", "cushion", "emerald"], ("0.50", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "60 round diamonds, 0.50 ctw", 2290, 9),
    ("Cushion Halo Pavé", "halo", "", ["cushion"], ("0.70", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "44 round diamonds, 0.40 ctw", 1890, 7),
    ("Oval Halo Pavé", "halo", "", ["oval"], ("0.70", "3.00"), ALL_DIAMONDS + ALL_GEMS, True, "44 round diamonds, 0.40 ctw", 1890, 7),
    ("Radiant Hidden Halo", "hidden_halo", "", ["radiant", "emerald"], ("0.70", "3.50"), ALL_DIAMONDS + ALL_GEMS, True, "20 round diamonds, 0.14 ctw", 1390, 6),
    ("Marquise East-West Bezel", "bezel", "", ["marquise", "pear", "oval"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "", 1190, 7),
    ("Heart Solitaire", "solitaire", "", ["heart"], ("0.30", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "", 790, 4),
    ("Octagon Art Deco", "vintage", "", ["octagon", "asscher"], ("0.50", "2.50"), ALL_DIAMONDS + ALL_GEMS, True, "40 round diamonds, 0.30 ctw", 1790, 10),
    ("Large Stone Cathedral", "cathedral", "", ["round", "oval", "cushion", "emerald", "pear", "radiant"], ("2.00", "6.00"), ALL_DIAMONDS + ALL_GEMS, True, "", 1790, 8),
]  # fmt: skip


def settings_data() -> Iterator[dict]:
    from django.utils.text import slugify

    for name, style, collection, shapes, (lo, hi), kinds, requires, side, base, days in SETTINGS:
        yield {
            "name": name,
            "slug": slugify(name),
            "style": style,
            "collection": collection,
            "shapes": shapes,
            "min_carat": Decimal(lo),
            "max_carat": Decimal(hi),
            "stone_kinds": kinds,
            "requires_center_stone": requires,
            "side_stones": side,
            "production_days": days,
            "resizable": style != "tension",
            "description": f"The {name}: {side or 'a clean, uninterrupted band'}, handcrafted to order.",
            "variants": {metal: Decimal(round(base * factor / 10) * 10) for metal, factor in METAL_PRICE.items()},
        }


# --- Jewelry --------------------------------------------------------------------------------------------------------
JEWELRY: list[tuple[str, str, float, int, str]] = [
    # name, category, base price, total carat x100 (0 = none), collection
    ("Diamond Stud Earrings", "earrings", 990, 50, ""),
    ("Halo Diamond Studs", "earrings", 1490, 70, ""),
    ("Diamond Hoop Earrings", "earrings", 1290, 100, ""),
    ("Pear Drop Earrings", "earrings", 1890, 80, "Maison Lumière"),
    ("Sapphire Halo Studs", "earrings", 1190, 60, ""),
    ("Pearl Drop Earrings", "earrings", 590, 0, ""),
    ("Diamond Solitaire Pendant", "pendants", 790, 30, ""),
    ("Halo Diamond Pendant", "pendants", 1190, 45, ""),
    ("Diamond Bar Necklace", "pendants", 890, 20, "Atelier Noor"),
    ("Ruby Heart Pendant", "pendants", 1390, 0, ""),
    ("Diamond Tennis Bracelet", "bracelets", 3490, 300, ""),
    ("Bezel Diamond Bracelet", "bracelets", 1290, 50, ""),
    ("Sapphire Line Bracelet", "bracelets", 2490, 0, "The Heirloom Collection"),
    ("Classic Comfort-Fit Band", "wedding-bands", 490, 0, ""),
    ("Diamond Eternity Band", "wedding-bands", 1990, 100, ""),
    ("Pavé Half-Eternity Band", "wedding-bands", 990, 25, ""),
    ("Milgrain Vintage Band", "wedding-bands", 690, 0, ""),
    ("Men's Brushed Band", "wedding-bands", 790, 0, ""),
    ("Curved Contour Band", "wedding-bands", 1090, 20, "Maison Lumière"),
    ("Stackable Diamond Ring", "rings", 690, 15, ""),
]
JEWELRY_METALS = [Metal.WHITE_GOLD_14K, Metal.YELLOW_GOLD_14K, Metal.ROSE_GOLD_14K, Metal.PLATINUM]


def jewelry_data(seed: int = 3) -> Iterator[dict]:
    from django.utils.text import slugify

    rng = random.Random(seed)
    n = 0
    for name, category, base, carat, collection in JEWELRY:
        for metal in JEWELRY_METALS:
            n += 1
            label = Metal(metal).label
            yield {
                "sku": f"J{n:05d}",
                "name": f"{name} in {label}",
                "slug": slugify(f"{name} {label}"),
                "category": category,
                "metal": metal.value,
                "collection": collection,
                "description": f"{name}, crafted in {label}.",
                "total_carat": Decimal(carat) / 100 if carat else None,
                "price": Decimal(round(base * METAL_PRICE[metal] / 10) * 10),
                "stock_count": rng.choice([0, 2, 5, 12, 25]),
            }
