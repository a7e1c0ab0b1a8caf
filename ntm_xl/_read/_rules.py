"""Reading rules: what a clerk tells the reader when detection cannot decide, or decides
wrong. A rules file is TOML, one ``[[quy_tac]]`` table per rule (English keys accepted
too, ``[[rule]]``); the master workbook's sheet "Quy tắc đọc" holds the same as rows
(``rules_from_rows``). Cells and columns are written as in Excel ("B", "C7"), rows from 1.

    [[quy_tac]]
    ten = "Đồng Lạc 2024"             # name shown by explain
    tep = "*dong-lac*.xlsx"           # applies to files whose name matches (glob) ...
    # xa_ap_dung = "Đồng Lạc"         # ... or whose commune is this one
    trang = "Biểu 01"                 # the sheet to read (the others are not read)
    dong_tieu_de = [5, 7]             # header rows, first and last
    cot_thon = "B"
    xa = "Đồng Lạc"                   # the commune of every village (or cot_xa = "A")
    cot_tieu_chi_dau = "D"            # criteria 1, 2, ... in consecutive columns from D
    # cot_tieu_chi = { 1 = "D", 2 = "E" }
    dat = ["Hoàn thành"]              # extra words meaning met ...
    chua_dat = ["Chưa hoàn thành"]    # ... and not met
    bo_dong = [30, 31]                # rows never read as villages
    danh_gia = "tu_danh_gia"          # which verdict counts: "tham_dinh" (default) or "tu_danh_gia"
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from .._common._errors import UsageError
from .._common._text import clean, display_name, fold
from .._values._marks import MET_WORD, NOT_MET_WORD
from .._values._model import CellValue

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "RULES_SHEET",
    "RULE_KEYS",
    "ReadingRules",
    "SheetRule",
    "load_rules",
    "parse_rules",
    "rules_from_rows",
]

RULES_SHEET = "Quy tắc đọc"

# Vietnamese key -> English key; both are accepted.
_KEYS = {
    "ten": "name",
    "tep": "files",
    "xa_ap_dung": "for_commune",
    "trang": "sheet",
    "dong_tieu_de": "header_rows",
    "cot_thon": "village_column",
    "xa": "commune",
    "cot_xa": "commune_column",
    "cot_tieu_chi": "criterion_columns",
    "cot_tieu_chi_dau": "first_criterion_column",
    "dat": "met_words",
    "chua_dat": "not_met_words",
    "bo_dong": "ignore_rows",
    "danh_gia": "verdict",
}
RULE_KEYS = tuple(_KEYS)  # the Vietnamese keys, in the order the README lists them
_VERDICTS = {"tham_dinh": "review", "review": "review", "tu_danh_gia": "self", "self": "self"}


@dataclass(frozen=True)
class SheetRule:
    """One rule, columns and rows 0-based."""

    name: str
    files: str = ""
    for_commune: str = ""
    sheet: str = ""
    header_rows: tuple[int, int] | None = None
    village_column: int | None = None
    commune: str = ""
    commune_column: int | None = None
    criterion_columns: Mapping[int, int] = field(default_factory=dict)
    first_criterion_column: int | None = None
    met_words: tuple[str, ...] = ()
    not_met_words: tuple[str, ...] = ()
    ignore_rows: frozenset[int] = frozenset()
    verdict: str = "review"

    @property
    def fixes_columns(self) -> bool:
        return bool(self.criterion_columns) or self.first_criterion_column is not None

    def criterion_map(self, criteria: Any, width: int) -> dict[int, int] | None:
        """criterion -> column, when the rule fixes the criterion columns."""
        if self.criterion_columns:
            return dict(self.criterion_columns)
        if self.first_criterion_column is not None:
            return {n: self.first_criterion_column + i for i, n in enumerate(criteria.numbers)}
        return None

    def mark_words(self, value: CellValue) -> CellValue:
        """The rule's extra words replaced by the standard ones."""
        if isinstance(value, str) and (self.met_words or self.not_met_words):
            folded = fold(value)
            if folded in {fold(w) for w in self.met_words}:
                return MET_WORD
            if folded in {fold(w) for w in self.not_met_words}:
                return NOT_MET_WORD
        return value

    def matches_file(self, path: Path) -> bool:
        return bool(self.files) and fnmatch.fnmatch(path.name.casefold(), self.files.casefold())


