"""A small seeded sample of the fuzzer (bench/fuzz.py runs large ones): mutants of the
corpus through the real `ntm-xl summarize`, a good file beside them in every run."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.corpus import fuzzing

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process accounting (wait4)")

SEED, COUNT, BATCH = 20261202, 300, 75


def test_mutants_cost_only_themselves(tmp_path: Path) -> None:
    seeds = fuzzing.make_seeds(tmp_path / "seeds")
    assert {p.suffix for p in seeds} == {".xlsx", ".xlsm", ".xls", ".ods"}
    good = fuzzing.write_good(tmp_path / "good.xlsx")
    expected = fuzzing.baseline(good, tmp_path)
    villages, _ = expected
    assert [row[0] for row in villages] == ["Nà Đối", "Bản Chứng", "Khuổi Mới"]  # type: ignore[index]
    outcomes: Counter[str] = Counter()
    bad = []
    for number, mutants, folder in fuzzing.batches(seeds, tmp_path / "work", SEED, COUNT, BATCH):
        run = fuzzing.run_batch(mutants, folder, good, tmp_path / f"out-{number}")
        # The good file beside the mutants keeps its exact villages, marks and problems.
        assert run.good == expected, (number, run.stderr[-2000:])
        assert run.returncode == 1  # some mutants are refused: errors, and the outputs are written
        for result in run.results:
            outcomes[result.outcome] += 1
            if result.outcome in ("abort", "traceback", "timeout"):
                bad.append((result.mutant.path.name, result.mutant.seed.name, result.outcome, result.codes))
    assert bad == []
    assert sum(outcomes.values()) == COUNT
