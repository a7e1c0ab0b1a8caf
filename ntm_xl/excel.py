"""What the master workbook's buttons run (through xlwings' ``RunPython``).

Each entry point takes an optional ``xlwings.Book`` (default: the workbook
whose button was pressed, ``Book.caller()``), so the same functions serve
xlwings Server and xlwings Lite scripts::

    import ntm_xl.excel
    ntm_xl.excel.nhap_du_lieu_xa()   # "Nhập dữ liệu xã": commune workbooks -> sheet "Dữ liệu"
    ntm_xl.excel.tinh_toan()         # "Tính toán": "Dữ liệu" -> the summary sheets
    ntm_xl.excel.tao_thong_bao()     # "Tạo thông báo": the notice's sections, and a draft beside the book

They are thin: reading, checking and computing are the core library's; this
module moves rows between the open workbook and the core, and talks to the
clerk (status bar, alerts). Nothing here raises into Excel: a known problem
becomes a Vietnamese alert, anything else a short alert plus the traceback
in a log file beside the workbook.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Only light modules here (the standard library and ntm_xl's own small ones): the rest is
# imported inside the guarded press, so a broken or missing dependency becomes the
# Vietnamese message and the log file, never xlwings' English error box.
from ._common._errors import NtmError, UsageError
from ._common._text import fold
from ._render._xlwings import nicety, render_sheet
from ._values._problems import Problem, Severity

if TYPE_CHECKING:
    from ._excel._master import DataRow
    from ._notice._config import NoticeConfig
    from ._read import ReadingRules
    from ._render._spec import SheetSpec
    from ._values._criteria import CriteriaSet
    from ._values._model import ReadResult, Summary, VillageEntry

__all__ = ["LOG_FILE", "nhap_du_lieu_xa", "tao_thong_bao", "tinh_toan"]

LOG_FILE = "ntm-xl-loi.log"
_TITLE = "ntm-xl"


# ---------------------------------------------------------------------------
# Talking to the clerk


class _Status:
    """Status bar messages, where the engine has a status bar (the remote one has none).

    Also collects ``notes``: the niceties Excel refused during the press.
    """

    def __init__(self, book: Any) -> None:
        self._app = book.app
        self._works = True
        self._used = False
        self.notes: list[str] = []

    def show(self, text: str) -> None:
        if not self._works:
            return
        try:
            self._app.status_bar = text
            self._used = True
        except (NotImplementedError, AttributeError):
            self._works = False
        except Exception as error:  # a COM error: the press goes on without a status bar
            self._works = False
            self.notes.append(f"thanh trạng thái: {error}")

    def reset(self) -> None:
        if self._used:
            nicety(self.notes, "thanh trạng thái", lambda: setattr(self._app, "status_bar", False))


def _screen_updating(book: Any, on: bool, notes: list[str]) -> None:
    nicety(notes, "tắt/bật cập nhật màn hình", lambda: setattr(book.app, "screen_updating", on))


def _beside(book: Any, name: str) -> Path:
    """A path in the workbook's folder; the working folder for a book without one (remote, unsaved)."""
    folder = Path(str(book.fullname)).parent if book is not None else Path()
    if str(folder) in ("", ".") or not folder.is_dir():
        folder = Path.cwd()
    return folder / name


def _log_error(book: Any) -> Path | None:
    """Append the current traceback to the log beside the workbook (else in the temporary folder).

    Never raises: None when no log could be written anywhere.
    """
    text = f"--- {datetime.now():%Y-%m-%d %H:%M:%S} ---\n{traceback.format_exc()}\n"
    import tempfile

    places: tuple[Callable[[], Path], ...] = (
        lambda: _beside(book, LOG_FILE),
        lambda: Path(tempfile.gettempdir()) / LOG_FILE,
    )
    for place in places:
        try:
            path = place()
            with path.open("a", encoding="utf-8") as log:
                log.write(text)
            return path
        except Exception:  # an unwritable folder, a book that cannot say where it is
            continue
    return None


