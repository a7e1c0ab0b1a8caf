"""Criteria sets: versioned data files, never code.

A set is a TOML file (see ``criteria/bac-kan-thon-2022-2025.toml``). Nothing
in ntm_xl assumes 19 criteria or a numbering from 1: everything iterates over
``CriteriaSet.criteria`` in file order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from .._common._errors import CriteriaError
from .._common._text import clean, fold
from .._common._toml import parse_toml, read_toml

__all__ = [
    "DEFAULT_CRITERIA",
    "CriteriaSet",
    "Criterion",
    "builtin_criteria_names",
    "criteria_from_mapping",
    "load_criteria",
]

DEFAULT_CRITERIA = "bac-kan-thon-2022-2025"
_SIMPLE = "các mục [[criterion]] đơn giản như tệp có sẵn"


@dataclass(frozen=True)
class Criterion:
    number: int
    name: str
    short_name: str
    group: str = ""
    certainty: str = ""
    measures: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Header text: "7. Cơ sở vật chất văn hoá"."""
        return f"{self.number}. {self.short_name}"


@dataclass(frozen=True)
class CriteriaSet:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    province: str = ""
    period: str = ""
    version: str = ""
    unit: str = "thôn"
    group_unit: str = "xã"
    source: str = ""

    def __len__(self) -> int:
        return len(self.criteria)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(c.number for c in self.criteria)

    @cached_property
    def _by_number(self) -> dict[int, Criterion]:
        return {c.number: c for c in self.criteria}

    @cached_property
    def _by_name(self) -> dict[str, Criterion]:
        index: dict[str, Criterion] = {}
        for criterion in self.criteria:
            for name in (criterion.name, criterion.short_name, *criterion.aliases):
                index.setdefault(fold(name), criterion)
        return index

    def by_number(self, number: int) -> Criterion:
        return self._by_number[number]

    def by_name(self, text: str) -> Criterion | None:
        """The criterion whose name, short name or alias equals ``text``."""
        return self._by_name.get(fold(text))


def builtin_criteria_names() -> list[str]:
    folder = resources.files("ntm_xl") / "criteria"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_criteria(name_or_path: str | Path | None = None) -> CriteriaSet:
    """Load a built-in set by name, or a user's TOML file by path.

    ``name_or_path``: a built-in set's id (``ntm-xl criteria`` lists them), a TOML file's
    path, or None for the default set. Raises ``CriteriaError`` in Vietnamese when it cannot.
    """
    spec = str(name_or_path) if name_or_path is not None else DEFAULT_CRITERIA
    builtin = resources.files("ntm_xl") / "criteria" / f"{spec}.toml"
    if builtin.is_file():
        return parse_criteria(builtin.read_text(encoding="utf-8"), source=spec)
    path = Path(spec)
    if not path.is_file():
        names = ", ".join(builtin_criteria_names())
        raise CriteriaError(
            f"Không tìm thấy bộ tiêu chí '{spec}': cần tên một bộ có sẵn ({names}) "
            "hoặc đường dẫn tới một tệp .toml."
        )
    return criteria_from_mapping(read_toml(path, "bộ tiêu chí", CriteriaError, _SIMPLE), str(path))


def parse_criteria(text: str, source: str = "") -> CriteriaSet:
    return criteria_from_mapping(parse_toml(text, "bộ tiêu chí", source, CriteriaError, _SIMPLE), source)


def criteria_from_mapping(data: Mapping[str, Any], source: str = "") -> CriteriaSet:
    """The one parser of a criteria set, from plain data: a TOML file's, or the master workbook's sheet.

    Keys as in the TOML files (``criterion`` a list of tables with ``number``,
    ``name``, ``short_name``, ``group``, ``certainty``, ``measures``, ``aliases``).
    """
    entries = data.get("criterion")
    if not isinstance(entries, list) or not entries:
        raise CriteriaError(f"Tệp bộ tiêu chí '{source}' không có tiêu chí nào: cần các mục [[criterion]].")
    criteria = tuple(_criterion(entry, i, source) for i, entry in enumerate(entries, 1))
    numbers = [c.number for c in criteria]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise CriteriaError(
            f"Tệp bộ tiêu chí '{source}': số tiêu chí bị trùng: " + ", ".join(str(n) for n in duplicates)
        )
    return CriteriaSet(
        id=str(data.get("id", source)),
        title=clean(str(data.get("title", ""))),
        criteria=criteria,
        province=clean(str(data.get("province", ""))),
        period=clean(str(data.get("period", ""))),
        version=str(data.get("version", "")),
        unit=clean(str(data.get("unit", "thôn"))) or "thôn",
        group_unit=clean(str(data.get("group_unit", "xã"))) or "xã",
        source=source,
    )


def _criterion(entry: Any, index: int, source: str) -> Criterion:
    where = f"Tệp bộ tiêu chí '{source}', tiêu chí thứ {index}"
    if not isinstance(entry, dict):
        raise CriteriaError(f"{where}: cần một bảng [[criterion]].")
    number = entry.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise CriteriaError(f"{where}: 'number' phải là số nguyên dương, gặp {number!r}.")
    name = clean(str(entry.get("name", "")))
    if not name:
        raise CriteriaError(f"{where}: thiếu 'name' (tên tiêu chí).")
    short_name = clean(str(entry.get("short_name", ""))) or name
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list):
        raise CriteriaError(f"{where}: 'aliases' phải là một danh sách tên.")
    return Criterion(
        number=number,
        name=name,
        short_name=short_name,
        group=clean(str(entry.get("group", ""))),
        certainty=clean(str(entry.get("certainty", ""))),
        measures=str(entry.get("measures", "")).strip(),
        aliases=tuple(clean(str(a)) for a in aliases),
    )
