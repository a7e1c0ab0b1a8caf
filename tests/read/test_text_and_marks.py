"""Normalization of names and the status words clerks type."""

from __future__ import annotations

import unicodedata

import pytest

from ntm_xl._common._text import clean, display_name, fold, proper_case
from ntm_xl._values._marks import MarkReading, read_mark


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hoá", "hóa"),
        ("Thuỷ lợi", "Thủy lợi"),
        ("Văn hoá", "VĂN HÓA"),
        ("Hoà", "Hòa"),
        ("Quỳnh", "QUỲNH"),
        ("  Đôn   Phong ", "Đôn Phong"),
        (unicodedata.normalize("NFD", "Nà Lặng"), "Nà Lặng"),
        ("Nà\u00a0Ít", "Nà Ít"),
    ],
)
def test_equal_after_folding(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("Đông Bun", "Đâng Bun"), ("Nà Cà", "Nà Ca"), ("Bản Vén", "Bán Vén")])
def test_different_names_stay_different(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_clean_composes_and_collapses() -> None:
    decomposed = unicodedata.normalize("NFD", "  Cốc \t Pái\n")
    assert clean(decomposed) == "Cốc Pái"
    assert unicodedata.is_normalized("NFC", clean(decomposed))
    assert clean("Nà\x07 Kha") == "Nà Kha"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("ĐÔN PHONG", "Đôn Phong"),
        ("XÃ ĐÔN PHONG", "Xã Đôn Phong"),
        ("1A NÀ LOẠN", "1A Nà Loạn"),
        ("Bản Vén", "Bản Vén"),
        ("bản Vén", "bản Vén"),
    ],
)
def test_proper_case_only_for_capitals(raw: str, shown: str) -> None:
    assert proper_case(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Thôn Nà Rào", "Nà Rào"),
        ("THÔN NÀ RÀO", "Nà Rào"),
        ("Thôn 1", "Thôn 1"),
        ("Bản Vén", "Bản Vén"),
    ],
)
def test_village_prefix(raw: str, shown: str) -> None:
    assert display_name(raw, ("thôn",)) == shown


@pytest.mark.parametrize(
    "word",
    ["Đạt", "đạt", "ĐẠT", "x", "X", "✓", "Đ", " Đạt ", "Đạt.", "dat", unicodedata.normalize("NFD", "Đạt")],
)
def test_met_words(word: str) -> None:
    assert read_mark(word) is MarkReading.MET


@pytest.mark.parametrize(
    "word", ["Chưa đạt", "CHƯA ĐẠT", "Không đạt", "CĐ", "-", "✗", "chua dat", "Chưa  đạt"]
)
def test_not_met_words(word: str) -> None:
    assert read_mark(word) is MarkReading.NOT_MET


def test_basically_met_counts_as_not_met() -> None:
    reading = read_mark("Cơ bản đạt")
    assert reading is MarkReading.BASICALLY_MET
    assert reading.mark is read_mark("Chưa đạt").mark


@pytest.mark.parametrize("value", ["", "   ", None])
def test_blank_is_missing_not_unmet(value: object) -> None:
    assert read_mark(value) is MarkReading.BLANK
    assert read_mark(value).mark is None


@pytest.mark.parametrize("value", [1.0, 0, 45.5, "Tốt", "Đạt 90%", True])
def test_anything_else_is_unknown(value: object) -> None:
    assert read_mark(value) is MarkReading.UNKNOWN
