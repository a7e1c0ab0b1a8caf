"""No traceback from templates, configuration, outputs or file names, nothing cut short
(issue §4 and §5): the real `ntm-xl` command on real files, as a clerk would meet them."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from docx import Document

from tests.corpus import hostile, make_corpus

from ..conftest import ROOT
from .test_cli import run

posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files and limits")
TEMPLATE = ROOT / "workbooks" / "mau-thong-bao.docx"


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


def _template(tmp_path: Path, name: str, edit: object) -> Path:
    """A copy of the shipped notice template with word/document.xml passed through ``edit``."""
    out = tmp_path / name
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = edit(data)  # type: ignore[operator]
            target.writestr(info, data)
    return out


def _in_first_text(addition: bytes) -> object:
    return lambda data: re.sub(rb"(<w:t(?: [^>]*)?>)", lambda m: m.group(1) + addition, data, count=1)


def _billion_laughs(data: bytes) -> bytes:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    data = data.replace(b"?>", b"?><!DOCTYPE w:document [" + entities + b"]>", 1)
    return _in_first_text(b"&lol9;")(data)  # type: ignore[operator, no-any-return]


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("billion-laughs.docx", _billion_laughs),
        ("range.docx", _in_first_text(b"{% for i in range(100000000) %}x{% endfor %}")),
        ("repeat.docx", _in_first_text(b"{{ 'x' * 100000000000 }}")),
    ],
)
def test_a_hostile_notice_template_is_refused_with_exit_2(
    tmp_path: Path, demo_files: list[Path], name: str, edit: object
) -> None:
    template = _template(tmp_path, name, edit)
    result = run("notice", str(demo_files[0]), "-o", str(tmp_path / "tb.docx"), "--template", str(template))
    _no_traceback(result)
    assert result.returncode == 2
    # Refused when it is opened (entities) or rendered (loops, long texts), in Vietnamese.
    message = result.stderr.split("ntm-xl: lỗi: ", 1)[1]
    assert message.replace("Mẫu", "mẫu").split(" thông báo '")[1].startswith(f"{template}'")
    assert not (tmp_path / "tb.docx").exists()


def _deep_toml(path: Path, depth: int = 100_000) -> Path:
    path.write_text("a = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("option", ["--criteria", "--config", "--rules"])
def test_a_toml_nested_100000_deep_is_refused_with_exit_2(
    tmp_path: Path, demo_files: list[Path], option: str
) -> None:
    deep = _deep_toml(tmp_path / "sau.toml")
    command = "summarize" if option != "--config" else "notice"
    out = tmp_path / ("th.xlsx" if command == "summarize" else "tb.docx")
    result = run(command, str(demo_files[0]), "-o", str(out), option, str(deep))
    _no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.startswith("ntm-xl: lỗi: ") and "sau.toml" in result.stderr
    assert not out.exists()


def _limited_run(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """The command with a file-size limit (RLIMIT_FSIZE) set before it starts."""
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        from ntm_xl._cli import main
        sys.exit(main(sys.argv[1:]))
        """
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, encoding="utf-8", env=env
    )


@posix
def test_a_file_size_limit_while_writing_is_exit_3_with_a_message(
    tmp_path: Path, demo_files: list[Path]
) -> None:
    out = tmp_path / "th.xlsx"
    result = _limited_run(16 * 1024, "summarize", *map(str, demo_files), "-o", str(out), "-q")
    _no_traceback(result)
    assert result.returncode == 3
    assert f"Không ghi được tệp '{out}': tệp vượt giới hạn kích thước tệp của hệ thống." in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no half file, no temporary