@dataclass(frozen=True)
class ReadingRules:
    rules: tuple[SheetRule, ...] = ()
    source: str = ""

    def for_file(self, path: Path) -> SheetRule | None:
        return next((r for r in self.rules if r.matches_file(path)), None)

    def for_communes(self, communes: Iterable[str]) -> SheetRule | None:
        folded = {fold(c) for c in communes if c}
        return next((r for r in self.rules if r.for_commune and fold(r.for_commune) in folded), None)


def load_rules(path: str | Path) -> ReadingRules:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Không đọc được tệp quy tắc đọc '{path}': {exc}") from exc
    return parse_rules(text, str(path))


def parse_rules(text: str, source: str = "") -> ReadingRules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Tệp quy tắc đọc '{source}' sai cú pháp TOML: {exc}") from exc
    except (RecursionError, MemoryError) as exc:
        # tomllib descends once per level: a file nested thousands deep exhausts it.
        raise UsageError(
            f"Tệp quy tắc đọc '{source}' có các bảng hoặc danh sách lồng nhau quá sâu; cần các mục "
            "[[quy_tac]] đơn giản."
        ) from exc
    entries = data.get("quy_tac", data.get("rule", []))
    if not isinstance(entries, list):
        raise UsageError(f"Tệp quy tắc đọc '{source}': cần các mục [[quy_tac]].")
    return ReadingRules(tuple(_rule(e, i, source) for i, e in enumerate(entries, 1)), source)


def rules_from_rows(rows: Sequence[Sequence[CellValue]], source: str = RULES_SHEET) -> ReadingRules:
    """The rules of a sheet "Quy tắc đọc": a header row of keys (``ten``, ``tep``, ``cot_thon``,
    ...), then one rule per row; lists are written with ";" ("30; 31"), a criterion map as
    "1=D; 2=E". Rows above the header are not read. A cell that does not parse is a
    ``UsageError`` naming the sheet and the cell."""
    header_at = next((i for i, row in enumerate(rows) if any(_key(v) in _KEYS for v in row)), None)
    if header_at is None:
        return ReadingRules((), source)
    names = [_key(v) for v in rows[header_at]]
    rules: list[SheetRule] = []
    for at in range(header_at + 1, len(rows)):
        entry: dict[str, object] = {}
        for col, value in enumerate(rows[at]):
            if value in ("", None) or (isinstance(value, str) and not value.strip()):
                continue
            where = f"Trang '{source}', ô {xl_rowcol_to_cell(at, col)}"
            name = names[col] if col < len(names) else ""
            if name not in _KEYS:
                raise UsageError(
                    f"{where}: cột này không có tên khóa ở dòng tiêu đề (ô "
                    f"{xl_rowcol_to_cell(header_at, col)}) nên không biết ô này quy định gì; các khóa dùng "
                    f"được: {', '.join(_KEYS)}."
                )
            entry[name] = _cell_value(name, value)
            # Each cell alone first, so a wrong one is named by its cell.
            _rule({"tep": "*", name: entry[name]}, len(rules) + 1, source, where)
        if entry:
            first = names.index("tep") if "tep" in names else 0
            where = f"Trang '{source}', ô {xl_rowcol_to_cell(at, first)}"
            rules.append(_rule(entry, len(rules) + 1, source, where))
    return ReadingRules(tuple(rules), source)


def _key(value: CellValue) -> str:
    return clean(str(value)).casefold() if isinstance(value, str) else ""


