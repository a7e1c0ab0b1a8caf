"""Property tests: every layout reads back what was written; normalization is stable; no input raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ntm_xl import load_criteria, write_commune_form
from ntm_xl._common._text import clean, display_name, fold
from ntm_xl._pipeline import read_file, summarize
from tests.corpus import make_corpus

CRITERIA = load_criteria()
NUMBERS = CRITERIA.numbers
_NAMES = ["Nà Ngần", "Bản Vén", "Đông Bun", "Khuổi Hóp", "Cốc Pái", "Lọ Cặp", "Nà Ít", "Thôm Khoan", "Bó Lịn"]

assessments = st.dictionaries(
    st.sampled_from(_NAMES),
    st.frozensets(st.sampled_from(NUMBERS)),  # criteria not met
    min_size=1,
    max_size=4,
)
layouts = st.sampled_from(["template", "matrix", "per-village", "transposed"])


def _write(folder: Path, layout: str, villages: dict[str, frozenset[int]]) -> Path:
    path = folder / f"{layout}.xlsx"
    items = list(villages.items())
    if layout == "template":
        marks = {v: {n: n not in bad for n in NUMBERS} for v, bad in items}
        return write_commune_form(
            path, CRITERIA, commune="Thuần Mang", villages=[v for v, _ in items], marks=marks
        )
    if layout == "matrix":
        return make_corpus.write_matrix(path, "Thuần Mang", [(v, set(b)) for v, b in items])
    workbook = xlsxwriter.Workbook(str(path))
    if layout == "per-village":
        for village, bad in items:
            sheet = workbook.add_worksheet(village)
            sheet.write_string(0, 0, "UBND XÃ THUẦN MANG")
            sheet.write_string(1, 0, f"THÔN {village.upper()}")
            sheet.write_row(3, 0, ("TT", "Tên tiêu chí", "Kết quả đánh giá"))
            for r, c in enumerate(CRITERIA.criteria, 4):
                sheet.write_row(r, 0, (c.number, c.name, "Chưa đạt" if c.number in bad else "Đạt"))
    else:
        sheet = workbook.add_worksheet("TH")
        sheet.write_string(0, 0, "UBND XÃ THUẦN MANG")
        sheet.write_row(2, 0, ("TT", "Tiêu chí", *(v for v, _ in items)))
        for r, c in enumerate(CRITERIA.criteria, 3):
            sheet.write_row(
                r, 0, (c.number, c.short_name, *("CĐ" if c.number in b else "x" for _, b in items))
            )
    workbook.close()
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layouts, assessments)
def test_random_assessments_read_back_equal_in_every_layout(
    layout: str, villages: dict[str, frozenset[int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        summary = summarize([_write(Path(folder), layout, villages)], CRITERIA)
    assert summary.problems == ()
    read = {v.village: frozenset(v.not_met) for v in summary.villages}
    assert read == {display_name(v).replace("Thôn ", ""): b for v, b in villages.items()}
    assert {v.commune for v in summary.villages} == {"Thuần Mang"}


@given(st.text(max_size=60))
@example("Ñक़")  # a tone moved past a combining mark outside its syllable
def test_normalization_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert clean(clean(text)) == clean(text)
    assert display_name(display_name(text)) == display_name(text)


_good = tempfile.mkdtemp()
_GOOD_BYTES = make_corpus.write_matrix(Path(_good) / "g.xlsx", *make_corpus.GOOD).read_bytes()


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=4096),
        st.builds(lambda n: _GOOD_BYTES[:n], st.integers(0, len(_GOOD_BYTES))),
        st.builds(
            lambda i, b: _GOOD_BYTES[:i] + bytes([b]) + _GOOD_BYTES[i + 1 :],
            st.integers(0, len(_GOOD_BYTES) - 1),
            st.integers(0, 255),
        ),
    ),
    st.sampled_from([".xlsx", ".xls", ".ods", ".xlsb"]),
)
def test_the_reader_never_raises(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"x{suffix}"
        path.write_bytes(data)
        entries, problems = read_file(path, CRITERIA)
    assert entries or problems or data == _GOOD_BYTES
