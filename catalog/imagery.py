"""Generated stone imagery: every picture of a stone is drawn from one geometry, so the face-up outline, the side
profile and the 360° model always agree with the grading report.

Pure functions, no ORM: they take numbers and return SVG markup (strings; the view or template tag marks them safe)
or, for the 360° view, a small JSON-able model that static/js/stone-viewer.js turns and shades.

Units: a stone is modelled with its girdle half-width = 1 (so the width is 2), its length along y (north is -y, as
in SVG), and z up through the table. A length/width ratio of 1.4 makes the girdle 2.8 long."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from html import escape

Point = tuple[float, float]
Vertex = tuple[float, float, float]
RGB = tuple[float, float, float]

SHAPES = (
    "round", "princess", "cushion", "emerald", "oval", "radiant", "asscher", "marquise", "heart", "pear", "octagon",
)  # fmt: skip
# Step cuts have concentric rows of facets; the value is the corner cut as a share of the half-width.
STEP_CORNERS = {"emerald": 0.3, "asscher": 0.42, "octagon": 2 / (2 + math.sqrt(2))}  # octagon: equal sides
MAINS = 8  # main facets around a brilliant
SEGMENT = 8  # girdle points per main, so a brilliant's girdle has 64 points
GIRDLE_POINTS = MAINS * SEGMENT

# Typical (table %, depth %) and length/width ratio of each shape, for pictures of a shape rather than a stone.
TYPICAL_PROPORTIONS = {
    "round": (57, 61.8), "princess": (69, 71), "cushion": (62, 67), "emerald": (64, 66), "oval": (58, 61),
    "radiant": (65, 66), "asscher": (63, 66), "marquise": (58, 61), "heart": (58, 60), "pear": (58, 62),
    "octagon": (62, 65),
}  # fmt: skip
TYPICAL_LW = {
    "round": 1.0, "princess": 1.0, "cushion": 1.05, "emerald": 1.4, "oval": 1.4, "radiant": 1.2, "asscher": 1.0,
    "marquise": 2.0, "heart": 0.95, "pear": 1.6, "octagon": 1.0,
}  # fmt: skip

# The side profile of a well-cut round: crown 15%, girdle 3% and pavilion 43.8% of the width add up to a 61.8%
# depth. A report gives only the total depth, so the crown keeps that share of it (within what any cut has) and the
# girdle stays 3%; the pavilion is the rest.
IDEAL_CROWN_SHARE = 15 / 61.8
GIRDLE_PCT = 3.0


def split_depth(depth_pct: float) -> tuple[float, float, float]:
    """(crown, girdle, pavilion) heights as % of the width, adding up to `depth_pct`."""
    depth = min(max(float(depth_pct), 40.0), 90.0)
    crown = min(max(depth * IDEAL_CROWN_SHARE, 8.0), 20.0)
    pavilion = depth - crown - GIRDLE_PCT
    return crown, GIRDLE_PCT, pavilion


# --- Colour ---------------------------------------------------------------------------------------------------------
def _rgb(hex_colour: str) -> RGB:
    value = hex_colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{min(max(round(c), 0), 255):02x}" for c in rgb)


def mix(a: str, b: str, t: float) -> str:
    """The colour `t` of the way from `a` to `b`."""
    return _hex(x + (y - x) * t for x, y in zip(_rgb(a), _rgb(b), strict=True))


def luminance(colour: str) -> float:
    """Relative luminance (WCAG), 0 for black to 1 for white."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


WHITE, INK = "#ffffff", "#1c1f26"
# D is icy white with a breath of blue; the scale warms through neutral white (G) to a faint yellow by M.
_COLOURLESS = [(1, "#e9f2fc"), (4, "#f6f6f2"), (7, "#f8efd6"), (10, "#f3e0a6")]
# A fancy hue at its most saturated (Fancy Vivid).
FANCY_HUES = {
    "yellow": "#f4c20d", "pink": "#e8468f", "purple": "#8a43c8", "red": "#c3122f", "blue": "#1f6fd1",
    "green": "#1e9a57", "orange": "#f07613", "brown": "#8b5a2b", "black": "#23211f", "gray": "#8d939b",
}  # fmt: skip
# Fancy intensity (1 Faint … 9 Fancy Dark) -> (share of white, share of black) mixed into the vivid hue.
_INTENSITY = {1: (0.86, 0), 2: (0.76, 0), 3: (0.63, 0), 4: (0.5, 0), 5: (0.34, 0), 6: (0.17, 0), 7: (0, 0),
              8: (0, 0.28), 9: (0, 0.5)}  # fmt: skip
GEM_TINTS = {
    "blue_sapphire": "#1d3f9e", "pink_sapphire": "#e0569a", "yellow_sapphire": "#f2c21b",
    "green_sapphire": "#2a8a72", "ruby": "#b3122e", "emerald": "#12875a", "moissanite": "#eef3f7",
}  # fmt: skip
COLOURLESS_TINT = "#f2f4f5"


