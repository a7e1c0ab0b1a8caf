"""Helpers for driving ``ntm_xl.excel`` through xlwings' remote engine, without Excel.

A book is made from the master workbook's own sheets (values and defined
names, in the JSON format xlwings' Office.js client sends). The entry points
run against the real xlwings API; the actions they queue are then applied by
``Workbook.apply``, which models what the client does with each action kind
the renderer uses (and refuses any other kind), so a second press can be run
on the result and the two workbooks compared.
"""

from __future__ import annotations

import ast
import copy
import inspect
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Before xlwings is imported: it reads the key once. PolyForm Noncommercial
# covers this use (a test dependency, a government office's tool).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl
import python_calamine
import xlwings as xw
from xlsxwriter.utility import xl_cell_to_rowcol
from xlwings import base_classes
from xlwings.pro import _xlremote

Cell = tuple[int, int]


@dataclass
class ChartState:
    """A chart as the client keeps it: what was asked for, in the client's own terms."""

    name: str
    chart_type: str  # Office.js' name, e.g. "ColumnClustered"
    source: tuple[str, str]  # sheet, address without "$"
    series_by: str | None
    anchor: str | None  # top-left cell
    width: float
    height: float
    style: int | None
    x_values: tuple[str, str] | None = None  # categories: sheet, address
    title: str | None = None
    legend: dict[str, object] = field(default_factory=dict)
    axes: dict[str, dict[str, object]] = field(default_factory=dict)

    def payload(self) -> dict[str, object]:
        """The chart as a remote book's payload lists it (name, type and geometry only)."""
        return {
            "name": self.name,
            "chart_type": self.chart_type,
            "left": 0,
            "top": 0,
            "width": self.width,
            "height": self.height,
        }


@dataclass
class SheetState:
    name: str
    values: dict[Cell, object] = field(default_factory=dict)
    text: set[Cell] = field(default_factory=set)  # written with a leading apostrophe
    formats: dict[Cell, dict[str, object]] = field(default_factory=dict)
    merges: set[tuple[int, int, int, int]] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    freeze: str | None = None
    conditional: list[tuple[tuple[int, int, int, int], str]] = field(default_factory=list)
    charts: list[ChartState] = field(default_factory=list)  # shapes: clearing the cells keeps them

    def grid(self) -> list[list[object]]:
        if not self.values:
            return [[""]]
        rows = max(r for r, _ in self.values) + 1
        cols = max(c for _, c in self.values) + 1
        grid: list[list[object]] = [[""] * cols for _ in range(rows)]
        for (r, c), value in self.values.items():
            grid[r][c] = value
        return grid

    def cell(self, a1: str) -> object:
        return self.values.get(xl_cell_to_rowcol(a1), None)

    def fmt(self, a1: str) -> dict[str, object]:
        return self.formats.get(xl_cell_to_rowcol(a1), {})


