"""Legacy encodings: full tables round-trip, mojibake is found, valid Unicode is never touched."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_xl._read._legacy import (
    TCVN3_TO_UNICODE,
    VNI_TO_UNICODE,
    Encoding,
    decode,
    detect,
    encode,
    fix_sheets,
    legacy_leftovers,
    legacy_problems,
)
from ntm_xl._values._model import InputSheet

# Every precomposed Vietnamese letter: 67 lower-case vowels with tones and shapes, and đ.
LOWER = (
    "".join(
        sorted(
            {
                unicodedata.normalize("NFC", base + tone)
                for base in "aăâeêioôơuưy"
                for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
            }
            - set("aeiouy")
        )
    )
    + "đ"
)
NAMES = [
    "Nà Ngần",
    "Đông Bun",
    "Đâng Bun",
    "Bản Vén",
    "Bản Đán",
    "Nà Rào",
    "Cốc Pái",
    "Đon Quán",
    "1A Nà Loạn",
    "Bó Bả",
    "Nà Kha",
    "Thôm Khoan",
    "Khau Cà",
    "Nà Cà",
    "Cốc Xả",
    "Đon Bậy",
    "Nà Ít",
    "Bó Lịn",
    "Nà Lặng",
    "Lọ Cặp",
    "Bắc Lanh Chang",
    "Bản Luông",
    "Khuổi Hóp",
    "Vũ Muộn",
    "Nguyên Phúc",
    "Quân Hà",
    "Sỹ Bình",
    "Cẩm Giàng",
    "Quang Thuận",
    "Lục Bình",
    "Mỹ Thanh",
    "Dương Phong",
    "Đôn Phong",
    "Tân Tú",
    "Thuần Mang",
    "Chưa đạt",
    "Đạt",
    "Cơ sở vật chất văn hoá",
    "Thủy lợi",
    "Hương ước, quy ước",
    "Nghèo đa chiều",
]


def test_tcvn3_table_covers_every_lower_case_letter_once() -> None:
    assert sorted(TCVN3_TO_UNICODE.values()) == sorted(LOWER + "ĂÂĐÊÔƠƯ")
    assert all(len(code) == 1 and ord(code) < 256 for code in TCVN3_TO_UNICODE)


def test_vni_table_covers_every_letter_in_both_cases() -> None:
    letters = set(VNI_TO_UNICODE.values())
    assert set(LOWER) <= letters
    assert {c.upper() for c in LOWER} <= letters
    assert all(ord(ch) < 256 for code in VNI_TO_UNICODE for ch in code)


@pytest.mark.parametrize("encoding", list(Encoding))
def test_every_letter_round_trips(encoding: Encoding) -> None:
    assert decode(encode(LOWER, encoding), encoding) == LOWER
    if encoding is Encoding.VNI:
        assert decode(encode(LOWER.upper(), encoding), encoding) == LOWER.upper()


@pytest.mark.parametrize("encoding", list(Encoding))
@pytest.mark.parametrize("name", NAMES)
def test_names_typed_in_a_legacy_font_are_found_and_converted(encoding: Encoding, name: str) -> None:
    mojibake = encode(name, encoding)
    if mojibake == name:
        pytest.skip("written the same in this encoding")
    found = detect(mojibake)
    if found is None:
        # Some words carry no sign of the encoding alone ("Thoâm" is Thơm in VNI, Thôm in Unicode):
        # inside a file written wholly in that font they are converted with the rest.
        sheet = InputSheet("x", ((encode("Chưa đạt", encoding),), (mojibake,)))
        (fixed,), fix = fix_sheets([sheet])
        assert fix is not None and fix.encoding is encoding
        assert fixed.rows[1][0] == name
    else:
        assert found == (encoding, name)


def test_upper_case_tcvn3_titles_are_restored() -> None:
    assert detect(encode("UBND XÃ THUẦN MANG", Encoding.TCVN3)) == (Encoding.TCVN3, "UBND XÃ THUẦN MANG")
    assert detect("Nµ Ýt") == (Encoding.TCVN3, "Nà Ít")


@pytest.mark.parametrize("name", NAMES)
def test_valid_unicode_is_never_converted(name: str) -> None:
    assert detect(name) is None
    for form in ("NFC", "NFD"):
        sheet = InputSheet("x", ((unicodedata.normalize(form, name), "Đạt"),))
        assert fix_sheets([sheet]) == ([sheet], None)


_syllables = st.builds(
    lambda onset, vowel, coda: onset + vowel + coda,
    st.sampled_from(
        ["", "b", "c", "ch", "đ", "gi", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "t", "th", "tr"]
    ),
    st.sampled_from(list(LOWER.replace("đ", "") + "aeiouy")),
    st.sampled_from(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_syllables, min_size=1, max_size=4), st.booleans())
def test_no_valid_vietnamese_text_is_ever_converted(words: list[str], title: bool) -> None:
    text = " ".join(w.capitalize() if title else w for w in words)
    assert detect(text) is None
    sheet = InputSheet("x", ((text, "Chưa đạt"), ("Nà Ngần", text)))
    assert fix_sheets([sheet])[1] is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_detect_never_raises_and_returns_converted_text(text: str) -> None:
    found = detect(text)
    if found is not None:
        assert found[1] != text


# Tày and Nùng names as district files write them: onsets sl, pj, phj, bj; long vowels doubled.
MINORITY_NAMES = [
    "Slam Vè",
    "Khuổi Slẻ",
    "Bản Pjạc",
    "Nà Slẳng",
    "Pác Nặm",
    "Phja Đén",
    "Lủng Cháng",
    "Cốc Noọc",
]


@pytest.mark.parametrize("encoding", list(Encoding))
@pytest.mark.parametrize("name", MINORITY_NAMES)
def test_tay_and_nung_names_convert_too(encoding: Encoding, name: str) -> None:
    sheet = InputSheet(
        "x", ((encode("Chưa đạt", encoding),), (encode(f"Bản {name}", encoding),), (encode(name, encoding),))
    )
    (fixed,), fix = fix_sheets([sheet])
    assert fix is not None and fix.encoding is encoding
    assert fixed.rows[1][0] == f"Bản {name}" and fixed.rows[2][0] == name
    assert legacy_leftovers([fixed]) == []


@pytest.mark.parametrize("name", MINORITY_NAMES)
def test_tay_and_nung_names_in_unicode_are_never_converted(name: str) -> None:
    sheet = InputSheet("x", ((name, "Đạt"),))
    assert detect(name) is None and fix_sheets([sheet]) == ([sheet], None)
    assert legacy_leftovers([sheet]) == []


def test_a_vietnamese_name_is_not_mistaken_for_a_tay_one_in_the_other_encoding() -> None:
    # Read as TCVN3, the VNI "Luïc" would be "Luùc", a Tày-looking syllable: VNI's "Lục" is meant.
    assert detect(encode("Lục Bình", Encoding.VNI)) == (Encoding.VNI, "Lục Bình")


def test_a_cell_left_with_legacy_characters_is_a_warning_at_that_cell(tmp_path: Path) -> None:
    mixed = "Nµ Naø"  # TCVN3 and VNI typed into one cell: neither reading is a name
    sheets = [InputSheet("Biểu", ((encode("UBND XÃ VŨ MUỘN", Encoding.TCVN3),), ("", mixed)))]
    fixed, fix = fix_sheets(sheets)
    problems = legacy_problems(tmp_path / "x.xlsx", fixed, fix)
    assert [(p.code, p.sheet, p.cell) for p in problems] == [("E001", "", ""), ("E002", "Biểu", "B2")]
    assert problems[1].params["text"] == mixed


def test_summarize_warns_at_a_cell_left_with_legacy_characters(tmp_path: Path) -> None:
    from ntm_xl import load_criteria, summarize

    from ..conftest import marks_row, write_table

    criteria = load_criteria()
    tcvn3 = [encode(m, Encoding.TCVN3) for m in marks_row(criteria, [7])]
    path = write_table(
        tmp_path / "vu-muon.xlsx",
        {
            "Biểu": [
                [encode("UBND XÃ VŨ MUỘN", Encoding.TCVN3), "", "", "Nµ Naø"],
                ["STT", encode("Tên thôn", Encoding.TCVN3), *criteria.numbers],
                [1, encode("Đông Bun", Encoding.TCVN3), *tcvn3],
            ]
        },
    )
    summary = summarize([path], criteria)
    assert [(p.code, p.sheet, p.cell) for p in summary.problems] == [("E001", "", ""), ("E002", "Biểu", "D1")]
    assert [(v.commune, v.village, v.met_count) for v in summary.villages] == [("Vũ Muộn", "Đông Bun", 18)]


@pytest.mark.parametrize(
    "text", ["«Thôn văn hoá»", "µg/l", "Công ty ABC®", "Kích thước Ø 20", "2×3 m", "§ 3"]
)
def test_signs_of_their_own_in_unicode_text_are_not_called_legacy(text: str) -> None:
    sheet = InputSheet("x", (("Nà Ngần", text),))
    assert legacy_leftovers([sheet]) == []