def _unexpected(log: Path | None) -> str:
    where = (
        f"Chi tiết lỗi đã được ghi vào tệp:\n{log}\nHãy gửi tệp đó cho người hỗ trợ."
        if log is not None
        else "Không ghi được tệp nhật ký lỗi (thư mục của bảng tính và thư mục tạm đều không ghi được)."
    )
    return f"Đã xảy ra lỗi ngoài dự kiến nên việc này chưa hoàn thành.\n{where}"


def _tell_without_excel(text: str) -> None:
    """The last way to reach the clerk when xlwings cannot: Windows' own message box, else stderr."""
    try:
        if sys.platform == "win32":
            import ctypes

            # MB_ICONERROR | MB_TOPMOST: above Excel, which waits for the press to end.
            ctypes.windll.user32.MessageBoxW(0, text, _TITLE, 0x10 | 0x40000)
            return
    except Exception:
        pass
    with contextlib.suppress(Exception):
        sys.stderr.write(text + "\n")


def _version_mismatch(xlwings_vba: str) -> str:
    """A Vietnamese message when the workbook's xlwings VBA and the Python package differ."""
    import xlwings

    if not xlwings_vba or xlwings_vba == xlwings.__version__:
        return ""
    return (
        f"Phiên bản xlwings trong bảng tính ({xlwings_vba}) khác phiên bản xlwings của Python "
        f"({xlwings.__version__}) nên các nút không chạy được.\n"
        "Hãy dùng bảng tính ntm-xl.xlsm đi kèm bộ cài đã cài trên máy này (chạy lại cai-dat.bat), "
        "hoặc cài lại ntm-xl cho đúng phiên bản."
    )


Work = Callable[[Any, _Status], str]


def _outcome(book: Any, work: Work, xlwings_vba: str) -> tuple[str, bool]:
    """(message, critical) of one press; never raises."""
    try:
        mismatch = _version_mismatch(xlwings_vba)
        if mismatch:
            return mismatch, True
        status = _Status(book)
    except Exception:
        return _unexpected(_log_error(book)), True
    _screen_updating(book, False, status.notes)
    try:
        message, critical = work(book, status), False
    except NtmError as error:
        message, critical = str(error), True
    except ImportError as error:
        # A library missing or broken in the clerk's Python: imported here, inside the press.
        log = _log_error(book)
        message = (
            f"Python trên máy này thiếu hoặc hỏng thư viện '{error.name or error}' mà ntm-xl cần, nên việc "
            "này chưa hoàn thành.\nHãy chạy lại cai-dat.bat của bộ cài ntm-xl để cài lại."
            + (f"\nChi tiết lỗi đã được ghi vào tệp:\n{log}" if log is not None else "")
        )
        critical = True
    except NotImplementedError:
        # An essential the engine lacks: desktop Excel on Windows, xlwings Server and Lite have them all.
        log = _log_error(book)
        message = (
            "Excel trên máy này không làm được một việc cần thiết cho nút này "
            f"(xlwings, engine '{_engine_name(book)}').\nHãy dùng Excel trên Windows."
            + (f"\nChi tiết: {log}" if log is not None else "")
        )
        critical = True
    except Exception:
        message, critical = _unexpected(_log_error(book)), True
    finally:
        status.reset()
        _screen_updating(book, True, status.notes)
    if status.notes and message:
        skipped = "\n".join(f"- {note}" for note in status.notes[:5])
        message += f"\n\nExcel từ chối một số phần trình bày nên chúng đã được bỏ qua:\n{skipped}"
    return message, critical


def _engine_name(book: Any) -> str:
    try:
        return str(book.app.engine.name)
    except Exception:
        return "?"


