"""A library that cannot be imported on the clerk's PC: the press still ends in Vietnamese.

The master workbook's macros run ``import ntm_xl.excel; ntm_xl.excel.<button>(...)``
through xlwings' ``RunPython``; a failure there would reach xlwings' English error box.
Here the press runs in a fresh Python where a ``sitecustomize`` module makes one
dependency raise ``ImportError`` (as a broken or partial install does), on xlwings'
remote engine, and what the clerk is told is read back from the alert the press queues.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ntm_xl.excel import LOG_FILE

_BLOCKER = '''
import sys

class _Broken:
    """The library is installed wrong: every import of it fails."""

    def find_spec(self, name, path=None, target=None):
        if name == {blocked!r} or name.startswith({blocked!r} + "."):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Broken())
'''

# What RunPython runs, with the remote engine's book instead of Book.caller().
_PRESS = """
import json, os, sys
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings as xw
book = xw.Book(json={
    "client": "Office.js", "version": xw.__version__,
    "book": {"name": "ntm-xl.xlsm", "active_sheet_index": 0, "selection": "A1"},
    "names": [],
    "sheets": [{"name": "Hướng dẫn", "values": [[""]], "pictures": [], "tables": [], "shapes": [],
                "charts": [], "notes": [], "visibility": "Visible", "print_area": None,
                "show_gridlines": True, "pivot_tables": []}],
})
import ntm_xl.excel
ntm_xl.excel.%s(book, xlwings_vba=xw.__version__)
alerts = [a["args"] for a in book.json()["actions"] if a["func"] == "alert"]
print(json.dumps({"alerts": alerts, "loaded": %r in sys.modules}))
"""


@pytest.mark.parametrize("blocked", ["python_calamine", "xlsxwriter"])
@pytest.mark.parametrize("button", ["nhap_du_lieu_xa", "tinh_toan", "tao_thong_bao"])
def test_a_library_that_cannot_be_imported_is_a_vietnamese_message_and_a_log(
    tmp_path: Path, blocked: str, button: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        textwrap.dedent(_BLOCKER.format(blocked=blocked)), encoding="utf-8"
    )
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", _PRESS % (button, blocked)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    told = json.loads(result.stdout.splitlines()[-1])
    assert not told["loaded"]  # the blocker did block it
    ((prompt, title, _buttons, mode, _callback),) = told["alerts"]
    assert (title, mode) == ("ntm-xl", "critical")
    assert prompt.startswith(f"Python trên máy này thiếu hoặc hỏng thư viện '{blocked}' mà ntm-xl cần")
    assert "Hãy chạy lại cai-dat.bat" in prompt
    log = work / LOG_FILE
    assert str(log) in prompt
    assert "Traceback" not in prompt
    assert f"ModuleNotFoundError: No module named '{blocked}'" in log.read_text(encoding="utf-8")
