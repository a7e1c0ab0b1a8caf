"""Run by Debian's own python3 (the one with UNO), not by pytest's interpreter.

Opens a workbook in headless LibreOffice, lists every form button with the
macro it is bound to, presses each (runs the bound script) in sheet order, and
prints JSON: the buttons, then what the workbook holds after each press
(the cells the test build's stubs write to).

    /usr/bin/python3 tests/uno_buttons.py WORKBOOK.xlsm PROFILE_DIR [--press]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _property(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def _connect(pipe: str) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 90
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def _named_range_values(doc: object, name: str) -> list[str]:
    ranges = doc.NamedRanges
    if not ranges.hasByName(name):
        return []
    cells = ranges.getByName(name).ReferredCells
    return [row[0] for row in cells.DataArray if row[0] != ""]


def main() -> int:
    workbook, profile = sys.argv[1], sys.argv[2]
    press = "--press" in sys.argv[3:]
    pipe = f"ntmxl{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={uno.systemPathToFileUrl(os.path.abspath(profile))}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    result: dict[str, object] = {"buttons": [], "presses": []}
    try:
        context = _connect(pipe)
        manager = context.ServiceManager
        provider = manager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", context
        )
        # VBA in a workbook is loaded but not executable unless this is on.
        vba = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            (_property("nodepath", "/org.openoffice.Office.Calc/Filter/Import/VBA"),),
        )
        vba.setPropertyValue("Load", True)
        vba.setPropertyValue("Executable", True)
        vba.commitChanges()
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(workbook)),
            "_blank",
            0,
            (_property("Hidden", True), _property("MacroExecutionMode", 4)),  # always, no warning
        )
        buttons = []
        for index in range(doc.Sheets.Count):
            sheet = doc.Sheets.getByIndex(index)
            forms = sheet.DrawPage.Forms
            for f in range(forms.Count):
                form = forms.getByIndex(f)
                for c in range(form.Count):
                    control = form.getByIndex(c)
                    scripts = [
                        e.ScriptCode
                        for e in form.getScriptEvents(c)
                        if e.ListenerType.endswith("XActionListener") and e.EventMethod == "actionPerformed"
                    ]
                    buttons.append({"sheet": sheet.Name, "label": control.Label, "scripts": scripts})
        result["buttons"] = buttons
        result["modules"] = {
            library: list(doc.BasicLibraries.getByName(library).ElementNames)
            for library in doc.BasicLibraries.ElementNames
        }
        if press:
            record = doc.Sheets.getByName("xlwings.conf")
            for button in buttons:
                for script in button["scripts"]:
                    error = ""
                    try:
                        doc.ScriptProvider.getScript(script).invoke((), (), ())
                    except Exception as exc:  # reported, the test decides
                        error = f"{type(exc).__name__}: {getattr(exc, 'Message', exc)}"
                    calls = [row[0] for row in record.getCellRangeByName("F1:F20").DataArray if row[0] != ""]
                    result["presses"].append(
                        {
                            "label": button["label"],
                            "script": script,
                            "error": error,
                            "calls": calls,
                            "picked": _named_range_values(doc, "NTM_TepChon"),
                        }
                    )
        doc.close(True)
    finally:
        office.terminate()
        try:
            office.wait(30)
        except subprocess.TimeoutExpired:
            office.kill()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