def _run(book: Any, work: Work, xlwings_vba: str = "") -> None:
    """Run one button's work with screen updating off; end with one alert.

    The one place where a press can fail: importing xlwings, ``Book.caller()``,
    the work, the final alert and the log writer are all caught here and end
    in a Vietnamese message, so xlwings' English error box never shows.
    """
    try:
        if book is None:
            import xlwings

            book = xlwings.Book.caller()
    except Exception:
        _tell_without_excel(
            "Không kết nối được với Excel (xlwings) nên việc này chưa hoàn thành.\n"
            + _unexpected(_log_error(None)).split("\n", 1)[1]
        )
        return
    message, critical = _outcome(book, work, xlwings_vba)
    if not message:
        return
    try:
        book.app.alert(message, title=_TITLE, mode="critical" if critical else "info")
    except Exception:
        log = _log_error(book)
        _tell_without_excel(message + (f"\n(Hộp thông báo của Excel bị lỗi; chi tiết: {log})" if log else ""))


# ---------------------------------------------------------------------------
# Reading the workbook


def _sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def _rows(book: Any, name: str) -> list[list[object]]:
    if name not in _sheet_names(book):
        raise UsageError(f"Bảng tính thiếu trang '{name}'; hãy dùng bảng tính chính ntm-xl.xlsm.")
    sheet = book.sheets[name]
    used = sheet.used_range
    last_row = used.row + used.shape[0] - 1
    last_col = used.column + used.shape[1] - 1
    values = sheet.range((1, 1), (last_row, last_col)).options(ndim=2).value
    return [list(row) for row in values]


def _criteria(book: Any) -> CriteriaSet:
    from ._excel._master import CRITERIA_SHEET, criteria_from_rows

    return criteria_from_rows(_rows(book, CRITERIA_SHEET))


def _reading_rules(book: Any) -> ReadingRules | None:
    """The rules of the sheet "Quy tắc đọc"; none in a workbook made before it existed."""
    from ._excel._master import RULES_SHEET, reading_rules

    if RULES_SHEET not in _sheet_names(book):
        return None
    rules = reading_rules(_rows(book, RULES_SHEET))
    return rules if rules.rules else None


def _picked_files(book: Any) -> list[str]:
    from ._excel._master import PICKED_FILES_NAME

    cells = book.names[PICKED_FILES_NAME].refers_to_range.options(ndim=2).value
    return [str(row[0]).strip() for row in cells if row and row[0] not in (None, "")]


