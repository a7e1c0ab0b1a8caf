"""Mutants of the project's own corpus through `ntm-xl summarize`, each outcome classified.

    python bench/fuzz.py --seed 1 --count 10000 [--batch 38] [--out FOLDER] [--libreoffice]

Seeds: the sample workbooks, the code-made corpus (tests/corpus) and the same tables
as .xlsm, .xls and .ods (``--libreoffice`` adds the samples converted by LibreOffice).
Each batch of mutants is summarized as a folder with a good file beside them, by the
real command with its default limits (``--memory-limit``/``--time-limit`` pass
through). Prints the count of each outcome (clean, traceback, abort, timeout,
memory), the peak memory of a run (the command and its workers), the slowest file,
and whether the good file kept its results in every batch. Mutants that were not
clean are kept under FOLDER/failures with failures.json saying how each was made.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import fuzzing


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--batch",
        type=int,
        default=38,
        help="mutants per summarize run (up to 38, each file has its progress line)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="where failures are kept (default: a temporary folder)"
    )
    parser.add_argument(
        "--libreoffice", action="store_true", help="also seed with samples converted by LibreOffice"
    )
    parser.add_argument("--memory-limit", default=None)
    parser.add_argument("--time-limit", default=None)
    args = parser.parse_args()
    limits = [f"--memory-limit={args.memory_limit}"] * bool(args.memory_limit)
    limits += [f"--time-limit={args.time_limit}"] * bool(args.time_limit)
    out = args.out or Path(tempfile.mkdtemp(prefix="ntm-fuzz-"))
    failures = out / "failures"
    shutil.rmtree(failures, ignore_errors=True)
    failures.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ntm-fuzz-work-") as name:
        work = Path(name)
        seeds = fuzzing.make_seeds(work / "seeds", libreoffice=args.libreoffice)
        kinds = Counter(p.suffix.lower() for p in seeds)
        print(f"{len(seeds)} seeds: " + ", ".join(f"{n} {s}" for s, n in sorted(kinds.items())), flush=True)
        good = fuzzing.write_good(work / "good.xlsx")
        expected = fuzzing.baseline(good, work)
        outcomes: Counter[str] = Counter()
        refused: Counter[str] = Counter()
        found: list[dict[str, object]] = []
        peak = (0, -1)
        slowest: tuple[float, str] = (0.0, "")
        good_changed: list[int] = []
        for number, mutants, folder in fuzzing.batches(seeds, work, args.seed, args.count, args.batch):
            run = fuzzing.run_batch(mutants, folder, good, work / f"out-{number:05d}", limits)
            if run.good is not None and run.good != expected:
                good_changed.append(number)
            peak = max(peak, (run.peak_rss, number))
            for result in run.results:
                outcomes[result.outcome] += 1
                if result.outcome == "clean" and any(c.startswith("F") for c in result.codes):
                    refused["refused with a message"] += 1
                if result.seconds > slowest[0]:
                    slowest = (result.seconds, result.mutant.path.name)
                    shutil.rmtree(out / "slowest", ignore_errors=True)
                    (out / "slowest").mkdir()
                    shutil.copy(result.mutant.path, out / "slowest")
                if result.outcome != "clean":
                    kept = failures / result.mutant.path.name
                    shutil.copy(result.mutant.path, kept)
                    found.append(
                        {
                            "file": os.fsencode(kept.name).decode("utf-8", "replace"),
                            "seed": str(result.mutant.seed.relative_to(work / "seeds")),
                            "mutations": result.mutant.mutations,
                            "outcome": result.outcome,
                            "codes": result.codes,
                            "batch": number,
                            "detail": result.detail,
                        }
                    )
            if run.good is None:
                (failures / f"batch-{number:05d}-stderr.txt").write_text(run.stderr, encoding="utf-8")
            shutil.rmtree(folder)
            shutil.rmtree(work / f"out-{number:05d}")
            done = sum(outcomes.values())
            print(
                f"{done}/{args.count} mutants, {time.monotonic() - started:.0f} s: "
                + ", ".join(f"{k} {outcomes[k]}" for k in fuzzing.OUTCOMES),
                flush=True,
            )
    (failures / "failures.json").write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    total = sum(outcomes.values())
    print()
    print(f"seed {args.seed}, {total} mutants in {time.monotonic() - started:.0f} s")
    for kind in fuzzing.OUTCOMES:
        print(f"  {kind:10} {outcomes[kind]}")
    print(
        f"  (of the clean: {refused['refused with a message']} refused with a message, "
        f"{outcomes['clean'] - refused['refused with a message']} read)"
    )
    print(f"peak memory of one run (command and workers): {peak[0] / 2**20:.0f} MiB (batch {peak[1]})")
    shown = os.fsencode(slowest[1]).decode("utf-8", "replace")
    print(f"slowest file: {shown} ({slowest[0]:.1f} s in its batch)")
    if slowest[1]:
        # Timed again alone, as a whole `ntm-xl summarize` process beside nothing else.
        code, alone_peak, seconds, _ = fuzzing.run_summarize(out / "slowest", out / "slowest-out", limits)
        print(f"  alone: exit {code}, {seconds:.1f} s whole process, peak {alone_peak / 2**20:.0f} MiB")
    print(
        "good file kept its results in every batch"
        if not good_changed
        else f"good file changed in batches {good_changed}"
    )
    print(f"failures kept in {failures}")
    bad = outcomes["traceback"] + outcomes["abort"] + outcomes["timeout"] + len(good_changed)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
