"""Village rows go from the processes that read files to the one that sums them up packed,
judged where they were read: what arrives is what was read, and judged the same."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from ntm_xl import CriteriaSet
from ntm_xl._check._validate import judge, validate
from ntm_xl._pipeline import read_file
from ntm_xl._values._model import VillageEntry
from tests.corpus import families


@pytest.fixture(scope="module")
def family_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return families.make(tmp_path_factory.mktemp("families"))


def _crossed(value: object) -> object:
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def test_every_family_crosses_unchanged(family_files: dict[str, Path], criteria: CriteriaSet) -> None:
    for name, path in family_files.items():
        entries, _ = read_file(path, criteria)
        assert entries, name
        crossed = _crossed(entries)
        assert isinstance(crossed, list)
        # The shape the run record reports is read before any mark is made...
        assert [e.mark_shape() for e in crossed] == [e.mark_shape() for e in entries], name
        # ...then every field, marks included, and their cells, as read.
        assert crossed == entries, name
        assert [[m.cell for m in e.marks] for e in crossed] == [[m.cell for m in e.marks] for e in entries]
        # Packed rows pickled again (a run's rows handed on) arrive unchanged too.
        assert _crossed(_crossed(entries)) == entries, name


def test_a_plain_row_travels_without_its_mark_objects(
    family_files: dict[str, Path], criteria: CriteriaSet
) -> None:
    entries, _ = read_file(family_files["title-decree30-rows"], criteria)
    crossed = _crossed(entries[0])
    assert isinstance(crossed, VillageEntry)
    assert "marks" not in vars(crossed)  # made only when asked for
    assert crossed.marks == entries[0].marks
    assert "marks" in vars(crossed)  # and then kept


def test_judged_where_read_counts_as_judged_here(
    family_files: dict[str, Path], criteria: CriteriaSet
) -> None:
    entries: list[VillageEntry] = []
    judgements = []
    for path in family_files.values():
        found, _ = read_file(path, criteria)
        crossed = _crossed((found, judge(found, criteria)))
        assert isinstance(crossed, tuple)
        entries.extend(crossed[0])
        judgements.extend(crossed[1])
    here = validate(entries, criteria)
    assert validate(entries, criteria, judgements) == here
    # The families hold problems, disagreements and rows set aside: all compared above.
    assert here.problems and here.disagreements and here.excluded
    with pytest.raises(ValueError):
        validate(entries, criteria, judgements[:-1])
