"""Rewrite committed generated files after a deliberate change; review the diff before committing.

    python -m tests.regenerate

Writes the demo's golden outputs (text, workbook values, the Word notice's text), the problem
catalogue's wording, every corpus family's problems and the sheet "So sánh kỳ
trước" of two periods across the 2025 merger (tests/golden/), the
sample commune workbooks (workbooks/samples/), the blank commune form (workbooks/mau-bieu-xa.xlsx) and the
notice template (workbooks/mau-thong-bao.docx). The master workbook is rebuilt by
`ntm-xl workbook workbooks/ntm-xl.xlsm`.
Tests check that each committed file equals what the code makes now.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ntm_xl import load_criteria, summarize, write_commune_form
from ntm_xl._cli import main
from ntm_xl._demo import REFORM_FOLDER, load_reform_demo, write_reform_sample, write_samples
from ntm_xl._render._word import TEMPLATE_NAME, write_notice_template

from .check.test_compare import COMPARISON_GOLDEN, comparison_golden_values
from .cli.test_golden_demo import WORD_GOLDEN, word_text, workbook_values
from .conftest import GOLDEN, ROOT
from .corpus import families
from .notice.test_reform import GROUPINGS_GOLDEN, REFORM_GOLDEN, groupings_text
from .read.test_read_families import CORPUS_GOLDEN, corpus_problems_text
from .test_catalogue import CATALOGUE_GOLDEN, catalogue_text

SAMPLES = ROOT / "workbooks" / "samples"
BLANK_FORM = ROOT / "workbooks" / "mau-bieu-xa.xlsx"


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as folder:
        main(["demo", "-o", folder])
        (GOLDEN / "demo-thong-bao.txt").write_text(
            (Path(folder) / "thong-bao.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )
        # The second example: header, subject, I.2/I.3 and caption of Xã Phủ Thông's notice.
        (GOLDEN / REFORM_GOLDEN).write_text(
            (Path(folder) / REFORM_FOLDER / "thong-bao.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )
        reform = summarize([write_reform_sample(Path(folder) / "groupings")], load_reform_demo().criteria)
        (GOLDEN / GROUPINGS_GOLDEN).write_text(groupings_text(reform), encoding="utf-8")
        (GOLDEN / WORD_GOLDEN).write_text(word_text(Path(folder) / "thong-bao.docx"), encoding="utf-8")
        values = workbook_values(Path(folder) / "tong-hop.xlsx")
        (GOLDEN / "demo-tong-hop.json").write_text(
            json.dumps(values, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    CATALOGUE_GOLDEN.write_text(catalogue_text(), encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        text = corpus_problems_text(families.make(Path(folder)))
        (GOLDEN / CORPUS_GOLDEN).write_text(text, encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        values = comparison_golden_values(Path(folder))
        text = json.dumps(values, ensure_ascii=False, indent=1) + "\n"
        COMPARISON_GOLDEN.write_text(text, encoding="utf-8")
    for old in SAMPLES.glob("*.xlsx"):
        old.unlink()
    write_samples(SAMPLES)
    write_commune_form(BLANK_FORM, load_criteria())
    write_notice_template(ROOT / "workbooks" / TEMPLATE_NAME)


if __name__ == "__main__":
    regenerate()