def _cell_value(name: str, value: CellValue) -> object:
    english = _KEYS[name]
    if english in ("header_rows", "ignore_rows", "met_words", "not_met_words"):
        parts = [p.strip() for p in str(value).replace(",", ";").split(";") if p.strip()]
        if english in ("header_rows", "ignore_rows"):
            return [_whole(p) for p in parts]
        return parts
    if english == "criterion_columns":
        pairs = [p.partition("=") for p in str(value).split(";") if p.strip()]
        return {number.strip(): column.strip() for number, _, column in pairs}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _whole(text: str) -> int | str:
    """ "5" and "5.0" (a number Excel hands back) as 5; anything else as typed, for the message."""
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else text


def _column(value: object, where: str) -> int:
    if isinstance(value, str) and value.strip().isalpha():
        _, col = xl_cell_to_rowcol(value.strip().upper() + "1")
        return int(col)
    raise UsageError(f"{where}: cột phải ghi bằng chữ như trong Excel ('B', 'AA'), gặp {value!r}.")


def _row(value: object, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value - 1
    raise UsageError(f"{where}: dòng phải là số từ 1, gặp {value!r}.")


def _rule(entry: object, index: int, source: str, where: str = "") -> SheetRule:
    where = where or f"Tệp quy tắc đọc '{source}', quy tắc thứ {index}"
    if not isinstance(entry, dict):
        raise UsageError(f"{where}: cần một bảng [[quy_tac]].")
    data: dict[str, Any] = {}
    for k, v in entry.items():
        english = _KEYS.get(str(k), str(k))
        if english not in _KEYS.values():
            known = ", ".join(_KEYS)
            raise UsageError(f"{where}: không hiểu khóa '{k}'; các khóa dùng được: {known}.")
        data[english] = v
    name = clean(str(data.get("name", ""))) or f"quy tắc {index}"
    if not data.get("files") and not data.get("for_commune"):
        raise UsageError(
            f"{where}: cần 'tep' (mẫu tên tệp) hoặc 'xa_ap_dung' để biết quy tắc dùng cho tệp nào."
        )
    header_rows = None
    if "header_rows" in data:
        rows = data["header_rows"]
        if not isinstance(rows, list) or not 1 <= len(rows) <= 2:
            raise UsageError(f"{where}: 'dong_tieu_de' cần [dòng đầu, dòng cuối], gặp {rows!r}.")
        first, last = _row(rows[0], where), _row(rows[-1], where)
        if last < first:
            raise UsageError(f"{where}: 'dong_tieu_de': dòng cuối ({last + 1}) trước dòng đầu ({first + 1}).")
        header_rows = (first, last)
    criterion_columns: dict[int, int] = {}
    for number, column in dict(data.get("criterion_columns", {})).items():
        if not str(number).strip().isdigit():
            raise UsageError(f"{where}: 'cot_tieu_chi' cần số tiêu chí = cột, gặp {number!r}.")
        criterion_columns[int(str(number).strip())] = _column(column, where)
    verdict = _VERDICTS.get(str(data.get("verdict", "tham_dinh")))
    if verdict is None:
        raise UsageError(f"{where}: 'danh_gia' cần 'tham_dinh' hoặc 'tu_danh_gia', gặp {data['verdict']!r}.")
    commune = clean(str(data.get("commune", "")))
    return SheetRule(
        name=name,
        files=str(data.get("files", "")),
        for_commune=display_name(str(data.get("for_commune", "")), ("xã",)),
        sheet=clean(str(data.get("sheet", ""))),
        header_rows=header_rows,
        village_column=_column(data["village_column"], where) if "village_column" in data else None,
        commune=display_name(commune, ("xã",)) if commune else "",
        commune_column=_column(data["commune_column"], where) if "commune_column" in data else None,
        criterion_columns=criterion_columns,
        first_criterion_column=(
            _column(data["first_criterion_column"], where) if "first_criterion_column" in data else None
        ),
        met_words=tuple(clean(str(w)) for w in data.get("met_words", ())),
        not_met_words=tuple(clean(str(w)) for w in data.get("not_met_words", ())),
        ignore_rows=frozenset(_row(r, where) for r in data.get("ignore_rows", ())),
        verdict=verdict,
    )
