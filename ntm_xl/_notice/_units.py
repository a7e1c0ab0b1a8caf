"""Units after the 2025 reform: which former commune a village belongs to.

A notice issued by a new commune may group its villages by the communes merged into it.
The reader records where each village's commune was named (``VillageAssessment.commune_source``):
a name on the village's own row, its column or a group row above it names the village's
commune as the file lists it, which in a new commune's file is the former commune; a name
for the whole sheet (title, sheet tab, file name) is the former commune only when it is not
the issuing commune: a file titled "UBND XÃ PHỦ THÔNG" with no group rows does not say
which former commune each village was in, and is refused (R030) rather than guessed.
"""

from __future__ import annotations

from dataclasses import replace

from .._common._errors import UsageError
from .._common._text import display_name, fold
from .._values._catalogue import problem_at
from .._values._model import SHEET_SOURCES, ExcludedVillage, Summary, VillageAssessment
from .._values._problems import Problem
from ._config import Grouping, NoticeConfig

__all__ = [
    "FORMER_SUFFIX",
    "REASON_NO_FORMER",
    "former_commune",
    "refuse_unknown_former",
    "resolve_former_communes",
]

FORMER_SUFFIX = "cũ"  # "xã Vi Hương cũ"
REASON_NO_FORMER = "không rõ thuộc xã cũ nào"

_WHERE = {"title": "ở tiêu đề", "tab": "ở tên trang tính", "file": "ở tên tệp"}


def former_commune(village: VillageAssessment, issuing_name: str) -> str | None:
    """The village's former commune, or None when its file names only the issuing commune."""
    if village.commune_source in SHEET_SOURCES and fold(village.commune) == fold(issuing_name):
        return None
    return village.commune


def _unknown(summary: Summary, issuing_name: str) -> list[VillageAssessment]:
    return [v for v in summary.villages if former_commune(v, issuing_name) is None]


def _problem(village: VillageAssessment) -> Problem:
    where = village.location
    return problem_at(
        "R030",
        where,
        village=village.village,
        commune=village.commune,
        where=_WHERE.get(village.commune_source, ""),
    )


def resolve_former_communes(summary: Summary, config: NoticeConfig) -> Summary:
    """When the notice groups by former commune: villages whose file does not say theirs are
    not counted, each with a located problem (R030); otherwise the summary as it is."""
    if config.grouping is not Grouping.FORMER:
        return summary
    unknown = _unknown(summary, config.issuing_name)
    if not unknown:
        return summary
    left_out = {id(v) for v in unknown}
    return replace(
        summary,
        villages=tuple(v for v in summary.villages if id(v) not in left_out),
        excluded=summary.excluded
        + tuple(ExcludedVillage(v.commune, v.village, v.location, REASON_NO_FORMER) for v in unknown),
        problems=summary.problems + tuple(_problem(v) for v in unknown),
    )


def refuse_unknown_former(summary: Summary, issuing_name: str) -> None:
    """A UsageError naming (file, sheet, cell) of villages whose former commune is unknown."""
    unknown = _unknown(summary, issuing_name)
    if not unknown:
        return
    shown = "; ".join(
        f"{v.village} ({v.location.file.name}, trang '{v.location.sheet}', ô {v.location.cell})"
        for v in unknown[:5]
    )
    more = f" và {len(unknown) - 5} thôn khác" if len(unknown) > 5 else ""
    raise UsageError(
        f"Không nhóm được các thôn theo xã cũ: biểu chỉ ghi xã {display_name(issuing_name)} (xã mới) cho "
        f"{shown}{more}. Cần ghi dòng nhóm 'Xã ...' (tên xã cũ) phía trên các thôn của mỗi xã cũ, hoặc "
        'đặt grouping = "xã" hay "không" trong cấu hình thông báo.'
    )
