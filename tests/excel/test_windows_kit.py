"""The offline installer kit (scripts/build_windows_kit.py): what it holds, that pip can install from it
alone for 64-bit Windows, and its .bat files, checked line by line (no Windows here to run them)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from ntm_xl import __version__
from ntm_xl._excel._master import KIT_HOME, build_master_workbook, install_workbook

from ..network import network

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_windows_kit", ROOT / "scripts" / "build_windows_kit.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


KIT = _script()
NAME = f"ntm-xl-windows-{__version__}"


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kit, built once per session (pip's cache serves the wheels on later runs), unpacked."""
    built = KIT.build_kit(tmp_path_factory.mktemp("kit"))
    assert built.name == f"{NAME}.zip"
    unpacked = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(built) as package:
        assert all(name.startswith(f"{NAME}/") for name in package.namelist())
        package.extractall(unpacked)
    return unpacked / NAME


@network
def test_kit_holds_the_workbook_the_guide_the_scripts_and_the_wheels(kit: Path) -> None:
    assert (kit / "ntm-xl.xlsm").read_bytes() == (ROOT / "workbooks" / "ntm-xl.xlsm").read_bytes()
    guide = (kit / "HUONG-DAN.txt").read_bytes()
    assert guide == b"\xef\xbb\xbf" + (ROOT / "workbooks" / "HUONG-DAN.md").read_bytes()
    assert (kit / "cai-dat.bat").read_bytes() == KIT._crlf(KIT.INSTALL_BAT.format(version=__version__))
    assert (kit / "go-cai-dat.bat").read_bytes() == KIT._crlf(KIT.UNINSTALL_BAT.format(version=__version__))
    wheels = {p.name for p in (kit / "wheelhouse").iterdir()}
    assert f"ntm_xl-{__version__}-py3-none-any.whl" in wheels
    for python in ("311", "312", "313"):
        assert any(re.fullmatch(rf"pywin32-\d+-cp{python}-cp{python}-win_amd64\.whl", w) for w in wheels), (
            python
        )
        assert any(re.fullmatch(rf"xlwings-0\.37\.8-cp{python}-cp{python}-win_amd64\.whl", w) for w in wheels)
    assert not [
        w for w in wheels if not w.endswith(".whl")
    ]  # wheels only: nothing to build on the clerk's PC


@network
@pytest.mark.parametrize("python", ["3.11", "3.12", "3.13"])
def test_pip_installs_from_the_wheelhouse_alone_on_windows(kit: Path, python: str, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--no-index",
            "--find-links",
            str(kit / "wheelhouse"),
            "--platform",
            "win_amd64",
            "--implementation",
            "cp",
            "--python-version",
            python,
            "--only-binary=:all:",
            "--target",
            str(tmp_path / "target"),
            "--report",
            str(report),
            "-q",
            "ntm-xl",
            "pywin32",
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PIP_CONFIG_FILE": "/dev/null"},  # no index or links of this machine
    )
    assert done.returncode == 0, done.stderr
    chosen = {
        item["metadata"]["name"].lower(): item["download_info"]["url"]
        for item in json.loads(report.read_text(encoding="utf-8"))["install"]
    }
    assert {"ntm-xl", "pywin32", "xlwings", "python-calamine", "lxml"} <= set(chosen)
    tag = f"cp{python.replace('.', '')}"
    assert chosen["pywin32"].endswith(f"-{tag}-{tag}-win_amd64.whl")
    assert all(url.startswith((kit / "wheelhouse").as_uri()) for url in chosen.values())


# ---------------------------------------------------------------------------
# The .bat files, statically

BATS = {
    "cai-dat.bat": KIT._crlf(KIT.INSTALL_BAT.format(version=__version__)),
    "go-cai-dat.bat": KIT._crlf(KIT.UNINSTALL_BAT.format(version=__version__)),
}
PATH_VARIABLES = ("%KIT%", "%WHEELS%", "%NTM_HOME%", "%VPY%", "%LOCALAPPDATA%", "%PUBLIC%", "%%~H", "%~dp0")


def _lines(name: str) -> list[str]:
    return BATS[name].decode("ascii").split("\r\n")


@pytest.mark.parametrize("name", sorted(BATS))
def test_bat_is_ascii_with_crlf_line_ends(name: str) -> None:
    data = BATS[name]
    data.decode("ascii")  # cmd.exe reads the file in the console's code page: ASCII reads the same in all
    assert data.count(b"\n") == data.count(b"\r\n") > 10
    assert b"\r\r" not in data
    assert _lines(name)[0] == "@echo off"
    assert any(line.startswith("setlocal EnableExtensions") for line in _lines(name))


@pytest.mark.parametrize("name", sorted(BATS))
def test_bat_quotes_every_path(name: str) -> None:
    for number, line in enumerate(_lines(name), 1):
        if line.lstrip().startswith("rem "):
            continue
        for variable in PATH_VARIABLES:
            for found in re.finditer(re.escape(variable), line):
                before = line[: found.start()]
                assert before.count('"') % 2 == 1, f"{name}:{number}: {variable} outside quotes: {line}"
        # A folder variable ending in a backslash must not end a quoted argument (\" escapes the quote).
        if not line.lstrip().startswith("set "):
            assert '%KIT%"' not in line and '%~dp0"' not in line, f"{name}:{number}: {line}"