def colourless_tint(grade: int) -> str:
    """D (1) to M (10), interpolated between the anchors."""
    grade = min(max(int(grade), 1), 10)
    for (g0, c0), (g1, c1) in itertools.pairwise(_COLOURLESS):
        if g0 <= grade <= g1:
            return mix(c0, c1, (grade - g0) / (g1 - g0))
    return _COLOURLESS[-1][1]


def fancy_tint(hue: str, intensity: int | None) -> str:
    base = FANCY_HUES.get(hue, FANCY_HUES["yellow"])
    white, black = _INTENSITY.get(int(intensity or 5), (0.34, 0))
    return mix(mix(base, WHITE, white), INK, black)


def gem_tint(kind: str, colour: str = "") -> str:
    """A gemstone's tint by kind, lighter or deeper as the shop's colour words say ("Light pink", "Deep blue")."""
    tint = GEM_TINTS.get(kind, COLOURLESS_TINT)
    words = colour.lower()
    if kind != "moissanite":
        if "light" in words or "mint" in words or "cornflower" in words:
            tint = mix(tint, WHITE, 0.35)
        elif "deep" in words or "pigeon" in words:
            tint = mix(tint, INK, 0.2)
        elif "hot" in words or "vivid" in words:
            tint = mix(tint, WHITE, 0.05)
    return tint


def tint_for(stone) -> str:
    """The colour a stone is drawn in: a diamond by its colour grade or fancy hue and intensity, a gemstone by
    its kind. Duck-typed on the model's fields, so any object with them will do."""
    if getattr(stone, "fancy_hue", ""):
        return fancy_tint(stone.fancy_hue, stone.fancy_intensity)
    if hasattr(stone, "fancy_hue"):  # a colourless diamond
        return colourless_tint(stone.color or 4)
    return gem_tint(getattr(stone, "kind", ""), getattr(stone, "color", "") or "")


def palette(tint: str) -> dict[str, str]:
    """The light, base and dark facet colours and the line colour a stone of this tint is drawn with."""
    return {
        "light": mix(tint, WHITE, 0.62),
        "base": tint,
        "dark": mix(tint, INK, 0.34 if luminance(tint) > 0.6 else 0.42),
        "line": mix(tint, INK, 0.52),
    }


def lw_of(stone) -> float:
    """A stone's length/width ratio from its measurements, or the shape's typical one."""
    lw = getattr(stone, "lw_ratio", None)
    if lw is None and getattr(stone, "length_mm", None) and getattr(stone, "width_mm", None):
        lw = Decimal(stone.length_mm) / Decimal(stone.width_mm)
    return float(lw) if lw else TYPICAL_LW.get(stone.shape, 1.0)


# --- Girdle outlines ------------------------------------------------------------------------------------------------
def _mirror(right: Sequence[Point]) -> list[Point]:
    """The whole girdle, clockwise from north, from its right half (33 points, north to south inclusive)."""
    half = len(right) - 1
    left = [(-right[2 * half - k][0], right[2 * half - k][1]) for k in range(half, 2 * half)]
    return [*right[:half], *left]