@dataclass
class Workbook:
    name: str
    sheets: list[SheetState]
    names: list[dict[str, Any]]
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (prompt, mode)

    def sheet(self, name: str) -> SheetState:
        return next(s for s in self.sheets if s.name == name)

    def book(self) -> Any:
        """A fresh ``xlwings.Book`` on the remote engine holding this workbook's values."""
        payload = {
            "client": "Office.js",
            "version": xw.__version__,
            "book": {"name": self.name, "active_sheet_index": 0, "selection": "A1"},
            "names": copy.deepcopy(self.names),
            "sheets": [
                {
                    "name": s.name,
                    "values": s.grid(),
                    "pictures": [],
                    "tables": [],
                    "shapes": [],
                    "charts": [c.payload() for c in s.charts],
                    "notes": [],
                    "visibility": "Visible",
                    "print_area": None,
                    "show_gridlines": True,
                    "pivot_tables": [],
                }
                for s in self.sheets
            ],
        }
        return xw.Book(json=payload)

    def apply(self, actions: list[dict[str, Any]]) -> Workbook:
        """A copy of this workbook with ``actions`` (``book.json()["actions"]``) carried out."""
        result = copy.deepcopy(self)
        for action in actions:
            result._apply(action)
        return result

    def _cells(self, action: dict[str, Any]) -> list[Cell]:
        r0, c0 = action["start_row"], action["start_column"]
        return [
            (r, c)
            for r in range(r0, r0 + action["row_count"])
            for c in range(c0, c0 + action["column_count"])
        ]

    def _apply(self, action: dict[str, Any]) -> None:
        func, args = action["func"], action["args"]
        position = action["sheet_position"]
        sheet = self.sheets[position] if position is not None else None
        if func == "addSheet":
            self.sheets.insert(args[0], SheetState(args[1]))
        elif func == "sheetClear":
            assert sheet is not None
            sheet.values.clear()
            sheet.text.clear()
            sheet.formats.clear()
            sheet.merges.clear()
            sheet.conditional.clear()
        elif func == "setValues":
            assert sheet is not None
            r0, c0 = action["start_row"], action["start_column"]
            for r, row in enumerate(action["values"], r0):
                for c, value in enumerate(row, c0):
                    sheet.text.discard((r, c))
                    if isinstance(value, str) and value.startswith("'"):
                        value = value[1:]
                        sheet.text.add((r, c))
                    if value == "" or value is None:
                        sheet.values.pop((r, c), None)
                    else:
                        sheet.values[(r, c)] = value
        elif func in (
            "setFontProperty",
            "setRangeColor",
            "setHorizontalAlignment",
            "setVerticalAlignment",
            "setWrapText",
            "setNumberFormat",
            "setBorderProperty",
        ):
            assert sheet is not None
            if func == "setFontProperty":
                key, value = f"font_{args[0]}", args[1]
            elif func == "setBorderProperty":
                key, value = f"border_{args[0]}_{args[1]}", args[2]
            else:
                key, value = func, args[0]
            for cell in self._cells(action):
                sheet.formats.setdefault(cell, {})[key] = value
        elif func == "rangeMerge":
            assert sheet is not None
            r0, c0 = action["start_row"], action["start_column"]
            r1, c1 = r0 + action["row_count"] - 1, c0 + action["column_count"] - 1
            if args[0]:
                sheet.merges.update((r, c0, r, c1) for r in range(r0, r1 + 1))
            else:
                sheet.merges.add((r0, c0, r1, c1))
        elif func == "setColumnWidth":
            assert sheet is not None
            for c in range(action["start_column"], action["start_column"] + action["column_count"]):
                sheet.widths[c] = args[0]
        elif func == "setRowHeight":
            assert sheet is not None
            for r in range(action["start_row"], action["start_row"] + action["row_count"]):
                sheet.heights[r] = args[0]
        elif func == "freezePaneAtRange":
            assert sheet is not None
            sheet.freeze = args[0].replace("$", "")
        elif func == "freezePaneUnfreeze":
            assert sheet is not None
            sheet.freeze = None
        elif func == "addConditionalFormat":
            assert sheet is not None
            r0, c0 = action["start_row"], action["start_column"]
            rect = (r0, c0, r0 + action["row_count"] - 1, c0 + action["column_count"] - 1)
            sheet.conditional.append((rect, str(args[0]["formula1"])))
        elif func == "addChart":
            assert sheet is not None
            name, chart_type, source_sheet, address, left, top, width, height = args[:8]
            series_by, anchor, style = args[8:11]
            # Placed either at a cell or at a point, as the client's setPosition() requires.
            assert (anchor is None) != (left is None and top is None)
            assert any(s.name == source_sheet for s in self.sheets)
            sheet.charts.append(
                ChartState(
                    name,
                    chart_type,
                    (source_sheet, address.replace("$", "")),
                    series_by,
                    None if anchor is None else anchor.replace("$", ""),
                    width,
                    height,
                    style,
                )
            )
        elif func in (
            "setChartXAxisValues",
            "setChartTitle",
            "setChartLegend",
            "setChartAxis",
            "deleteChart",
        ):
            assert sheet is not None
            index = args[0]
            assert 0 <= index < len(sheet.charts), f"{func}: no chart {index} on {sheet.name!r}"
            chart = sheet.charts[index]
            if func == "setChartXAxisValues":
                chart.x_values = (args[1], args[2].replace("$", ""))
            elif func == "setChartTitle":
                chart.title = args[1]
            elif func == "setChartLegend":
                chart.legend[args[1]] = args[2]
            elif func == "setChartAxis":
                assert args[1] in ("category", "value"), args[1]
                chart.axes.setdefault(args[1], {}).update(args[2])
            else:
                del sheet.charts[index]
        elif func == "alert":
            self.alerts.append((args[0], args[3]))
        elif func in ("setScreenUpdating", "activateSheet"):
            pass
        else:
            raise AssertionError(f"the test workbook does not model the action {func!r}")


