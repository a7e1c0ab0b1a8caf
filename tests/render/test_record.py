"""Every summarize and notice run leaves a record of what it read and wrote."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from python_calamine import CalamineWorkbook

from ntm_xl import CriteriaSet
from ntm_xl._cli import main
from ntm_xl._render._record import RECORD_SHEET

from ..conftest import ROOT, marks_row, write_table


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _summarize(inputs: list[Path], out: Path) -> dict[str, object]:
    record = out / "nhat-ky.json"
    status = main(["summarize", *map(str, inputs), "-o", str(out / "th.xlsx"), "--record", str(record), "-q"])
    assert status in (0, 1)
    data: dict[str, object] = json.loads(record.read_text(encoding="utf-8"))
    return data


def test_two_runs_on_the_same_inputs_give_the_same_record_but_the_time(
    tmp_path: Path, demo_files: list[Path]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _summarize(demo_files, tmp_path / "a")
    second = _summarize(demo_files, tmp_path / "b")
    assert first.pop("time") and second.pop("time")
    # Outputs differ only by the folder each run wrote to.
    assert [Path(str(p)).name for p in first.pop("outputs")] == ["th.xlsx", "nhat-ky.json"]  # type: ignore[attr-defined]
    second.pop("outputs")
    assert first == second


def test_record_lists_every_input_with_its_digest_and_layout(tmp_path: Path, demo_files: list[Path]) -> None:
    data = _summarize(demo_files[:2], tmp_path)
    assert data["tool"] == "ntm-xl"
    assert data["criteria_id"] == "bac-kan-thon-2022-2025"
    criteria_file = ROOT / "ntm_xl" / "criteria" / "bac-kan-thon-2022-2025.toml"
    assert data["criteria_sha256"] == _sha256(criteria_file)
    inputs = data["inputs"]
    assert isinstance(inputs, list)
    assert [i["path"] for i in inputs] == [str(p) for p in demo_files[:2]]
    assert [i["sha256"] for i in inputs] == [_sha256(p) for p in demo_files[:2]]
    assert [i["size"] for i in inputs] == [p.stat().st_size for p in demo_files[:2]]
    sheet = inputs[0]["sheets"][0]
    assert sheet["villages"] == 2
    assert sheet["layout"] == "thôn theo dòng; một ô mỗi tiêu chí"
    assert data["files"] == 2
    assert data["villages_counted"] == 4 and data["villages_not_counted"] == 0
    assert data["problems_by_code"] == {}


def test_record_counts_villages_not_counted_and_problems_by_code(
    tmp_path: Path, demo_files: list[Path], criteria: CriteriaSet
) -> None:
    crit = criteria
    rows = [
        ["UBND XÃ HÀ HIỆU"],
        ["STT", "Thôn", *[str(c.number) for c in crit.criteria]],
        [1, "Nà Mằm", *marks_row(crit, [10])],
        [2, "Khuổi Tầu", *marks_row(crit, [])[:-1], ""],
    ]
    bad = write_table(tmp_path / "ha-hieu.xlsx", {"Sheet1": rows})
    missing = tmp_path / "khong-co.xlsx"
    data = _summarize([bad, missing, demo_files[0]], tmp_path)
    # The missing path is an argument but no file.
    assert data["arguments"] == [str(bad), str(missing), str(demo_files[0])]
    assert data["files"] == 2
    assert data["villages_counted"] == 3 and data["villages_not_counted"] == 1
    assert data["errors"] == 2
    problems = data["problems_by_code"]
    assert isinstance(problems, dict)
    assert problems.get("F001") == 1  # the file that does not exist
    assert sum(problems.values()) == 2
    inputs = data["inputs"]
    assert isinstance(inputs, list)
    assert [i["path"] for i in inputs] == [str(bad), str(demo_files[0])]
    assert [s["villages"] for s in inputs[0]["sheets"]] == [2]


def test_summary_workbook_has_the_record_sheet(tmp_path: Path, demo_files: list[Path]) -> None:
    _summarize(demo_files[:1], tmp_path)
    book = CalamineWorkbook.from_path(str(tmp_path / "th.xlsx"))
    assert book.sheet_names[-1] == RECORD_SHEET
    rows = book.get_sheet_by_name(RECORD_SHEET).to_python()
    cells = [str(v) for row in rows for v in row]
    assert "NHẬT KÝ LẦN CHẠY" in cells
    assert _sha256(demo_files[0]) in cells
    assert str(demo_files[0]) in cells
    assert str(tmp_path / "th.xlsx") in cells


def test_notice_writes_the_record_too(tmp_path: Path, demo_files: list[Path]) -> None:
    record = tmp_path / "nk.json"
    assert (
        main(
            ["notice", *map(str, demo_files), "-o", str(tmp_path / "tb.docx"), "--record", str(record), "-q"]
        )
        == 0
    )
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["command"] == "notice"
    assert data["villages_counted"] == 21
    assert data["outputs"] == [str(tmp_path / "tb.docx"), str(record)]


def test_record_lists_the_other_files_the_run_read(tmp_path: Path, demo_files: list[Path]) -> None:
    """Last period's files and the crosswalk are inputs too: each is recorded with its digest."""
    previous = tmp_path / "ky-truoc"
    previous.mkdir()
    for path in demo_files[:2]:
        (previous / path.name).write_bytes(path.read_bytes())
    crosswalk = tmp_path / "chuyen-doi.csv"
    crosswalk.write_text("Xã cũ,Thôn cũ,Xã mới,Thôn mới\nVi Hương,,Phủ Thông,\n", encoding="utf-8")
    record = tmp_path / "nhat-ky.json"
    status = main(
        [
            "summarize",
            *map(str, demo_files[:2]),
            "-o",
            str(tmp_path / "th.xlsx"),
            "--previous",
            str(previous),
            "--crosswalk",
            str(crosswalk),
            "--record",
            str(record),
            "-q",
        ]
    )
    assert status in (0, 1)
    data = json.loads(record.read_text(encoding="utf-8"))
    others = [(r["role"], Path(r["path"]).name, r["sha256"]) for r in data["references"]]
    expected = [("previous", p.name, _sha256(p)) for p in sorted(previous.iterdir())]
    assert others == [*expected, ("crosswalk", crosswalk.name, _sha256(crosswalk))]
    assert data["files"] == 2  # this period's files only
    rows = CalamineWorkbook.from_path(str(tmp_path / "th.xlsx")).get_sheet_by_name(RECORD_SHEET).to_python()
    roles = [row[4] for row in rows if row and row[1] == str(crosswalk)]
    assert roles == ["bảng chuyển đổi đơn vị"]
