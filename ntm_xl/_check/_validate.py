"""Judging village rows: every mark understood, or the village set aside.

A criterion's status comes from one cell (a word, or 1/0 in a column of 1/0
marks), from a "Đạt" | "Chưa đạt" pair of sub-cells, or from a list of the
unmet criteria. When a file gives two verdicts, the reviewer's counts and each
criterion where the village's own differs is recorded as a ``Disagreement``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from .._common._a1 import cell_name
from .._common._cells import describe_special
from .._common._text import fold
from .._values._catalogue import problem
from .._values._criteria import CriteriaSet, Criterion
from .._values._marks import (
    MET_WORD,
    NOT_MET_WORD,
    Mark,
    MarkReading,
    PairPart,
    parse_unmet_list,
    read_mark,
    read_numeric_mark,
    read_pair_part,
    read_word_marks,
)
from .._values._model import (
    CellValue,
    Disagreement,
    ExcludedVillage,
    Judgement,
    MarkCell,
    MarkSource,
    VillageAssessment,
    VillageEntry,
)
from .._values._problems import Problem, Severity

__all__ = ["Judgement", "Validated", "describe_value", "judge", "read_marks", "validate"]

_MET, _NOT_MET, _BLANK = MarkReading.MET, MarkReading.NOT_MET, MarkReading.BLANK
_CELL = MarkSource.CELL
_LIST, _PAIR = MarkSource.UNMET_LIST, MarkSource.PAIR
# Enum members looked up once: ``Mark.MET`` in a loop over every mark of every village costs.
_IS_MET, _IS_NOT_MET = Mark.MET, Mark.NOT_MET
# Problems saying a mark is missing: for a self-assessment, a blank is no assessment, not a fault.
_BLANK_CODES = frozenset(("M002", "M009", "M013"))
REASON_EXCLUDED_COLUMNS = "bảng thiếu cột tiêu chí"
REASON_TWO_ROWS = "thôn có hai dòng"
REASON_BAD_MARKS = "thiếu hoặc sai đánh giá"
REASON_SHEETS_DIFFER = "kết quả khác nhau giữa các trang"


@dataclass(frozen=True)
class Validated:
    villages: tuple[VillageAssessment, ...]
    excluded: tuple[ExcludedVillage, ...]
    problems: tuple[Problem, ...]
    communes: tuple[str, ...]
    disagreements: tuple[Disagreement, ...] = ()


def describe_value(value: CellValue) -> str:
    """How a cell's content is named in a message."""
    special = describe_special(value)
    if special is not None:
        return special
    if isinstance(value, bool):
        return f"giá trị logic {'TRUE' if value else 'FALSE'}"
    if isinstance(value, datetime):
        return f"ngày giờ {value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"ngày {value:%d/%m/%Y}"
    if isinstance(value, (time, timedelta)):
        return f"giờ {value}"
    if isinstance(value, float) and value.is_integer():
        return f"số {int(value)}"
    if isinstance(value, (int, float)):
        return f"số {value}"
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def _at(code: str, entry: VillageEntry, cell: str, **params: object) -> Problem:
    location = entry.location
    return problem(
        code,
        location.file,
        sheet=location.sheet,
        cell=cell,
        village=entry.village,
        commune=entry.commune,
        **params,
    )


def _about(criterion: Criterion) -> dict[str, object]:
    return {"criterion": criterion.number, "criterion_name": criterion.short_name}


def _is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _mark_is_blank(mark: MarkCell) -> bool:
    if mark.source is _PAIR:
        return _is_blank(mark.value) and _is_blank(mark.other)
    return _is_blank(mark.value)


@lru_cache(maxsize=16)
def _criteria_names(criteria: CriteriaSet) -> tuple[tuple[int, tuple[str, ...]], ...]:
    return tuple((c.number, (c.short_name, c.name, *c.aliases)) for c in criteria.criteria)


def _read_cell(
    entry: VillageEntry, mark: MarkCell, criterion: Criterion
) -> tuple[Mark | None, Problem | None]:
    reading = read_numeric_mark(mark.value) if mark.numeric else read_mark(mark.value)
    # Most marks are plainly met or not met: nothing to say about them.
    if reading is _MET:
        return _IS_MET, None
    if reading is _NOT_MET:
        return _IS_NOT_MET, None
    about = _about(criterion)
    if reading is _BLANK:
        return None, _at("M002", entry, mark.cell, **about)
    if reading is MarkReading.BASICALLY_MET:
        return _IS_NOT_MET, _at("M004", entry, mark.cell, text=describe_value(mark.value)[1:-1], **about)
    is_number = isinstance(mark.value, (int, float)) and not isinstance(mark.value, bool)
    code = "M007" if mark.numeric and is_number else "M003"
    return None, _at(code, entry, mark.cell, value=describe_value(mark.value), **about)


