"""The demo reproduces sections I.2 and I.3 of the Bạch Thông notice (2024)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ntm_xl._cli import main
from ntm_xl._render._summary import SHEET_NAMES

from ..conftest import GOLDEN

# The notice spells one village two ways; "Đâng Bun" is a typo of "Đông Bun".
TYPO = ("Đâng Bun", "Đông Bun")
DEFICIENCY = re.compile(r"^- Tiêu chí số (\d+) \((.+)\): (\d\d) thôn \((.+)\)\.$")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("demo-run")
    status = main(["demo", "-o", str(out)])
    return out, status


def reference_lines() -> list[str]:
    return (GOLDEN / "reference-notice-I2-I3.txt").read_text(encoding="utf-8").splitlines()


def test_demo_succeeds_without_problems(demo_run: tuple[Path, int]) -> None:
    out, status = demo_run
    assert status == 0
    assert sorted(p.name for p in (out / "xa").iterdir())[0] == "01-cao-son.xlsx"
    assert len(list((out / "xa").iterdir())) == 13


def test_count_lines_equal_the_notice_to_the_letter(demo_run: tuple[Path, int]) -> None:
    out, _ = demo_run
    text = (out / "thong-bao.txt").read_text(encoding="utf-8")
    ours = [line for line in text.splitlines() if line.startswith("- Số thôn đạt")]
    assert ours == [line for line in reference_lines() if line.startswith("- Số thôn đạt")]


def _deficiencies(lines: list[str]) -> dict[int, tuple[str, int, set[str]]]:
    found = {}
    for line in lines:
        match = DEFICIENCY.match(line.replace(*TYPO))
        if match:
            names = set(match.group(4).split(", "))
            found[int(match.group(1))] = (match.group(2), int(match.group(3)), names)
    return found


def test_deficiency_lines_have_the_notices_counts_and_villages(demo_run: tuple[Path, int]) -> None:
    out, _ = demo_run
    ours = (out / "thong-bao.txt").read_text(encoding="utf-8").splitlines()
    expected = _deficiencies(reference_lines())
    assert _deficiencies(ours) == expected
    assert len(expected) == 9
    # Every deficiency line is worded like the notice's.
    assert all(DEFICIENCY.match(line) for line in ours if line.startswith("- Tiêu chí"))


def test_whole_text_output_is_golden(demo_run: tuple[Path, int]) -> None:
    out, _ = demo_run
    assert (out / "thong-bao.txt").read_text(encoding="utf-8") == (GOLDEN / "demo-thong-bao.txt").read_text(
        encoding="utf-8"
    )


def workbook_values(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's values, trailing blanks dropped, as JSON-friendly lists."""
    workbook = CalamineWorkbook.from_path(str(path))
    result = {}
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        cleaned = []
        for row in rows:
            values = list(row)
            while values and values[-1] == "":
                values.pop()
            cleaned.append(values)
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        result[name] = cleaned
    return result


def test_summary_workbook_is_golden(demo_run: tuple[Path, int]) -> None:
    out, _ = demo_run
    values = workbook_values(out / "tong-hop.xlsx")
    assert list(values) == list(SHEET_NAMES)
    golden = json.loads((GOLDEN / "demo-tong-hop.json").read_text(encoding="utf-8"))
    assert values == golden


def test_detailed_table_has_one_row_per_village(demo_run: tuple[Path, int]) -> None:
    out, _ = demo_run
    rows = workbook_values(out / "tong-hop.xlsx")["Biểu chi tiết"]
    villages = [r for r in rows if r and isinstance(r[0], float)]
    assert len(villages) == 21
    dong_bun = next(r for r in villages if r[1] == "Đông Bun")
    assert dong_bun[2:21].count("-") == 6 and dong_bun[21] == 13.0
    assert dong_bun[22] == "7, 9, 10, 11, 15, 17"


WORD_GOLDEN = "demo-thong-bao-docx.txt"


def word_text(path: Path) -> str:
    """The Word notice as a reader meets it: the page header, then every paragraph and table
    row of the body in order (a row's cells joined by " | ")."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    lines = [f"[đầu trang] {p.text}" for s in document.sections for p in s.header.paragraphs if p.text]
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            lines.append(Paragraph(element, document).text)
        elif element.tag.endswith("}tbl"):
            for row in Table(element, document).rows:
                texts: list[str] = []
                seen: list[object] = []
                for cell in row.cells:
                    if not any(cell._tc is other for other in seen):  # a merged cell once
                        seen.append(cell._tc)
                        texts.append(cell.text.replace("\n", " / "))
                lines.append(" | ".join(texts))
    return "\n".join(lines) + "\n"


def test_word_notice_is_golden(demo_run: tuple[Path, int]) -> None:
    out, _ = demo_run
    golden = (GOLDEN / WORD_GOLDEN).read_text(encoding="utf-8")
    assert word_text(out / "thong-bao.docx") == golden, "run: python -m tests.regenerate"
