"""A file whose reading kills its process, eats memory or hangs costs only itself."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import xlsxwriter

from ntm_xl import CriteriaSet, summarize
from ntm_xl._read._workers import ReadLimits, read_isolated
from tests.corpus import make_corpus

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and rlimits")


def _behave(path: Path, factor: int) -> int:
    """What a worker runs in these tests: the file's name says how it goes wrong."""
    name = path.name
    if name.startswith("abort"):
        os.abort()
    if name.startswith("segfault"):
        ctypes.string_at(0)
    if name.startswith("memory"):
        hog = bytearray(3 << 30)  # more than the limit given below
        return len(hog)
    if name.startswith("hang"):
        time.sleep(60)
    if name.startswith("raise"):
        raise ValueError("hỏng")
    return len(name) * factor


def test_each_failure_costs_only_its_own_file(tmp_path: Path) -> None:
    names = ["a", "abort-1", "bb", "segfault", "ccc", "memory", "dddd", "hang", "eeeee", "raise", "ffffff"]
    paths = [tmp_path / name for name in names]
    limits = ReadLimits(memory=512 << 20, seconds=2, workers=2)
    started = time.monotonic()
    outcomes = list(read_isolated(paths, _behave, (10,), limits))
    assert time.monotonic() - started < 30
    got = [(o.value, o.failure.kind if o.failure else None) for o in outcomes]
    assert got == [
        (10, None),
        (None, "abort"),
        (20, None),
        (None, "abort"),
        (30, None),
        (None, "memory"),
        (40, None),
        (None, "timeout"),
        (50, None),
        (None, "error"),
        (60, None),
    ]
    assert outcomes[1].failure is not None and outcomes[1].failure.detail == "SIGABRT"
    assert outcomes[3].failure is not None and outcomes[3].failure.detail == "SIGSEGV"
    assert outcomes[9].failure is not None and "ValueError: hỏng" in outcomes[9].failure.detail


def _far_cells(path: Path, rows: int) -> Path:
    """An honest but large sheet: reading it needs more memory than a tight limit allows."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Lớn")
    for r in range(rows):
        sheet.write_string(r, 0, f"Dòng {r}")
        sheet.write_number(r, 25, r)
    workbook.close()
    return path


def test_a_file_over_the_memory_limit_is_an_error_and_the_others_are_read(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    good = make_corpus.write_matrix(tmp_path / "good.xlsx", *make_corpus.GOOD)
    big = _far_cells(tmp_path / "big.xlsx", 99_000)
    summary = summarize([big, good], criteria, limits=ReadLimits(memory=40 << 20))
    assert [(p.code, p.file.name) for p in summary.problems if p.severity.name == "ERROR"] == [
        ("F028", "big.xlsx")
    ]
    assert [v.village for v in summary.villages] == ["Bản Vén", "Bản Đán"]
    (problem,) = [p for p in summary.problems if p.code == "F028"]
    assert "40 MB" in problem.message


def test_a_file_over_the_time_limit_is_an_error_and_the_others_are_read(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    good = make_corpus.write_matrix(tmp_path / "good.xlsx", *make_corpus.GOOD)
    big = _far_cells(tmp_path / "big.xlsx", 99_000)
    other = make_corpus.write_matrix(tmp_path / "other.xlsx", *make_corpus.PER_VILLAGE)
    summary = summarize([good, big, other], criteria, limits=ReadLimits(seconds=0.3))
    assert [(p.code, p.file.name, p.params.get("seconds")) for p in summary.problems if p.code == "F029"] == [
        ("F029", "big.xlsx", "0.3")
    ]
    assert len(summary.villages) == 5


_PARENT = """
import sys, time
from pathlib import Path
from ntm_xl._read._workers import ReadLimits, read_isolated
from tests.read.test_isolation import _record_and_wait
folder = Path(sys.argv[1])
files = [folder / str(i) for i in range(12)]
for _ in read_isolated(files, _record_and_wait, (str(folder),), ReadLimits(workers=3)):
    pass
"""


def _record_and_wait(path: Path, folder: str) -> None:
    (Path(folder) / f"pid-{os.getpid()}").write_text("")
    time.sleep(120)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped by its (new) parent.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[1].split()[0] != "Z"
    except OSError:
        return sys.platform == "linux"


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_PARENT), str(tmp_path)],
        cwd=Path(__file__).resolve().parents[2],
    )
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("pid-*"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(p.name.split("-")[1]) for p in tmp_path.glob("pid-*")]
    assert len(pids) == 3
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if _alive(pid)]
