"""Criteria sets are data: another province's 15-criterion set works end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm_xl import CriteriaError, load_criteria, notice_sections, summarize
from ntm_xl._render._commune_form import write_commune_form
from ntm_xl._values._criteria import builtin_criteria_names

from ..conftest import write_table

FIFTEEN = """
id = "tinh-thu-nghiem-15"
title = "Bộ tiêu chí thử nghiệm 15 tiêu chí"
unit = "bản"
group_unit = "xã"
""" + "".join(
    f'\n[[criterion]]\nnumber = {n}\nname = "Tiêu chí thử {n}"\nshort_name = "Thử {n}"\n'
    for n in range(101, 116)  # numbered 101..115: nothing may assume 1..19
)


@pytest.fixture
def fifteen(tmp_path: Path) -> Path:
    path = tmp_path / "bo-15.toml"
    path.write_text(FIFTEEN, encoding="utf-8")
    return path


def test_default_set_is_the_bac_kan_village_set() -> None:
    criteria = load_criteria()
    assert len(criteria) == 19 and criteria.numbers == tuple(range(1, 20))
    assert criteria.by_number(7).short_name == "Cơ sở vật chất văn hoá"
    assert criteria.by_number(19).short_name == "An ninh"
    assert all(c.certainty for c in criteria.criteria) and all(c.group for c in criteria.criteria)
    assert "bac-kan-thon-2022-2025" in builtin_criteria_names()


def test_fifteen_criteria_end_to_end(tmp_path: Path, fifteen: Path) -> None:
    criteria = load_criteria(fifteen)
    assert len(criteria) == 15
    form = write_commune_form(tmp_path / "form.xlsx", criteria, commune="Thử", villages=["Bản A", "Bản B"])
    assert form.exists()
    rows = [
        ["Xã: Thử"],
        ["Bản", *[f"TC{n}" for n in criteria.numbers]],
        ["Bản A", *["Đạt"] * 15],
        ["Bản B", *["Đạt"] * 14, "Chưa đạt"],
    ]
    summary = summarize([write_table(tmp_path / "t.xlsx", {"S": rows})], criteria)
    assert summary.problems == ()
    sections = notice_sections(summary)
    assert sections.count_lines == (
        "- Số bản đạt 14 tiêu chí: 01 bản (Bản B xã Thử).",
        "- Số bản đạt 15 tiêu chí: 01 bản (Bản A xã Thử).",
    )
    assert sections.deficiency_lines == ("- Tiêu chí số 115 (Thử 115): 01 bản (Bản B).",)
    assert [v.village for v in summary.tallies.meeting_standard] == ["Bản A"]


def test_the_19_criteria_set_rejects_a_15_column_table(tmp_path: Path, fifteen: Path) -> None:
    rows = [["Xã: Thử"], ["Thôn", *range(1, 16)], ["Bản A", *["Đạt"] * 15]]
    summary = summarize([write_table(tmp_path / "t.xlsx", {"S": rows})])
    assert "thiếu cột của tiêu chí số 16, 17, 18, 19" in summary.problems[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml [", "sai cú pháp TOML"),
        ('title = "x"', "không có tiêu chí nào"),
        (
            '[[criterion]]\nnumber = 1\nname = "A"\n[[criterion]]\nnumber = 1\nname = "B"',
            "số tiêu chí bị trùng: 1",
        ),
        ('[[criterion]]\nnumber = "một"\nname = "A"', "'number' phải là số nguyên dương"),
        ("[[criterion]]\nnumber = 2", "thiếu 'name'"),
    ],
)
def test_malformed_sets_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sai.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CriteriaError, match=message):
        load_criteria(path)


def test_unknown_set_name_lists_the_builtin_ones() -> None:
    with pytest.raises(CriteriaError, match="bac-kan-thon-2022-2025"):
        load_criteria("khong-co-bo-nay")
