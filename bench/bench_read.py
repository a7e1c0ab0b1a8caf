"""How long reading and checking the benchmark's files takes in one process, here and in
an older checkout of ntm_xl, on the same files in the same process tree.

    python bench/bench_read.py --old CHECKOUT [--communes 1000] [--villages 12] [--repeat 3]

``CHECKOUT`` is a source tree of an earlier commit (``git worktree add DIR COMMIT``);
its ``ntm_xl`` is imported in its own process through ``PYTHONPATH``. Each side runs
``read_file`` (read, find the table, check the rows) over every file in one process,
with no worker processes, best of ``--repeat``; interpreter start-up and imports are
not counted. The bound is the current reader within 10% of the older one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from bench_summarize import HERE, make_inputs

BOUND = 1.10

TIMED = """
import gc, inspect, sys, time
from pathlib import Path
from ntm_xl import load_criteria
from ntm_xl._pipeline import read_file
criteria = load_criteria()
paths = sorted(Path(sys.argv[1]).glob("*.xlsx"))
takes_rules = len(inspect.signature(read_file).parameters) > 2
gc.disable()
start = time.perf_counter()
villages = 0
for path in paths:
    entries, _ = read_file(path, criteria, None) if takes_rules else read_file(path, criteria)
    villages += len(entries)
print(time.perf_counter() - start, villages)
"""


def timed_read(checkout: Path | None, inputs: Path, repeat: int) -> tuple[float, int]:
    """Best of ``repeat`` in-process read+check times, with ``checkout``'s ntm_xl (None: this one)."""
    env = dict(os.environ)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout.resolve())
    times = []
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
        seconds, count = done.stdout.split()
        times.append(float(seconds))
        villages = int(count)
    return min(times), villages


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", type=Path, required=True, help="source tree of the earlier commit")
    parser.add_argument("--communes", type=int, default=1000)
    parser.add_argument("--villages", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    inputs = make_inputs(HERE / "out", args.communes, args.villages)
    old, old_villages = timed_read(args.old, inputs, args.repeat)
    new, new_villages = timed_read(None, inputs, args.repeat)
    print(f"read+check in one process, older checkout: {old:6.2f} s  ({old_villages} villages)")
    print(f"read+check in one process, this checkout:  {new:6.2f} s  ({new_villages} villages)")
    ratio = new / old
    print(f"ratio {ratio:.2f} (bound {BOUND:.2f}): {'within bound' if ratio <= BOUND else 'OVER BOUND'}")


if __name__ == "__main__":
    main()
