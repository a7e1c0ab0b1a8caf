"""Sections I.2 and I.3 of the notice, worded exactly as the district writes them, and the
notice's frame (header, subject line, the attached table's caption) as plain text."""

from __future__ import annotations

from dataclasses import dataclass

from .._common._text import fold
from .._values._model import Summary, VillageAssessment
from ._config import PLACEHOLDER, Grouping, NoticeConfig
from ._units import FORMER_SUFFIX, refuse_unknown_former

__all__ = [
    "SUBJECT",
    "NoticeFrame",
    "NoticeSections",
    "group_heading",
    "group_title",
    "grouped_names",
    "notice_frame",
    "notice_sections",
    "village_label",
]

# The subject line after "Kết quả ", with the Word template's tags (``_docx``).
SUBJECT = (
    "kiểm tra, đánh giá tình hình thực hiện kế hoạch xây dựng {{ don_vi }} nông thôn mới "
    "{{ ky_danh_gia }} đối với các {{ don_vi }} đăng ký đạt chuẩn NTM năm {{ nam }} trên địa bàn "
    "{{ dia_ban }}"
)
TABLE_TITLE = "BIỂU CHI TIẾT KẾT QUẢ RÀ SOÁT TIÊU CHÍ {{ don_vi_hoa }} NÔNG THÔN MỚI"
CAPTION = "(Kèm theo Thông báo số {{ so }}/{{ ky_hieu }} ngày {{ ngay_ngan }} của {{ co_quan_viet_tat }})"


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


@dataclass(frozen=True)
class NoticeFrame:
    """What surrounds sections I.2 and I.3: the header and subject above, the caption of the
    attached table below; all from the notice configuration (the issuing unit)."""

    issuer: tuple[str, ...]  # "ỦY BAN NHÂN DÂN", "XÃ PHỦ THÔNG"
    number: str  # "Số: .../TB-UBND"
    place_date: str  # "Phủ Thông, ngày ... tháng 7 năm 2025"
    subject: str  # "Kết quả kiểm tra, ... trên địa bàn xã Phủ Thông"
    table_title: str
    caption: str  # "(Kèm theo Thông báo số .../TB-UBND ngày ... của UBND xã Phủ Thông)"

    @property
    def head(self) -> tuple[str, ...]:
        return (*self.issuer, self.number, self.place_date, "", "THÔNG BÁO", self.subject)

    @property
    def foot(self) -> tuple[str, ...]:
        return (self.table_title, self.caption)

    def text(self, sections: NoticeSections) -> str:
        """The notice's computed parts as text: header and subject, I.2 and I.3, the caption."""
        lines = (*self.head, "", *sections.lines, "(Có biểu chi tiết kèm theo)", "", *self.foot)
        return "\n".join(lines) + "\n"


def frame_values(summary: Summary, config: NoticeConfig) -> dict[str, str]:
    """The frame's facts by the Word template's tag names."""
    return {
        "co_quan_viet_tat": config.issuer_short,
        "so": config.number or PLACEHOLDER,
        "ky_hieu": config.code,
        "dia_danh": config.place,
        "ngay_thang": config.date.long_form(),
        "ngay_ngan": config.date.short_form(),
        "dia_ban": config.area,
        "ky_danh_gia": config.period,
        "nam": config.target_year,
        "don_vi": summary.criteria.unit,
        "don_vi_hoa": summary.criteria.unit.upper(),
    }


def filled(template: str, values: dict[str, str]) -> str:
    """A template text with its ``{{ tag }}`` tags replaced by ``values``."""
    for key, value in values.items():
        template = template.replace("{{ " + key + " }}", value)
    return template


def notice_frame(summary: Summary, config: NoticeConfig) -> NoticeFrame:
    values = frame_values(summary, config)
    return NoticeFrame(
        issuer=config.issuer,
        number=f"Số: {values['so']}/{values['ky_hieu']}",
        place_date=f"{values['dia_danh']}, {values['ngay_thang']}",
        subject="Kết quả " + filled(SUBJECT, values),
        table_title=filled(TABLE_TITLE, values),
        caption=filled(CAPTION, values),
    )


def group_heading(commune: str, group_unit: str, grouping: Grouping) -> str:
    """ "xã Vi Hương", or "xã Vi Hương cũ" when villages are grouped by former commune."""
    suffix = f" {FORMER_SUFFIX}" if grouping is Grouping.FORMER else ""
    return f"{group_unit} {commune}{suffix}"


def group_title(commune: str, group_unit: str, grouping: Grouping) -> str:
    """A group row of the attached table: "Xã Vi Hương", "Xã Vi Hương cũ"."""
    heading = group_heading(commune, group_unit, grouping)
    return heading[:1].upper() + heading[1:]


def grouped_names(
    villages: tuple[VillageAssessment, ...], group_unit: str, grouping: Grouping = Grouping.COMMUNE
) -> str:
    """ "Bản Vén, Bản Đán xã Đôn Phong; Nà Rào xã Nguyên Phúc" (communes in order given)."""
    groups: dict[str, list[str]] = {}
    for village in villages:
        groups.setdefault(village.commune, []).append(village.village)
    return "; ".join(
        f"{', '.join(names)} {group_heading(commune, group_unit, grouping)}"
        for commune, names in groups.items()
    )


def village_label(
    village: VillageAssessment,
    ambiguous: frozenset[str],
    group_unit: str,
    grouping: Grouping = Grouping.COMMUNE,
) -> str:
    """A village's name, with its commune when another commune has a village of that name."""
    if fold(village.village) in ambiguous:
        return f"{village.village} ({group_heading(village.commune, group_unit, grouping)})"
    return village.village


def notice_sections(summary: Summary, config: NoticeConfig | None = None) -> NoticeSections:
    """Sections I.2 and I.3; villages grouped as ``config.grouping`` says (by commune when no
    configuration is given). Grouping by former commune refuses (UsageError) villages whose
    file does not say their former commune: ``_units.resolve_former_communes`` makes them
    located problems first.

    ``summary`` is what ``summarize`` returned; ``config`` the notice configuration whose
    grouping the lines follow.
    """
    criteria = summary.criteria
    unit, group_unit = criteria.unit, criteria.group_unit
    grouping = config.grouping if config is not None else Grouping.COMMUNE
    ambiguous = summary.tallies.ambiguous_names
    if grouping is Grouping.FORMER:
        assert config is not None
        refuse_unknown_former(summary, config.issuing_name)

    def names(villages: tuple[VillageAssessment, ...]) -> str:
        if grouping is Grouping.NONE:
            return ", ".join(village_label(v, ambiguous, group_unit, grouping) for v in villages)
        return grouped_names(villages, group_unit, grouping)

    count_lines = tuple(
        f"- Số {unit} đạt {count} tiêu chí: {len(villages):02d} {unit} ({names(villages)})."
        for count, villages in summary.tallies.by_met_count.items()
    )
    if not count_lines:
        count_lines = (f"- Chưa có {unit} nào có đủ số liệu để tổng hợp.",)
    deficiency_lines = tuple(
        f"- Tiêu chí số {number} ({criteria.by_number(number).short_name}): {len(villages):02d} {unit} "
        f"({', '.join(village_label(v, ambiguous, group_unit, grouping) for v in villages)})."
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
