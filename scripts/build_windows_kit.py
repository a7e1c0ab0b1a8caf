"""Build the offline installer kit for a clerk's Windows PC, on any machine with pip and PyPI.

    python scripts/build_windows_kit.py -o DIR

writes ``DIR/ntm-xl-windows-<version>.zip``, one folder holding:

- ``wheelhouse/``: the ntm-xl wheel and every wheel it needs on 64-bit
  Windows for CPython 3.11, 3.12 and 3.13, pywin32 included (xlwings needs it
  on Windows, but pip resolving on another system does not pull it in);
- ``ntm-xl.xlsm``: the master workbook; ``HUONG-DAN.txt``: the guide;
- ``cai-dat.bat``: finds Python (the ``py`` launcher, then ``python`` on
  PATH), creates a virtual environment under ``%LOCALAPPDATA%\\ntm-xl`` (no
  administrator rights), installs from the wheelhouse only (``--no-index``),
  copies the workbook into Documents and says what it did;
- ``go-cai-dat.bat``: removes what cai-dat.bat installed (the workbook in
  Documents, the clerk's data, stays).

Why a fallback folder: VBA's file functions (xlwings checks the interpreter
with ``GetAttr``) and cmd.exe's redirections work in the ANSI code page, so a
user name with Vietnamese letters in ``%LOCALAPPDATA%`` ("Nguyễn") breaks the
path xlwings is given. Then cai-dat.bat installs into
``%PUBLIC%\\Documents\\ntm-xl`` instead: ``C:\\Users\\Public\\Documents`` is
ASCII on every Windows, and its default permissions let any interactive user
create folders there without administrator rights (``C:\\ntm-xl`` also works
on most PCs, but offices often lock the root of C: down). The workbook copied
into Documents is then pointed at that folder (``_master.point_to_home``).

The .bat files are ASCII (Vietnamese without diacritics): cmd.exe reads a
batch file in the console's OEM code page, so no ``chcp`` is needed; what
Python prints (the workbook's path) reaches the console as Unicode.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
# Not pulled in by xlwings' "platform_system == 'Windows'" marker when pip resolves elsewhere.
WINDOWS_ONLY = ("pywin32",)
GUIDE = ROOT / "workbooks" / "HUONG-DAN.md"
WORKBOOK = ROOT / "workbooks" / "ntm-xl.xlsm"

# The one Python line cai-dat.bat runs to place the workbook (see _master.main_install).
INSTALL_WORKBOOK = (
    "import sys; from ntm_xl._excel._master import main_install as m; sys.exit(m(sys.argv[1:]))"
)
ASCII_HOME = "import os, sys; sys.exit(0 if os.environ.get('LOCALAPPDATA', '').isascii() else 1)"
PIP_QUIET = "--disable-pip-version-check --no-warn-script-location -q"
RECENT_ENOUGH = "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"

INSTALL_BAT = rf"""@echo off
rem ntm-xl {{version}}: offline installer for one Windows user; no administrator rights needed.
rem ASCII only: cmd.exe reads a batch file in the console's code page.
setlocal EnableExtensions DisableDelayedExpansion
set "KIT=%~dp0"
set "WHEELS=%~dp0wheelhouse"
echo === Cai dat ntm-xl {{version}} ===
echo.

rem 1. Python 3.11 or newer: the py launcher first, then python on PATH.
set "PY="
for %%V in ({" ".join(reversed(PYTHONS))}) do (
    if not defined PY (
        py -%%V -c "pass" >nul 2>&1
        if not errorlevel 1 set "PY=py -%%V"
    )
)
if not defined PY (
    python -c "{RECENT_ENOUGH}" >nul 2>&1
    if not errorlevel 1 set "PY=python"
)
if not defined PY goto :no_python
echo Dung Python: %PY%

rem 2. The folder: %LOCALAPPDATA%\ntm-xl, unless its path has letters outside ASCII
rem    (VBA and cmd.exe would not find the interpreter there): then the public Documents.
set "NTM_HOME=%LOCALAPPDATA%\ntm-xl"
%PY% -c "{ASCII_HOME}"
if errorlevel 1 set "NTM_HOME=%PUBLIC%\Documents\ntm-xl"
mkdir "%NTM_HOME%" >nul 2>&1
if not exist "%NTM_HOME%\" goto :no_folder
mkdir "%NTM_HOME%\tmp" >nul 2>&1
if not exist "%NTM_HOME%\tmp\" goto :no_folder
echo Thu muc cai dat: "%NTM_HOME%"

rem 3. A virtual environment of its own, and ntm-xl from the wheelhouse only.
echo Dang tao moi truong Python...
%PY% -m venv --clear "%NTM_HOME%\venv"
if errorlevel 1 goto :venv_failed
set "VPY=%NTM_HOME%\venv\Scripts\python.exe"
echo Dang cai ntm-xl va cac thu vien (khong can mang)...
"%VPY%" -m pip install --no-index --find-links "%WHEELS%" {PIP_QUIET} ntm-xl {" ".join(WINDOWS_ONLY)}
if errorlevel 1 goto :pip_failed

