"""The village registry: missing villages, unregistered names with suggestions, summary line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from ntm_xl import Severity, UsageError, summarize
from ntm_xl._check._registry import load_registry, registry_from_pairs
from tests.corpus import make_corpus

REGISTERED = [
    ("Đôn Phong", "Bản Vén"),
    ("Đôn Phong", "Bản Đán"),
    ("Vũ Muộn", "Đông Bun"),
    ("Vũ Muộn", "Đon Quán"),
    ("Cao Sơn", "Thôm Khoan"),
]


def _registry_file(path: Path, rows: list[tuple[str, str]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Danh mục thôn")
    sheet.write_row(0, 0, ("DANH MỤC THÔN ĐĂNG KÝ ĐẠT CHUẨN NĂM 2024",))
    sheet.write_row(2, 0, ("STT", "Xã", "Thôn"))
    for i, (commune, village) in enumerate(rows, 3):
        sheet.write_row(i, 0, (i - 2, commune, village))
    workbook.close()
    return path


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    out = tmp_path / "xa"
    out.mkdir()
    return {
        "good": make_corpus.write_matrix(out / "don-phong.xlsx", *make_corpus.GOOD),
        "vu-muon": make_corpus.write_matrix(
            out / "vu-muon.xlsx", "Vũ Muộn", (("Đâng Bun", {7, 9, 10, 11, 15, 17}),)
        ),
        "registry": _registry_file(tmp_path / "danh-muc.xlsx", REGISTERED),
    }


def test_missing_unregistered_and_summary_line(files: dict[str, Path]) -> None:
    summary = summarize([files["good"], files["vu-muon"]], registry=files["registry"])
    assert [(p.code, p.file.name, p.sheet, p.cell) for p in summary.problems] == [
        ("D002", "vu-muon.xlsx", "Biểu", "B5"),
        ("D003", "danh-muc.xlsx", "", ""),
        ("D003", "danh-muc.xlsx", "", ""),
        ("D004", "danh-muc.xlsx", "", ""),
    ]
    unregistered, vu_muon, cao_son, line = summary.problems
    assert (unregistered.params["village"], unregistered.params["hint"]) == (
        "Đâng Bun",
        " Có phải: Đông Bun?",
    )
    assert [(p.params["commune"], p.params["missing"], p.params["names"]) for p in (vu_muon, cao_son)] == [
        ("Vũ Muộn", 2, "Đông Bun, Đon Quán"),
        ("Cao Sơn", 1, "Thôm Khoan"),
    ]
    assert {k: line.params[k] for k in ("communes", "villages", "communes_received", "villages_missing")} == {
        "communes": 3,
        "villages": 5,
        "communes_received": 1,
        "villages_missing": 3,
    }
    # Never merged on its own: the misspelt village is left out, not counted as Đông Bun.
    assert [v.village for v in summary.villages] == ["Bản Vén", "Bản Đán"]
    assert [(e.village, e.reason) for e in summary.excluded] == [("Đâng Bun", "không có trong danh mục")]


def test_one_missing_village_of_two(tmp_path: Path, files: dict[str, Path]) -> None:
    only_one = make_corpus.write_matrix(tmp_path / "xa" / "vm.xlsx", "Vũ Muộn", (("Đông Bun", {7}),))
    registry = registry_from_pairs(REGISTERED[:4])
    summary = summarize([files["good"], only_one], registry=registry)
    errors = [p for p in summary.problems if p.severity is Severity.ERROR]
    assert [(p.code, p.file.name, p.params["names"]) for p in errors] == [
        ("D003", "Danh mục thôn", "Đon Quán")
    ]


def test_match_after_normalization_is_silent_and_takes_the_registry_spelling(tmp_path: Path) -> None:
    path = make_corpus.write_matrix(
        tmp_path / "x.xlsx", "ĐÔN PHONG", (("BẢN VÉN", set()), ("Thôn Bản Đán", set()))
    )
    summary = summarize([path], registry=registry_from_pairs(REGISTERED[:2]))
    assert [p.code for p in summary.problems] == ["D004"]
    assert [(v.commune, v.village) for v in summary.villages] == [
        ("Đôn Phong", "Bản Vén"),
        ("Đôn Phong", "Bản Đán"),
    ]
    assert summary.communes == ("Đôn Phong",)


def test_unregistered_commune_suggests_the_nearest(tmp_path: Path) -> None:
    path = make_corpus.write_matrix(tmp_path / "x.xlsx", "Đôn Phog", (("Bản Vén", set()),))
    summary = summarize([path], registry=registry_from_pairs(REGISTERED))
    first = summary.problems[0]
    assert (first.code, first.file.name, first.cell) == ("D001", "x.xlsx", "B5")
    assert first.params["hint"] == " Có phải: Xã Đôn Phong?"


def test_registry_errors_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Không tìm thấy tệp danh mục thôn"):
        load_registry(tmp_path / "khong-co.xlsx")
    bad = tmp_path / "bad.xlsx"
    workbook = xlsxwriter.Workbook(str(bad))
    workbook.add_worksheet("Danh mục thôn").write_row(0, 0, ("A", "B"))
    workbook.close()
    with pytest.raises(UsageError, match="không thấy dòng tiêu đề có cột 'Xã' và cột 'Thôn'"):
        load_registry(bad)


def test_cli_registry_option(files: dict[str, Path]) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ntm_xl",
            "check",
            str(files["good"]),
            "--registry",
            str(files["registry"]),
            "-q",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Lỗi D003: danh-muc.xlsx: " in result.stderr
    assert "Thông tin D004: danh-muc.xlsx: " in result.stderr
