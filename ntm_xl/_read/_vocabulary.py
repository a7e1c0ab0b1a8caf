"""The words of commune tables, in one place: header words, row words, commune and
group patterns, and criterion labels ("7", "TC 7", "Tiêu chí số 07", a name).

Everything is compared through ``key``: folded (case and tone placement ignored)
with punctuation turned into spaces, so "TC.7", "tc 7" and "TC-7" are one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .._common._cells import cell_text
from .._common._text import clean, display_name, fold, strip_prefix
from .._values._criteria import CriteriaSet
from .._values._model import CellValue

__all__ = [
    "Label",
    "commune_in_caption",
    "commune_in_group_row",
    "commune_in_title",
    "criterion_label",
    "is_blank",
    "key",
    "text_of",
]

_PUNCT = re.compile(r"[\s,;:./()\[\]\-–—_+*'\"%]+")


@lru_cache(maxsize=1 << 16)  # headers and status words recur in every file
def key(text: str) -> str:
    """Fold, then treat punctuation as spaces: "TC.7" -> "tc 7"."""
    return _PUNCT.sub(" ", fold(text)).strip()


def keys(*words: str) -> frozenset[str]:
    return frozenset(key(w) for w in words)


def _alt(*words: str) -> str:
    return "|".join(re.escape(key(w)) for w in words)


# A cell as text: numbers without a needless ".0", dates and logic values as "".
text_of = cell_text


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_number(value: CellValue) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- header words -------------------------------------------------------------------------

VILLAGE_WORDS = keys("thôn", "bản", "xóm", "làng", "ấp", "buôn")
VILLAGE_HEADER_WORDS = VILLAGE_WORDS | keys("tên", "xã", "tổ", "dân", "phố", "khu", "khối", "đơn", "vị")
VILLAGE_HEADER_EXACT = keys("đơn vị", "tên đơn vị")
COMMUNE_HEADERS = keys("xã", "tên xã", "đơn vị xã", "xã phường", "xã thị trấn")
STT_HEADERS = keys("stt", "tt", "số tt", "số thứ tự")
NOTE_HEADERS = keys("ghi chú")
_TC_WORDS = keys("tiêu chí", "tc", "tieu chi")
_MET = key("đạt")
_NOT_YET = keys("chưa", "không")
_COUNT = keys("số", "tổng")

# Sub-headers under a criterion.
PAIR_MET = keys("đạt", "đ", "dat")
PAIR_NOT_MET = keys("chưa đạt", "không đạt", "cđ", "kđ", "chua dat", "khong dat")
RESULT_WORDS = keys(
    "đánh giá",
    "kết quả",
    "kết quả đánh giá",
    "đánh giá chung",
    "đạt chưa đạt",
    "đạt không đạt",
    "kết luận",
    "xếp loại",
)
SELF_WORDS = keys("tự đánh giá", "tự chấm", "tự đánh giá của thôn", "tự đánh giá của xã")
REVIEW_WORDS = keys("thẩm định", "kiểm tra", "thẩm tra", "phúc tra", "đoàn kiểm tra", "huyện đánh giá")


@lru_cache(maxsize=1 << 12)
def is_village_header(text: str) -> bool:
    k = key(text)
    if k in VILLAGE_HEADER_EXACT:
        return True
    words = set(k.split())
    return bool(words) and len(words) <= 6 and words <= VILLAGE_HEADER_WORDS and bool(words & VILLAGE_WORDS)


@lru_cache(maxsize=1 << 12)
def column_word_role(k: str) -> str | None:
    """The role a header key names by itself: commune, stt, notes, count or unmet (list)."""
    words = set(k.split())
    if k in COMMUNE_HEADERS:
        return "commune"
    if k in STT_HEADERS:
        return "stt"
    if any(k.startswith(n) for n in NOTE_HEADERS):
        return "notes"
    if words & _TC_WORDS or key("tiêu chí") in k:
        if _MET in words and words & _NOT_YET:
            return None if words & _COUNT else "unmet"
        if _MET in words and words & _COUNT:
            return "count"
    return None


@lru_cache(maxsize=1 << 12)
def verdict_of(text: str) -> str | None:
    """ "self" for a self-assessment header, "review" for a reviewer's, None otherwise."""
    k = key(text)
    if any(w in k for w in SELF_WORDS):
        return "self"
    if any(re.search(rf"(?:^| ){re.escape(w)}(?: |$)", k) for w in REVIEW_WORDS):
        return "review"
    return None


