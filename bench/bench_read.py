"""How long reading and checking the benchmark's files takes in one process, here and in
an older checkout of ntm_xl, on the same files in the same process tree; with
``--district``, how long the district case takes as a whole process on both sides.

    python bench/bench_read.py --old CHECKOUT [--communes 1000] [--villages 12] [--repeat 3]
    python bench/bench_read.py --old CHECKOUT --district [--repeat 5]

``CHECKOUT`` is a source tree of an earlier commit (``git worktree add DIR COMMIT``);
its ``ntm_xl`` is imported in its own process through ``PYTHONPATH``. Each side runs
``read_file`` (read, find the table, check the rows) over every file in one process,
with no worker processes, best of ``--repeat``; interpreter start-up and imports are
not counted. The bound is the current reader within 10% of the older one (commit
cd8533e, before the reader was rebuilt by roles).

The district case is ``ntm-xl summarize workbooks/samples -o X -q`` (13 files) timed as
a whole process (start-up, imports, reading in worker processes, writing), wall and
processor time (workers included), the two sides in turns, best of ``--repeat``. Its
bound is 1.3x the time before isolated reading (commit 4d0d1c1). Bytecode is written and
reused on both sides, as in an installed copy.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from bench_summarize import HERE, make_inputs, timed

BOUND = 1.10
DISTRICT_BOUND = 1.30
SAMPLES = HERE.parent / "workbooks" / "samples"

TIMED = """
import gc, inspect, sys, time
from pathlib import Path
from ntm_xl import load_criteria
from ntm_xl._pipeline import read_file
criteria = load_criteria()
paths = sorted(Path(sys.argv[1]).glob("*.xlsx"))
takes_rules = len(inspect.signature(read_file).parameters) > 2
gc.disable()
start, cpu = time.perf_counter(), time.process_time()
villages = 0
for path in paths:
    entries, _ = read_file(path, criteria, None) if takes_rules else read_file(path, criteria)
    villages += len(entries)
print(time.perf_counter() - start, time.process_time() - cpu, villages)
"""


def timed_read(checkout: Path | None, inputs: Path, repeat: int) -> tuple[float, float, int]:
    """Best of ``repeat`` in-process read+check times (wall, processor), with ``checkout``'s
    ntm_xl (None: this one), and the villages read."""
    env = dict(os.environ)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout.resolve())
    times: list[float] = []
    cpu_times: list[float] = []
    villages = 0
    checked = subprocess.run(
        [sys.executable, "-P", "-c", "import ntm_xl; print(ntm_xl.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    expected = (checkout or Path(__file__).resolve().parent.parent).resolve() / "ntm_xl" / "__init__.py"
    if Path(checked.stdout.strip()).resolve() != expected:
        raise SystemExit(f"ntm_xl imported from {checked.stdout.strip()}, not {expected}")
    for _ in range(repeat):
        done = subprocess.run(
            # -P: no current folder first on the path, which would import this checkout's ntm_xl.
            [sys.executable, "-P", "-c", TIMED, str(inputs.resolve())],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        seconds, cpu_seconds, count = done.stdout.split()
        times.append(float(seconds))
        cpu_times.append(float(cpu_seconds))
        villages = int(count)
    return min(times), min(cpu_times), villages


def district(old: Path, repeat: int) -> None:
    """The district case as a whole process here and in ``old``, in turns."""
    output = HERE / "out" / "district.xlsx"
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-P", "-m", "ntm_xl", "summarize", str(SAMPLES), "-o", str(output), "-q"]
    sides = {"older checkout": old.resolve(), "this checkout": HERE.parent}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    saved = os.environ.get("PYTHONPATH")
    try:
        for _ in range(repeat + 1):  # the first turn writes bytecode and fills the page cache
            for name, tree in sides.items():
                os.environ["PYTHONPATH"] = str(tree)
                runs[name].append(timed(command))
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
    best = {name: (min(w for w, _ in r[1:]), min(c for _, c in r[1:])) for name, r in runs.items()}
    for name, (wall, cpu) in best.items():
        print(f"district case, whole process, {name + ':':16} {wall:6.3f} s ({cpu:.3f} s processor)")
    (old_wall, old_cpu), (new_wall, new_cpu) = best["older checkout"], best["this checkout"]
    ratio = new_wall / old_wall
    verdict = "within bound" if ratio <= DISTRICT_BOUND else "OVER BOUND"
    cpu_ratio = new_cpu / old_cpu
    print(f"ratio {ratio:.2f} (processor time {cpu_ratio:.2f}); bound {DISTRICT_BOUND:.2f}: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", type=Path, required=True, help="source tree of the earlier commit")
    parser.add_argument("--communes", type=int, default=1000)
    parser.add_argument("--villages", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--district", action="store_true", help="the district case, whole process")
    args = parser.parse_args()
    if args.district:
        district(args.old, args.repeat)
        return
    inputs = make_inputs(HERE / "out", args.communes, args.villages)
    # Interleaved, so that both sides see the same load on a shared machine.
    runs: dict[str, list[tuple[float, float, int]]] = {"old": [], "new": []}
    for _ in range(args.repeat):
        runs["old"].append(timed_read(args.old, inputs, 1))
        runs["new"].append(timed_read(None, inputs, 1))
    old, new = (tuple(min(values) for values in zip(*runs[side], strict=True)) for side in ("old", "new"))
    for name, (wall, cpu, villages) in (("older checkout", old), ("this checkout", new)):
        print(
            f"read+check in one process, {name + ':':16} {wall:6.2f} s "
            f"({cpu:.2f} s processor, {villages:.0f} villages)"
        )
    ratio, cpu_ratio = new[0] / old[0], new[1] / old[1]
    verdict = "within bound" if ratio <= BOUND else "OVER BOUND"
    print(f"ratio {ratio:.2f} (processor time {cpu_ratio:.2f}); bound {BOUND:.2f}: {verdict}")


if __name__ == "__main__":
    main()
