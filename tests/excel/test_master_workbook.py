"""The master workbook (.xlsm): built reproducibly, its macros are ntm_xl/macros/*.bas, buttons call them."""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import pytest

with warnings.catch_warnings():  # oletools still uses pyparsing's old names
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

from ntm_xl._excel._master import (
    BUILD_PINS,
    BUTTONS,
    KIT_HOME,
    KIT_INTERPRETER,
    KIT_TEMP,
    MACROS_DIR,
    MASTER_SHEETS,
    build_master_workbook,
    check_build_versions,
    point_to_home,
    read_macros,
)

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "workbooks" / "ntm-xl.xlsm"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_master_workbook(tmp_path_factory.mktemp("build") / "ntm-xl.xlsm")


def _modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _without_attributes(text: str) -> str:
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if not line.startswith("Attribute VB_")]
    return "\n".join(lines).strip("\n")


def test_build_tools_are_the_pinned_versions() -> None:
    assert check_build_versions() == []


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    again = build_master_workbook(tmp_path / "again.xlsm")
    assert again.read_bytes() == built.read_bytes()


def test_committed_workbook_equals_a_fresh_build(built: Path) -> None:
    assert check_build_versions() == [], "build tools differ from the pins: the bytes cannot match"
    assert COMMITTED.read_bytes() == built.read_bytes(), "run: ntm-xl workbook workbooks/ntm-xl.xlsm"


def test_macros_are_ascii_text() -> None:
    for path in sorted(MACROS_DIR.glob("*.bas")):
        path.read_bytes().decode("ascii")


def test_vba_modules_equal_the_macro_files(built: Path) -> None:
    modules = _modules(built)
    for name, source in read_macros().items():
        assert _without_attributes(modules[name]) == _without_attributes(source), name
    # xlwings' own module travels with the workbook, so no add-in is needed.
    assert "Public Function RunPython(" in modules["xlwings"]
    assert "SampleCall" not in " ".join(modules.values())


def test_each_button_calls_a_sub_that_exists(built: Path) -> None:
    code = "\n".join(_modules(built).values())
    subs = set(re.findall(r"^Public Sub (\w+)\(\)", code, flags=re.MULTILINE))
    with zipfile.ZipFile(built) as package:
        drawings = [n for n in package.namelist() if n.startswith("xl/drawings/vmlDrawing")]
        vml = "".join(package.read(n).decode("utf-8") for n in drawings)
    macros = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    assert macros == [b.macro for b in BUTTONS]
    assert set(macros) <= subs
    for button in BUTTONS:
        assert button.caption in vml
        call = (
            f'RunPython "import ntm_xl.excel; ntm_xl.excel.{button.function}'
            """(xlwings_vba='" & XLWINGS_VERSION & "')\""""
        )
        body = re.search(rf"Public Sub {button.macro}\(\)\n(.*?)End Sub", code, flags=re.S)
        assert body is not None and call in body.group(1)


def test_workbook_parts(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        types = package.read("[Content_Types].xml").decode("utf-8")
        workbook = package.read("xl/workbook.xml").decode("utf-8")
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert re.findall(r'<sheet name="([^"]+)"', workbook) == list(MASTER_SHEETS)
    for name in ("NTM_ThuMucXa", "NTM_TepChon", "NTM_TieuDeChonTep"):
        assert f'name="{name}"' in workbook


def _conf(path: Path) -> list[tuple[str, object]]:
    import openpyxl

    sheet = openpyxl.load_workbook(path)["xlwings.conf"]
    rows = []
    for key, value in sheet.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None:
            break  # xlwings reads keys from A1 to the first blank cell
        rows.append((key, value))
    return rows


def test_xlwings_configuration_sheet(built: Path) -> None:
    # Only what the kit needs: any key here, even blank, overrides the clerk's own xlwings configuration.
    assert _conf(built) == [
        ("Interpreter_Win", r"%LOCALAPPDATA%\ntm-xl\venv\Scripts\pythonw.exe"),
        ("TEMP DIR", r"%LOCALAPPDATA%\ntm-xl\tmp"),
    ]
    assert KIT_INTERPRETER.startswith(KIT_HOME) and KIT_TEMP.startswith(KIT_HOME)


def test_a_copy_can_point_to_another_home(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ntm-xl.xlsm"
    copy.write_bytes(built.read_bytes())
    point_to_home(copy, r"C:\Users\Public\Documents\ntm-xl & co")
    assert _conf(copy) == [
        ("Interpreter_Win", r"C:\Users\Public\Documents\ntm-xl & co\venv\Scripts\pythonw.exe"),
        ("TEMP DIR", r"C:\Users\Public\Documents\ntm-xl & co\tmp"),
    ]
    assert _modules(copy) == _modules(built)


def _project_stream(path: Path) -> list[str]:
    import olefile

    with zipfile.ZipFile(path) as package:
        binary = package.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(binary)
    try:
        return ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    finally:
        ole.close()


def test_every_sheet_module_is_a_document_module(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        workbook = package.read("xl/workbook.xml").decode("utf-8")
        sheets = sorted(n for n in package.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        code_names = [
            re.search(r'codeName="(\w+)"', package.read(n).decode("utf-8")).group(1)  # type: ignore[union-attr]
            for n in sorted(sheets, key=lambda n: int(re.sub(r"\D", "", n)))
        ]
    assert re.search(r'<workbookPr codeName="ThisWorkbook"', workbook)
    assert code_names == [f"Sheet{i}" for i in range(1, len(MASTER_SHEETS) + 1)]
    lines = _project_stream(built)
    declarations = [line for line in lines if re.match(r"(Document|Module|Class|BaseClass)=", line)]
    documents = [line for line in declarations if line.startswith("Document=")]
    assert documents == [f"Document={name}/&H00000000" for name in ("ThisWorkbook", *code_names)]
    assert [line for line in declarations if not line.startswith("Document=")] == [
        "Module=xlwings",
        "Class=Dictionary",
        "Module=NtmChonTep",
        "Module=NtmXl",
    ]
    # Sections each end with one blank line, as Excel writes them; every module has a [Workspace] entry.
    workspace = lines[lines.index("[Workspace]") + 1 :]
    assert workspace[-2:] == ["", ""]
    assert sorted(line.split("=")[0] for line in workspace[:-2]) == sorted(
        line.split("=")[1].split("/")[0] for line in declarations
    )


def test_xlwings_vba_is_the_pinned_python_package(built: Path) -> None:
    import configparser

    import xlwings

    found = re.search(r'Public Const XLWINGS_VERSION As String = "([^"]+)"', _modules(built)["xlwings"])
    assert found is not None
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg", encoding="utf-8")
    requires = setup["options"]["install_requires"].split()
    assert f"xlwings=={found.group(1)}" in requires
    assert found.group(1) == xlwings.__version__ == BUILD_PINS["xlwings"]


def test_non_ascii_macro_is_refused(tmp_path: Path) -> None:
    from ntm_xl import UsageError

    folder = tmp_path / "macros"
    folder.mkdir()
    (folder / "Bad.bas").write_text(
        'Attribute VB_Name = "Bad"\nSub X()\n MsgBox "Xã"\nEnd Sub\n', encoding="utf-8"
    )
    with pytest.raises(UsageError, match="ASCII"):
        build_master_workbook(tmp_path / "x.xlsm", macros=folder)


def test_command_line_builds_the_same_workbook(built: Path, tmp_path: Path) -> None:
    from ntm_xl._cli import main

    assert main(["workbook", str(tmp_path / "cli.xlsm")]) == 0
    assert (tmp_path / "cli.xlsm").read_bytes() == built.read_bytes()
