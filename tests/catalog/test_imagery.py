"""Generated stone imagery (catalog/imagery.py): pure functions, so no database."""

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from catalog import imagery

SVG = "{http://www.w3.org/2000/svg}"


def _outline(svg: str) -> list[tuple[float, float]]:
    points = ET.fromstring(svg).find(f".//{SVG}polygon[@class='stone-outline']").get("points").split()
    return [tuple(float(v) for v in p.split(",")) for p in points]


def _ratio(points) -> float:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (max(ys) - min(ys)) / (max(xs) - min(xs))


@pytest.mark.parametrize("shape", imagery.SHAPES)
@pytest.mark.parametrize("lw", [1.1, 1.5])
def test_every_shape_is_stretched_by_its_length_width_ratio(shape, lw):
    svg = imagery.outline_svg(shape, lw_ratio=lw, tint=imagery.colourless_tint(1))
    root = ET.fromstring(svg)
    assert root.get("aria-hidden") == "true" and root.find(f"{SVG}title") is None  # decorative without a title
    assert _ratio(_outline(svg)) == pytest.approx(lw, abs=0.03)
    left, top, width, height = (float(v) for v in root.get("viewBox").split())
    assert width == height  # square, so stones of any ratio line up in a grid
    assert all(left <= x <= left + width and top <= y <= top + height for x, y in _outline(svg))


def test_shapes_are_told_apart():
    drawings = {s: imagery.outline_svg(s, lw_ratio=1.0, tint="#ffffff") for s in imagery.SHAPES}
    assert len(set(drawings.values())) == len(imagery.SHAPES)
    # An octagon has eight equal sides; an asscher's cut corners are shorter than its sides.

    def sides(shape):
        ring = imagery.step_ring(1.0, imagery.STEP_CORNERS[shape], 0)
        return [math.dist(a, b) for a, b in zip(ring, ring[1:] + ring[:1], strict=True)]

    assert max(sides("octagon")) - min(sides("octagon")) < 1e-9
    assert sides("asscher")[1] < sides("asscher")[0]


def test_a_title_makes_the_drawing_an_image_and_is_escaped():
    root = ET.fromstring(imagery.outline_svg("pear", lw_ratio=1.6, tint="#ffffff", title='1.01 ct "Pear" <Lab>'))
    assert root.get("role") == "img" and root.get("aria-label") == '1.01 ct "Pear" <Lab>'
    assert root.find(f"{SVG}title").text == '1.01 ct "Pear" <Lab>'


@pytest.mark.parametrize("shape", imagery.SHAPES)
def test_the_360_model_is_a_closed_stone_centred_on_its_axis(shape):
    model = imagery.stone_model(shape, lw_ratio=imagery.TYPICAL_LW[shape], table_pct=57, depth_pct=62)
    vertices, faces, kinds = model["vertices"], model["faces"], model["kinds"]
    assert len(faces) == len(kinds) and all(0 <= i < len(vertices) for face in faces for i in face)
    assert set(kinds) == {imagery.TABLE, imagery.CROWN, imagery.GIRDLE, imagery.PAVILION}
    zs = [z for _x, _y, z in vertices]
    assert max(zs) == pytest.approx(-min(zs), abs=1e-3)  # centred, so it turns about its middle
    assert max(zs) - min(zs) == pytest.approx(2 * 0.62, abs=0.01)  # the depth is 62% of the width (2)
    table = faces[kinds.index(imagery.TABLE)]
    assert all(vertices[i][2] == pytest.approx(max(zs)) for i in table)
    if shape not in ("pear", "heart"):  # their widest point falls between the table's corners
        assert max(abs(vertices[i][0]) for i in table) == pytest.approx(0.57, abs=0.02)  # table 57% of the width


def test_viewer_data_carries_the_stone_colours():
    data = imagery.viewer_data("oval", lw_ratio=1.4, tint=imagery.fancy_tint("pink", 7))
    assert data["colours"]["base"] == imagery.fancy_tint("pink", 7)
    assert imagery.luminance(data["colours"]["light"]) > imagery.luminance(data["colours"]["dark"])


def _warmth(colour: str) -> int:
    return int(colour[1:3], 16) - int(colour[5:7], 16)  # red minus blue


