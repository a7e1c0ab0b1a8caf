"""Where a sheet names its commune, above its table, on its tab, or in its file name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .._common._a1 import cell_name
from .._common._text import display_name
from .._values._model import CellValue
from ._vocabulary import (
    bare_commune,
    commune_in_caption,
    commune_in_name,
    commune_in_tail,
    commune_in_title,
    is_commission,
    key,
    text_of,
)

__all__ = ["commune_in_titles", "fallback_commune"]


def commune_in_titles(rows: Sequence[Sequence[CellValue]], *, tails: bool = False) -> tuple[str, str] | None:
    """(commune, cell) named above a table: "UBND XÃ X", "ỦY BAN NHÂN DÂN" over (or beside)
    "XÃ X", "Xã: X", "Xã:" | "X", or a caption "(Kèm theo ... của UBND xã X)"; with ``tails``
    also a title ending in ", xã X" (the per-village sheets' "THÔN NÀ NGẦN, XÃ THUẦN MANG")."""
    commission: set[int] = set()  # columns where "ỦY BAN NHÂN DÂN" stood on the row above
    for r, row in enumerate(rows):
        below: set[int] = set()
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip():
                continue
            text = value.strip()
            where = cell_name(r, c)
            if key(text) == key("xã") and text.endswith(":"):
                following = next((text_of(v) for v in row[c + 1 :] if text_of(v)), "")
                if following:
                    return display_name(following, ("xã",)), where
                continue
            found = commune_in_title(text) or commune_in_caption(text)
            if found is None and tails:
                found = commune_in_tail(text)
            if found is None and (c in commission or c - 1 in commission or _beside_commission(row, c)):
                found = bare_commune(text)
            if found:
                return found, where
            if is_commission(text):
                below.add(c)
        commission = below
    return None


def _beside_commission(row: Sequence[CellValue], col: int) -> bool:
    left = row[col - 1] if col > 0 else ""
    return isinstance(left, str) and is_commission(left)


def fallback_commune(sheet: str, path: Path, *, tab: bool = True) -> tuple[str, str, str] | None:
    """(commune, source, where) from the sheet tab ("tab") or, last, the file name ("file")."""
    if tab:
        found = commune_in_name(sheet)
        if found:
            return found, "tab", sheet
    found = commune_in_name(path.stem)
    if found:
        return found, "file", path.name
    return None