def _along(polyline: Sequence[Point], n: int) -> list[Point]:
    """`n` points along a polyline by arc length, from its start (its end excluded), keeping its corners."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(polyline)]
    total = sum(lengths)
    marks = [total * i / n for i in range(n)]
    points = []
    for mark in marks:
        run, index = 0.0, 0
        while index < len(lengths) - 1 and mark > run + lengths[index]:
            run += lengths[index]
            index += 1
        (ax, ay), (bx, by) = polyline[index], polyline[index + 1]
        f = (mark - run) / lengths[index] if lengths[index] else 0.0
        points.append((ax + (bx - ax) * f, ay + (by - ay) * f))
    # Snap the sample nearest each inner corner onto it, so square corners stay square.
    cumulative = 0.0
    for corner, length in zip(polyline[1:-1], lengths, strict=False):
        cumulative += length
        nearest = min(range(1, n), key=lambda i: abs(marks[i] - cumulative), default=None)
        if nearest is not None:
            points[nearest] = corner
    return points


def _half_from_anchors(paths: Sequence[Sequence[Point]]) -> list[Point]:
    """The right half from four polylines, anchor to anchor (north, NE, east, SE, south)."""
    right: list[Point] = []
    for path in paths:
        right += _along(path, SEGMENT)
    return [*right, paths[-1][-1]]


def _steps(count: int = GIRDLE_POINTS // 2) -> list[float]:
    return [math.pi * k / count for k in range(count + 1)]


def girdle(shape: str, lw: float) -> list[Point]:
    """The girdle of a brilliant-cut shape: 64 points clockwise from north, every 8th one a main point."""
    L = min(max(float(lw), 0.6), 3.0)
    if shape in ("round", "oval"):
        right = [(math.sin(t), -L * math.cos(t)) for t in _steps()]
    elif shape == "cushion":
        # A superellipse: a square with softly rounded corners.
        def se(v: float) -> float:
            return math.copysign(abs(v) ** 0.5, v)

        right = [(se(math.sin(t)), -L * se(math.cos(t))) for t in _steps()]
    elif shape == "marquise":
        # Two circular arcs meeting in points at north and south.
        L = max(L, 1.05)
        c = (L * L - 1) / 2
        radius = 1 + c
        phi0 = math.asin(L / radius)
        right = [
            (-c + radius * math.cos(p), radius * math.sin(p)) for p in (-phi0 + 2 * phi0 * k / 32 for k in range(33))
        ]
    elif shape == "pear":
        # A teardrop, point to the north: x = sin t · sin(t/2), scaled to a half-width of 1.
        widest = max(math.sin(t) * math.sin(t / 2) for t in (math.pi * i / 400 for i in range(401)))
        right = [(math.sin(t) * math.sin(t / 2) / widest, -L * math.cos(t)) for t in _steps()]
    elif shape == "heart":
        # The classic heart curve, cleft to the north, scaled to a width of 2 and a length of 2L.
        def heart(t: float) -> Point:
            return 16 * math.sin(t) ** 3, 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)

        raw = [heart(t) for t in _steps()]
        fine = [heart(math.pi * i / 400)[1] for i in range(401)]
        top, bottom = max(fine), min(fine)
        mid, half = (top + bottom) / 2, (top - bottom) / 2
        right = [(x / 16, -L * (y - mid) / half) for x, y in raw]
    elif shape == "princess":
        right = _half_from_anchors([[(0, -L), (1, -L)], [(1, -L), (1, 0)], [(1, 0), (1, L)], [(1, L), (0, L)]])
    elif shape == "radiant":
        c = min(0.24, L * 0.24)
        ne, se = (1 - c / 2, -L + c / 2), (1 - c / 2, L - c / 2)
        right = _half_from_anchors(
            [[(0, -L), (1 - c, -L), ne], [ne, (1, -L + c), (1, 0)], [(1, 0), (1, L - c), se], [se, (1 - c, L), (0, L)]]
        )
    elif shape in STEP_CORNERS:
        ring = step_ring(L, STEP_CORNERS[shape], 0)
        return _along([*ring, ring[0]], GIRDLE_POINTS)
    else:
        raise ValueError(f"Unknown shape {shape!r}")
    return _mirror(right)


def step_ring(L: float, corner: float, inset: float) -> list[Point]:
    """A step cut's octagonal ring (half extents 1 × L, corners cut), moved `inset` inwards on every side."""
    a, b = max(1 - inset, 0.0), max(L - inset, 0.0)
    c = min(max(corner - inset * math.tan(math.pi / 8), 0.0), a, b)
    return [(-a + c, -b), (a - c, -b), (a, -b + c), (a, b - c), (a - c, b), (-a + c, b), (-a, b - c), (-a, -b + c)]


# --- The 3D model ---------------------------------------------------------------------------------------------------
TABLE, CROWN, GIRDLE, PAVILION = 0, 1, 2, 3