rem 4. The master workbook into Documents (an existing one, with the clerk's data, is kept).
"%VPY%" -c "{INSTALL_WORKBOOK}" "%KIT%ntm-xl.xlsm" "%NTM_HOME%"
if errorlevel 1 goto :copy_failed

echo.
echo Da cai xong ntm-xl {{version}}:
echo  - Python cua ntm-xl: "%NTM_HOME%\venv"
echo  - Bang tinh chinh: o thu muc Documents (duong dan in o tren).
echo Viec tiep theo (xem HUONG-DAN.txt): them thu muc Documents vao Trusted Locations cua Excel,
echo roi mo ntm-xl.xlsm va bam cac nut o trang "Huong dan".
pause
exit /b 0

:no_python
echo Khong tim thay Python 3.11 tro len tren may nay.
echo Hay cai Python 3.12 tu https://www.python.org/downloads/windows/ ban "Windows installer 64-bit":
echo bam "Install Now", bo chon "Use admin privileges when installing py.exe" neu may khong co quyen quan tri,
echo roi chay lai cai-dat.bat.
pause
exit /b 1

:no_folder
echo Khong tao duoc thu muc "%NTM_HOME%". Hay bao nguoi ho tro.
pause
exit /b 1

:venv_failed
echo Khong tao duoc moi truong Python trong "%NTM_HOME%\venv". Hay dong Excel roi chay lai cai-dat.bat.
pause
exit /b 1

:pip_failed
echo Cai ntm-xl khong thanh cong (xem cac dong bao loi o tren). Hay bao nguoi ho tro.
pause
exit /b 1

:copy_failed
echo ntm-xl da cai xong nhung chua chep duoc bang tinh vao Documents: hay chep tay ntm-xl.xlsm tu bo cai.
pause
exit /b 1
"""

UNINSTALL_BAT = r"""@echo off
rem ntm-xl {version}: removes what cai-dat.bat installed for this user.
rem The workbook in Documents (the clerk's data) is kept. ASCII only.
setlocal EnableExtensions DisableDelayedExpansion
echo Go cai dat ntm-xl: xoa moi truong Python cua ntm-xl tren may nay.
echo Bang tinh ntm-xl.xlsm trong Documents (du lieu cua ban) duoc giu nguyen.
choice /c CK /m "Tiep tuc? C = co, K = khong"
if errorlevel 2 goto :cancelled
set "REMOVED="
for %%H in ("%LOCALAPPDATA%\ntm-xl" "%PUBLIC%\Documents\ntm-xl") do (
    if exist "%%~H\venv\" (
        rmdir /s /q "%%~H"
        if exist "%%~H\" echo Khong xoa duoc "%%~H": hay dong Excel roi chay lai go-cai-dat.bat.
        if not exist "%%~H\" echo Da xoa "%%~H".
        if not exist "%%~H\" set "REMOVED=1"
    )
)
if not defined REMOVED echo Khong thay ntm-xl da cai tren may nay.
pause
exit /b 0

:cancelled
echo Da huy, khong xoa gi.
pause
exit /b 0
"""


def _crlf(text: str) -> bytes:
    """Batch files as Windows reads them best: CRLF line ends, ASCII."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def _version() -> str:
    sys.path.insert(0, str(ROOT))
    import ntm_xl

    return ntm_xl.__version__


def build_kit(out: Path, *, pythons: Sequence[str] = PYTHONS) -> Path:
    """Build the kit's zip in ``out``; downloads wheels from PyPI (pip's cache serves repeats)."""
    version = _version()
    out.mkdir(parents=True, exist_ok=True)
    name = f"ntm-xl-windows-{version}"
    with tempfile.TemporaryDirectory(prefix="ntm-xl-kit-") as work:
        folder = Path(work) / name
        wheelhouse = folder / "wheelhouse"
        _pip("wheel", "--no-deps", "-q", "-w", str(wheelhouse), str(ROOT))
        (wheel,) = wheelhouse.glob("ntm_xl-*.whl")
        for python in pythons:
            _pip(
                "download",
                "-q",
                "--platform",
                "win_amd64",
                "--implementation",
                "cp",
                "--python-version",
                python,
                "--only-binary=:all:",
                "-d",
                str(wheelhouse),
                str(wheel),
                *WINDOWS_ONLY,
            )
        shutil.copyfile(WORKBOOK, folder / "ntm-xl.xlsm")
        # .txt opens in Notepad with a double click; the BOM tells old Notepad it is UTF-8.
        (folder / "HUONG-DAN.txt").write_bytes(b"\xef\xbb\xbf" + GUIDE.read_bytes())
        (folder / "cai-dat.bat").write_bytes(_crlf(INSTALL_BAT.format(version=version)))
        (folder / "go-cai-dat.bat").write_bytes(_crlf(UNINSTALL_BAT.format(version=version)))
        target = out / f"{name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
            for path in sorted(folder.rglob("*")):
                package.write(path, path.relative_to(folder.parent).as_posix())
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tạo bộ cài ntm-xl ngoại tuyến cho Windows (tệp .zip).")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="THƯ_MỤC", help="nơi ghi tệp .zip"
    )
    args = parser.parse_args(argv)
    print(f"Đã tạo bộ cài: {build_kit(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