# --- rows -----------------------------------------------------------------------------------

_TOTAL_EXACT = keys(
    "tổng", "cộng", "tổng cộng", "tổng số", "toàn xã", "toàn huyện", "cộng chung", "tổng chung"
)
# A village may well be called "Tổng Chản" or "Cộng Hòa": only these start a totals row.
_TOTAL_PREFIXES = tuple(
    k + " "
    for k in keys(
        "tổng cộng",
        "tổng số",
        "toàn xã",
        "toàn huyện",
        "cộng xã",
        "cộng huyện",
        "cộng toàn",
        "tổng xã",
    )
)
_SIGNATURE_PREFIXES = tuple(
    keys(
        "người lập biểu",
        "người lập",
        "người tổng hợp",
        "người báo cáo",
        "tm",
        "kt",
        "chủ tịch",
        "phó chủ tịch",
        "xác nhận",
        "thủ trưởng",
        "nơi nhận",
        "lưu vt",
        "ký tên",
        "ký ghi rõ họ tên",
        "đã ký",
        "cán bộ",
        "trưởng ban",
        "trưởng thôn",
    )
)
_NOTE_PREFIXES = tuple(keys("ghi chú", "chú thích", "lưu ý"))
# Compared with folded text, in which tone marks are moved: the words are folded the same way.
_PLACE_DATE = re.compile(
    r"(?:^|, ?){}(?!\w).*(?<!\w){}(?!\w).*(?<!\w){}(?!\w)".format(
        *(re.escape(fold(w)) for w in ("ngày", "tháng", "năm"))
    )
)
_ROMAN = re.compile(r"^(?=[IVXLC])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})\.?$")


@lru_cache(maxsize=1 << 14)  # status words and names recur on every row
def is_total(text: str) -> bool:
    k = key(text)
    return k in _TOTAL_EXACT or k.startswith(_TOTAL_PREFIXES)


@lru_cache(maxsize=1 << 14)  # status words and names recur on every row
def is_signature(text: str) -> bool:
    k = key(text)
    return any(k == p or k.startswith(p + " ") for p in _SIGNATURE_PREFIXES) or is_place_date(text)


@lru_cache(maxsize=1 << 14)  # status words and names recur on every row
def is_place_date(text: str) -> bool:
    return bool(_PLACE_DATE.search(fold(text)))


@lru_cache(maxsize=1 << 14)  # status words and names recur on every row
def is_note(text: str) -> bool:
    k = key(text)
    return any(k == p or k.startswith(p + " ") for p in _NOTE_PREFIXES) or text.startswith(("*", "(*"))


def is_roman(text: str) -> bool:
    return bool(text) and bool(_ROMAN.match(text.strip()))


def is_index_row(values: tuple[CellValue, ...]) -> bool:
    """A row of column numbers under the header: "(1) (2) (3) ..." or 1 2 3 or "A B 1 2"."""
    cells = [v for v in values if not is_blank(v)]
    if len(cells) < 2:
        return False
    for value in cells:
        text = text_of(value).strip("()[] ")
        if not (text.isdigit() or (len(text) == 1 and text.isalpha()) or re.fullmatch(r"\d+\s*=.*", text)):
            return False
    return True


# --- communes -------------------------------------------------------------------------------