def _read_pair(
    entry: VillageEntry, mark: MarkCell, criterion: Criterion
) -> tuple[Mark | None, Problem | None]:
    met_part = read_pair_part(mark.value, met_column=True)
    other_part = read_pair_part(mark.other, met_column=False)
    met_cell, other_cell = mark.cell, cell_name(mark.row, mark.other_col)
    cells = {"met_cell": met_cell, "not_met_cell": other_cell, **_about(criterion)}
    for part, value, cell, column in (
        (met_part, mark.value, met_cell, MET_WORD),
        (other_part, mark.other, other_cell, NOT_MET_WORD),
    ):
        if part is PairPart.UNKNOWN:
            return None, _at("M010", entry, cell, value=describe_value(value), column=column, **cells)
    if met_part is other_part:
        return None, _at("M008" if met_part is PairPart.MARKED else "M009", entry, met_cell, **cells)
    return (_IS_MET if met_part is PairPart.MARKED else _IS_NOT_MET), None


def _read_list(
    entry: VillageEntry, marks: Sequence[MarkCell], criteria: CriteriaSet
) -> tuple[dict[int, Mark], list[Problem]]:
    """The criteria of an unmet-list cell (parsed once for the village), and its problems."""
    cell = marks[0]
    value = cell.value
    special = describe_special(value)
    if special is not None:
        return {}, [_at("M011", entry, cell.cell, text=str(value), items=special)]
    parsed = parse_unmet_list(value, _criteria_names(criteria))
    text = str(value).strip() if value is not None else ""
    problems: list[Problem] = []
    if parsed.blank:
        problems.append(_at("M013", entry, cell.cell))
    if parsed.unknown:
        items = ", ".join(f"'{item}'" for item in parsed.unknown)
        problems.append(_at("M011", entry, cell.cell, text=text, items=items))
    if parsed.outside:
        numbers = ", ".join(f"số {n}" for n in parsed.outside)
        first, last = min(criteria.numbers), max(criteria.numbers)
        problems.append(_at("M012", entry, cell.cell, text=text, numbers=numbers, first=first, last=last))
    if problems:
        return {}, problems
    unmet = set(parsed.numbers)
    return {m.criterion: _IS_NOT_MET if m.criterion in unmet else _IS_MET for m in marks}, []


def read_marks(
    entry: VillageEntry, marks: Sequence[MarkCell], criteria: CriteriaSet
) -> tuple[dict[int, Mark], list[Problem]]:
    """Each criterion's status as far as understood, and the problems of the rest."""
    statuses: dict[int, Mark] = {}
    problems: list[Problem] = []
    listed = [m for m in marks if m.source is _LIST]
    if listed:
        statuses, problems = _read_list(entry, listed, criteria)
    for mark in marks:
        if mark.source is _CELL and not mark.numeric:
            # Most marks are one plain word: settled without a look at the criterion.
            reading = read_mark(mark.value)
            if reading is _MET:
                statuses[mark.criterion] = _IS_MET
                continue
            if reading is _NOT_MET:
                statuses[mark.criterion] = _IS_NOT_MET
                continue
        elif mark.source is _LIST:
            continue
        criterion = criteria.by_number(mark.criterion)
        if mark.source is _PAIR:
            status, found = _read_pair(entry, mark, criterion)
        else:
            status, found = _read_cell(entry, mark, criterion)
        if found is not None:
            problems.append(found)
        if status is not None:
            statuses[mark.criterion] = status
    return statuses, problems


def _plain_words(entry: VillageEntry) -> tuple[list[int], list[int]] | None:
    """(met, not met) when every mark is one plain status word, as in most files; else None."""
    met: list[int] = []
    not_met: list[int] = []
    plain = entry.plain_marks()
    if plain is not None:
        criteria, values = plain
        readings = read_word_marks(values)
        if readings is not None:
            met = [c for c, reading in zip(criteria, readings, strict=True) if reading is _MET]
            not_met = [c for c, reading in zip(criteria, readings, strict=True) if reading is _NOT_MET]
            return (met, not_met) if len(met) + len(not_met) == len(criteria) else None
        for criterion, value in zip(criteria, values, strict=True):
            reading = read_mark(value)
            if reading is _MET:
                met.append(criterion)
            elif reading is _NOT_MET:
                not_met.append(criterion)
            else:
                return None
        return met, not_met
    for mark in entry.marks:
        if mark.source is not _CELL or mark.numeric:
            return None
        reading = read_mark(mark.value)
        if reading is _MET:
            met.append(mark.criterion)
        elif reading is _NOT_MET:
            not_met.append(mark.criterion)
        else:
            return None
    return met, not_met


