"""The village registry: which villages of which communes are reviewed this year.

Optional. Read from a workbook's "Danh mục thôn" sheet (columns commune and
village) or given as (commune, village) pairs, e.g. from the master
workbook's sheet of the same name. With it, the summary says which registered
villages no file covers, and which villages in files are not registered,
with the nearest registered names. Names equal after normalization (``fold``)
are the same village and take the registry's spelling; a near miss
("Đâng Bun" for "Đông Bun") is never merged on its own: the clerk decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .._common._cells import cell_text as _text
from .._common._errors import UsageError
from .._common._text import clean, display_name, fold
from .._read._calamine import read_sheets
from .._read._legacy import fix_sheets
from .._values._catalogue import problem, problem_at
from .._values._model import ExcludedVillage, Summary
from .._values._problems import Problem

__all__ = ["REGISTRY_SHEET", "Registry", "apply_registry", "load_registry", "registry_from_pairs"]

REGISTRY_SHEET = "Danh mục thôn"
SUGGESTIONS = 3
MIN_SCORE = 60.0
_COMMUNE_HEADERS = frozenset(fold(w) for w in ("xã", "tên xã", "đơn vị", "xã, phường, thị trấn"))
_VILLAGE_HEADERS = frozenset(
    fold(w) for w in ("thôn", "tên thôn", "thôn, bản", "thôn bản", "bản", "tên thôn, bản")
)


@dataclass(frozen=True)
class Registry:
    """Registered villages per commune, names as the registry spells them."""

    communes: dict[str, tuple[str, tuple[str, ...]]]  # folded commune -> (commune, villages)
    source: Path

    @property
    def village_count(self) -> int:
        return sum(len(v) for _, v in self.communes.values())


def registry_from_pairs(pairs: Iterable[tuple[str, str]], source: str | Path = REGISTRY_SHEET) -> Registry:
    """A registry from (commune, village) pairs; blank and repeated pairs are skipped.

    ``pairs`` are (commune, village) names as the registry spells them; ``source`` names the
    registry in messages.
    """
    communes: dict[str, tuple[str, list[str]]] = {}
    seen: set[tuple[str, str]] = set()
    for commune_text, village_text in pairs:
        commune = display_name(clean(str(commune_text)), ("xã",))
        village = display_name(clean(str(village_text)), ("thôn",))
        if not commune or not village or (fold(commune), fold(village)) in seen:
            continue
        seen.add((fold(commune), fold(village)))
        communes.setdefault(fold(commune), (commune, []))[1].append(village)
    return Registry({k: (name, tuple(v)) for k, (name, v) in communes.items()}, Path(source))


def load_registry(path: str | Path) -> Registry:
    """Read the "Danh mục thôn" sheet of a workbook; raises ``UsageError`` if impossible.

    ``path`` is a workbook whose sheet "Danh mục thôn" has a header row with columns "Xã"
    and "Thôn".
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"Không tìm thấy tệp danh mục thôn '{path}'.")
    sheets, problems = read_sheets(path)
    sheets, _ = fix_sheets(sheets)
    if not sheets:
        why = "; ".join(p.message for p in problems) or "tệp không có trang tính nào"
        raise UsageError(f"Không đọc được tệp danh mục thôn '{path.name}': {why}")
    sheet = next((s for s in sheets if fold(s.name) == fold(REGISTRY_SHEET)), None)
    if sheet is None:
        if len(sheets) > 1:
            names = ", ".join(f"'{s.name}'" for s in sheets)
            raise UsageError(
                f"Tệp danh mục thôn '{path.name}' không có trang '{REGISTRY_SHEET}' (các trang: {names})."
            )
        sheet = sheets[0]
    for r, row in enumerate(sheet.rows[:40]):
        keys = [fold(v).strip(" :") if isinstance(v, str) else "" for v in row]
        commune_col = next((c for c, k in enumerate(keys) if k in _COMMUNE_HEADERS), None)
        village_col = next((c for c, k in enumerate(keys) if k in _VILLAGE_HEADERS), None)
        if commune_col is not None and village_col is not None:
            pairs = []
            for data in sheet.rows[r + 1 :]:
                if max(commune_col, village_col) < len(data):
                    pairs.append((_text(data[commune_col]), _text(data[village_col])))
            # A commune written once above its villages (merged or left blank) covers the rows below.
            filled, last = [], ""
            for commune, village in pairs:
                last = commune or last
                filled.append((last, village))
            registry = registry_from_pairs(filled, path)
            if not registry.communes:
                raise UsageError(f"Danh mục thôn '{path.name}', trang '{sheet.name}' không có thôn nào.")
            return registry
    raise UsageError(
        f"Danh mục thôn '{path.name}', trang '{sheet.name}': "
        "không thấy dòng tiêu đề có cột 'Xã' và cột 'Thôn'."
    )