def stone_model(shape: str, *, lw_ratio: float, table_pct: float | None = None, depth_pct: float | None = None):
    """The stone as vertices, facets (lists of vertex indexes) and facet kinds (table, crown, girdle, pavilion),
    centred on the origin. Brilliant shapes get a table, 8 stars, 8 kites and 16 upper girdle facets above the
    girdle and 8 mains and 16 lower girdle facets below it; step cuts get concentric rows."""
    typical_table, typical_depth = TYPICAL_PROPORTIONS.get(shape, (58, 62))
    table = min(max(float(table_pct or typical_table), 40), 90) / 100
    crown_pct, girdle_pct, pavilion_pct = split_depth(float(depth_pct or typical_depth))
    crown, thickness, pavilion = crown_pct / 50, girdle_pct / 50, pavilion_pct / 50  # % of width -> model units
    L = min(max(float(lw_ratio or 1), 0.6), 3.0)
    top, upper, lower, bottom = thickness / 2 + crown, thickness / 2, -thickness / 2, -thickness / 2 - pavilion
    vertices: list[Vertex] = []
    faces: list[list[int]] = []
    kinds: list[int] = []

    def add(points: Iterable[Point], z: float) -> list[int]:
        start = len(vertices)
        vertices.extend((x, y, z) for x, y in points)
        return list(range(start, len(vertices)))

    def face(kind: int, *indexes: int) -> None:
        faces.append(list(indexes))
        kinds.append(kind)

    if shape in STEP_CORNERS:
        corner = STEP_CORNERS[shape]
        # Crown rows flatten towards the table; pavilion rows fall to a keel line.
        crown_rows = [(0.0, 0.0), (0.4, 0.5), (0.75, 0.82), (1.0, 1.0)]
        pavilion_rows = [(0.0, 0.0), (0.35, 0.3), (0.65, 0.6), (0.88, 0.85), (1.0, 1.0)]
        rings = [add(step_ring(L, corner, 0), lower)]
        rings += [add(step_ring(L, corner, f * (1 - table)), upper + h * crown) for f, h in crown_rows]
        below = [add(step_ring(L, corner, f), lower - h * pavilion) for f, h in pavilion_rows[1:]]
        for i in range(8):
            j = (i + 1) % 8
            for k, (a, b) in enumerate(itertools.pairwise(rings)):
                face(GIRDLE if k == 0 else CROWN, a[i], a[j], b[j], b[i])
            for a, b in zip([rings[0], *below], below, strict=False):
                face(PAVILION, a[i], a[j], b[j], b[i])
        face(TABLE, *rings[-1])
    else:
        outline = girdle(shape, L)
        star = table + (1 - table) * 0.55  # star facets reach 55% of the way to the girdle
        g_top = add(outline, upper)
        g_bottom = add(outline, lower)
        t = add(((x * table, y * table) for x, y in outline[::SEGMENT]), top)
        s = add(
            ((x * star, y * star) for x, y in outline[SEGMENT // 2 :: SEGMENT]),
            top - (star - table) / (1 - table) * crown,
        )
        lg = add(((x * 0.8, y * 0.8) for x, y in outline[SEGMENT // 2 :: SEGMENT]), bottom + 0.8 * pavilion)
        (culet,) = add([(0.0, 0.0)], bottom)
        n = GIRDLE_POINTS
        face(TABLE, *t)
        for i in range(MAINS):
            main, half, nxt = i * SEGMENT, i * SEGMENT + SEGMENT // 2, (i + 1) * SEGMENT
            face(CROWN, t[i], t[(i + 1) % MAINS], s[i])  # star
            face(CROWN, t[i], s[i], g_top[main], s[i - 1])  # kite
            face(CROWN, s[i], *(g_top[k % n] for k in range(main, half + 1)))  # upper girdle facets
            face(CROWN, s[i], *(g_top[k % n] for k in range(half, nxt + 1)))
            face(PAVILION, culet, lg[i - 1], g_bottom[main], lg[i])  # pavilion main
            face(PAVILION, lg[i], *(g_bottom[k % n] for k in range(main, half + 1)))  # lower girdle facets
            face(PAVILION, lg[i], *(g_bottom[k % n] for k in range(half, nxt + 1)))
            for k in range(main, nxt, SEGMENT // 2):
                band = [k + d for d in range(SEGMENT // 2 + 1)]
                face(GIRDLE, *(g_top[b % n] for b in band), *(g_bottom[b % n] for b in reversed(band)))
    shift = (top + bottom) / 2
    return {
        "vertices": [(round(x, 4), round(y, 4), round(z - shift, 4)) for x, y, z in vertices],
        "faces": faces,
        "kinds": kinds,
    }


def _normal(points: Sequence[Vertex]) -> Vertex:
    """The unit normal of a facet (Newell's method, fine for slightly non-planar polygons), facing outwards."""
    nx = ny = nz = 0.0
    for (x0, y0, z0), (x1, y1, z1) in zip(points, [*points[1:], points[0]], strict=True):
        nx += (y0 - y1) * (z0 + z1)
        ny += (z0 - z1) * (x0 + x1)
        nz += (x0 - x1) * (y0 + y1)
    length = math.sqrt(nx * nx + ny * ny + nz * nz) or 1.0
    normal = (nx / length, ny / length, nz / length)
    cx, cy, cz = (sum(p[i] for p in points) / len(points) for i in range(3))
    if normal[0] * cx + normal[1] * cy + normal[2] * cz < 0:
        normal = (-normal[0], -normal[1], -normal[2])
    return normal


def viewer_data(shape: str, *, lw_ratio: float, tint: str, table_pct=None, depth_pct=None, sparkle=True) -> dict:
    """What the 360° viewer needs: the model and its colours, ready for json_script."""
    model = stone_model(shape, lw_ratio=lw_ratio, table_pct=table_pct, depth_pct=depth_pct)
    return {**model, "colours": palette(tint), "sparkle": sparkle}


# --- Face-up outline ------------------------------------------------------------------------------------------------
SCALE = 100  # SVG units per model unit
# Light from the upper left, above the stone (x east, y south, z up).
_LIGHT = (-0.45, -0.55, 0.7)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def _points(points: Iterable[Point]) -> str:
    return " ".join(f"{_fmt(x * SCALE)},{_fmt(y * SCALE)}" for x, y in points)


def _shade(colours: dict[str, str], normal: Vertex, boost: float = 0.0) -> str:
    length = math.sqrt(sum(c * c for c in _LIGHT))
    light = sum(n * c / length for n, c in zip(normal, _LIGHT, strict=True))
    f = min(max(0.3 + 0.85 * (light - 0.3) / 0.7 + boost, 0.0), 1.0)
    return mix(colours["dark"], colours["light"], f)


def _svg_open(view_box: str, title: str | None, css_class: str, size: int) -> str:
    common = f'class="{css_class}" viewBox="{view_box}" width="{size}" height="{size}" focusable="false"'
    if title:
        label = escape(title)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" {common} role="img" aria-label="{label}"><title>{label}</title>'
        )
    return f'<svg xmlns="http://www.w3.org/2000/svg" {common} aria-hidden="true">'


def _top_view_body(shape: str, lw: float, tint: str, table_pct=None) -> tuple[str, float]:
    """The crown seen from above (facets shaded by the light) and the girdle outline; returns (markup, extent)."""
    model = stone_model(shape, lw_ratio=lw, table_pct=table_pct)
    vertices, colours = model["vertices"], palette(tint)
    facets = []
    for number, (indexes, kind) in enumerate(zip(model["faces"], model["kinds"], strict=True)):
        if kind not in (TABLE, CROWN):
            continue
        points = [vertices[i] for i in indexes]
        # Alternate facets a touch lighter or darker: the contrast pattern that reads as a cut stone.
        boost = 0.05 if kind == TABLE else (0.06 if number % 3 == 0 else -0.04 if number % 3 == 1 else 0)
        fill = _shade(colours, _normal(points), boost)
        facets.append(f'<polygon points="{_points((x, y) for x, y, _z in points)}" fill="{fill}"/>')
    outline = step_ring(min(max(lw, 0.6), 3.0), STEP_CORNERS[shape], 0) if shape in STEP_CORNERS else girdle(shape, lw)
    extent = max(max(abs(x), abs(y)) for x, y in outline)
    body = (
        f'<g stroke="{colours["line"]}" stroke-width="0.8" stroke-opacity="0.55" stroke-linejoin="round">'
        + "".join(facets)
        + "</g>"
        + f'<polygon class="stone-outline" points="{_points(outline)}" fill="none" stroke="{colours["line"]}" '
        'stroke-width="1.6" stroke-linejoin="round"/>'
    )
    return body, extent


@lru_cache(maxsize=4096)
def _outline_svg(shape: str, lw: float, tint: str, title: str | None, size: int, table_pct) -> str:
    body, extent = _top_view_body(shape, lw, tint, table_pct)
    half = round(extent * SCALE + 6)
    return (
        _svg_open(f"{-half} {-half} {2 * half} {2 * half}", title, "stone-art stone-art--top", size) + body + "</svg>"
    )


def outline_svg(shape: str, *, lw_ratio, tint: str, title: str | None = None, size: int = 240, table_pct=None) -> str:
    """The stone face up: girdle outline and crown facets for its shape, stretched by its length/width ratio and
    shaded in its tint. The viewBox is square, so stones of any ratio line up in a grid. With a `title` the SVG is
    an image with that name; without one it is decorative (aria-hidden)."""
    if shape not in SHAPES:
        raise ValueError(f"Unknown shape {shape!r}")
    lw = round(float(lw_ratio or TYPICAL_LW[shape]), 2)
    table = round(float(table_pct), 1) if table_pct else None
    return _outline_svg(shape, lw, tint, title, size, table)


# --- Side profile ---------------------------------------------------------------------------------------------------
def _mm(value) -> str:
    return f"{Decimal(str(value)):.2f} mm" if value is not None else ""


def _pct(value) -> str:
    return f"{Decimal(str(value)).normalize():f}%"


def proportion_svg(depth_pct, table_pct, width_mm, depth_mm, shape: str, *, tint: str = COLOURLESS_TINT) -> str:
    """The stone from the side, drawn to scale: the width is fixed at 300 units and every height follows from
    the depth % (crown, girdle and pavilion as split_depth() divides it), the table from the table %. The table,
    the width and the total depth are labelled."""
    width_px = 300.0
    crown, girdle_h, pavilion = (p / 100 * width_px for p in split_depth(float(depth_pct)))
    total = crown + girdle_h + pavilion
    half, table_half = width_px / 2, float(table_pct) / 100 * width_px / 2
    colours = palette(tint)
    step = shape in STEP_CORNERS
    g1, g2 = crown, crown + girdle_h
    profile = [(-table_half, 0), (table_half, 0), (half, g1), (half, g2)]
    profile += [(half * 0.12, total), (-half * 0.12, total)] if step else [(0, total)]
    profile += [(-half, g2), (-half, g1)]
    lines = [f"M{-half} {_fmt(g1)}H{half}", f"M{-half} {_fmt(g2)}H{half}"]
    if step:  # rows of steps, parallel to the girdle
        for f in (0.45, 0.8):
            y, x = g1 * (1 - f), table_half + (half - table_half) * (1 - f)
            lines.append(f"M{_fmt(-x)} {_fmt(y)}H{_fmt(x)}")
        for f in (0.35, 0.65):
            y, x = g2 + (total - g2) * f, half - (half - half * 0.12) * f
            lines.append(f"M{_fmt(-x)} {_fmt(y)}H{_fmt(x)}")
    else:  # stars and upper girdle facets; pavilion mains to the culet
        star = table_half + (half - table_half) * 0.55
        for sign in (-1, 1):
            lines.append(
                f"M{_fmt(sign * table_half)} 0L{_fmt(sign * star)} {_fmt(g1 * 0.45)}L{_fmt(sign * half)} {_fmt(g1)}"
            )
            lines.append(f"M{_fmt(sign * half * 0.5)} {_fmt(g2)}L0 {_fmt(total)}")
            lines.append(f"M{_fmt(sign * star)} {_fmt(g1 * 0.45)}L{_fmt(sign * half * 0.5)} {_fmt(g1)}")
    pad_x, top, bottom = 150, 62, 64
    view_box = f"{-half - 24} {-top} {width_px + 24 + pad_x} {_fmt(total + top + bottom)}"
    depth_x = half + 22
    table_label, depth_label = f"Table {_pct(table_pct)}", f"Depth {_pct(depth_pct)}"
    width_label = _mm(width_mm) or "Width"
    title = f"Side profile, to scale: {table_label.lower()}, {depth_label.lower()}"
    if width_mm is not None:
        title += f", {_mm(width_mm)} wide"
    if depth_mm is not None:
        title += f", {_mm(depth_mm)} deep"
    tick = 6
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="stone-art stone-art--profile" '
        f'viewBox="{view_box}" width="480" height="{round(480 * (total + top + bottom) / (width_px + 174))}" '
        f'role="img" aria-label="{escape(title)}" focusable="false"><title>{escape(title)}</title>',
        f'<polygon class="profile" points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in profile)}" '
        f'fill="{colours["light"]}" stroke="{colours["line"]}" stroke-width="1.5" stroke-linejoin="round"/>',
        f'<path class="profile__facets" d="{" ".join(lines)}" fill="none" stroke="{colours["line"]}" '
        'stroke-width="0.75" stroke-opacity="0.6"/>',
        '<g class="dimension" stroke="#8c8276" stroke-width="1" fill="none">',
        f'<path d="M{_fmt(-table_half)} -22H{_fmt(table_half)}M{_fmt(-table_half)} {-22 - tick}v{2 * tick}'
        f'M{_fmt(table_half)} {-22 - tick}v{2 * tick}"/>',
        f'<path d="M{-half} {_fmt(total + 24)}H{half}M{-half} {_fmt(total + 24 - tick)}v{2 * tick}'
        f'M{half} {_fmt(total + 24 - tick)}v{2 * tick}"/>',
        f'<path d="M{depth_x} 0V{_fmt(total)}M{depth_x - tick} 0h{2 * tick}'
        f'M{depth_x - tick} {_fmt(total)}h{2 * tick}"/>',
        '<path d="M{0} 0H{1}M{0} {2}H{1}" stroke-dasharray="2 3"/>'.format(
            _fmt(table_half + 6), depth_x - 8, _fmt(total)
        ),
        "</g>",
        '<g class="dimension__labels" font-family="Jost, Helvetica, Arial, sans-serif" font-size="15" fill="#5c554c">',
        f'<text x="0" y="-34" text-anchor="middle">{escape(table_label)}</text>',
        f'<text x="0" y="{_fmt(total + 50)}" text-anchor="middle">{escape(width_label)}</text>',
        f'<text x="{depth_x + 14}" y="{_fmt(total / 2 - 4)}">{escape(depth_label)}</text>',
    ]
    if depth_mm is not None:
        parts.append(f'<text x="{depth_x + 14}" y="{_fmt(total / 2 + 16)}">{escape(_mm(depth_mm))}</text>')
    parts.append("</g></svg>")
    return "".join(parts)


# --- Ring and jewelry illustrations -------------------------------------------------------------------------------
METAL_GRADIENTS = {
    "white": ("#fbfcfd", "#c9cdd3", "#8e949d"),
    "yellow": ("#fcebb0", "#dcb65e", "#a47c2b"),
    "rose": ("#fbdccf", "#dc9f89", "#a86a56"),
}


def metal_family(metal: str) -> str:
    """white, yellow or rose: platinum and white gold look alike."""
    for family in ("yellow", "rose"):
        if family in metal:
            return family
    return "white"


def _metal_defs() -> str:
    stops = []
    for family, (light, mid, dark) in METAL_GRADIENTS.items():
        stops.append(
            f'<linearGradient id="metal-{family}" x1="0" y1="0" x2="1" y2="1">'
            f'<stop offset="0" stop-color="{light}"/><stop offset=".45" stop-color="{mid}"/>'
            f'<stop offset=".7" stop-color="{light}"/><stop offset="1" stop-color="{dark}"/></linearGradient>'
        )
    return "<defs>" + "".join(stops) + "</defs>"


def _small_stone(cx: float, cy: float, r: float, colours: dict[str, str]) -> str:
    return (
        f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{_fmt(r)}" fill="{colours["light"]}" '
        f'stroke="{colours["line"]}" stroke-width="0.8"/>'
    )


def _side_stone(cx: float, top: float, width: float, colours: dict[str, str]) -> str:
    """A brilliant seen from the side, crown and pavilion, its table at `top`."""
    h = width / 2
    crown, girdle_y, culet = top + width * 0.16, top + width * 0.19, top + width * 0.62
    table = h * 0.56
    return (
        f'<g stroke="{colours["line"]}" stroke-width="1" stroke-linejoin="round">'
        f'<polygon points="{_fmt(cx - table)},{_fmt(top)} {_fmt(cx + table)},{_fmt(top)} {_fmt(cx + h)},{_fmt(crown)} '
        f'{_fmt(cx - h)},{_fmt(crown)}" fill="{colours["light"]}"/>'
        f'<polygon points="{_fmt(cx - h)},{_fmt(girdle_y)} {_fmt(cx + h)},{_fmt(girdle_y)} {_fmt(cx)},{_fmt(culet)}" '
        f'fill="{colours["base"]}"/>'
        f'<path d="M{_fmt(cx - h)} {_fmt(crown)}V{_fmt(girdle_y)}M{_fmt(cx + h)} {_fmt(crown)}V{_fmt(girdle_y)}'
        f"M{_fmt(cx - table)} {_fmt(top)}L{_fmt(cx - h * 0.3)} {_fmt(crown)}L{_fmt(cx)} {_fmt(top)}"
        f"L{_fmt(cx + h * 0.3)} {_fmt(crown)}L{_fmt(cx + table)} {_fmt(top)}"
        f'M{_fmt(cx - h * 0.5)} {_fmt(girdle_y)}L{_fmt(cx)} {_fmt(culet)}L{_fmt(cx + h * 0.5)} {_fmt(girdle_y)}" '
        f'fill="none" stroke-opacity=".6"/></g>'
    )


def ring_svg(metal: str, *, style: str = "solitaire", centre: bool = True, pave: bool = False, title: str = "") -> str:
    """A ring seen from the front in its metal (white gold and platinum grey, yellow or rose gold), with a centre
    stone in a head that follows the setting style. The metal parts carry the classes ring-art__metal (filled) and
    ring-art__wire (stroked), so a stylesheet can show the same drawing in another metal (see detail.css)."""
    family = metal_family(metal)
    colours = palette(COLOURLESS_TINT)
    fill = f"url(#metal-{family})"
    cx, cy, outer = 200, 258, 112  # the band's centre and outer radius; the head sits on its top
    band_top = cy - outer
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="ring-art ring-art--' + family + '" viewBox="0 0 400 400" '
        'width="400" height="400" focusable="false" '
        + (
            f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            if title
            else 'aria-hidden="true">'
        ),
        _metal_defs(),
        f'<ellipse cx="{cx}" cy="{cy + outer + 14}" rx="118" ry="9" fill="#1c1a17" opacity=".07"/>',
        # The band: an annulus, a little thicker at the bottom as a comfort-fit shank is.
        f'<path class="ring-art__metal" fill="{fill}" fill-rule="evenodd" stroke="#7d7466" stroke-opacity=".35" '
        f'd="M{cx} {band_top}a{outer} {outer} 0 1 1 0 {2 * outer}a{outer} {outer} 0 1 1 0-{2 * outer}Z'
        f'M{cx} {band_top + 13}a97 101 0 1 0 0 202a97 101 0 1 0 0-202Z"/>',
        f'<path d="M{cx - 92} {cy - 32}a96 104 0 0 1 44-58" fill="none" stroke="#fff" stroke-opacity=".75" '
        'stroke-width="3" stroke-linecap="round"/>',
    ]
    if pave or style in ("pave", "side_stone", "cathedral", "hidden_halo", "vintage"):
        for i in range(-6, 7):
            if abs(i) < 2 and centre:
                continue  # under the head
            angle = math.radians(-90 + i * 8.5)
            parts.append(_small_stone(cx + 105 * math.cos(angle), cy + 105 * math.sin(angle), 4.4, colours))
    if not centre:
        parts.append("</svg>")
        return "".join(parts)

    def basket(x: float, culet: float, half_base: float, half_top: float) -> str:
        """The metal cup under a stone, curving from the band up to just below its culet."""
        base = band_top + 10
        return (
            f'<path class="ring-art__metal" fill="{fill}" d="M{_fmt(x - half_base)} {base}'
            f"C{_fmt(x - half_base * 0.6)} {base - 16} {_fmt(x - half_top * 1.4)} {_fmt(culet + 8)} "
            f"{_fmt(x - half_top)} {_fmt(culet - 6)}H{_fmt(x + half_top)}"
            f"C{_fmt(x + half_top * 1.4)} {_fmt(culet + 8)} {_fmt(x + half_base * 0.6)} {base - 16} "
            f'{_fmt(x + half_base)} {base}Z"/>'
        )

    if style == "tension":
        # The band opens and its two ends grip the stone by its girdle.
        top, width = 60, 92
        girdle_y = top + width * 0.19
        parts.append(f'<rect x="{cx - 40}" y="{band_top - 2}" width="80" height="20" fill="#fbf8f3"/>')
        parts.append(_side_stone(cx, top, width, colours))
        for sign in (-1, 1):
            parts.append(
                f'<path class="ring-art__metal" fill="{fill}" stroke="#7d7466" stroke-opacity=".35" '
                f'd="M{cx + sign * 38} {band_top + 16}L{_fmt(cx + sign * 40)} {_fmt(girdle_y + 6)}'
                f'L{_fmt(cx + sign * 62)} {_fmt(girdle_y - 4)}L{cx + sign * 66} {band_top + 20}Z"/>'
            )
        parts.append("</svg>")
        return "".join(parts)
    top, width = 34, 116
    girdle_y, culet = top + width * 0.19, top + width * 0.62
    if style == "three_stone":
        for sign in (-1, 1):
            x = cx + sign * 78
            parts.append(basket(x, 72 + 46 * 0.62, 22, 8))
            parts.append(_side_stone(x, 72, 46, colours))
    parts.append(basket(cx, culet, 48, 14))
    parts.append(_side_stone(cx, top, width, colours))
    if style in ("halo", "hidden_halo"):
        # A halo rings the girdle; a hidden halo sits below it, on the basket.
        y0, r = (girdle_y + 9, 6.0) if style == "halo" else (girdle_y + 30, 4.4)
        count = 11 if style == "halo" else 7
        span = 72 if style == "halo" else 34
        for i in range(count):
            x = cx - span + i * 2 * span / (count - 1)
            parts.append(_small_stone(x, y0 + ((x - cx) / span) ** 2 * 7, r, colours))
    if style == "bezel":
        parts.append(
            f'<path class="ring-art__metal" fill="{fill}" stroke="#7d7466" stroke-opacity=".35" '
            f'd="M{cx - 62} {_fmt(girdle_y - 10)}h124v20l-8 12h-108l-8-12Z"/>'
        )
    else:
        for sign in (-1, 1):
            parts.append(
                f'<path class="ring-art__wire" fill="none" stroke="{fill}" stroke-width="6" '
                f'stroke-linecap="round" d="M{cx + sign * 26} {band_top - 2}L{cx + sign * 57} {_fmt(girdle_y - 6)}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def jewelry_svg(category: str, metal: str, *, stones: bool = True, title: str = "") -> str:
    """A drawing of a piece of fine jewelry by category (earrings, pendants, bracelets, bands, fashion rings)."""
    if category in ("wedding-bands", "rings"):
        return ring_svg(
            metal, style="pave" if stones else "solitaire", centre=category == "rings", pave=stones, title=title
        )
    family = metal_family(metal)
    colours = palette(COLOURLESS_TINT)
    fill = f"url(#metal-{family})"
    head = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="ring-art ring-art--' + family + '" viewBox="0 0 400 400" '
        'width="400" height="400" focusable="false" '
        + (
            f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            if title
            else 'aria-hidden="true">'
        )
    )
    stone, _extent = _top_view_body("round", 1.0, COLOURLESS_TINT)
    parts = [head, _metal_defs()]
    if category == "earrings":
        for cx in (130, 270):
            parts.append(f'<circle class="ring-art__metal" cx="{cx}" cy="200" r="62" fill="{fill}"/>')
            parts.append(f'<g transform="translate({cx} 200) scale(.56)">{stone}</g>')
    elif category == "pendants":
        parts.append(
            f'<path class="ring-art__wire" fill="none" stroke="{fill}" stroke-width="3" '
            'd="M40 20C70 150 140 215 188 236M360 20C330 150 260 215 212 236"/>'
        )
        parts.append(f'<rect class="ring-art__metal" x="189" y="226" width="22" height="30" rx="8" fill="{fill}"/>')
        parts.append(f'<circle class="ring-art__metal" cx="200" cy="300" r="50" fill="{fill}"/>')
        parts.append(f'<g transform="translate(200 300) scale(.44)">{stone}</g>')
    else:  # bracelets: a tennis line seen in perspective
        parts.append(
            '<ellipse class="ring-art__wire" cx="200" cy="210" rx="160" ry="86" fill="none" '
            f'stroke="{fill}" stroke-width="14"/>'
        )
        if stones:
            for i in range(28):
                angle = 2 * math.pi * i / 28
                parts.append(_small_stone(200 + 160 * math.cos(angle), 210 + 86 * math.sin(angle), 6, colours))
    parts.append("</svg>")
    return "".join(parts)