@posix
def test_a_full_disk_while_writing_is_exit_3_with_a_message(tmp_path: Path, demo_files: list[Path]) -> None:
    disk = tmp_path / "o-day"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("a small tmpfs cannot be mounted here (needs root): ENOSPC is then untested")
    try:
        out = disk / "th.xlsx"
        result = run("summarize", *map(str, demo_files), "-o", str(out), "-q")
        _no_traceback(result)
        assert result.returncode == 3
        assert f"Không ghi được tệp '{out}': ổ đĩa đã đầy; cần giải phóng chỗ trống rồi chạy lại." in (
            result.stderr
        )
        assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@posix
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_an_output_that_is_not_a_regular_file_is_refused_before_any_work(
    tmp_path: Path, demo_files: list[Path], kind: str
) -> None:
    if kind == "fifo":
        target = tmp_path / "th.xlsx"
        os.mkfifo(target)
    else:
        target = Path("/dev/null")
    # Thirteen files: progress would be printed as soon as reading started.
    result = run("summarize", *map(str, demo_files), "-o", str(target))
    _no_traceback(result)
    assert result.returncode == 2
    assert f"Tệp kết quả '{target}' là thiết bị hoặc đường ống, không phải tệp thường" in result.stderr
    assert "Đang đọc" not in result.stderr
    mode = target.stat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)


def test_one_path_for_two_outputs_is_refused_before_any_work(tmp_path: Path, demo_files: list[Path]) -> None:
    same = tmp_path / "ket-qua.xlsx"
    result = run("summarize", *map(str, demo_files), "-o", str(same), "--text", str(same))
    _no_traceback(result)
    assert result.returncode == 2
    assert f"Tệp kết quả '{same}' trùng với '{same}'; cần hai tên khác nhau." in result.stderr
    assert "Đang đọc" not in result.stderr
    assert list(tmp_path.iterdir()) == []


_KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from ntm_xl._common._output import atomic_output
with atomic_output(Path(sys.argv[1])) as temporary:
    temporary.write_bytes(b"PK half a workbook")
    os.kill(os.getpid(), signal.SIGKILL)
"""


@posix
def test_temporaries_of_a_killed_run_are_removed_by_the_next_run(
    tmp_path: Path, demo_files: list[Path]
) -> None:
    out = tmp_path / "th.xlsx"
    killed = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(out)], cwd=ROOT)
    assert killed.returncode == -9
    (stale,) = tmp_path.glob(".~ntm-*")
    assert not out.exists()
    result = run("summarize", str(demo_files[0]), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["th.xlsx"]


VILLAGES = 3056  # as many as one group of the 1,000-commune benchmark


def test_a_group_of_thousands_of_villages_continues_below_and_is_never_cut(tmp_path: Path) -> None:
    names = [f"Nà Khuổi Phja {i:04d}" for i in range(VILLAGES)]
    source = make_corpus.write_matrix(tmp_path / "xa.xlsx", "Rất Đông", [(n, set()) for n in names])
    out, text = tmp_path / "th.xlsx", tmp_path / "tb.txt"
    result = run("summarize", str(source), "-o", str(out), "--text", str(text))
    _no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]
    workbook = openpyxl.load_workbook(out)
    continued = []
    for sheet in workbook.worksheets:
        cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert max(map(len, cells), default=0) <= 32_767, sheet.title
        heights = [d.height for d in sheet.row_dimensions.values() if d.height is not None]
        assert max(heights, default=0) <= 409, sheet.title
        if any(c.endswith(" (còn tiếp ở dòng dưới)") for c in cells):
            continued.append(sheet.title)
            assert any(c.startswith("(tiếp) ") for c in cells)
            found = re.findall(r"Nà Khuổi Phja \d{4}", "\n".join(cells))
            # The whole list, each name once per listing and none cut in two.
            assert set(found) == set(names), sheet.title
    assert continued
    assert set(re.findall(r"Nà Khuổi Phja \d{4}", text.read_text(encoding="utf-8"))) == set(names)


def _with_non_xml(path: Path) -> Path:
    """A commune file whose village name holds U+FFFF and a control character."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = workbook.add_worksheet("Biểu")
    sheet.write_string(0, 0, "UBND XÃ ĐÔN PHONG")
    sheet.write_string(3, 0, "STT")
    sheet.write_string(3, 1, "Tên thôn")
    for c, criterion in enumerate(make_corpus.CRITERIA.criteria, 2):
        sheet.write_number(3, c, criterion.number)
    for r, name in ((4, "Nà\uffffPhầy"), (5, "Bản Vén")):
        sheet.write_number(r, 0, r - 3)
        sheet.write_string(r, 1, name)
        for c, mark in enumerate(make_corpus.marks_of({10}), 2):
            sheet.write_string(r, c, mark)
    workbook.close()
    # xlsxwriter escapes it as "_xFFFF_"; other tools write the character itself.
    raw = path.with_name("raw-" + path.name)
    hostile.rewrite(path, raw, lambda n, d: d.replace(b"_xFFFF_", "\uffff".encode()))
    return raw.replace(path)


