"""Reading commune workbooks: every sheet's table understood by roles, in one place.

``read_workbook`` turns one file into a ``FileReading``: for each sheet, the role of every
column (with the header text that decided it) and row, where each village's commune came
from, the located ``VillageEntry`` values, and the problems found. The pipeline keeps the
entries; ``explain`` prints the rest.
"""

from __future__ import annotations

from pathlib import Path

from .._values._catalogue import problem
from .._values._criteria import CriteriaSet
from .._values._form import GUIDE_SHEET, GUIDE_TITLE
from .._values._model import InputSheet, VillageEntry
from .._values._problems import Problem
from ._calamine import read_sheets
from ._entries import check_entries
from ._explain import LEGEND_SHEET, explanation_lines, explanation_text, write_annotated
from ._files import communes_in_several_files, file_digest, is_empty
from ._legacy import fix_sheets, legacy_problems
from ._reading import (
    ColumnReading,
    ColumnRole,
    CommuneSource,
    FileReading,
    RowReading,
    RowRole,
    SheetReading,
)
from ._rules import RULES_SHEET, ReadingRules, SheetRule, load_rules, parse_rules, rules_from_rows
from ._table import read_sheet
from ._vocabulary import text_of

__all__ = [
    "LEGEND_SHEET",
    "RULES_SHEET",
    "ColumnReading",
    "ColumnRole",
    "CommuneSource",
    "FileReading",
    "ReadingRules",
    "RowReading",
    "RowRole",
    "SheetReading",
    "SheetRule",
    "communes_in_several_files",
    "explain",
    "explanation_lines",
    "explanation_text",
    "file_digest",
    "is_empty",
    "load_rules",
    "parse_rules",
    "read_workbook",
    "rules_from_rows",
    "text_of",
    "write_annotated",
    "write_annotated_workbook",
]


def _is_our_guide(sheet: InputSheet) -> bool:
    """The instructions sheet of ntm_xl's own commune workbook: not a table, not a problem."""
    return sheet.name == GUIDE_SHEET and bool(sheet.rows) and sheet.rows[0][:1] == (GUIDE_TITLE,)


def read_workbook(path: Path, criteria: CriteriaSet, rules: ReadingRules | None = None) -> FileReading:
    """How one workbook reads; never raises for a bad file."""
    sheets, problems = read_sheets(path)
    sheets, legacy = fix_sheets(sheets)
    problems.extend(legacy_problems(path, sheets, legacy))
    if sheets and is_empty(sheets):
        problems.append(problem("R020", path))
        return FileReading(path, (), tuple(problems), ())
    rule = rules.for_file(path) if rules is not None else None
    reading = _read_sheets(path, sheets, criteria, rule, problems)
    if rule is None and rules is not None and rules.rules:
        by_commune = rules.for_communes(e.commune for e in reading.entries)
        if by_commune is not None:
            reading = _read_sheets(path, sheets, criteria, by_commune, problems)
    return reading


def explain(
    path: str | Path,
    criteria: CriteriaSet | str | Path | None = None,
    rules: ReadingRules | str | Path | None = None,
) -> FileReading:
    """How ntm_xl reads one workbook: each sheet's layout, the role of every column (with
    the header text that decided it) and row, where each village's commune came from,
    which reading rule applied, and the problems found. ``explanation_text`` says it in
    Vietnamese; ``write_annotated_workbook`` colours a copy of the workbook by role.

    ``path`` is the workbook; ``criteria`` the criteria set (a ``CriteriaSet``, a built-in
    name or a TOML path; the default set when omitted); ``rules`` the reading rules
    (``ReadingRules`` or a TOML path).
    """
    from .._values._criteria import load_criteria

    if not isinstance(criteria, CriteriaSet):
        criteria = load_criteria(criteria)
    if rules is not None and not isinstance(rules, ReadingRules):
        rules = load_rules(rules)
    return read_workbook(Path(path), criteria, rules)


def write_annotated_workbook(
    out: str | Path, reading: FileReading, criteria: CriteriaSet | str | Path | None = None
) -> Path:
    """A copy of the workbook's values, every cell coloured by its role, with a legend sheet.

    ``out`` is the copy to write (never the input); ``reading`` what ``explain`` returned for
    the workbook; ``criteria`` as for ``explain``.
    """
    from .._values._criteria import load_criteria

    if not isinstance(criteria, CriteriaSet):
        criteria = load_criteria(criteria)
    return write_annotated(reading, out, criteria)


def _read_sheets(
    path: Path, sheets: list[InputSheet], criteria: CriteriaSet, rule: SheetRule | None, before: list[Problem]
) -> FileReading:
    problems = list(before)
    readings: list[SheetReading] = []
    entries: list[VillageEntry] = []
    if rule is not None and rule.sheet and all(s.name != rule.sheet for s in sheets):
        problems.append(problem("R019", path, rule=rule.name, why=f"tệp không có trang tính '{rule.sheet}'"))
        return FileReading(path, (), tuple(problems), (), rule.name)
    tables = 0
    for sheet in sheets:
        if _is_our_guide(sheet):
            continue
        if rule is not None and rule.sheet and sheet.name != rule.sheet:
            readings.append(SheetReading(sheet.name, "none", rule=rule.name))
            continue
        if sheet.hidden:
            warning = problem("R015", path, sheet=sheet.name)
            readings.append(SheetReading(sheet.name, "hidden", problems=(warning,)))
            problems.append(warning)
            continue
        reading = read_sheet(sheet, path, criteria, rule)
        kept, checked = check_entries(reading.entries, sheet, path)
        sheet_problems = (*reading.problems, *checked)
        readings.append(
            SheetReading(
                reading.name,
                reading.layout,
                reading.header,
                reading.columns,
                reading.rows,
                reading.communes,
                tuple(kept),
                sheet_problems,
                reading.rule,
            )
        )
        entries.extend(kept)
        problems.extend(sheet_problems)
        tables += reading.layout not in ("none", "hidden")
    if sheets and not tables and not any(p.code == "R019" for p in problems):
        problems.append(problem("R009", path))
    return FileReading(path, tuple(readings), tuple(problems), tuple(entries), rule.name if rule else "")