def test_colour_grades_warm_and_darken_from_d_to_m():
    tints = [imagery.colourless_tint(grade) for grade in range(1, 11)]
    warmth = [_warmth(t) for t in tints]
    assert warmth == sorted(warmth) and warmth[0] < 0 < warmth[-1]  # icy blue-white to faint yellow
    assert imagery.luminance(tints[0]) > imagery.luminance(tints[-1])


def test_fancy_intensity_saturates_then_deepens():
    faint, fancy, vivid, deep, dark = (imagery.fancy_tint("blue", i) for i in (1, 5, 7, 8, 9))
    assert imagery.luminance(faint) > imagery.luminance(fancy) > imagery.luminance(vivid)
    assert imagery.luminance(vivid) > imagery.luminance(deep) > imagery.luminance(dark)


@pytest.mark.parametrize(
    ("kind", "channel"),
    [("ruby", 0), ("pink_sapphire", 0), ("emerald", 1), ("green_sapphire", 1), ("blue_sapphire", 2)],
)
def test_gemstones_are_tinted_by_kind(kind, channel):
    rgb = imagery._rgb(imagery.gem_tint(kind))
    assert rgb[channel] == max(rgb)


def test_moissanite_is_near_colourless_and_tint_for_reads_any_stone():
    class Gem:
        kind, color, shape = "moissanite", "Colorless", "round"

    class Diamond:
        fancy_hue, fancy_intensity, color, shape = "", None, 1, "round"

    assert imagery.luminance(imagery.tint_for(Gem())) > 0.85
    assert imagery.tint_for(Diamond()) == imagery.colourless_tint(1)
    assert imagery.gem_tint("blue_sapphire", "Light blue") != imagery.gem_tint("blue_sapphire", "Deep blue")


def _profile_box(svg: str) -> tuple[float, float]:
    points = ET.fromstring(svg).find(f".//{SVG}polygon[@class='profile']").get("points").split()
    xs = [float(p.split(",")[0]) for p in points]
    ys = [float(p.split(",")[1]) for p in points]
    return max(xs) - min(xs), max(ys) - min(ys)


@pytest.mark.parametrize("depth", [55, 61.8, 70, 78])
def test_the_profile_is_drawn_to_scale(depth):
    width, height = _profile_box(imagery.proportion_svg(depth, 57, Decimal("6.40"), Decimal("3.96"), "round"))
    assert height / width == pytest.approx(depth / 100, abs=0.005)
    crown, girdle, pavilion = imagery.split_depth(depth)
    assert crown + girdle + pavilion == pytest.approx(depth) and girdle == 3


def test_the_profile_labels_table_depth_and_measurements():
    svg = imagery.proportion_svg(61.8, 57.0, 6.4, 3.96, "emerald")  # floats print as the report does
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert texts == ["Table 57%", "6.40 mm", "Depth 61.8%", "3.96 mm"]
    svg = imagery.proportion_svg(Decimal("60.0"), Decimal("55.5"), None, None, "round")
    assert "Table 55.5%" in svg and "Depth 60%" in svg and " mm" not in svg


@pytest.mark.parametrize(("metal", "family"), [("14k_white", "white"), ("platinum", "white"), ("18k_yellow", "yellow"),
                                                ("14k_rose", "rose")])  # fmt: skip
@pytest.mark.parametrize("style", ["solitaire", "halo", "three_stone", "tension", "bezel", "pave", "hidden_halo"])
def test_ring_drawings_in_every_metal_and_style(metal, family, style):
    root = ET.fromstring(imagery.ring_svg(metal, style=style, title="Classic Halo"))
    assert f"ring-art--{family}" in root.get("class").split()
    assert root.find(f".//{SVG}*[@class='ring-art__metal']").get("fill") == f"url(#metal-{family})"


@pytest.mark.parametrize("category", ["earrings", "pendants", "bracelets", "wedding-bands", "rings"])
def test_jewelry_drawings(category):
    root = ET.fromstring(imagery.jewelry_svg(category, "14k_yellow", title="Piece"))
    assert root.get("aria-label") == "Piece" and "ring-art--yellow" in root.get("class")