# Applied to cleaned (NFC) text.
_COMMUNE_TITLE = (
    re.compile(r"^(?:UBND|[UỦ][ỷyỶY]?\s*ban\s+nhân\s+dân)\s+xã\s+(.+)$", re.IGNORECASE),
    re.compile(r"^xã\s*[:\-–]\s*(.+)$", re.IGNORECASE),
)
_BARE_COMMUNE = re.compile(r"^xã\s+(\S.*)$", re.IGNORECASE)
_COMMISSION = re.compile(r"^(?:UBND|[UỦ][ỷyỶY]?\s*ban\s+nhân\s+dân)$", re.IGNORECASE)
_CAPTION = re.compile(r"\bcủa\s+(?:UBND|[UỦ][ỷyỶY]?\s*ban\s+nhân\s+dân)\s+xã\s+([^,;()]+?)\s*\)?\s*$", re.I)
_COMMUNE_TAIL = re.compile(r"(?:^|[,;(–\-]\s*)xã\s*:?\s+([^,;()]+?)\s*\)?\s*$", re.IGNORECASE)
_COMMUNE_GROUP = re.compile(
    r"^(?:(?:[IVXLCDM]+|\d+|[A-Za-z])\s*[.)\-/]\s*)?xã\s*[:\-–]?\s+(.+)$", re.IGNORECASE
)
# A village sheet's title: "THÔN NÀ RÀO", "Tên thôn: Bản Vén", "Bản Pù Mắt, xã Đôn Phong".
VILLAGE_TITLE = re.compile(r"^(?:tên\s+)?(thôn|bản|xóm|làng|ấp|buôn)\s*[:\-–]?\s+(.+)$", re.IGNORECASE)
# What follows a commune's name in a group row: "(02 thôn)", ": 03 thôn", "- 02 thôn", ", 3 bản".
_GROUP_EXTRA = re.compile(r"\s*(?:\(|:|\s[-–—]\s|,|;)\s*.*$")
_GROUP_COUNT_TAIL = re.compile(r"\s+[-–—]?\s*\d+\s+(?:thôn|bản|xóm|tổ)\b.*$", re.IGNORECASE)
_MAX_NAME_WORDS = 6


# After the 2025 merger a former commune is named "Xã Vi Hương (cũ)" or "Xã Vi Hương cũ": the
# mark says the unit is gone, it is no part of the name.
_FORMER_MARK = re.compile(r"\s*(?:\(\s*cũ\s*\)|\s[-–]?\s*cũ)\s*$", re.IGNORECASE)


def without_former_mark(text: str) -> str:
    """ "Vi Hương (cũ)", "Vi Hương cũ" -> "Vi Hương"."""
    return _FORMER_MARK.sub("", text)


def _name(text: str) -> str | None:
    name = _GROUP_EXTRA.sub("", text.strip())
    name = without_former_mark(_GROUP_COUNT_TAIL.sub("", name)).strip(" .:-–")
    if not name or len(name.split()) > _MAX_NAME_WORDS:
        return None
    return display_name(name)


def commune_in_title(text: str) -> str | None:
    """ "UBND XÃ ĐÔN PHONG" or "Xã: Đôn Phong" -> "Đôn Phong"."""
    text = clean(text)
    for pattern in _COMMUNE_TITLE:
        match = pattern.match(text)
        if match:
            return _name(match.group(1))
    return None


def commune_in_caption(text: str) -> str | None:
    """ "(Kèm theo Báo cáo số 52/BC-UBND ngày ... của UBND xã Đồng Lạc)" -> "Đồng Lạc"."""
    match = _CAPTION.search(clean(text))
    return _name(match.group(1)) if match else None


def commune_in_tail(text: str) -> str | None:
    """A title ending in "..., xã Thuần Mang" or "(xã Thuần Mang)"."""
    match = _COMMUNE_TAIL.search(clean(text))
    return _name(match.group(1)) if match else None


def bare_commune(text: str) -> str | None:
    """A cell that is only "XÃ XUÂN LẠC" (the second line of a Decree 30 heading)."""
    match = _BARE_COMMUNE.match(clean(text))
    return _name(match.group(1)) if match else None


def is_commission(text: str) -> bool:
    """ "ỦY BAN NHÂN DÂN" alone: the first line of a Decree 30 heading."""
    return bool(_COMMISSION.match(clean(text)))


@lru_cache(maxsize=1 << 14)  # status words and names recur on every row
def commune_in_group_row(text: str) -> str | None:
    """ "I. Xã Hà Hiệu (02 thôn)", "II. XÃ CHU HƯƠNG: 03 thôn", "Xã Mỹ Phương - 02 thôn" -> the name."""
    match = _COMMUNE_GROUP.match(clean(text))
    return _name(match.group(1)) if match else None


def commune_in_cell(text: str) -> str:
    """A commune column's cell: "Xã Hà Hiệu (02 thôn)", "HÀ HIỆU - 02 thôn" -> "Hà Hiệu"."""
    name = strip_prefix(clean(text), ("xã",))
    return _name(name) or display_name(name)


_GENERIC_TABS = keys(
    "sheet",
    "trang",
    "bảng",
    "biểu",
    "th",
    "tổng hợp",
    "data",
    "dữ liệu",
    "số liệu",
    "kết quả",
    "danh sách",
    "báo cáo",
    "chi tiết",
    "đánh giá",
    "mẫu",
    "ds",
    "bc",
    "kq",
    "tổng",
    "chung",
    "toàn huyện",
    "huyện",
)