def _nearest(name: str, candidates: Mapping[str, tuple[str, str]]) -> list[str]:
    """The shown names of the candidates (id -> (folded name, shown name)) closest to ``name``."""
    from rapidfuzz import fuzz, process  # only needed with a registry: kept off the start-up path

    keys = {id_: key for id_, (key, _) in candidates.items()}
    found = process.extract(fold(name), keys, scorer=fuzz.ratio, limit=SUGGESTIONS, score_cutoff=MIN_SCORE)
    return [candidates[id_][1] for _, _, id_ in found]


def apply_registry(summary: Summary, registry: Registry) -> Summary:
    """The summary checked against the registry: problems added, unregistered villages excluded."""
    unit, group_unit = summary.criteria.unit, summary.criteria.group_unit
    problems: list[Problem] = []
    registered: dict[tuple[str, str], str] = {}
    for commune_key, (_, names) in registry.communes.items():
        for name in names:
            registered[(commune_key, fold(name))] = name
    commune_names = {key: name for key, (name, _) in registry.communes.items()}
    # Across communes, for a village filed under the wrong commune: id -> (folded name, shown).
    everywhere = {
        f"{c}|{v}": (v, f"{registered[(c, v)]} ({group_unit} {commune_names[c]})") for (c, v) in registered
    }
    kept = []
    excluded = list(summary.excluded)
    received: set[tuple[str, str]] = set()
    reported_communes: set[str] = set()
    for village in summary.villages:
        commune_key, village_key = fold(village.commune), fold(village.village)
        location = village.location
        if commune_key not in registry.communes:
            if commune_key not in reported_communes:
                reported_communes.add(commune_key)
                near = _nearest(village.commune, {k: (k, n) for k, n in commune_names.items()})
                hint = (
                    f" Có phải: {', '.join(f'{group_unit.capitalize()} {n}' for n in near)}?" if near else ""
                )
                problems.append(
                    problem_at(
                        "D001",
                        location,
                        Group_unit=group_unit.capitalize(),
                        group_unit=group_unit,
                        unit=unit,
                        commune=village.commune,
                        source=registry.source.name,
                        hint=hint,
                    )
                )
            excluded.append(
                ExcludedVillage(village.commune, village.village, location, "không có trong danh mục")
            )
            continue
        pair = (commune_key, village_key)
        if pair not in registered:
            local = {fold(v): (fold(v), v) for v in registry.communes[commune_key][1]}
            near = _nearest(village.village, local) or _nearest(village.village, everywhere)
            hint = f" Có phải: {', '.join(f'{n}?' for n in near)}" if near else ""
            problems.append(
                problem_at(
                    "D002",
                    location,
                    Unit=unit.capitalize(),
                    unit=unit,
                    group_unit=group_unit,
                    village=village.village,
                    commune=village.commune,
                    hint=hint,
                )
            )
            excluded.append(
                ExcludedVillage(village.commune, village.village, location, "không có trong danh mục")
            )
            continue
        received.add(pair)
        kept.append(replace(village, village=registered[pair], commune=commune_names[commune_key]))
    for entry in summary.excluded:
        received.add((fold(entry.commune), fold(entry.village)))

    missing_total = 0
    communes_missing = 0
    for key, (commune, villages) in registry.communes.items():
        missing = [v for v in villages if (key, fold(v)) not in received]
        if not missing:
            continue
        missing_total += len(missing)
        communes_missing += len(missing) == len(villages)
        problems.append(
            problem(
                "D003",
                registry.source,
                Group_unit=group_unit.capitalize(),
                commune=commune,
                missing=len(missing),
                registered=len(villages),
                unit=unit,
                names=", ".join(missing),
            )
        )
    communes_received = sum(
        1
        for key, (_, villages) in registry.communes.items()
        if any((key, fold(v)) in received for v in villages)
    )
    problems.append(
        problem(
            "D004",
            registry.source,
            communes=len(registry.communes),
            group_unit=group_unit,
            villages=registry.village_count,
            unit=unit,
            communes_received=communes_received,
            villages_received=registry.village_count - missing_total,
            communes_missing=communes_missing,
            villages_missing=missing_total,
        )
    )

    def shown(commune: str) -> str:
        return commune_names.get(fold(commune), commune)

    communes = tuple(dict.fromkeys(shown(c) for c in summary.communes))
    excluded = [replace(e, commune=shown(e.commune)) for e in excluded]
    # A disagreement only matters for a village still counted, under the registry's spelling.
    spelt = {(fold(v.commune), fold(v.village)): v for v in kept}
    disagreements = tuple(
        replace(d, commune=spelt[names].commune, village=spelt[names].village)
        for d in summary.disagreements
        if (names := (fold(d.commune), fold(d.village))) in spelt
    )
    return replace(
        summary,
        villages=tuple(kept),
        excluded=tuple(excluded),
        problems=summary.problems + tuple(problems),
        communes=communes,
        disagreements=disagreements,
        registered=tuple(registry.communes.values()),
    )
