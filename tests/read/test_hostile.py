"""Each hostile file of §1 is refused before the reader allocates, with its exact reason,
and the good file beside it keeps its villages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm_xl import CriteriaSet, summarize
from ntm_xl._read._workers import ReadLimits
from tests.corpus import hostile


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.make(tmp_path_factory.mktemp("hostile"))


def _errors(files: dict[str, Path], name: str, criteria: CriteriaSet) -> list[tuple[str, str, str]]:
    # In this process: a refusal must come from the pre-checks, not from a worker dying.
    summary = summarize([files[name], files["good"]], criteria, limits=ReadLimits(isolated=False))
    assert [v.village for v in summary.villages] == ["Bản Vén", "Bản Đán"]
    return [(p.code, p.file.name, p.sheet) for p in summary.problems if p.severity.name == "ERROR"]


@pytest.mark.parametrize(
    "name", ["far-attr-order", "far-single-quotes", "far-spaces", "far-lowercase", "far-prefix"]
)
def test_a_far_cell_is_found_however_its_reference_is_written(
    files: dict[str, Path], name: str, criteria: CriteriaSet
) -> None:
    assert _errors(files, name, criteria) == [("F020", f"{name}.xlsx", "Biểu")]
    summary = summarize([files[name]], criteria, limits=ReadLimits(isolated=False))
    (problem,) = summary.problems
    assert problem.params["rows"] == "1.048.576" and problem.params["cols"] == "16.384"
    assert problem.params["last"] == "XFD1048576"


def test_a_sheet_refused_for_its_cell_count_says_so(files: dict[str, Path], criteria: CriteriaSet) -> None:
    assert _errors(files, "far-wide", criteria) == [("F021", "far-wide.xlsx", "Biểu")]
    (problem,) = summarize([files["far-wide"]], criteria, limits=ReadLimits(isolated=False)).problems
    assert (problem.params["rows"], problem.params["cols"], problem.params["cells"]) == (
        "400",
        "16.384",
        "6.553.600",
    )
    assert "vượt giới hạn 5.000.000 ô" in problem.message


@pytest.mark.parametrize(
    ("name", "code", "sheet"),
    [
        ("shared-strings", "F024", ""),
        ("merges", "F025", "Biểu"),
        ("encoding-str", "F026", ""),
        ("encoding-base64", "F026", ""),
    ],
)
def test_declared_counts_and_encodings_are_checked(
    files: dict[str, Path], name: str, code: str, sheet: str, criteria: CriteriaSet
) -> None:
    assert _errors(files, name, criteria) == [(code, f"{name}.xlsx", sheet)]


@pytest.mark.parametrize(("name", "suffix"), [("ods-repeated", ".ods"), ("xls-far", ".xls")])
def test_repeated_ods_cells_and_far_xls_records_are_counted(
    files: dict[str, Path], name: str, suffix: str, criteria: CriteriaSet
) -> None:
    assert _errors(files, name, criteria) == [("F022", f"{name}{suffix}", "Biểu")]
    (problem,) = summarize([files[name]], criteria, limits=ReadLimits(isolated=False)).problems
    assert problem.message.startswith("Không đọc được tệp: trang 'Biểu' khai báo ")


def test_a_small_xls_of_the_same_making_is_read(files: dict[str, Path], criteria: CriteriaSet) -> None:
    summary = summarize([files["xls-good"]], criteria, limits=ReadLimits(isolated=False))
    assert not [p for p in summary.problems if p.code.startswith("F")]


def test_all_of_them_together_in_workers(files: dict[str, Path], criteria: CriteriaSet) -> None:
    summary = summarize(sorted(files.values()), criteria)
    assert [v.village for v in summary.villages] == ["Bản Vén", "Bản Đán"]
    assert not [p for p in summary.problems if p.code in ("F027", "F028", "F029", "F030")]


# Found by the fuzzer (bench/fuzz.py, tests/test_fuzz.py): each reached calamine before the
# fix and aborted its process (F027) or raised in the worker (F030).


@pytest.mark.parametrize(
    ("name", "code", "sheet"),
    [
        # ntm_xl/_inspect.py, _inspect_sheets: the part was looked up by its exact name only.
        ("sheet-upper", "F020", "Biểu"),
        # ntm_xl/_inspect.py, _inspect_sheets: a relationships part ElementTree could not parse
        # ended the pre-check; calamine's parser reads on.
        ("rels-damaged", "F020", "xl/worksheets/sheet1.xml"),
    ],
)
def test_sheet_parts_are_scanned_however_they_are_reached(
    files: dict[str, Path], name: str, code: str, sheet: str, criteria: CriteriaSet
) -> None:
    assert _errors(files, name, criteria) == [(code, f"{name}.xlsx", sheet)]
    (problem,) = summarize([files[name]], criteria, limits=ReadLimits(isolated=False)).problems
    assert problem.params["last"] == "XFD1048576"


@pytest.mark.parametrize(
    "name",
    [
        # ntm_xl/_biff.py, _workbook_stream: a cutoff past the stream sent it to the mini stream.
        "xls-cutoff",
        # ntm_xl/_biff.py, xls_extents: records after damage are walked from the sheet's offset.
        "xls-shifted",
        # ntm_xl/_biff.py, _grow: a first row past the last one wraps around in the reader.
        "xls-inverted",
    ],
)
def test_far_xls_cells_are_found_through_damage(
    files: dict[str, Path], name: str, criteria: CriteriaSet
) -> None:
    assert _errors(files, name, criteria) == [("F022", f"{name}.xls", "Biểu")]
    (problem,) = summarize([files[name]], criteria, limits=ReadLimits(isolated=False)).problems
    declared = "4.294.901.772 dòng × 23 cột" if name == "xls-inverted" else "65.536 dòng × 256 cột"
    assert declared in problem.message


def test_a_reader_panic_is_the_files_read_error(files: dict[str, Path], criteria: CriteriaSet) -> None:
    # ntm_xl/_reader.py, read_sheets: calamine's Rust panic is pyo3's PanicException, a
    # BaseException that escaped "except Exception" (F030 in a worker, a traceback in-process).
    assert _errors(files, "xls-offset-past-end", criteria) == [("F006", "xls-offset-past-end.xls", "")]
    (problem,) = summarize([files["xls-offset-past-end"]], criteria).problems
    assert "PanicException" in problem.message


def test_indicator_files_beside_a_refused_one_are_not_reopened(
    tmp_path: Path, files: dict[str, Path], criteria: CriteriaSet
) -> None:
    # ntm_xl/_pipeline.py, summarize: the period was looked for by reading every input again
    # in this process, hostile ones included (calamine aborted the whole run).
    from tests.corpus import families

    opened: list[Path] = []
    import ntm_xl._read._calamine as reader

    original = reader.read_sheets

    def spy(path: Path) -> object:
        opened.append(path)
        return original(path)

    with_indicators = families.indicators_under_criteria(tmp_path)
    reader.read_sheets = spy  # type: ignore[assignment]
    try:
        summary = summarize([files["sheet-upper"], with_indicators], criteria)
    finally:
        reader.read_sheets = original
    assert files["sheet-upper"] not in opened
    assert summary.villages