def _judge(entry: VillageEntry, criteria: CriteriaSet) -> Judgement:
    listed = False
    problems: list[Problem] = []
    plain = _plain_words(entry)
    if plain is not None:
        met, not_met = plain
    else:
        statuses, problems = read_marks(entry, entry.marks, criteria)
        listed = any(m.source is _LIST for m in entry.marks)
        if problems and not listed and all(_mark_is_blank(m) for m in entry.marks):
            first, last = entry.marks[0].cell, entry.marks[-1].cell
            return Judgement(None, (_at("M001", entry, entry.location.cell, first=first, last=last),))
        if any(p.severity is Severity.ERROR for p in problems):
            return Judgement(None, tuple(problems))
        met = [number for number, status in statuses.items() if status is _IS_MET]
        not_met = [number for number, status in statuses.items() if status is _IS_NOT_MET]
    village = VillageAssessment(
        entry.commune,
        entry.village,
        tuple(met),
        tuple(not_met),
        entry.location,
        commune_source=entry.commune_source,
    )
    reported = _reported_count(entry.reported_count)
    if reported is not None and reported != village.met_count:
        shown = describe_value(entry.reported_count)
        if listed:
            # Count and list are typed separately: which one is the typo, only the commune knows.
            list_cell = next(m for m in entry.marks if m.source is _LIST)
            found = _at(
                "M014",
                entry,
                entry.reported_count_cell,
                count_cell=entry.reported_count_cell,
                list_cell=list_cell.cell,
                reported=shown,
                text=str(list_cell.value).strip(),
                counted=village.met_count,
            )
            return Judgement(None, (*problems, found))
        problems.append(
            _at("M005", entry, entry.reported_count_cell, reported=shown, counted=village.met_count)
        )
    if not entry.self_marks:
        return Judgement(village, tuple(problems))
    judged = Judgement(village, tuple(problems))
    disagreements, self_problems = _compare_self(entry, judged.statuses(), criteria)
    return Judgement(village, (*problems, *self_problems), disagreements)


def _compare_self(
    entry: VillageEntry, reviewer: dict[int, Mark], criteria: CriteriaSet
) -> tuple[tuple[Disagreement, ...], list[Problem]]:
    if not entry.self_marks:
        return (), []
    own, found = read_marks(entry, entry.self_marks, criteria)
    problems = []
    for fault in found:
        if fault.severity is Severity.ERROR and fault.code not in _BLANK_CODES:
            number = fault.params.get("criterion")
            criterion = criteria.by_number(number) if isinstance(number, int) else None
            about = _about(criterion) if criterion is not None else {"criterion": "", "criterion_name": ""}
            what = fault.params.get("value") or fault.params.get("text") or "đánh dấu không rõ"
            problems.append(_at("M017", entry, fault.cell, found=what, **about))
    reviewer_cells = {m.criterion: m.cell for m in entry.marks}
    disagreements = tuple(
        Disagreement(
            entry.commune,
            entry.village,
            mark.criterion,
            own[mark.criterion],
            reviewer[mark.criterion],
            mark.cell,
            reviewer_cells[mark.criterion],
            entry.location,
        )
        for mark in entry.self_marks
        if mark.criterion in own
        and mark.criterion in reviewer
        and own[mark.criterion] is not reviewer[mark.criterion]
    )
    return disagreements, problems


def judge(entries: Sequence[VillageEntry], criteria: CriteriaSet) -> tuple[Judgement | None, ...]:
    """Each entry judged on its own (None for a row that is not counted whatever its marks:
    its reason is set or its sheet lacks criterion columns). What ``validate`` then does
    across files and sheets needs every entry; this part needs only the entry, so it runs
    where the file was read."""
    return tuple(
        _judge(entry, criteria) if not entry.excluded_reason and entry.complete_columns else None
        for entry in entries
    )


def _reported_count(value: CellValue) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else -1
    if isinstance(value, str) and value.strip():
        text = value.strip().split("/")[0].strip()
        return int(text) if text.isdigit() else -1
    return None


def _on_other_sheets_of_one_file(found: list[VillageEntry]) -> bool:
    """A summary sheet beside one sheet per village: the same village once per sheet of one file."""
    sheets = [e.location.sheet for e in found]
    return len({e.location.file for e in found}) == 1 and len(set(sheets)) == len(sheets)


def _word(mark: Mark) -> str:
    return MET_WORD if mark is _IS_MET else NOT_MET_WORD


