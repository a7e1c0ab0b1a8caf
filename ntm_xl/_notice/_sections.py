"""Sections I.2 and I.3 of the notice, worded exactly as the district writes them."""

from __future__ import annotations

from dataclasses import dataclass

from .._common._text import fold
from .._values._model import Summary, VillageAssessment

__all__ = ["NoticeSections", "grouped_names", "notice_sections", "village_label"]


@dataclass(frozen=True)
class NoticeSections:
    count_heading: str
    count_lines: tuple[str, ...]
    deficiency_heading: str
    deficiency_lines: tuple[str, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        return (self.count_heading, *self.count_lines, self.deficiency_heading, *self.deficiency_lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def grouped_names(villages: tuple[VillageAssessment, ...], group_unit: str) -> str:
    """ "Bản Vén, Bản Đán xã Đôn Phong; Nà Rào xã Nguyên Phúc" (communes in order given)."""
    groups: dict[str, list[str]] = {}
    for village in villages:
        groups.setdefault(village.commune, []).append(village.village)
    return "; ".join(f"{', '.join(names)} {group_unit} {commune}" for commune, names in groups.items())


def village_label(village: VillageAssessment, ambiguous: frozenset[str], group_unit: str) -> str:
    """A village's name, with its commune when another commune has a village of that name."""
    if fold(village.village) in ambiguous:
        return f"{village.village} ({group_unit} {village.commune})"
    return village.village


def notice_sections(summary: Summary) -> NoticeSections:
    criteria = summary.criteria
    unit, group_unit = criteria.unit, criteria.group_unit
    count_lines = tuple(
        f"- Số {unit} đạt {count} tiêu chí: {len(villages):02d} {unit} "
        f"({grouped_names(villages, group_unit)})."
        for count, villages in summary.tallies.by_met_count.items()
    )
    if not count_lines:
        count_lines = (f"- Chưa có {unit} nào có đủ số liệu để tổng hợp.",)
    ambiguous = summary.tallies.ambiguous_names
    deficiency_lines = tuple(
        f"- Tiêu chí số {number} ({criteria.by_number(number).short_name}): {len(villages):02d} {unit} "
        f"({', '.join(village_label(v, ambiguous, group_unit) for v in villages)})."
        for number, villages in summary.tallies.deficiencies.items()
    )
    if not deficiency_lines and summary.villages:
        deficiency_lines = (f"- Không có tiêu chí nào chưa đạt: các {unit} đều đạt đủ tiêu chí.",)
    return NoticeSections(
        count_heading=(f"2. Kết quả rà soát số lượng tiêu chí đã đạt theo bộ tiêu chí {unit} nông thôn mới:"),
        count_lines=count_lines,
        deficiency_heading=f"3. Kết quả rà soát tiêu chí chưa đạt theo bộ tiêu chí {unit} nông thôn mới:",
        deficiency_lines=deficiency_lines,
    )
