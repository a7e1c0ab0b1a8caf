"""The notice's configuration: who issues it, its number and date, who signs.

One frozen value, ``NoticeConfig``, whatever it is read from: a TOML file
(``load_notice_config``; see ``data/notice-bach-thong-2024.toml``) or any
mapping of the same keys (``notice_config_from_mapping``), such as the
key/value rows of a workbook's configuration sheet. Everything has a default;
what is unknown is shown as "..." for the clerk to fill in by hand.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from pathlib import Path

from .._common._errors import UsageError
from .._common._text import clean, fold, proper_case

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "GROUPING_WORDS",
    "KEYS",
    "PLACEHOLDER",
    "UNIT_KINDS",
    "Grouping",
    "IssueDate",
    "NoticeConfig",
    "load_notice_config",
    "notice_config_from_mapping",
]

# What stands for a fact the clerk fills in by hand on the printed draft.
PLACEHOLDER = "..."

_YEAR = re.compile(r"\b(19|20)\d\d\b")
# 2024, 2024-07 (ISO); 25/6/2024 and 07/2024 (as written in Vietnamese documents).
_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
_VN_DATE = re.compile(r"^(?:(\d{1,2})/)?(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class IssueDate:
    """The notice's date, possibly known only in part (a draft often knows just month and year)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and (self.month is None or self.year is None):
            raise ValueError("a day needs its month and year")
        if self.month is not None and self.year is None:
            raise ValueError("a month needs its year")
        if self.year is not None and self.month is not None and self.day is not None:
            date(self.year, self.month, self.day)  # raises ValueError for 31/2 and the like
        elif self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} out of range")

    @staticmethod
    def _day(day: int) -> str:
        # Decree 30/2020: days below 10 take a leading zero.
        return f"{day:02d}"

    @staticmethod
    def _month(month: int) -> str:
        # Decree 30/2020: January and February take a leading zero, the others none.
        return f"{month:02d}" if month <= 2 else str(month)

    def long_form(self) -> str:
        """ "ngày 25 tháng 6 năm 2024"; unknown parts as "...": "ngày ... tháng 7 năm 2024"."""
        day = self._day(self.day) if self.day is not None else PLACEHOLDER
        month = self._month(self.month) if self.month is not None else PLACEHOLDER
        year = str(self.year) if self.year is not None else PLACEHOLDER
        return f"ngày {day} tháng {month} năm {year}"

    def short_form(self) -> str:
        """ "25/6/2024", ".../7/2024", or "..." when nothing is known."""
        if self.year is None:
            return PLACEHOLDER
        day = self._day(self.day) if self.day is not None else PLACEHOLDER
        month = self._month(self.month) if self.month is not None else PLACEHOLDER
        return f"{day}/{month}/{self.year}"


class Grouping(Enum):
    """How sections I.2 and I.3 (and the attached table) group the villages."""

    COMMUNE = "xã"  # by the commune each file names (the district's notice, as before 2025)
    FORMER = "xã cũ"  # by former commune: a new commune's notice after the 2025 merger
    NONE = "không"  # one list: "- Số thôn đạt 16 tiêu chí: 02 thôn (Nà Rào, Nà Cà)."


# What a clerk may write for each grouping (compared folded: case and tone placement aside).
GROUPING_WORDS: Mapping[Grouping, tuple[str, ...]] = {
    Grouping.COMMUNE: ("xã", "theo xã"),
    Grouping.FORMER: ("xã cũ", "theo xã cũ"),
    Grouping.NONE: ("không", "không nhóm", "không chia"),
}
_GROUPINGS = {fold(word): grouping for grouping, words in GROUPING_WORDS.items() for word in words}

# The kinds of unit that issue a notice, as the unit's name starts: "xã Phủ Thông".
UNIT_KINDS = ("xã", "phường", "đặc khu", "thị trấn", "huyện", "thị xã", "thành phố", "quận", "tỉnh")


