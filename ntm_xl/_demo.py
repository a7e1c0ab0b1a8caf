"""The built-in samples: the 21 villages of the Bạch Thông notice (2024), and a second
example after the 2025 reform: the new Xã Phủ Thông reviewing the villages of its former
communes Vi Hương, Tân Tú and Lục Bình."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import tomllib

from ._notice._config import NoticeConfig, load_notice_config
from ._render._commune_form import CREATED, write_commune_form
from ._render._spec import Block, Merge, PageSetup, SheetSpec, Style
from ._render._xlsx import write_workbook
from ._values._criteria import CriteriaSet, load_criteria
from ._values._marks import MET_WORD, NOT_MET_WORD

__all__ = [
    "REFORM_FOLDER",
    "DemoCommune",
    "DemoData",
    "ReformDemo",
    "demo_notice_config",
    "load_demo",
    "load_reform_demo",
    "reform_notice_config",
    "slug",
    "write_reform_sample",
    "write_samples",
]

NOTICE_CONFIG = "notice-bach-thong-2024.toml"
REFORM_NOTICE_CONFIG = "notice-phu-thong-2025.toml"
# The second example's outputs, in a subfolder of the demo's.
REFORM_FOLDER = "phu-thong"


@dataclass(frozen=True)
class DemoCommune:
    name: str
    villages: tuple[tuple[str, frozenset[int]], ...]  # (village, criteria not met)


@dataclass(frozen=True)
class DemoData:
    province: str
    district: str
    period: str
    criteria: CriteriaSet
    communes: tuple[DemoCommune, ...]


@dataclass(frozen=True)
class ReformDemo:
    """A new commune (after the 2025 reform) with its villages under their former communes."""

    province: str
    commune: str
    period: str
    criteria: CriteriaSet
    former: tuple[DemoCommune, ...]


def _data(name: str) -> dict[str, object]:
    return tomllib.loads((resources.files("ntm_xl") / "data" / name).read_text(encoding="utf-8"))


def _communes(tables: list[dict[str, Any]]) -> tuple[DemoCommune, ...]:
    return tuple(
        DemoCommune(c["name"], tuple((v["name"], frozenset(v["not_met"])) for v in c["villages"]))
        for c in tables
    )


def load_demo() -> DemoData:
    data: dict[str, Any] = _data("demo-bach-thong-2024.toml")
    communes = _communes(data["commune"])
    return DemoData(
        data["province"], data["district"], data["period"], load_criteria(data["criteria"]), communes
    )


def slug(text: str) -> str:
    """ASCII file-name form: "Đôn Phong" -> "don-phong"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def write_samples(folder: str | Path, demo: DemoData | None = None) -> list[Path]:
    """One filled standard workbook per commune, named so name order is commune order."""
    demo = demo or load_demo()
    folder = Path(folder)
    paths = []
    for index, commune in enumerate(demo.communes, 1):
        marks = {
            village: {c.number: c.number not in not_met for c in demo.criteria.criteria}
            for village, not_met in commune.villages
        }
        path = folder / f"{index:02d}-{slug(commune.name)}.xlsx"
        write_commune_form(
            path,
            demo.criteria,
            commune=commune.name,
            villages=[v for v, _ in commune.villages],
            province=demo.province,
            district=demo.district,
            period=demo.period,
            marks=marks,
        )
        paths.append(path)
    return paths


def demo_notice_config() -> NoticeConfig:
    """The example notice configuration shipped with the package (Bạch Thông, 2024)."""
    return _notice_config(NOTICE_CONFIG)


def reform_notice_config() -> NoticeConfig:
    """The second example's configuration: issued by Xã Phủ Thông, grouped by former commune."""
    return _notice_config(REFORM_NOTICE_CONFIG)


def _notice_config(name: str) -> NoticeConfig:
    with resources.as_file(resources.files("ntm_xl") / "data" / name) as example:
        return load_notice_config(example)


def load_reform_demo() -> ReformDemo:
    data: dict[str, Any] = _data("demo-phu-thong-2025.toml")
    former = _communes(data["former"])
    return ReformDemo(
        data["province"], data["commune"], data["period"], load_criteria(data["criteria"]), former
    )


_TITLE = Style(bold=True, size=13, align="center")
_HEAD = Style(bold=True, align="center", wrap=True, border=True)
_HEAD_VERTICAL = Style(bold=True, align="center", wrap=True, border=True, rotation=90)
_GROUP = Style(bold=True, border=True)
_CELL = Style(border=True)
_CENTER = Style(border=True, align="center")


def write_reform_sample(
    folder: str | Path, demo: ReformDemo | None = None, *, group_label: str = "Xã {name} (cũ)"
) -> Path:
    """The new commune's one file: titled "UBND XÃ PHỦ THÔNG", a group row per former commune
    ("I. Xã Vi Hương (cũ)") above its villages, then the villages with their marks."""
    demo = demo or load_reform_demo()
    criteria = demo.criteria
    n = len(criteria)
    last = 2 + n
    head = 5
    rows: list[tuple[str | int, ...]] = []
    for index, former in enumerate(demo.former, 1):
        rows.append((_roman_numeral(index), group_label.format(name=former.name), *([""] * (n + 1))))
        for village, not_met in former.villages:
            marks = [NOT_MET_WORD if c.number in not_met else MET_WORD for c in criteria.criteria]
            rows.append(("", village, *marks, n - len(not_met)))
    first = head + 2
    blocks = [
        Block(head + 1, 2, (tuple(c.label for c in criteria.criteria),), _HEAD_VERTICAL),
    ]
    number = 0
    for offset, row in enumerate(rows):
        if row[0]:
            blocks.append(Block(first + offset, 0, (row,), _GROUP))
        else:
            number += 1
            blocks.append(Block(first + offset, 0, ((number, row[1]),), _CELL))
            blocks.append(Block(first + offset, 2, (row[2:],), _CENTER))
    layout = SheetSpec(
        name="Tổng hợp",
        blocks=tuple(blocks),
        merges=(
            Merge(0, 0, 0, 4, "ỦY BAN NHÂN DÂN", _TITLE),
            Merge(1, 0, 1, 4, f"XÃ {demo.commune.upper()}", _TITLE),
            Merge(
                3,
                0,
                3,
                last,
                f"KẾT QUẢ RÀ SOÁT TIÊU CHÍ {criteria.unit.upper()} NÔNG THÔN MỚI {demo.period.upper()}",
                _TITLE,
            ),
            Merge(head, 0, head + 1, 0, "STT", _HEAD),
            Merge(head, 1, head + 1, 1, f"Tên {criteria.unit}", _HEAD),
            Merge(head, 2, head, last - 1, "Tiêu chí", _HEAD),
            Merge(head, last, head + 1, last, "Số tiêu chí đạt", _HEAD),
        ),
        column_widths=((0, 0, 5), (1, 1, 24), (2, last - 1, 6), (last, last, 9)),
        row_heights=((head + 1, 150),),
        page=PageSetup(landscape=True),
    )
    path = Path(folder) / f"01-{slug(demo.commune)}.xlsx"
    return write_workbook(
        path, (layout,), title="Kết quả rà soát tiêu chí thôn nông thôn mới", created=CREATED
    )


def _roman_numeral(number: int) -> str:
    from ._common._text import roman_numeral as _roman

    return _roman(number)
