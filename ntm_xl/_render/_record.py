"""The record of a run: what was read, with what criteria set, what came of it, what was written.

A clerk (or an auditor) must be able to tell later exactly which files made a
notice. The record holds the tool version, the criteria set and the sha256 of
its file, every input file (path, size, sha256, the table layout read on each
sheet), the counts, the problems by code and the outputs. Two runs on the same
inputs give the same record except ``time``. It is shown as the summary
workbook's sheet "Nhật ký" and written as JSON by ``--record FILE.json``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from .._check._indicators import criteria_file_bytes
from .._common._output import atomic_output
from .._common._xmlchars import display_path
from .._read import file_digest
from .._read._calamine import expand_inputs
from .._values._criteria import CriteriaSet
from .._values._model import MarkSource, Summary, VillageEntry
from .._values._problems import Severity
from ._spec import Block, Merge, PageSetup, SheetSpec, Style

__all__ = [
    "RECORD_SHEET",
    "InputRecord",
    "RunRecord",
    "SheetRecord",
    "build_record",
    "criteria_digest",
    "record_sheet",
    "write_record_json",
]

RECORD_SHEET = "Nhật ký"

_LAYOUT_WORDS = {
    MarkSource.CELL: "một ô mỗi tiêu chí",
    MarkSource.PAIR: "cột 'Đạt' | 'Chưa đạt'",
    MarkSource.UNMET_LIST: "danh sách tiêu chí chưa đạt",
}


@dataclass(frozen=True)
class SheetRecord:
    """The table read on one sheet: how many village rows, laid out how."""

    sheet: str
    villages: int
    layout: str  # "thôn theo dòng; một ô mỗi tiêu chí"


@dataclass(frozen=True)
class InputRecord:
    path: str
    size: int | None
    sha256: str
    sheets: tuple[SheetRecord, ...]


@dataclass(frozen=True)
class ReferenceRecord:
    """A file the run read besides the commune files: last period's, the crosswalk, the
    registry, the reading rules, the notice configuration or template."""

    role: str  # "previous", "crosswalk", "registry", "rules", "config", "template"
    path: str
    size: int | None
    sha256: str


# What each kind of other file is, as the sheet "Nhật ký" names it.
REFERENCE_ROLES = {
    "previous": "kỳ trước",
    "crosswalk": "bảng chuyển đổi đơn vị",
    "registry": "danh mục thôn",
    "rules": "quy tắc đọc",
    "config": "cấu hình thông báo",
    "template": "mẫu thông báo",
}


@dataclass(frozen=True)
class RunRecord:
    tool: str
    version: str
    command: str
    time: str  # ISO 8601, UTC: the only field that differs between two runs on the same inputs
    criteria_id: str
    criteria_title: str
    criteria_source: str
    criteria_sha256: str
    period: str
    arguments: tuple[str, ...]  # the inputs as given (files and folders)
    inputs: tuple[InputRecord, ...]  # every file found among them
    files: int
    villages_counted: int
    villages_not_counted: int
    errors: int
    warnings: int
    problems_by_code: tuple[tuple[str, int], ...]  # code ("" for a problem without one), count
    outputs: tuple[str, ...]
    references: tuple[ReferenceRecord, ...] = ()

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["problems_by_code"] = {code or "-": count for code, count in self.problems_by_code}
        return data

    def without_time(self) -> dict[str, object]:
        data = self.to_dict()
        data.pop("time")
        return data


def criteria_digest(criteria: CriteriaSet) -> str:
    """sha256 of the criteria set's file (built-in or the user's), "" when it cannot be read."""
    data = criteria_file_bytes(criteria)
    return hashlib.sha256(data).hexdigest() if data is not None else ""


_SOURCE_ORDER = {source: i for i, source in enumerate(MarkSource)}


def _layout(entries: Sequence[VillageEntry]) -> str:
    # Criteria as rows (one sheet per village, or villages as columns) put a village's
    # marks in one column; the usual table puts them in one row.
    across = numeric = False
    found: set[MarkSource] = set()
    for e in entries:
        several_rows, sources, some_numeric = e.mark_shape()
        across = across or several_rows
        found.update(sources)
        numeric = numeric or some_numeric
    orientation = "thôn theo cột" if across else "thôn theo dòng"
    words = [_LAYOUT_WORDS[s] for s in sorted(found, key=_SOURCE_ORDER.__getitem__)]
    if numeric:
        words.append("đánh dấu 1/0")
    if any(e.self_marks for e in entries):
        words.append("có cột tự đánh giá")
    if any(e.indicators for e in entries):
        words.append("có giá trị chỉ tiêu")
    return "; ".join([orientation, *words])


def _sheet_records(entries: Iterable[VillageEntry]) -> dict[Path, tuple[SheetRecord, ...]]:
    by_sheet: dict[Path, dict[str, list[VillageEntry]]] = {}
    for entry in entries:
        by_sheet.setdefault(entry.location.file, {}).setdefault(entry.location.sheet, []).append(entry)
    return {
        path: tuple(SheetRecord(sheet, len(found), _layout(found)) for sheet, found in sheets.items())
        for path, sheets in by_sheet.items()
    }


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def build_record(
    command: str,
    inputs: Iterable[str | Path],
    summary: Summary,
    *,
    entries: Iterable[VillageEntry] = (),
    outputs: Sequence[str | Path] = (),
    period: str = "",
    now: datetime | None = None,
    references: Mapping[str, Sequence[str | Path] | str | Path | None] | None = None,
) -> RunRecord:
    """The record of one run over ``inputs`` that produced ``summary`` (and wrote ``outputs``).

    ``entries`` (the village rows as read) give the layout of each sheet; without them
    each sheet is still listed with its villages, from the summary. ``references`` names the
    other files the run read, by role (see ``REFERENCE_ROLES``); a folder counts its files.
    """
    from .. import __version__

    given = tuple(str(i) for i in inputs)
    files, _ = expand_inputs(given)
    # A path whose bytes are not UTF-8 is recorded as shown: JSON and XLSX hold only Unicode.
    arguments = tuple(display_path(i) for i in given)
    entries = tuple(entries)
    if entries:
        sheets = _sheet_records(entries)
    else:
        located = [v.location for v in summary.villages] + [e.location for e in summary.excluded]
        counted = Counter((where.file, where.sheet) for where in located)
        grouped: dict[Path, list[SheetRecord]] = {}
        for (path, sheet), count in counted.items():
            grouped.setdefault(path, []).append(SheetRecord(sheet, count, ""))
        sheets = {path: tuple(found) for path, found in grouped.items()}
    records = tuple(
        InputRecord(display_path(path), _size(path), file_digest(path) or "", sheets.get(path, ()))
        for path in files
    )
    codes = Counter(p.code for p in summary.problems)
    criteria = summary.criteria
    moment = now or datetime.now(timezone.utc)
    return RunRecord(
        tool="ntm-xl",
        version=__version__,
        command=command,
        time=moment.astimezone(timezone.utc).isoformat(timespec="seconds"),
        criteria_id=criteria.id,
        criteria_title=criteria.title,
        criteria_source=criteria.source,
        criteria_sha256=criteria_digest(criteria),
        period=period,
        arguments=arguments,
        inputs=records,
        files=len(files),
        villages_counted=len(summary.villages),
        villages_not_counted=len(summary.excluded),
        errors=sum(1 for p in summary.problems if p.severity is Severity.ERROR),
        warnings=sum(1 for p in summary.problems if p.severity is Severity.WARNING),
        problems_by_code=tuple(sorted(codes.items())),
        outputs=tuple(display_path(p) for p in outputs),
        references=_references(references or {}),
    )


def _references(given: Mapping[str, Sequence[str | Path] | str | Path | None]) -> tuple[ReferenceRecord, ...]:
    found = []
    for role, paths in given.items():
        if not paths:
            continue
        named = [paths] if isinstance(paths, (str, Path)) else list(paths)
        files, _ = (
            expand_inputs([str(p) for p in named]) if role == "previous" else ([Path(p) for p in named], [])
        )
        found += [ReferenceRecord(role, display_path(f), _size(f), file_digest(f) or "") for f in files]
    return tuple(found)


def write_record_json(path: str | Path, record: RunRecord) -> Path:
    path = Path(path)
    with atomic_output(path) as temporary:
        temporary.write_text(
            json.dumps(record.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8", newline="\n"
        )
    return path


_TITLE = Style(bold=True, size=14, align="center", wrap=True)
_HEAD = Style(bold=True, align="center", wrap=True, border=True, fill="#DDEBF7")
_KEY = Style(bold=True, border=True, wrap=True, valign="top")
_TEXT = Style(border=True, wrap=True, valign="top")
_NUMBER = Style(border=True, align="center", valign="top")
_HEADING = Style(bold=True)


def record_sheet(record: RunRecord) -> SheetSpec:
    """The sheet "Nhật ký": the run's facts, then inputs, problems by code and outputs."""
    unit = "thôn"
    facts: tuple[tuple[str, str | int], ...] = (
        ("Công cụ", f"{record.tool} {record.version}"),
        ("Lệnh", record.command),
        ("Thời điểm (UTC)", record.time),
        ("Bộ tiêu chí", f"{record.criteria_title} ({record.criteria_id})"),
        ("Tệp bộ tiêu chí", record.criteria_source),
        ("SHA-256 bộ tiêu chí", record.criteria_sha256),
        ("Kỳ đánh giá", record.period),
        ("Đầu vào", "; ".join(record.arguments)),
        ("Số tệp đầu vào", record.files),
        (f"Số {unit} được tính", record.villages_counted),
        (f"Số {unit} chưa được tính", record.villages_not_counted),
        ("Số lỗi / cảnh báo", f"{record.errors} / {record.warnings}"),
    )
    blocks: list[Block] = [Block(2, 0, tuple((key,) for key, _ in facts), _KEY)]
    merges = [Merge(0, 0, 0, 5, "NHẬT KÝ LẦN CHẠY", _TITLE)]
    for i, (_, value) in enumerate(facts):
        merges.append(Merge(2 + i, 1, 2 + i, 5, value, _TEXT))
    row = 2 + len(facts) + 1
    blocks.append(Block(row, 0, (("Tệp đầu vào",),), _HEADING))
    row += 1
    blocks.append(
        Block(row, 0, (("STT", "Tệp", "Kích thước (byte)", "SHA-256", "Trang", "Bảng đọc được"),), _HEAD)
    )
    row += 1
    lines: list[tuple[str | int, ...]] = []
    for index, item in enumerate(record.inputs, 1):
        size = item.size if item.size is not None else ""
        sheets = item.sheets or (SheetRecord("", 0, "không đọc được thôn nào"),)
        for n, sheet in enumerate(sheets):
            where = f"{sheet.sheet} ({sheet.villages} {unit})" if sheet.sheet else ""
            head: tuple[str | int, ...] = (
                (index, item.path, size, item.sha256) if n == 0 else ("", "", "", "")
            )
            lines.append((*head, where, sheet.layout))
    if lines:
        blocks.append(Block(row, 0, tuple(lines), _TEXT))
        row += len(lines)
    if record.references:
        row += 1
        blocks.append(Block(row, 0, (("Tệp khác đã đọc",),), _HEADING))
        row += 1
        blocks.append(Block(row, 0, (("STT", "Tệp", "Kích thước (byte)", "SHA-256", "Là"),), _HEAD))
        row += 1
        others = tuple(
            (i, r.path, r.size if r.size is not None else "", r.sha256, REFERENCE_ROLES.get(r.role, r.role))
            for i, r in enumerate(record.references, 1)
        )
        blocks.append(Block(row, 0, others, _TEXT))
        row += len(others)
    row += 1
    blocks.append(Block(row, 0, (("Vấn đề theo mã",),), _HEADING))
    row += 1
    blocks.append(Block(row, 0, (("Mã", "Số lần"),), _HEAD))
    row += 1
    if record.problems_by_code:
        blocks.append(Block(row, 0, tuple((code or "-", n) for code, n in record.problems_by_code), _NUMBER))
        row += len(record.problems_by_code)
    row += 1
    blocks.append(Block(row, 0, (("Tệp kết quả",),), _HEADING))
    row += 1
    if record.outputs:
        blocks.append(Block(row, 0, tuple((i, path) for i, path in enumerate(record.outputs, 1)), _TEXT))
    return SheetSpec(
        name=RECORD_SHEET,
        blocks=tuple(blocks),
        merges=tuple(merges),
        column_widths=((0, 0, 22), (1, 1, 40), (2, 2, 12), (3, 3, 30), (4, 4, 24), (5, 5, 40)),
        page=PageSetup(landscape=True),
    )