@dataclass(frozen=True)
class NoticeConfig:
    """Facts of one notice that the summary does not know.

    Field names are the configuration keys; see the documented example
    ``data/notice-bach-thong-2024.toml``.
    """

    issuer: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", PLACEHOLDER)  # top-left lines, as printed
    issuer_short: str = f"UBND {PLACEHOLDER}"  # "UBND huyện Bạch Thông"
    area: str = PLACEHOLDER  # "huyện Bạch Thông", as in "trên địa bàn ..."
    place: str = PLACEHOLDER  # "Bạch Thông", before the date
    number: str = PLACEHOLDER
    code: str = "TB-UBND"
    date: IssueDate = field(default_factory=IssueDate)
    period: str = PLACEHOLDER  # "6 tháng đầu năm"
    year: str = ""  # the year villages registered for; from date or period when empty
    basis: str = PLACEHOLDER  # the document the review was made under
    inspection_time: str = PLACEHOLDER  # "từ ngày 07/6/2024 đến ngày 25/6/2024"
    inspection_lead: str = PLACEHOLDER  # "ông ... - Phó Chủ tịch UBND huyện"
    recipients: tuple[str, ...] = ("- Như trên;", "- Lưu: VT.")
    signature: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer: str = ""
    # The issuing unit, kind and name: "xã Phủ Thông", "huyện Bạch Thông". When given, it is
    # the default of issuer, issuer_short, area and place (each may still be set alone).
    issuing_unit: str = ""
    grouping: Grouping = Grouping.COMMUNE

    @property
    def issuing_kind(self) -> str:
        """ "xã" for "xã Phủ Thông"; "" when no issuing unit is configured."""
        return _unit_kind(self.issuing_unit) if self.issuing_unit else ""

    @property
    def issuing_name(self) -> str:
        """ "Phủ Thông" for "xã Phủ Thông"; "" when no issuing unit is configured."""
        if not self.issuing_unit:
            return ""
        return self.issuing_unit[len(self.issuing_kind) :].strip()

    @property
    def target_year(self) -> str:
        """The registration year: given, else the date's year, else the last year named in the period."""
        if self.year:
            return self.year
        if self.date.year is not None:
            return str(self.date.year)
        years = [m.group() for m in _YEAR.finditer(self.period)]
        return years[-1] if years else PLACEHOLDER


_TEXT_KEYS = (
    "issuer_short",
    "area",
    "place",
    "number",
    "code",
    "period",
    "year",
    "basis",
    "inspection_time",
    "inspection_lead",
    "signer",
)
_LINES_KEYS = ("issuer", "recipients", "signature")
KEYS = (*_LINES_KEYS, *_TEXT_KEYS, "date", "issuing_unit", "grouping")


def _unit_kind(unit: str) -> str:
    folded = fold(unit)
    # Longest first: "thị xã" before "xã".
    for kind in sorted(UNIT_KINDS, key=len, reverse=True):
        if folded.startswith(fold(kind) + " "):
            return kind
    return ""


def _issuing_unit(value: object, where: str) -> str:
    text = _text(value, "issuing_unit", where)
    if not text:
        return ""
    kind = _unit_kind(text)
    name = proper_case(text[len(kind) :].strip()) if kind else ""
    if not name:
        raise UsageError(
            f"{where}: 'issuing_unit' không hợp lệ ({text!r}); ghi loại đơn vị rồi tên, ví dụ "
            f"'xã Phủ Thông' hoặc 'huyện Bạch Thông' (loại đơn vị: {', '.join(UNIT_KINDS)})."
        )
    return f"{kind} {name}"


def _grouping(value: object, where: str) -> Grouping | None:
    text = _text(value, "grouping", where)
    if not text:
        return None
    found = _GROUPINGS.get(fold(text))
    if found is None:
        raise UsageError(
            f"{where}: 'grouping' không hợp lệ ({text!r}); ghi 'xã' (nhóm các thôn theo xã, mặc "
            "định), 'xã cũ' (theo xã trước sáp nhập, khi xã mới ra thông báo) hoặc 'không' (không "
            "chia nhóm)."
        )
    return found


def _issuer_defaults(config: NoticeConfig, given: Mapping[str, object]) -> NoticeConfig:
    """The header, short name, area and place that follow the issuing unit, unless set alone."""
    unit, name = config.issuing_unit, config.issuing_name
    # The master workbook's issuer cell starts as "ỦY BAN NHÂN DÂN" / "HUYỆN ...": a line still
    # holding the placeholder is no choice of the clerk's, so the issuing unit decides.
    if any(line.endswith(PLACEHOLDER) for line in config.issuer):
        given = {k: v for k, v in given.items() if k != "issuer"}
    derived: dict[str, object] = {
        "issuer": ("ỦY BAN NHÂN DÂN", unit.upper()),
        "issuer_short": f"UBND {unit}",
        "area": unit,
        "place": name,
    }
    return replace(config, **{k: v for k, v in derived.items() if k not in given})  # type: ignore[arg-type]


