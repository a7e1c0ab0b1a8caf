"""Commands start fast: heavy libraries stay off the import path of the library and the CLI."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "openpyxl", "xlwings", "docx", "docxtpl", "numpy", "rapidfuzz")


def test_importing_the_library_and_cli_loads_no_heavy_library() -> None:
    code = f"import sys, ntm_xl, ntm_xl._cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_buttons_module_loads_no_third_party_library() -> None:
    """The macros' first step, ``import ntm_xl.excel``, happens before any guard can catch."""
    code = (
        "import sys, ntm_xl.excel; "
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('xlwings', 'xlsxwriter', 'python_calamine', 'pyopenvba', 'docxtpl', 'docx', 'pandas', 'numpy'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
