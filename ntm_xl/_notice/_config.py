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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from enum import Enum
from pathlib import Path

from .._common._errors import UsageError
from .._common._text import clean, fold, proper_case, years_in

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


def _key(kind: str, label: str, hint: str) -> dict[str, str]:
    """A configuration key's metadata: how its value is read, and its row on a configuration sheet."""
    return {"kind": kind, "label": label, "hint": hint}


@dataclass(frozen=True)
class NoticeConfig:
    """Facts of one notice that the summary does not know.

    Field names are the configuration keys (see the documented example
    ``data/notice-bach-thong-2024.toml``); each field's metadata says how its value is read
    ("text", "lines", "date", "unit", "grouping") and how the master workbook's configuration
    sheet labels and explains it, so the keys are declared here only.
    """

    # The issuing unit, kind and name: "xã Phủ Thông", "huyện Bạch Thông". When given, it is
    # the default of issuer, issuer_short, area and place (each may still be set alone).
    issuing_unit: str = field(
        default="",
        metadata=_key(
            "unit",
            "Đơn vị ban hành",
            "Ví dụ: xã Phủ Thông (xã ra thông báo, từ 01/7/2025) hoặc huyện Bạch Thông; các ô cơ quan, "
            "tên viết tắt, địa bàn, địa danh để trống thì lấy theo ô này",
        ),
    )
    grouping: Grouping = field(
        default=Grouping.COMMUNE,
        metadata=_key(
            "grouping",
            "Nhóm thôn trong thông báo",
            "xã (theo xã, mặc định), xã cũ (theo xã trước sáp nhập; cần 'Đơn vị ban hành' là xã mới) "
            "hoặc không (không chia nhóm)",
        ),
    )
    issuer: tuple[str, ...] = field(  # top-left lines, as printed
        default=("ỦY BAN NHÂN DÂN", PLACEHOLDER),
        metadata=_key(
            "lines",
            "Cơ quan ban hành",
            "In ở đầu văn bản, mỗi dòng một dòng (Alt+Enter): ỦY BAN NHÂN DÂN / HUYỆN ...",
        ),
    )
    issuer_short: str = field(
        default=f"UBND {PLACEHOLDER}",
        metadata=_key("text", "Tên viết tắt cơ quan", "Ví dụ: UBND huyện Bạch Thông"),
    )
    area: str = field(  # as in "trên địa bàn ..."
        default=PLACEHOLDER,
        metadata=_key("text", "Địa bàn", "Ví dụ: huyện Bạch Thông (từ 01/7/2025: xã ...)"),
    )
    place: str = field(
        default=PLACEHOLDER, metadata=_key("text", "Địa danh", "Ghi trước ngày tháng, ví dụ: Bạch Thông")
    )
    period: str = field(
        default=PLACEHOLDER, metadata=_key("text", "Kỳ đánh giá", "Ví dụ: 6 tháng đầu năm 2024")
    )
    year: str = field(  # the year villages registered for; from date or period when empty
        default="",
        metadata=_key(
            "text", "Năm đăng ký đạt chuẩn", "Ví dụ: 2024; bỏ trống thì lấy năm của ngày thông báo"
        ),
    )
    number: str = field(
        default=PLACEHOLDER,
        metadata=_key("text", "Số thông báo", "Phần số trước /TB-UBND; bỏ trống khi chưa lấy số"),
    )
    code: str = field(
        default="TB-UBND", metadata=_key("text", "Ký hiệu thông báo", "Phần sau số, mặc định TB-UBND")
    )
    date: IssueDate = field(
        default_factory=IssueDate,
        metadata=_key("date", "Ngày thông báo", "Ví dụ: 25/06/2024, hoặc 07/2024 khi chưa có ngày"),
    )
    basis: str = field(  # the document the review was made under
        default=PLACEHOLDER,
        metadata=_key(
            "text",
            "Căn cứ kiểm tra",
            "Văn bản chỉ đạo việc kiểm tra, ví dụ: Công văn số .../UBND-NN&PTNT ngày ...",
        ),
    )
    inspection_time: str = field(
        default=PLACEHOLDER,
        metadata=_key("text", "Thời gian kiểm tra", "Ví dụ: từ ngày 07/6/2024 đến ngày 25/6/2024"),
    )
    inspection_lead: str = field(
        default=PLACEHOLDER,
        metadata=_key("text", "Người chủ trì đoàn kiểm tra", "Ví dụ: ông ... - Phó Chủ tịch UBND huyện"),
    )
    signature: tuple[str, ...] = field(
        default=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        metadata=_key("lines", "Thẩm quyền ký", "Mỗi dòng một dòng (Alt+Enter)"),
    )
    signer: str = field(default="", metadata=_key("text", "Người ký", "Ví dụ: Hoàng Văn Kiệt"))
    recipients: tuple[str, ...] = field(
        default=("- Như trên;", "- Lưu: VT."),
        metadata=_key("lines", "Nơi nhận", "Mỗi nơi nhận một dòng, bắt đầu bằng dấu -"),
    )

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
        years = [str(year) for year in years_in(self.period)]
        return years[-1] if years else PLACEHOLDER


@dataclass(frozen=True)
class ConfigKey:
    """One configuration key as a configuration sheet shows it."""

    key: str
    kind: str  # how its value is read: "text", "lines", "date", "unit", "grouping"
    label: str
    hint: str
    default: str  # the default as a cell shows it ("" where the notice prints "...")


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "\n".join(value)
    if isinstance(value, (IssueDate, Grouping)) or PLACEHOLDER in str(value):
        return ""  # a blank cell: the default, whatever it prints
    return str(value)


CONFIG_KEYS = tuple(
    ConfigKey(
        f.name,
        f.metadata["kind"],
        f.metadata["label"],
        f.metadata["hint"],
        _shown(getattr(NoticeConfig(), f.name)),
    )
    for f in fields(NoticeConfig)
)
KEYS = tuple(k.key for k in CONFIG_KEYS)


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
    readers: dict[str, Callable[[object, str], object]] = {
        "text": lambda value, key: _text(value, key, where),
        "lines": lambda value, key: _lines(value, key, where),
        "date": lambda value, key: _date(value, where),
        "unit": lambda value, key: _issuing_unit(value, where),
        "grouping": lambda value, key: _grouping(value, where),
    }
    changes = {k.key: readers[k.kind](values[k.key], k.key) for k in CONFIG_KEYS if k.key in values}
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
