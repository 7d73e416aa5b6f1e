import pytest

from catalog.grades import (
    Clarity,
    Color,
    Cut,
    Finish,
    Fluorescence,
    GradeError,
    Lab,
    Shape,
    parse_clarity,
    parse_color,
    parse_cut,
    parse_finish,
    parse_fluorescence,
    parse_lab,
    parse_shape,
)


def test_grades_are_ordered_best_first():
    assert [c.label for c in sorted(Color)] == list("DEFGHIJKLM")
    assert [c.label for c in sorted(Clarity)] == ["FL", "IF", "VVS1", "VVS2", "VS1", "VS2", "SI1", "SI2", "I1"]
    assert [c.label for c in sorted(Cut)] == ["True Hearts", "Ideal", "Very Good", "Good", "Fair"]
    assert [f.label for f in sorted(Finish)] == ["Excellent", "Very Good", "Good", "Fair", "Poor"]
    assert [f.label for f in sorted(Fluorescence)] == ["None", "Faint", "Medium", "Strong", "Very Strong"]
    # "G or better" is one comparison.
    assert Color.D < Color.G < Color.M
    assert Clarity.VVS2 < Clarity.VS2


@pytest.mark.parametrize(
    ("parser", "spelling", "expected"),
    [
        (parse_shape, "RD", Shape.ROUND),
        (parse_shape, "Round", Shape.ROUND),
        (parse_shape, "BR", Shape.ROUND),
        (parse_shape, "round brilliant", Shape.ROUND),
        (parse_shape, "PS", Shape.PEAR),
        (parse_shape, "PEAR", Shape.PEAR),
        (parse_shape, "CU", Shape.CUSHION),
        (parse_shape, "Cushion Modified", Shape.CUSHION),
        (parse_shape, "EM", Shape.EMERALD),
        (parse_shape, "OV", Shape.OVAL),
        (parse_shape, "RAD", Shape.RADIANT),
        (parse_shape, "AS", Shape.ASSCHER),
        (parse_shape, "MQ", Shape.MARQUISE),
        (parse_shape, "HS", Shape.HEART),
        (parse_shape, "PR", Shape.PRINCESS),
        (parse_shape, "OCT", Shape.OCTAGON),
        (parse_cut, "EX", Cut.IDEAL),
        (parse_cut, "Excellent", Cut.IDEAL),
        (parse_cut, "ID", Cut.IDEAL),
        (parse_cut, "VG", Cut.VERY_GOOD),
        (parse_cut, "Very Good", Cut.VERY_GOOD),
        (parse_cut, "G", Cut.GOOD),
        (parse_cut, "GD", Cut.GOOD),
        (parse_cut, "F", Cut.FAIR),
        (parse_cut, "True Hearts", Cut.TRUE_HEARTS),
        (parse_cut, "H&A", Cut.TRUE_HEARTS),
        (parse_finish, "EX", Finish.EXCELLENT),
        (parse_finish, "Excellent", Finish.EXCELLENT),
        (parse_finish, "VG", Finish.VERY_GOOD),
        (parse_finish, "GD", Finish.GOOD),
        (parse_finish, "P", Finish.POOR),
        (parse_color, "g", Color.G),
        (parse_color, " D ", Color.D),
        (parse_clarity, "vvs1", Clarity.VVS1),
        (parse_clarity, "VS-2", Clarity.VS2),
        (parse_clarity, "SI 1", Clarity.SI1),
        (parse_clarity, "I1", Clarity.I1),
        (parse_fluorescence, "None", Fluorescence.NONE),
        (parse_fluorescence, "NON", Fluorescence.NONE),
        (parse_fluorescence, "N", Fluorescence.NONE),
        (parse_fluorescence, "Faint", Fluorescence.FAINT),
        (parse_fluorescence, "FNT", Fluorescence.FAINT),
        (parse_fluorescence, "MED", Fluorescence.MEDIUM),
        (parse_fluorescence, "STG", Fluorescence.STRONG),
        (parse_fluorescence, "Very Strong", Fluorescence.VERY_STRONG),
        (parse_fluorescence, "VST", Fluorescence.VERY_STRONG),
        (parse_lab, "gia", Lab.GIA),
        (parse_lab, "IGI", Lab.IGI),
    ],
)
def test_supplier_spellings(parser, spelling, expected):
    assert parser(spelling) == expected


@pytest.mark.parametrize(
    ("parser", "bad"),
    [(parse_shape, "triangle"), (parse_color, "Q"), (parse_clarity, "VS3"), (parse_cut, ""), (parse_lab, "XYZ"),
     (parse_fluorescence, None), (parse_finish, "superb")],
)  # fmt: skip
def test_unknown_spellings_raise_a_clear_error(parser, bad):
    with pytest.raises(GradeError, match="is not a known"):
        parser(bad)
