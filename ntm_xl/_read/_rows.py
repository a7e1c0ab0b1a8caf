"""Row roles below a villages-as-rows header: village, commune group, subtotal or total,
note, signature block (with the signer's name and the place-date line), or ignored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .._common._text import display_name
from .._values._marks import MarkReading, read_mark
from .._values._model import CellValue
from ._reading import RowRole
from ._vocabulary import (
    VILLAGE_WORDS,
    commune_in_group_row,
    is_blank,
    is_note,
    is_number,
    is_roman,
    is_signature,
    is_total,
    key,
    text_of,
)

__all__ = ["RowContext", "RowVerdict", "classify_row"]

_MARK_READINGS = (MarkReading.MET, MarkReading.NOT_MET, MarkReading.BASICALLY_MET)
_LONG_NOTE = 80


@dataclass(frozen=True)
class RowContext:
    village: int
    lead: tuple[int, ...]  # the columns left of (and including) the village and commune columns
    stt: int | None
    commune: int | None
    notes: int | None
    marks: tuple[int, ...]  # every column holding a verdict (pairs: both columns)


@dataclass(frozen=True)
class RowVerdict:
    role: RowRole
    name: str = ""  # the village's name, or the group's commune
    why: str = ""


def _has_marks(row: Sequence[CellValue], cols: tuple[int, ...]) -> bool:
    width = len(row)
    return any(c < width and not is_blank(row[c]) for c in cols)


def _mark_words(row: Sequence[CellValue], cols: tuple[int, ...]) -> int:
    width = len(row)
    return sum(1 for c in cols if c < width and (read_mark(row[c]) in _MARK_READINGS or is_number(row[c])))


@lru_cache(maxsize=1 << 14)  # the same status words fill every row
def _signature_text(value: str) -> str:
    """The cell's text when it starts a signature block or is a place-date line, else ""."""
    text = text_of(value)
    return text if text and is_signature(text) else ""


def _has_mark_words(row: Sequence[CellValue], cols: tuple[int, ...], enough: int) -> bool:
    """``_mark_words(row, cols) >= enough``, stopping once there are enough."""
    width = len(row)
    found = 0
    for c in cols:
        if c < width and (read_mark(row[c]) in _MARK_READINGS or is_number(row[c])):
            found += 1
            if found >= enough:
                return True
    return False


def classify_row(row: Sequence[CellValue], context: RowContext, after_signature: bool) -> RowVerdict:
    """The role of one non-blank row under the header."""
    width = len(row)
    name = text_of(row[context.village]) if context.village < width else ""
    lead = [text_of(row[c]) for c in context.lead if c < width]
    lead = [t for t in lead if t]
    commune = text_of(row[context.commune]) if context.commune is not None and context.commune < width else ""
    total = next((t for t in (name, *lead, commune) if t and is_total(t)), None)
    if total is not None:
        return RowVerdict(RowRole.TOTAL, why=f"'{total}'")
    marked = _has_marks(row, context.marks)
    groups = list(lead)
    if commune and not name and not marked:
        groups.append(commune)
    for text in groups:
        group = commune_in_group_row(text)
        if group:
            return RowVerdict(RowRole.GROUP, group, f"'{text}': xã {group}")
    stt = text_of(row[context.stt]) if context.stt is not None and context.stt < width else ""
    if stt and is_roman(stt) and name and key(name.split()[0]) not in VILLAGE_WORDS:
        commune = display_name(name, ("xã",))
        return RowVerdict(RowRole.GROUP, commune, f"số La Mã '{stt}' rồi tên '{name}': xã {commune}")
    if after_signature and _mark_words(row, context.marks) < 3:
        return RowVerdict(RowRole.SIGNATURE, why="dưới phần ký tên")
    # A row with three marks or more is no signature whatever it says: most rows, decided
    # before their texts are looked at.
    if not marked or not _has_mark_words(row, context.marks, 3):
        notes = context.notes
        texts = (_signature_text(v) for c, v in enumerate(row) if c != notes and isinstance(v, str))
        signature = next((t for t in texts if t), None)
        if signature is not None:
            return RowVerdict(RowRole.SIGNATURE, why=f"'{signature}'")
    if (name and is_note(name)) or (not name and any(is_note(t) for t in lead)):
        return RowVerdict(RowRole.NOTE, why=f"'{name or lead[0]}'")
    if not marked:
        if not name:
            return RowVerdict(RowRole.IGNORED, why="không có tên thôn và đánh giá")
        if len(name) > _LONG_NOTE or name.startswith(("*", "(", "-")):
            return RowVerdict(RowRole.NOTE, why="câu ghi chú")
    return RowVerdict(RowRole.VILLAGE, name)
