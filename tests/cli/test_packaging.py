"""Packaging that tells the truth: install_requires is what ntm_xl imports, and a wheel works on its own."""

from __future__ import annotations

import ast
import configparser
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from ..network import network

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ntm_xl"


def _setup() -> configparser.ConfigParser:
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg", encoding="utf-8")
    return setup


# Modules of requirements for Windows only, which are not installed where the tests run.
WINDOWS_ONLY = {"win32api": "pywin32", "win32con": "pywin32", "win32job": "pywin32"}


def _name(requirement: Requirement) -> str:
    if requirement.marker is not None and not requirement.marker.evaluate():
        return requirement.name.lower()
    return metadata.distribution(requirement.name).metadata["Name"].lower()


def _requirements(text: str) -> dict[str, Requirement]:
    found = [
        Requirement(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return {_name(r): r for r in found}


def _imports() -> dict[str, bool]:
    """Top-level module -> whether some import of it in ntm_xl runs when its module loads."""
    found: dict[str, bool] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        at_load = {id(node) for node in tree.body}
        for top in tree.body:  # `if sys.version_info ...:` blocks at module level load too
            if isinstance(top, ast.If):
                at_load |= {id(node) for node in ast.walk(top)}
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top_name = name.split(".")[0]
                found[top_name] = found.get(top_name, False) or id(node) in at_load
    return found


def _distribution_of(module: str) -> str | None:
    if module in sys.stdlib_module_names or module == "ntm_xl":
        return None
    if module in WINDOWS_ONLY:
        return WINDOWS_ONLY[module]
    distributions = metadata.packages_distributions().get(module)
    assert distributions, f"ntm_xl imports {module!r}, which no installed distribution provides"
    return distributions[0].lower()


def test_install_requires_is_what_ntm_xl_imports() -> None:
    setup = _setup()
    required = _requirements(setup["options"]["install_requires"])
    extras = {
        name: _requirements(text)
        for name, text in setup["options.extras_require"].items()
        if name not in ("test", "workbook")
    }
    imported = {
        dist: at_load
        for module, at_load in _imports().items()
        if module != "tomli"  # imported on Python < 3.11 only, which ntm-xl no longer supports
        and (dist := _distribution_of(module)) is not None
    }
    # Every requirement is imported by the program...
    assert sorted(set(required) - set(imported)) == []
    # ...and every import is a requirement, or an extra's imported only where it is used.
    for dist, at_load in imported.items():
        if dist in required:
            continue
        extra = [name for name, reqs in extras.items() if dist in reqs]
        assert extra, f"{dist} is imported but neither required nor an extra"
        assert not at_load, f"{dist} (extra {extra[0]}) must be imported lazily"
    assert set(extras) == {"pandas"}
    assert "openpyxl" not in required and "pandas" not in required
    assert str(required["xlwings"].specifier) == "==0.37.8"  # the VBA module's version, exactly
    assert setup["options"]["python_requires"] == ">=3.11"


def test_summary_to_dataframe(demo_files: list[Path]) -> None:
    from ntm_xl import summarize

    summary = summarize(demo_files)
    frame = summary.to_dataframe()
    assert len(frame) == len(summary.villages) == 21
    first = summary.villages[0]
    row = frame.iloc[0]
    assert (row["Xã"], row["Thôn"], row["Số tiêu chí đạt"]) == (first.commune, first.village, first.met_count)
    labels = [c.label for c in summary.criteria.criteria]
    assert list(frame.columns[-len(labels) :]) == labels
    assert int(frame[labels].sum(axis=1).iloc[0]) == first.met_count


def test_importing_the_package_does_not_import_pandas() -> None:
    code = "import ntm_xl, ntm_xl.excel, sys; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@network
def test_workbook_command_works_from_an_installed_wheel(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("ntm_xl-*.whl")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    from ntm_xl._excel._master import BUILD_PINS

    pins = [f"{name}=={version}" for name, version in BUILD_PINS.items()]
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel), *pins], check=True, capture_output=True
    )
    out = tmp_path / "elsewhere" / "ntm-xl.xlsm"
    out.parent.mkdir()
    done = subprocess.run(
        [str(environment / "bin" / "ntm-xl"), "workbook", str(out)],
        capture_output=True,
        text=True,
        cwd=out.parent,  # far from the source tree: only the installed package is there
    )
    assert done.returncode == 0, done.stderr
    # The same tools make the same bytes as the committed workbook.
    assert out.read_bytes() == (ROOT / "workbooks" / "ntm-xl.xlsm").read_bytes()