def test_characters_xml_cannot_hold_are_dropped_with_a_warning_in_every_output(tmp_path: Path) -> None:
    source = _with_non_xml(tmp_path / "xa.xlsx")
    out, text, word = tmp_path / "th.xlsx", tmp_path / "tb.txt", tmp_path / "tb.docx"
    result = run("summarize", str(source), "-o", str(out), "--text", str(text))
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "Cảnh báo W001: xa.xlsx, trang 'Biểu', ô B5: Ô có 1 ký tự không ghi được" in result.stderr
    cells = [c.value for s in openpyxl.load_workbook(out).worksheets for row in s.iter_rows() for c in row]
    texts = "\n".join(v for v in cells if isinstance(v, str))
    assert "NàPhầy" in texts and "\uffff" not in texts
    problems = openpyxl.load_workbook(out)["Kiểm tra dữ liệu"]
    assert [problems.cell(5, c).value for c in range(3, 7)] == ["W001", "xa.xlsx", "Biểu", "B5"]
    assert "NàPhầy" in text.read_text(encoding="utf-8")
    notice = run("notice", str(source), "-o", str(word))
    _no_traceback(notice)
    assert notice.returncode == 0, notice.stderr
    assert "Cảnh báo W001: xa.xlsx, trang 'Biểu', ô B5" in notice.stderr
    document = Document(str(word))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    tables = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "NàPhầy" in paragraphs + tables
    assert "\uffff" not in paragraphs + tables


@posix
def test_file_names_whose_bytes_are_not_utf8_are_read(tmp_path: Path, demo_files: list[Path]) -> None:
    folder = tmp_path / "xa"
    folder.mkdir()
    odd = folder / os.fsdecode(b"don-phong-\xff\xe9.xlsx")
    shutil.copy(demo_files[1], odd)
    out, record = tmp_path / "th.xlsx", tmp_path / "nk.json"
    for inputs in ([str(folder)], [str(odd)]):
        result = run("summarize", *inputs, "-o", str(out), "--record", str(record))
        _no_traceback(result)
        assert result.returncode == 0, result.stderr
        assert "Cảnh báo F031: don-phong-??.xlsx: Tên tệp có ký tự không đọc được" in result.stderr
        assert "Đã tổng hợp 2 thôn của 1 xã" in result.stderr
        assert '"path": "' + str(folder / "don-phong-??.xlsx") + '"' in record.read_text(encoding="utf-8")
    check = run("check", str(folder))
    _no_traceback(check)
    assert check.returncode == 0


@posix
def test_indicator_values_from_a_file_whose_name_is_not_utf8_are_written(tmp_path: Path) -> None:
    # ntm_xl/_indicators.py, indicator_layout: the sheet "Chỉ tiêu" named the file with its raw
    # bytes and the summary writer raised (found by the fuzzer).
    from tests.corpus import families

    made = families.indicators_under_criteria(tmp_path)
    odd = made.with_name(os.fsdecode(b"chi-tieu-\xff.xlsx"))
    made.rename(odd)
    out = tmp_path / "th.xlsx"
    result = run("summarize", str(odd), "-o", str(out), "--period", "Năm 2024")
    _no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    sheet = openpyxl.load_workbook(out)["Chỉ tiêu"]
    places = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(p.startswith("chi-tieu-?.xlsx, trang '") for p in places)