def load_workbook(path: Path) -> Workbook:
    """The master workbook's sheets and defined names, as a remote book would see them."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in book.sheet_names:
        state = SheetState(name)
        for r, row in enumerate(book.get_sheet_by_name(name).to_python(skip_empty_area=False)):
            for c, value in enumerate(row):
                if value != "":
                    state.values[(r, c)] = value
        sheets.append(state)
    book.close()
    names = []
    workbook = openpyxl.load_workbook(path)
    positions = {s.name: i for i, s in enumerate(sheets)}
    for name, defined in workbook.defined_names.items():
        for sheet_name, address in defined.destinations:
            names.append(
                {
                    "name": name,
                    "sheet_index": positions[sheet_name],
                    "address": address.replace("$", ""),
                    "book_scope": True,
                    "scope_sheet_index": None,
                    "scope_sheet_name": None,
                }
            )
    return Workbook(path.name, sheets, names)


def press(
    state: Workbook, entry_point: Any, *args: Any, **kwargs: Any
) -> tuple[Workbook, list[dict[str, Any]]]:
    """Run an entry point of ``ntm_xl.excel`` on ``state``; the new state and the actions queued."""
    book = state.book()
    entry_point(book, *args, **kwargs)
    actions = book.json()["actions"]
    return state.apply(actions), actions


WRITE_ACTIONS = frozenset(
    {
        "addSheet",
        "sheetClear",
        "setValues",
        "setFontProperty",
        "setRangeColor",
        "setHorizontalAlignment",
        "setVerticalAlignment",
        "setWrapText",
        "setNumberFormat",
        "setBorderProperty",
        "rangeMerge",
        "setColumnWidth",
        "setRowHeight",
        "freezePaneAtRange",
        "freezePaneUnfreeze",
        "addConditionalFormat",
        "addChart",
        "setChartXAxisValues",
        "setChartTitle",
        "setChartLegend",
        "setChartAxis",
        "deleteChart",
    }
)


# ---------------------------------------------------------------------------
# The remote engine made to lack what a desktop engine lacks

Kinds = set[str]  # "def" (a method or attribute), "get", "set", "del" (a property's parts)


def engine_members(module: str) -> dict[str, dict[str, Kinds]]:
    """Class name -> member -> kinds, for the classes of ``xlwings.<module>`` (e.g. "_xlwindows").

    Read from the installed source, not imported: the Windows engine imports
    pywin32 and the Mac engine appscript. A class's members include those of
    the module's own classes it derives from (``Collection``), not those of
    ``base_classes``, whose members raise ``NotImplementedError``.
    """
    source = (Path(xw.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    classes = {node.name: node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)}

    def members(name: str) -> dict[str, Kinds]:
        found: dict[str, Kinds] = {}
        for base in classes[name].bases:
            if isinstance(base, ast.Name) and base.id in classes:
                for member, kinds in members(base.id).items():
                    found.setdefault(member, set()).update(kinds)
        own: dict[str, Kinds] = {}
        for item in classes[name].body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                kind = "def"
                for decorator in item.decorator_list:
                    if isinstance(decorator, ast.Name) and decorator.id == "property":
                        kind = "get"
                    elif isinstance(decorator, ast.Attribute) and decorator.attr in ("setter", "deleter"):
                        kind = "set" if decorator.attr == "setter" else "del"
                own.setdefault(item.name, set()).add(kind)
            elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        own.setdefault(target.id, set()).add("def")
        found.update(own)  # a class's own definition replaces its base's
        return found

    return {name: members(name) for name in classes}


def engine_gaps(module: str) -> list[tuple[type, str, object]]:
    """(remote class, member, replacement): what to patch so the remote engine lacks what ``module`` lacks.

    Every public member of a ``base_classes`` class that the engine's class of
    the same name does not define (or that the engine has no class for) is
    replaced by the base class's, which raises ``NotImplementedError``; a
    property the engine defines without a setter loses its setter.
    """
    defined = engine_members(module)
    gaps: list[tuple[type, str, object]] = []
    for name, remote in sorted(vars(_xlremote).items()):
        base = getattr(base_classes, name, None)
        ours = inspect.isclass(remote) and remote.__module__ == _xlremote.__name__
        if not (ours and inspect.isclass(base)):
            continue
        engine = defined.get(name, {})
        for member, value in vars(base).items():
            if member.startswith("_"):
                continue
            kinds = engine.get(member)
            if kinds is None:
                gaps.append((remote, member, value))
            elif isinstance(value, property) and "def" not in kinds:
                current = inspect.getattr_static(remote, member)
                if isinstance(current, property) and current.fset is not None and "set" not in kinds:
                    gaps.append((remote, member, property(current.fget, None, current.fdel)))
    return gaps


def make_windows_shaped(monkeypatch: Any) -> None:
    """Patch (through pytest's ``monkeypatch``) the remote engine to lack what the pinned
    xlwings' Windows engine lacks, for the rest of the test."""
    for cls, member, replacement in engine_gaps("_xlwindows"):
        monkeypatch.setattr(cls, member, replacement)
