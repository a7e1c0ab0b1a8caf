"""Commands start fast: heavy libraries stay off the import path of the library and the CLI."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "openpyxl", "xlwings", "docx", "docxtpl", "numpy", "rapidfuzz")


def test_importing_the_library_and_cli_loads_no_heavy_library() -> None:
    code = f"import sys, ntm_xl, ntm_xl._cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
