"""The built-in sample: the 21 villages of the Bạch Thông notice (2024)."""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ._notice._config import NoticeConfig, load_notice_config
from ._render._commune_form import write_commune_template
from ._values._criteria import CriteriaSet, load_criteria

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["DemoCommune", "DemoData", "demo_notice_config", "load_demo", "slug", "write_samples"]

NOTICE_CONFIG = "notice-bach-thong-2024.toml"


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


def load_demo() -> DemoData:
    text = (resources.files("ntm_xl") / "data" / "demo-bach-thong-2024.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    communes = tuple(
        DemoCommune(c["name"], tuple((v["name"], frozenset(v["not_met"])) for v in c["villages"]))
        for c in data["commune"]
    )
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
        write_commune_template(
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
    with resources.as_file(resources.files("ntm_xl") / "data" / NOTICE_CONFIG) as example:
        return load_notice_config(example)