def _text(value: object, key: str, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise UsageError(f"{where}: '{key}' phải là một đoạn chữ.")
    return clean(str(value))


def _lines(value: object, key: str, where: str) -> tuple[str, ...]:
    # A list of lines, or one text with line breaks (as typed in one worksheet cell).
    if isinstance(value, str):
        items: list[object] = list(value.splitlines())
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise UsageError(f"{where}: '{key}' phải là một danh sách các dòng.")
    if not all(isinstance(item, str) for item in items):
        raise UsageError(f"{where}: mỗi dòng của '{key}' phải là một đoạn chữ.")
    return tuple(line for line in (clean(str(item)) for item in items) if line)


def _date(value: object, where: str) -> IssueDate:
    try:
        if isinstance(value, date):  # a TOML date or date-time
            return IssueDate(value.year, value.month, value.day)
        if isinstance(value, str):
            text = clean(value)
            if text in ("", PLACEHOLDER):
                return IssueDate()
            match = _ISO_PARTIAL.match(text)
            if match:
                month = int(match.group(2)) if match.group(2) else None
                return IssueDate(int(match.group(1)), month)
            match = _VN_DATE.match(text)
            if match:
                day = int(match.group(1)) if match.group(1) else None
                return IssueDate(int(match.group(3)), int(match.group(2)), day)
            parsed = date.fromisoformat(text)
            return IssueDate(parsed.year, parsed.month, parsed.day)
    except ValueError:
        pass
    raise UsageError(
        f"{where}: 'date' không hợp lệ ({value!r}); ghi dạng 25/6/2024 (hoặc 2024-06-25), "
        "7/2024 (hoặc 2024-07) khi chưa biết ngày, hoặc bỏ trống."
    )


def notice_config_from_mapping(values: Mapping[str, object], source: str = "") -> NoticeConfig:
    """A ``NoticeConfig`` from configuration keys; missing or empty values keep their defaults.

    Empty counts as missing so that a blank cell of a configuration sheet means "not set".
    """
    where = f"Tệp cấu hình thông báo '{source}'" if source else "Cấu hình thông báo"
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise UsageError(
            f"{where}: không hiểu khoá {', '.join(repr(k) for k in unknown)}; "
            f"các khoá dùng được: {', '.join(KEYS)}."
        )
    changes: dict[str, object] = {}
    for key in _TEXT_KEYS:
        if key in values:
            changes[key] = _text(values[key], key, where)
    for key in _LINES_KEYS:
        if key in values:
            changes[key] = _lines(values[key], key, where)
    if "date" in values:
        changes["date"] = _date(values["date"], where)
    if "issuing_unit" in values:
        changes["issuing_unit"] = _issuing_unit(values["issuing_unit"], where)
    if "grouping" in values:
        changes["grouping"] = _grouping(values["grouping"], where)
    kept = {key: value for key, value in changes.items() if value not in ("", (), None)}
    config = NoticeConfig(**kept)  # type: ignore[arg-type]
    if config.grouping is Grouping.FORMER and config.issuing_kind != "xã":
        raise UsageError(
            f"{where}: 'grouping' = 'xã cũ' chỉ dùng khi xã mới ra thông báo: cần 'issuing_unit' là "
            'tên xã mới, ví dụ issuing_unit = "xã Phủ Thông", để biết thôn nào thuộc xã cũ nào.'
        )
    return _issuer_defaults(config, kept) if config.issuing_unit else config


def load_notice_config(path: str | Path | None = None) -> NoticeConfig:
    """Read a TOML configuration file; ``None`` gives the defaults."""
    if path is None:
        return NoticeConfig()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UsageError(f"Không tìm thấy tệp cấu hình thông báo '{path}'.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Không đọc được tệp cấu hình thông báo '{path}': {exc}") from exc
    if len(text) > MAX_TOML_CHARACTERS:
        raise UsageError(
            f"Tệp cấu hình thông báo '{path}' quá lớn (giới hạn 1 MB); đây không phải tệp cấu hình."
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Tệp cấu hình thông báo '{path}' sai cú pháp TOML: {exc}") from exc
    except (RecursionError, MemoryError) as exc:
        # tomllib descends once per level: a file nested thousands deep exhausts it.
        raise UsageError(
            f"Tệp cấu hình thông báo '{path}' có các bảng hoặc danh sách lồng nhau quá sâu; "
            "tệp cấu hình chỉ cần các mục đơn giản như tệp mẫu."
        ) from exc
    return notice_config_from_mapping(data, str(path))


MAX_TOML_CHARACTERS = 1024 * 1024
