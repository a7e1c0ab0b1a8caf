"""Legacy Vietnamese encodings: TCVN3 (ABC, fonts ".VnTime") and VNI.

Text typed with those 8-bit fonts reaches us as Latin-1 mojibake ("Nµ Rµo"
for "Nà Rào", "Naø Raøo" in VNI). A cell is converted only on evidence:

* it holds a *marker*: a character of the encoding that is never a letter of
  Vietnamese ("µ", "®", "ø", "Ñ", ...), inside a word;
* it holds no Vietnamese letter outside Latin-1 ("ạ", "đ", "ư", ...), which
  no legacy font can produce;
* once converted, every word is a well-formed Vietnamese syllable.

A valid Unicode name never holds a marker, so it is never converted. Words of
a file that is entirely in one legacy encoding but hold no marker ("Sôn" for
"Sơn" in VNI) are converted too, only when the file has no Unicode
Vietnamese text at all.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from .._values._catalogue import problem
from .._values._model import CellValue, InputSheet
from .._values._problems import Problem

__all__ = [
    "Encoding",
    "LegacyFix",
    "candidates",
    "converted_value",
    "decode",
    "detect",
    "encode",
    "fix_sheets",
    "is_vietnamese_syllable",
    "legacy_leftovers",
    "legacy_problems",
    "legacy_warning",
]


class Encoding(enum.Enum):
    TCVN3 = "TCVN3 (ABC, phông .VnTime)"
    VNI = "VNI (phông VNI-Times)"

    @property
    def label(self) -> str:
        return self.value


# TCVN3 (TCVN 5712:1993, VN3): one byte per precomposed lower-case letter;
# upper case only for the seven letters with a shape mark. Upper-case fonts
# (".VnTimeH") draw the same bytes as capitals, so case is restored by context.
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ "
    "Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ ×ì Ýí Øỉ Üĩ Þị "
    "ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ "
    "ïù óú ñủ òũ ôụ \u00adư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ "
    "¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TCVN3_TO_UNICODE: dict[str, str] = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}

# Tone marks in the order sắc, huyền, hỏi, ngã, nặng.
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
# VNI: base letter, then a code for the shape and/or tone mark.
_VNI_PLAIN_TONES = "ùøûõï"  # after a, e, o, u, y, ơ, ư
_VNI_HAT_TONES = "áàåãä"  # after â, ê, ô (hat written "â")
_VNI_BREVE_TONES = "éèúüë"  # after ă (breve written "ê")
_VNI_I = "íìæóò"  # i with each tone, one character
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ"}


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _vni_table() -> dict[str, str]:
    lower: dict[str, str] = {}
    for base in "aeouy":
        for code, tone in zip(_VNI_PLAIN_TONES, _TONES, strict=True):
            lower[base + code] = _compose(base, tone)
    for base in "aeo":
        lower[base + "â"] = _compose(base, "\u0302")
        for code, tone in zip(_VNI_HAT_TONES, _TONES, strict=True):
            lower[base + code] = _compose(base, "\u0302", tone)
    lower["aê"] = "ă"
    for code, tone in zip(_VNI_BREVE_TONES, _TONES, strict=True):
        lower["a" + code] = _compose("a", "\u0306", tone)
    for letter, code in (("ơ", "ô"), ("ư", "ö")):
        for tone_code, tone in zip(_VNI_PLAIN_TONES, _TONES, strict=True):
            lower[code + tone_code] = _compose(letter, tone)
    for code, tone in zip(_VNI_I, _TONES, strict=True):
        lower[code] = _compose("i", tone)
    lower.update(_VNI_SINGLE)
    del lower["yï"]  # ỵ is the single code "î"
    table = dict(lower)
    for code, letter in lower.items():
        table[code.upper()] = letter.upper()
    return table


VNI_TO_UNICODE: dict[str, str] = _vni_table()

_LATIN1_VIETNAMESE = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_MARKERS = {
    Encoding.TCVN3: frozenset(TCVN3_TO_UNICODE) - _LATIN1_VIETNAMESE,
    Encoding.VNI: frozenset("".join(VNI_TO_UNICODE)) - _LATIN1_VIETNAMESE - frozenset("aeiouyAEIOUY"),
}
_ALL_MARKERS = frozenset().union(*_MARKERS.values())
_LEGACY_CHARS = frozenset(TCVN3_TO_UNICODE) | frozenset("".join(VNI_TO_UNICODE))
_MARKER_SEARCH = re.compile("[" + re.escape("".join(sorted(_ALL_MARKERS))) + "]")
_WORD = re.compile("[A-Za-z" + re.escape("".join(sorted(_LEGACY_CHARS | _LATIN1_VIETNAMESE))) + "]+")

# Vietnamese letters outside Latin-1 ("ạ", "ư", "đ", ...): a legacy font can't
# produce them, so a cell holding one is Unicode.
_UNICODE_ONLY = re.compile("[\u0100-\u024f\u1ea0-\u1ef9]")

# Vietnamese onsets, then those of the Tày-Nùng alphabet (1961, on the Quốc ngữ base) that
# village names keep: sl ("Slam Vè", "Khuổi Slẻ"), bj, mj, pj, phj ("Bản Pjạc", "Phja"), f, z,
# j, w. Mông and Dao names reach district files in Vietnamese spelling ("Lủng Cháng", "Pả Vi").
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]"
_MINORITY_ONSET = "phj|sl|bj|mj|pj|[fjwz]"
_CODA = "ch|ng|nh|[cmnpt]"
# Vowel groups of Vietnamese syllables, glides included ("oai", "ươu"), and the long vowels
# Tày-Nùng writes doubled ("Bjoóc", "khiing", "khuúp").
_NUCLEI = (
    *("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"),
    *("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo"),
    *("ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê"),
    *("iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu"),
)
_MINORITY_NUCLEI = ("ii", "uu", "ưư", "ôô", "ơơ", "ee", "êê", "aa")


def _syllable_pattern(onsets: str, nuclei: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        rf"^(?P<onset>{onsets})?(?P<nucleus>{'|'.join(sorted(nuclei, key=len, reverse=True))})"
        rf"(?P<coda>{_CODA})?$"
    )


_SYLLABLE = _syllable_pattern(_ONSET, _NUCLEI)
_NAME_SYLLABLE = _syllable_pattern(f"{_MINORITY_ONSET}|{_ONSET}", (*_NUCLEI, *_MINORITY_NUCLEI))
# Vowel groups ending in a glide (or "ia", "ua", "ưa", which become "iê", "uô", "ươ" before a
# consonant) never take a final consonant: "Baỷn" or "Pjaùc" is mojibake read in the wrong encoding.
_OPEN_NUCLEI = frozenset(
    (
        *("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa"),
        *("ưi", "ưu", "uơ", "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya"),
        "uyu",
    )
)
_SHAPED = frozenset("ăâêôơư")
_EITHER_PLACE = frozenset(("oa", "oe", "uy"))  # "hoà" and "hòa" are both written
_TONE_SET = frozenset(_TONES)


def _tone_places(nucleus: str, coda: str) -> frozenset[int]:
    """Where the tone mark may sit in ``nucleus`` (indexes)."""
    shaped = [i for i, c in enumerate(nucleus) if c in _SHAPED]
    if shaped:
        return frozenset((shaped[-1],))
    if len(nucleus) == 1:
        return frozenset((0,))
    if coda:
        return frozenset((len(nucleus) - 1,))
    if len(nucleus) == 3:
        return frozenset((1,))
    if nucleus in _EITHER_PLACE:
        return frozenset((0, 1))
    return frozenset((0,))


def is_vietnamese_syllable(word: str, *, minority: bool = True) -> bool:
    """Whether ``word`` is a well-formed syllable of a Vietnamese-script name (any case, either tone
    style): Vietnamese, or (``minority``) Tày-Nùng as village names write it ("Slẻ", "Pjạc", "Bjoóc")."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    letters: list[str] = []
    tone_at: list[int] = []
    for char in decomposed:
        if char in _TONE_SET:
            tone_at.append(len(letters) - 1)
        elif unicodedata.combining(char) and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        else:
            letters.append(char)
    if len(tone_at) > 1:
        return False
    match = (_NAME_SYLLABLE if minority else _SYLLABLE).match("".join(letters))
    if match is None or (match.group("coda") and match.group("nucleus") in _OPEN_NUCLEI):
        return False
    if not tone_at:
        return True
    start = len(match.group("onset") or "")
    nucleus, coda = match.group("nucleus"), match.group("coda") or ""
    return tone_at[0] - start in _tone_places(nucleus, coda)