def commune_in_name(text: str) -> str | None:
    """A sheet tab or file name that names a commune: "Xã Lục Bình", "Lục Bình"; None for
    "Sheet1", "TH", "Biểu 2", "Bản Vén" and other names that are not a commune's."""
    text = clean(re.sub(r"[_]+", " ", text))
    match = re.search(r"(?:^|[\s\-–])xã\s+(\S.*)$", text, re.IGNORECASE)
    if match and "ã" in match.group(0).casefold():
        found = re.split(r"\s*(?:\(|\s[-–]\s|,|\d)", match.group(1))[0]
        return _name(found)
    words = text.split()
    if not 2 <= len(words) <= 4 or key(text) in _GENERIC_TABS:
        return None
    if key(words[0]) in VILLAGE_WORDS | keys("tổ", "khu", "biểu", "bảng", "tổng", "kết", "danh", "báo"):
        return None
    if not all(w[:1].isupper() and w.isalpha() for w in words):
        return None
    return display_name(text)


# --- criterion labels -------------------------------------------------------------------------

_CRITERION_WORDS = _alt("tiêu chí", "tieu chi", "tc")
_NUMBER_WORDS = _alt("số", "so")
_BY_NUMBER = re.compile(rf"^(?:{_CRITERION_WORDS}) ?(?:(?:{_NUMBER_WORDS}) ?)?0*(\d{{1,3}})(?: (.*)|$)")
_NUMBER_THEN_NAME = re.compile(r"^0*(\d{1,3})(?: (\D.*))?$")
_INDICATOR = re.compile(r"^(?:(?:chỉ tiêu|chi tieu|ct) ?)?0*(\d{1,3}) ?[.,] ?(\d{1,2})(?:\b|$)")
_NAME_PREFIX = re.compile(rf"^(?:{_CRITERION_WORDS}) (?:về )?")


@dataclass(frozen=True)
class Label:
    """What a header or row label says about criteria."""

    number: int
    how: str  # "number" ("TC 7"), "name" (a criterion's name), "indicator" ("9.1")
    explicit: bool = False  # "TC 7", "Tiêu chí 7": a criterion for sure, even outside the set


_NAME_INDEX: dict[int, tuple[CriteriaSet, dict[str, int]]] = {}


def _names(criteria: CriteriaSet) -> dict[str, int]:
    cached = _NAME_INDEX.get(id(criteria))
    if cached is not None and cached[0] is criteria:
        return cached[1]
    index: dict[str, int] = {}
    for criterion in criteria.criteria:
        for name in (criterion.name, criterion.short_name, *criterion.aliases):
            index.setdefault(key(name), criterion.number)
    _NAME_INDEX[id(criteria)] = (criteria, index)
    return index


def criterion_by_name(text: str, criteria: CriteriaSet) -> int | None:
    names = _names(criteria)
    k = key(text)
    found = names.get(k)
    if found is None:
        found = names.get(_NAME_PREFIX.sub("", k))
    return found


def criterion_label(value: CellValue, criteria: CriteriaSet) -> Label | None:
    """The criterion (or indicator) a header or row label names: 7, "7", "TC7", "TC 7",
    "Tiêu chí số 07", "7. Cơ sở vật chất văn hoá", a name (short, full or alias; case,
    punctuation and tone placement ignored), or "9.1" (an indicator of criterion 9)."""
    if is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if number.is_integer() and 1 <= number <= 999:
            return Label(int(number), "number")
        text = f"{number:g}"
        match = _INDICATOR.match(text)
        return Label(int(match.group(1)), "indicator") if match else None
    if not isinstance(value, str) or not value.strip():
        return None
    folded = fold(value)
    match = _INDICATOR.match(folded)
    if match and not re.match(r"^0*\d{1,3} ?[.,] ?\D", folded):
        return Label(int(match.group(1)), "indicator")
    k = key(value)
    match = _BY_NUMBER.match(k)
    if match:
        return Label(int(match.group(1)), "number", explicit=True)
    match = _NUMBER_THEN_NAME.match(k)
    if match:
        return Label(int(match.group(1)), "number")
    found = criterion_by_name(value, criteria)
    return Label(found, "name") if found is not None else None
