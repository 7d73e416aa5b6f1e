from decimal import Decimal
from itertools import pairwise

import pytest

from ring_builder.engraving import MAX_LENGTH, engraving_problems, normalise
from ring_builder.sizes import ALL_SIZES, parse_size, size_label


def test_sizes_run_from_3_to_9_in_quarters():
    assert ALL_SIZES[0] == Decimal("3.00") and ALL_SIZES[-1] == Decimal("9.00")
    assert len(ALL_SIZES) == 25
    assert all(b - a == Decimal("0.25") for a, b in pairwise(ALL_SIZES))


@pytest.mark.parametrize(
    ("size", "label"),
    [("3.00", "3"), ("6.25", "6¼"), ("6.50", "6½"), ("6.75", "6¾"), ("9", "9")],
)
def test_size_labels(size, label):
    assert size_label(Decimal(size)) == label


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6.5", Decimal("6.50")),
        ("6.50", Decimal("6.50")),
        ("3", Decimal("3.00")),
        ("9.00", Decimal("9.00")),
        ("2", None),
        ("99", None),
        ("6.3", None),  # not a quarter size
        ("9.25", None),
        ("abc", None),
        ("", None),
        ("NaN", None),
        ("1e2", None),
        ("6.5" + "0" * 20, None),  # overlong
        (None, None),
    ],
)
def test_parse_size_accepts_only_quarter_sizes_3_to_9(raw, expected):
    assert parse_size(raw) == expected


def test_parse_size_respects_a_settings_own_range():
    assert parse_size("4.5", low=Decimal(5), high=Decimal(8)) is None
    assert parse_size("5", low=Decimal(5), high=Decimal(8)) == Decimal("5.00")


@pytest.mark.parametrize(
    "text", ["", "Forever", "J & M 2026", "Toujours à toi", "Ti amo ♥", "Yes!", "3:16", "A.B.C.", "Love-always", "永远"]
)
def test_engravable_text(text):
    assert engraving_problems(text) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("x" * 500, f"up to {MAX_LENGTH} characters; yours has 500"),
        ("x" * (MAX_LENGTH + 1), f"yours has {MAX_LENGTH + 1}"),
        ("bell\x07", "letters, numbers, spaces"),
        ("line\nbreak", "letters, numbers, spaces"),
        ("tab\there", "letters, numbers, spaces"),
        ("zero\u200bwidth", "letters, numbers, spaces"),
        ("<script>", "letters, numbers, spaces"),
        ("under_score", "letters, numbers, spaces"),
        ("emoji 💍", "letters, numbers, spaces"),
    ],
)
def test_text_that_cannot_be_engraved_says_why(text, says):
    problems = engraving_problems(text)
    assert problems and any(says in p for p in problems)


def test_exactly_the_limit_is_fine():
    assert engraving_problems("x" * MAX_LENGTH) == []


def test_normalise_composes_accents_and_trims():
    assert normalise("  e\u0301  ") == "é"