def _counts(problems: Sequence[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    return errors, warnings


def _problem_note(problems: Sequence[Problem]) -> str:
    from ._render._summary import SHEET_NAMES

    errors, warnings = _counts(problems)
    if not errors and not warnings:
        return ""
    return f"\nCó {errors} lỗi và {warnings} cảnh báo trong dữ liệu: xem trang '{SHEET_NAMES[4]}'."


# ---------------------------------------------------------------------------
# "Nhập dữ liệu xã"


def _merged_rows(existing: list[DataRow], new: list[DataRow]) -> tuple[list[DataRow], int]:
    """Old rows with each re-imported commune's rows replaced in place; (rows, rows replaced)."""
    new_by_commune: dict[str, list[DataRow]] = {}
    for row in new:
        new_by_commune.setdefault(fold(row.commune), []).append(row)
    merged: list[DataRow] = []
    placed: set[str] = set()
    replaced = 0
    for row in existing:
        key = fold(row.commune)
        if key not in new_by_commune:
            merged.append(row)
            continue
        replaced += 1
        if key not in placed:
            merged.extend(new_by_commune[key])
            placed.add(key)
    for key, rows in new_by_commune.items():
        if key not in placed:
            merged.extend(rows)
    return merged, replaced


def _sheet_marks(entry: VillageEntry, marks: Sequence[Any], criteria: CriteriaSet) -> dict[int, object]:
    """Criterion -> what "Dữ liệu" holds for it: the status word of a mark understood (a pair of
    sub-columns, a 1/0, a list of unmet criteria, "Đạt (100%)" become "Đạt" or "Chưa đạt"),
    the cell's value as found otherwise, so "Tính toán" reports it at its cell."""
    from ._check._validate import read_marks
    from ._values._marks import MET_WORD, NOT_MET_WORD, Mark

    statuses, _ = read_marks(entry, marks, criteria)
    words = {Mark.MET: MET_WORD, Mark.NOT_MET: NOT_MET_WORD}
    return {m.criterion: words[statuses[m.criterion]] if m.criterion in statuses else m.value for m in marks}


def _data_rows(read: ReadResult, criteria: CriteriaSet) -> list[DataRow]:
    """One row of "Dữ liệu" per village read, with its other verdict and indicator values."""
    from ._check._indicators import periods_in_files
    from ._excel._master import DataRow

    periods: dict[Path, str] = {}
    if any(entry.indicators for entry in read.entries):
        # Thresholds are taken for the period's year: kept per file for "Tính toán".
        files = list(dict.fromkeys(entry.location.file for entry in read.entries))
        periods = {path: next(iter(periods_in_files([path])), "") for path in files}
    now = f"{datetime.now():%d/%m/%Y %H:%M}"
    return [
        DataRow(
            commune=entry.commune,
            village=entry.village,
            marks=_sheet_marks(entry, entry.marks, criteria),
            file=str(entry.location.file),
            sheet=entry.location.sheet,
            cell=entry.location.cell,
            imported=now,
            self_marks=_sheet_marks(entry, entry.self_marks, criteria) if entry.self_marks else {},
            indicators=tuple(
                (value.criterion, value.label, value.value)
                for value in entry.indicators
                if not (value.value is None or (isinstance(value.value, str) and not value.value.strip()))
            ),
            period=periods.get(entry.location.file, ""),
        )
        for entry in read.entries
    ]


def _import(book: Any, status: _Status, paths: Sequence[str | Path] | None) -> str:
    from ._excel._master import DATA_SHEET, data_rows, data_sheet
    from ._pipeline import read_inputs, summary_from_entries
    from ._render._summary import problems_sheet

    criteria = _criteria(book)
    rules = _reading_rules(book)
    chosen = list(paths) if paths is not None else _picked_files(book)
    if not chosen:
        return "Chưa chọn tệp nào: không có gì được nhập."
    unit, group_unit = criteria.unit, criteria.group_unit

    def progress(index: int, total: int, path: Path) -> None:
        status.show(f"Đang đọc tệp {index}/{total}: {path.name}...")

    read = read_inputs(chosen, criteria, progress, rules)
    checked = summary_from_entries(read.entries, read.problems, criteria, read.files, read.judgements)
    status.show("Đang ghi trang 'Dữ liệu'...")
    render_sheet(book, problems_sheet(checked), notes=status.notes)
    if not read.entries:
        return (
            f"Không tìm thấy {unit} nào trong {len(read.files)} tệp đã chọn; trang '{DATA_SHEET}' giữ nguyên."
            + _problem_note(checked.problems)
        )
    new = _data_rows(read, criteria)
    existing = data_rows(_rows(book, DATA_SHEET), criteria, strict=False)
    rows, replaced = _merged_rows(existing, new)
    render_sheet(book, data_sheet(criteria, rows), notes=status.notes)
    communes = len({fold(row.commune) for row in new})
    message = f"Đã nhập {len(new)} {unit} của {communes} {group_unit} từ {len(read.files)} tệp"
    message += f" vào trang '{DATA_SHEET}'"
    if replaced:
        message += f" (thay cho {replaced} dòng cũ của các {group_unit} này)"
    if rules is not None:
        message += f" theo {len(rules.rules)} quy tắc ở trang '{rules.source}'"
    return message + "." + _problem_note(checked.problems) + "\nBấm 'Tính toán' để tổng hợp."


def nhap_du_lieu_xa(
    book: Any = None, paths: Sequence[str | Path] | None = None, xlwings_vba: str = ""
) -> None:
    """Import commune workbooks into "Dữ liệu", replacing the rows of the communes they hold.

    ``paths`` default to the files the picker wrote into the cells named
    ``NTM_TepChon`` (the button's macro writes them there). Files are read with
    the rules of the sheet "Quy tắc đọc", as ``ntm-xl summarize --rules`` reads
    them. ``xlwings_vba``: the version of xlwings' VBA in the workbook (the
    buttons pass it), checked against the Python package's.
    """
    _run(book, lambda b, status: _import(b, status, paths), xlwings_vba)


# ---------------------------------------------------------------------------
# "Tính toán" and "Tạo thông báo"


def _blank(value: object) -> object:
    return "" if value is None else value


def _entry(row: DataRow, criteria: CriteriaSet, workbook: Path) -> VillageEntry:
    """A village of "Dữ liệu" as the reader would give it, every cell on that sheet."""
    from ._excel._master import DATA_SHEET
    from ._values._model import IndicatorValue, Location, MarkCell, VillageEntry

    columns = row.mark_columns or {}
    own = row.self_columns or {}
    return VillageEntry(
        commune=row.commune,
        village=row.village,
        marks=tuple(
            MarkCell(c.number, _blank(row.marks[c.number]), row.row, columns[c.number])
            for c in criteria.criteria
        ),
        location=Location(workbook, DATA_SHEET, f"B{row.row + 1}"),
        self_marks=tuple(
            MarkCell(c.number, _blank(row.self_marks[c.number]), row.row, own[c.number])
            for c in criteria.criteria
            if c.number in own
        ),
        indicators=tuple(
            IndicatorValue(criterion, label, value, row.row, col)
            for (criterion, label, value), col in zip(row.indicators, row.indicator_columns, strict=True)
        ),
    )


def _summary(book: Any, status: _Status) -> tuple[Summary, dict[str, str]]:
    """What `ntm-xl summarize` computes, from the sheets "Dữ liệu", "Bộ tiêu chí", "Danh mục thôn"
    and "Cấu hình" (whose "Kỳ đánh giá" stands for --period)."""
    from ._check._indicators import check_indicators
    from ._excel._master import (
        CONFIG_SHEET,
        DATA_SHEET,
        REGISTRY_SHEET,
        data_rows,
        read_config,
        registry_rows,
    )
    from ._pipeline import summary_from_entries

    status.show(f"Đang đọc trang '{DATA_SHEET}'...")
    criteria = _criteria(book)
    config = read_config(_rows(book, CONFIG_SHEET))
    rows = data_rows(_rows(book, DATA_SHEET), criteria)
    if not rows:
        raise UsageError(
            f"Trang '{DATA_SHEET}' chưa có {criteria.unit} nào: bấm 'Nhập dữ liệu xã' để nhập biểu của các "
            f"{criteria.group_unit} trước."
        )
    workbook = Path(str(book.name))
    entries = tuple(_entry(row, criteria, workbook) for row in rows)
    summary = summary_from_entries(entries, (), criteria)
    registered = registry_rows(_rows(book, REGISTRY_SHEET))
    if registered:
        from ._check._registry import apply_registry, registry_from_pairs

        registry = registry_from_pairs(((c, v) for c, v, _ in registered), REGISTRY_SHEET)
        summary = apply_registry(summary, registry)
    # One period per source file, as the command reads each file's "Kỳ đánh giá".
    periods = dict.fromkeys((row.file, row.period) for row in rows if row.period)
    summary = check_indicators(summary, entries, period=config["period"], periods=[p for _, p in periods])
    return summary, config


def _compared(book: Any, summary: Summary, config: dict[str, str]) -> tuple[Summary, tuple[SheetSpec, ...]]:
    """With a previous summary configured: its problems added and the sheet "So sánh kỳ trước"."""
    if not config.get("previous"):
        return summary, ()
    from ._check._compare import compare
    from ._pipeline import load_previous
    from ._render._summary import comparison_sheet

    path = Path(config["previous"])
    previous, files = load_previous(
        [path if path.is_absolute() else _beside(book, str(path))], summary.criteria
    )
    comparison = compare(summary, previous, previous_files=files)
    return replace(summary, problems=summary.problems + comparison.problems), (comparison_sheet(comparison),)


def _compute(book: Any, status: _Status) -> str:
    from ._excel._master import DATA_SHEET
    from ._render._summary import SHEET_NAMES, summary_sheets

    summary, config = _summary(book, status)
    summary, compared = _compared(book, summary, config)
    notice = _notice_settings(config)
    # Villages grouped as the configuration says; the notice's header and caption are the
    # Word draft's ("Tạo thông báo"), so these sheets keep the command's frame-less shape.
    layouts = (*summary_sheets(summary, config["period"], notice=notice, framed=False), *compared)
    previous = book.sheets[DATA_SHEET]
    for index, layout in enumerate(layouts, 1):
        status.show(f"Đang ghi trang {index}/{len(layouts)}: {layout.name}...")
        previous = render_sheet(book, layout, after=previous, notes=status.notes)
    nicety(status.notes, f"mở trang '{SHEET_NAMES[0]}'", book.sheets[SHEET_NAMES[0]].activate)
    criteria = summary.criteria
    unit, group_unit, size = criteria.unit, criteria.group_unit, len(criteria)
    message = (
        f"Đã tổng hợp {len(summary.villages)} {unit} của {len(summary.communes)} {group_unit}; "
        f"{len(summary.tallies.meeting_standard)} {unit} đạt chuẩn ({size}/{size} tiêu chí)."
    )
    if summary.excluded:
        message += f"\n{len(summary.excluded)} {unit} chưa được tính do lỗi dữ liệu."
    return message + _problem_note(summary.problems)


def tinh_toan(book: Any = None, xlwings_vba: str = "") -> None:
    """Rewrite the summary sheets from "Dữ liệu" and "Bộ tiêu chí"; the input sheets are only read."""
    _run(book, _compute, xlwings_vba)


def _notice_config(config: dict[str, str]) -> dict[str, object]:
    """The configuration sheet's notice facts as ``_notice_config`` keys (blank ones left to defaults)."""
    from ._notice._config import KEYS

    return {k: v for k, v in config.items() if k in KEYS and v}


def _notice_settings(config: dict[str, str]) -> NoticeConfig:
    """The notice's configuration from the configuration sheet, as ``--config`` gives it to the command."""
    from ._excel._master import CONFIG_SHEET
    from ._notice._config import notice_config_from_mapping

    return notice_config_from_mapping(_notice_config(config), CONFIG_SHEET)


def _notice_document(book: Any, summary: Summary, config: dict[str, str], notice: NoticeConfig) -> Path:
    """The notice draft (.docx) beside the workbook, from the summary and the configuration sheet."""
    from ._demo import slug
    from ._render._word import write_notice_document

    name = f"thong-bao-{slug(config['period'])}.docx" if config["period"] else "thong-bao.docx"
    return write_notice_document(_beside(book, name), summary, notice)


def _notice(book: Any, status: _Status) -> str:
    from ._excel._master import DATA_SHEET
    from ._notice._sections import notice_sections
    from ._render._summary import SHEET_NAMES, notice_sheet

    summary, config = _summary(book, status)
    notice = _notice_settings(config)
    layout = notice_sheet(notice_sections(summary, notice))
    status.show(f"Đang ghi trang '{layout.name}'...")
    sheet = render_sheet(
        book,
        layout,
        after=book.sheets[SHEET_NAMES[2]]
        if SHEET_NAMES[2] in _sheet_names(book)
        else book.sheets[DATA_SHEET],
        notes=status.notes,
    )
    nicety(status.notes, f"mở trang '{layout.name}'", sheet.activate)
    status.show("Đang lưu bản thảo thông báo...")
    draft = _notice_document(book, summary, config, notice)
    return (
        f"Đã ghi mục I.2 và I.3 của thông báo vào trang '{layout.name}'.\n"
        f"Bản thảo thông báo: {draft}" + _problem_note(summary.problems)
    )


def tao_thong_bao(book: Any = None, xlwings_vba: str = "") -> None:
    """Write the notice's computed sections into "Thông báo" and a draft beside the workbook."""
    _run(book, _notice, xlwings_vba)