def _decode_tcvn3(text: str) -> str:
    return "".join(TCVN3_TO_UNICODE.get(c, c) for c in text)


def _decode_vni(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in VNI_TO_UNICODE:
            out.append(VNI_TO_UNICODE[pair])
            i += 2
            continue
        out.append(VNI_TO_UNICODE.get(text[i], text[i]))
        i += 1
    return "".join(out)


# Lower-case letters whose capital has a code of its own: typed lower on purpose.
_TCVN3_HAS_CAPITAL = frozenset("®¨©ª«¬\u00ad")


def _restore_case(original: str, converted: str) -> str:
    """TCVN3 has no toned capitals: "THUÇN" -> "THUẦN", "Nµ Ýt" -> "Nà Ít".

    Decoding TCVN3 maps one character to one, so positions line up.
    """
    letters = [c for c in original if c.isascii() and c.isalpha()]
    inner_capital = any(c.isascii() and c.isupper() for word in _WORD.findall(original) for c in word[1:])
    if inner_capital and all(c.isupper() for c in letters):
        return converted.upper()
    starts = [m.start() for m in _WORD.finditer(original)]
    typed = [original[i] for i in starts if original[i].isascii() or original[i] in _TCVN3_HAS_CAPITAL]
    if not typed or not all(c.isupper() or c in "§¡¢£¤¥¦" for c in typed):
        return converted
    chars = list(converted)
    for i in starts:
        if original[i] in TCVN3_TO_UNICODE and original[i] not in _TCVN3_HAS_CAPITAL:
            chars[i] = chars[i].upper()
    return "".join(chars)


def decode(text: str, encoding: Encoding) -> str:
    """``text`` read as ``encoding``, in Unicode (NFC)."""
    if encoding is Encoding.TCVN3:
        return unicodedata.normalize("NFC", _restore_case(text, _decode_tcvn3(text)))
    return unicodedata.normalize("NFC", _decode_vni(text))


def encode(text: str, encoding: Encoding) -> str:
    """Unicode text as the legacy font would store it (for tests and samples)."""
    text = unicodedata.normalize("NFC", text)
    if encoding is Encoding.TCVN3:
        reverse = {u: t for t, u in TCVN3_TO_UNICODE.items()}
        # Toned capitals have no code of their own: upper-case fonts use the lower-case one.
        return "".join(reverse.get(c, reverse.get(c.lower(), c)) for c in text)
    reverse_vni = {u: v for v, u in VNI_TO_UNICODE.items()}
    return "".join(reverse_vni.get(c, c) for c in text)


def _converts_cleanly(text: str, encoding: Encoding) -> str | None:
    converted = decode(text, encoding)
    if converted == unicodedata.normalize("NFC", text):
        return None
    for word in re.findall(r"[^\W\d_]+", converted):
        if not word.isascii() and not is_vietnamese_syllable(word):
            return None
    return converted


def _evidence(text: str, encoding: Encoding) -> int:
    markers = _MARKERS[encoding]
    return sum(1 for w in _WORD.findall(text) if len(w) >= 2 and any(c in markers for c in w))


def candidates(text: str) -> dict[Encoding, tuple[int, str]]:
    """Each encoding ``text`` is clearly written in: (evidence, Unicode text)."""
    if not _MARKER_SEARCH.search(text) or _UNICODE_ONLY.search(text):
        return {}
    found: dict[Encoding, tuple[int, str]] = {}
    for encoding in Encoding:
        score = _evidence(text, encoding)
        if score:
            converted = _converts_cleanly(text, encoding)
            if converted is not None:
                found[encoding] = (score, converted)
    if len(found) > 1:
        # Read in the wrong encoding, a Vietnamese name can still pass for a Tày one ("Luùc" for
        # "Lục"): the reading that needs no Tày-Nùng spelling is the one meant.
        plain = {e: hit for e, hit in found.items() if _all_vietnamese(hit[1])}
        if plain:
            return plain
    return found


def _all_vietnamese(text: str) -> bool:
    return all(
        word.isascii() or is_vietnamese_syllable(word, minority=False)
        for word in re.findall(r"[^\W\d_]+", text)
    )


def detect(text: str) -> tuple[Encoding, str] | None:
    """(encoding, Unicode text) when ``text`` is clearly legacy mojibake, else None."""
    found = candidates(text)
    if not found:
        return None
    encoding = max(found, key=lambda e: found[e][0])
    return encoding, found[encoding][1]


@dataclass(frozen=True)
class LegacyFix:
    """What was converted in one file."""

    encoding: Encoding
    cells: int
    example: tuple[str, str, str, str]  # sheet, cell, before, after


def fix_sheets(sheets: Iterable[InputSheet]) -> tuple[list[InputSheet], LegacyFix | None]:
    """The sheets with legacy-encoded cells in Unicode, and what was done.

    One encoding per file: the one most cells are clearly written in.
    """
    sheets = list(sheets)
    if not any(_has_marker(sheet) for sheet in sheets):
        return sheets, None  # no cell holds a marker, so none is a candidate: nothing to convert
    found: dict[tuple[int, int, int], dict[Encoding, tuple[int, str]]] = {}
    unicode_text = False
    votes = dict.fromkeys(Encoding, 0)
    for s, sheet in enumerate(sheets):
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if not isinstance(value, str) or not value or value.isascii():
                    continue
                if not unicode_text and _UNICODE_ONLY.search(value):
                    unicode_text = True
                hit = candidates(value)
                if hit:
                    found[(s, r, c)] = hit
                    if len(hit) == 1:
                        votes[next(iter(hit))] += 1
    if not found:
        return sheets, None
    encoding = max(Encoding, key=lambda e: (votes[e], sum(e in h for h in found.values())))
    converted = {key: hit[encoding][1] for key, hit in found.items() if encoding in hit}
    if not converted:
        return sheets, None
    if not unicode_text:
        # The whole file is in one legacy font: words without a marker are legacy too.
        for s, sheet in enumerate(sheets):
            for r, row in enumerate(sheet.rows):
                for c, value in enumerate(row):
                    if (s, r, c) in converted or not isinstance(value, str) or value.isascii():
                        continue
                    text = _converts_cleanly(value, encoding)
                    if text is not None:
                        converted[(s, r, c)] = text
    fixed: list[InputSheet] = []
    example: tuple[str, str, str, str] | None = None
    for s, sheet in enumerate(sheets):
        hits = {(r, c): v for (si, r, c), v in converted.items() if si == s}
        if not hits:
            fixed.append(sheet)
            continue
        hit_rows = {r for r, _ in hits}
        rows = tuple(
            tuple(hits.get((r, c), value) for c, value in enumerate(row)) if r in hit_rows else row
            for r, row in enumerate(sheet.rows)
        )
        if example is None:
            (r, c), after = min(hits.items())
            example = (sheet.name, xl_rowcol_to_cell(r, c), str(sheet.rows[r][c]), after)
        fixed.append(replace(sheet, rows=rows))
    assert example is not None
    return fixed, LegacyFix(encoding, len(converted), example)


# (rows, whether they hold a marker) of the last sheets looked at: ``fix_sheets`` and then
# ``legacy_leftovers`` ask it of the same sheets, which most files leave unchanged.
_MARKED: list[tuple[object, bool]] = []


def _has_marker(sheet: InputSheet) -> bool:
    for rows, found in _MARKED:
        if rows is sheet.rows:
            return found
    found = _MARKER_SEARCH.search(_all_text(sheet)) is not None
    _MARKED.append((sheet.rows, found))
    del _MARKED[:-16]
    return found


def _all_text(sheet: InputSheet) -> str:
    """Every text cell of the sheet, one per line: one search in C instead of one per cell."""
    return "\n".join([value for row in sheet.rows for value in row if isinstance(value, str)])


def converted_value(value: CellValue) -> CellValue:
    """One value converted when it is clearly legacy text (for single cells)."""
    if isinstance(value, str):
        hit = detect(value)
        if hit is not None:
            return hit[1]
    return value


def legacy_warning(path: Path, fix: LegacyFix) -> Problem:
    """The one warning per file saying which legacy encoding was converted."""
    sheet, cell, before, after = fix.example
    return problem(
        "E001",
        path,
        encoding=fix.encoding.label,
        cells=fix.cells,
        example_sheet=sheet,
        example_cell=cell,
        before=before[:40],
        after=after[:40],
    )


# A marker between two letters ("Th«n", "Naøo"), or closing a word after a letter ("Nµ", "Naø"),
# is a legacy letter. One opening a word or standing after it is more often a sign of its own:
# "«Thôn văn hoá»", "µg/l", "ABC®".
_LETTER = "A-Za-z" + re.escape("".join(sorted(_LEGACY_CHARS | _LATIN1_VIETNAMESE)))
_MARKER_CLASS = re.escape("".join(sorted(_ALL_MARKERS)))
_LEGACY_LOOKING = re.compile(
    f"[{_LETTER}][{_MARKER_CLASS}][{_LETTER}]"
    f"|[A-Za-z][{re.escape(''.join(sorted(_ALL_MARKERS - frozenset('»®©·'))))}](?![{_LETTER}])"
)


def _looks_legacy(text: str) -> bool:
    return _LEGACY_LOOKING.search(text) is not None


def legacy_leftovers(sheets: Iterable[InputSheet]) -> list[tuple[str, str, str]]:
    """(sheet, cell, text) of each text cell that still holds a legacy-encoding character inside a
    word: a name that did not convert (an unusual syllable, two encodings mixed in one cell)."""
    found: list[tuple[str, str, str]] = []
    for sheet in sheets:
        if not _has_marker(sheet):
            continue
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and _MARKER_SEARCH.search(value) and _looks_legacy(value):
                    found.append((sheet.name, xl_rowcol_to_cell(r, c), value))
    return found


def legacy_problems(path: Path, sheets: Iterable[InputSheet], fix: LegacyFix | None) -> list[Problem]:
    """For the sheets after ``fix_sheets``: the file's conversion warning, and a warning at each
    cell still holding legacy-looking characters, so no mojibake reaches a notice unsaid."""
    problems = [legacy_warning(path, fix)] if fix is not None else []
    for sheet, cell, text in legacy_leftovers(sheets):
        shown = text if len(text) <= 60 else text[:57] + "..."
        problems.append(problem("E002", path, sheet=sheet, cell=cell, text=shown))
    return problems