def _same_village_on_sheets(
    found: list[VillageEntry], criteria: CriteriaSet, judged: Callable[[VillageEntry], Judgement]
) -> tuple[Judgement, str, list[Problem]]:
    """One village on several sheets of one file: counted once when they agree.

    Returns the judgement that counts, the reason when none does, and the problems.
    """
    judgements = [judged(entry) for entry in found]
    problems = [p for j in judgements for p in j.problems]
    if any(j.village is None for j in judgements):
        return judgements[0], REASON_BAD_MARKS, problems
    first, first_judgement = found[0], judgements[0]
    first_marks = first_judgement.statuses()
    first_cells = {m.criterion: m.cell for m in first.marks}
    failed = False
    for entry, judgement in zip(found[1:], judgements[1:], strict=True):
        differing = sorted(
            (number, status)
            for number, status in judgement.statuses().items()
            if number in first_marks and first_marks[number] is not status
        )
        if not differing:
            problems.append(_at("M015", entry, entry.location.cell, first=str(first.location)))
            continue
        failed = True
        number, status = differing[0]
        cell = next(m.cell for m in entry.marks if m.criterion == number)
        problems.append(
            _at(
                "M016",
                entry,
                cell,
                first=str(first.location),
                first_value=_word(first_marks[number]),
                first_cell=first_cells[number],
                first_sheet=first.location.sheet,
                value=_word(status),
                value_cell=cell,
                value_sheet=entry.location.sheet,
                **_about(criteria.by_number(number)),
            )
        )
    return first_judgement, REASON_SHEETS_DIFFER if failed else "", problems


def validate(
    entries: Sequence[VillageEntry],
    criteria: CriteriaSet,
    judgements: Sequence[Judgement | None] = (),
) -> Validated:
    """Villages counted, set aside and their problems. ``judgements``, when given, are
    ``judge(entries, criteria)`` worked out already (in the processes that read the files)."""
    if judgements and len(judgements) != len(entries):
        raise ValueError("judgements must be given for every entry")
    done = {id(entry): j for entry, j in zip(entries, judgements, strict=False) if j is not None}

    def judged(entry: VillageEntry) -> Judgement:
        found = done.get(id(entry))
        return found if found is not None else _judge(entry, criteria)

    problems: list[Problem] = []
    communes: dict[str, str] = {}  # folded -> shown, in first-read order
    by_key: dict[tuple[str, str], list[VillageEntry]] = {}
    unknown_commune = f"(chưa rõ {criteria.group_unit})"
    for entry in entries:
        commune = entry.commune or unknown_commune
        communes.setdefault(fold(commune), commune)
        if not entry.excluded_reason:
            by_key.setdefault((fold(entry.commune), fold(entry.village)), []).append(entry)

    duplicated: set[tuple[str, str]] = set()
    on_sheets: dict[tuple[str, str], list[VillageEntry]] = {}
    for key, found in by_key.items():
        if len(found) < 2:
            continue
        if _on_other_sheets_of_one_file(found):
            on_sheets[key] = found
            continue
        duplicated.add(key)
        first, *others = found
        for other in others:
            problems.append(_at("M006", other, other.location.cell, first=str(first.location)))

    villages: list[VillageAssessment] = []
    excluded: list[ExcludedVillage] = []
    disagreements: list[Disagreement] = []
    for entry in entries:
        commune = communes[fold(entry.commune or unknown_commune)]
        key = (fold(entry.commune), fold(entry.village))
        entry_problems: list[Problem] = []
        reason = ""
        judgement: Judgement | None = None
        if entry.excluded_reason:
            reason = entry.excluded_reason
        elif not entry.complete_columns:
            reason = REASON_EXCLUDED_COLUMNS
        elif key in duplicated:
            reason = REASON_TWO_ROWS
        elif key in on_sheets:
            found = on_sheets[key]
            if entry is not found[0]:
                continue  # judged with the first, which stands for the village
            judgement, reason, entry_problems = _same_village_on_sheets(found, criteria, judged)
        else:
            judgement = judged(entry)
            entry_problems = list(judgement.problems)
            if judgement.village is None:
                reason = REASON_BAD_MARKS
        if not reason and judgement is not None and judgement.village is not None:
            village = judgement.village
            # Most rows spell their commune as its first row did: nothing to replace.
            villages.append(village if village.commune == commune else replace(village, commune=commune))
            disagreements.extend(replace(d, commune=commune) for d in judgement.disagreements)
        problems.extend(entry_problems)
        if reason:
            excluded.append(ExcludedVillage(commune, entry.village, entry.location, reason))
    # Villages keep the order of their commune's first appearance, then row order.
    # Every commune is spelled here as ``communes`` shows it.
    rank = {shown: i for i, shown in enumerate(communes.values())}
    villages.sort(key=lambda v: rank[v.commune])
    excluded.sort(key=lambda v: rank[v.commune])
    disagreements.sort(key=lambda d: rank[d.commune])
    return Validated(
        tuple(villages), tuple(excluded), tuple(problems), tuple(communes.values()), tuple(disagreements)
    )