@pytest.mark.parametrize("name", sorted(BATS))
def test_bat_jumps_only_to_labels_it_has_and_balances_parentheses(name: str) -> None:
    lines = _lines(name)
    labels = {line[1:] for line in lines if line.startswith(":")}
    for line in lines:
        for target in re.findall(r"goto :(\w+)", line):
            assert target in labels, line
    depth = 0
    for line in lines:
        unquoted = re.sub(r'"[^"]*"', "", line)
        depth += unquoted.count("(") - unquoted.count(")")
        assert depth >= 0, line
    assert depth == 0


def test_install_bat_checks_every_step_that_can_fail() -> None:
    lines = [line.strip() for line in _lines("cai-dat.bat")]
    steps = [i for i, line in enumerate(lines) if re.search(r" -m venv | -m pip install |main_install", line)]
    assert len(steps) == 3
    for index in steps:
        assert re.fullmatch(r"if errorlevel 1 goto :\w+", lines[index + 1]), lines[index]
    # Folders are checked by their existence, never by the errorlevel of a mkdir that may not run.
    for index, line in enumerate(lines):
        if line.startswith("mkdir "):
            assert lines[index + 1].startswith('if not exist "') and lines[index + 1].endswith(
                "goto :no_folder"
            )
    # Nothing from the network, nothing needing an administrator.
    install = next(line for line in lines if " -m pip install " in line)
    assert "--no-index" in install and '--find-links "%WHEELS%"' in install
    assert install.endswith("ntm-xl pywin32")
    assert not [line for line in lines if re.search(r"runas|HKLM|Program Files|setx /m", line, re.I)]


def test_install_bat_finds_python_through_the_launcher_first() -> None:
    text = "\r\n".join(_lines("cai-dat.bat"))
    launcher = text.index('py -%%V -c "pass"')
    on_path = text.index('python -c "')
    assert launcher < on_path < text.index("goto :no_python")
    assert "for %%V in (3.13 3.12 3.11) do (" in text
    message = text[text.index("\r\n:no_python\r\n") :]
    assert "Python 3.12" in message and "https://www.python.org/" in message
    assert "exit /b 1" in message.split(":no_folder")[0]


def test_install_bat_falls_back_to_an_ascii_folder() -> None:
    text = "\r\n".join(_lines("cai-dat.bat"))
    assert 'set "NTM_HOME=%LOCALAPPDATA%\\ntm-xl"' in text
    assert 'if errorlevel 1 set "NTM_HOME=%PUBLIC%\\Documents\\ntm-xl"' in text
    assert KIT_HOME == "%LOCALAPPDATA%\\ntm-xl"  # the workbook's xlwings.conf points there
    for code in (KIT.ASCII_HOME, KIT.RECENT_ENOUGH, KIT.INSTALL_WORKBOOK):
        assert f'-c "{code}"' in text
        compile(code, "cai-dat.bat", "exec")


def test_the_ascii_check_refuses_a_vietnamese_user_folder() -> None:
    def check(folder: str) -> int:
        env = {"PATH": "/usr/bin:/bin", "LOCALAPPDATA": folder}
        return subprocess.run([sys.executable, "-c", KIT.ASCII_HOME], env=env).returncode

    assert check(r"C:\Users\Lan Anh\AppData\Local") == 0
    assert check(r"C:\Users\Nguyễn Văn Bình\AppData\Local") == 1


def test_uninstall_bat_keeps_the_workbook_and_asks_first() -> None:
    text = "\r\n".join(_lines("go-cai-dat.bat"))
    assert text.index("choice /c CK") < text.index("rmdir /s /q")
    assert "ntm-xl.xlsm" not in text.split("rmdir")[1]
    assert 'for %%H in ("%LOCALAPPDATA%\\ntm-xl" "%PUBLIC%\\Documents\\ntm-xl") do (' in text
    assert 'if exist "%%~H\\venv\\" (' in text  # only a folder cai-dat.bat made


# ---------------------------------------------------------------------------
# The workbook's placing, which cai-dat.bat leaves to Python


def test_install_workbook_never_overwrites_the_clerks_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = build_master_workbook(tmp_path / "kit" / "ntm-xl.xlsm")
    documents = tmp_path / "Tài liệu"
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    first = install_workbook(source, tmp_path / "local" / "ntm-xl", documents)
    assert first == documents / "ntm-xl.xlsm"
    assert first.read_bytes() == source.read_bytes()  # the usual folder: the kit's workbook as it is
    first.write_bytes(b"du lieu cua can bo")
    second = install_workbook(source, tmp_path / "local" / "ntm-xl", documents)
    third = install_workbook(source, tmp_path / "local" / "ntm-xl", documents)
    assert first.read_bytes() == b"du lieu cua can bo"
    assert (second.name, third.name) == (f"ntm-xl-{__version__}.xlsm", f"ntm-xl-{__version__} (2).xlsm")


def test_install_workbook_points_a_copy_at_the_fallback_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    source = build_master_workbook(tmp_path / "kit" / "ntm-xl.xlsm")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\Nguyễn\AppData\Local")
    placed = install_workbook(source, r"C:\Users\Public\Documents\ntm-xl", tmp_path / "docs")
    sheet = openpyxl.load_workbook(placed)["xlwings.conf"]
    assert sheet["B1"].value == r"C:\Users\Public\Documents\ntm-xl\venv\Scripts\pythonw.exe"
    assert sheet["B2"].value == r"C:\Users\Public\Documents\ntm-xl\tmp"
