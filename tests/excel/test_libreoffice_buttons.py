"""The buttons in a real office suite: LibreOffice opens the .xlsm headless and presses them.

LibreOffice cannot run xlwings' own VBA module, so the pressing happens in a
test build where ``RunPython`` is a stub that records its argument, and the
file picker (which needs a person at the screen) is a stub that "chooses" two
files with Vietnamese names. Everything else is the real ntm_xl/macros/*.bas.
UNO imports only in Debian's own python3, so it is driven as a subprocess.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ntm_xl._excel._master import BUTTONS, build_master_workbook

HERE = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _office_missing() -> str:
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) không có trên máy này: cài libreoffice-calc"
    if not SYSTEM_PYTHON.exists():
        return "không có /usr/bin/python3 (python3-uno)"
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return "python3-uno chưa được cài cho /usr/bin/python3"
    return ""


pytestmark = pytest.mark.skipif(bool(_office_missing()), reason=_office_missing() or "LibreOffice")

RECORDING_RUNPYTHON = """Attribute VB_Name = "xlwings"
' Test stub: records each Python command in column F of the last sheet (xlwings.conf).
Option Explicit
Public Const XLWINGS_VERSION As String = "0.37.8"
Public Function RunPython(PythonCommand As String)
    Dim sht As Object, r As Long
    Set sht = ThisWorkbook.Worksheets(ThisWorkbook.Worksheets.Count)
    r = 1
    Do While sht.Cells(r, 6).Value <> ""
        r = r + 1
    Loop
    sht.Cells(r, 6).Value = PythonCommand
End Function
"""
# xlwings' Dictionary class does not compile in LibreOffice; only xlwings' module uses it.
EMPTY_DICTIONARY = """Attribute VB_Name = "Dictionary"
Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = False
Attribute VB_Exposed = True
Attribute VB_TemplateDerived = False
Attribute VB_Customizable = False
Option Explicit
"""
# "Xã Vi Hương" built from code points: the .bas text stays ASCII.
CHOOSING_PICKER = """Attribute VB_Name = "NtmChonTep"
Option Explicit
Public Function ChonTepXa(target As Range) As Long
    Dim first As String
    first = "D:\\NTM\\X" & ChrW(&HE3) & " Vi H" & ChrW(&H1B0) & ChrW(&H1A1) & "ng.xlsx"
    ChonTepXa = GhiTepChon(target, Array(first, "D:\\NTM\\02-cao-son.xlsx"))
End Function
"""
PICKED = ["D:\\NTM\\Xã Vi Hương.xlsx", "D:\\NTM\\02-cao-son.xlsx"]


def _run(workbook: Path, profile: Path, *flags: str) -> dict[str, object]:
    done = subprocess.run(
        [str(SYSTEM_PYTHON), str(HERE / "uno_buttons.py"), str(workbook), str(profile), *flags],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_each_button_is_linked_to_its_macro(tmp_path: Path) -> None:
    workbook = build_master_workbook(tmp_path / "ntm-xl.xlsm")
    found = _run(workbook, tmp_path / "profile")
    assert found["buttons"] == [
        {
            "sheet": "Hướng dẫn",
            "label": b.caption,
            "scripts": [f"vnd.sun.star.script:VBAProject.NtmXl.{b.macro}?language=Basic&location=document"],
        }
        for b in BUTTONS
    ]


def test_pressing_each_button_makes_its_python_call(tmp_path: Path) -> None:
    workbook = build_master_workbook(
        tmp_path / "stubbed.xlsm",
        replace_modules={
            "xlwings": RECORDING_RUNPYTHON,
            "Dictionary": EMPTY_DICTIONARY,
            "NtmChonTep": CHOOSING_PICKER,
        },
    )
    found = _run(workbook, tmp_path / "profile", "--press")
    presses = found["presses"]
    assert isinstance(presses, list)
    calls = [f"import ntm_xl.excel; ntm_xl.excel.{b.function}(xlwings_vba='0.37.8')" for b in BUTTONS]
    assert [p["label"] for p in presses] == [b.caption for b in BUTTONS]
    for index, press in enumerate(presses):
        assert press["error"] == ""
        assert press["calls"] == calls[: index + 1]  # exactly one new call per press
        assert press["picked"] == PICKED  # paths, Vietnamese letters intact, went into the cells
