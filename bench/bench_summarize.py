"""How long `ntm-xl summarize` takes against the floor: a bare python-calamine read of the same files.

    python bench/bench_summarize.py [--communes 1000] [--villages 12] [--repeat 3]

Both are timed as whole processes (interpreter start-up included), best of
``--repeat`` runs, in the same process tree. The ratio is what matters; the
bound we hold ourselves to is summarize <= 4 x the bare read.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

from ntm_xl import load_criteria, write_commune_template

HERE = Path(__file__).resolve().parent
BOUND = 4.0

FLOOR = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
cells = 0
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        cells += sum(len(r) for r in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
print(cells)
"""


# The same read, then a bare xlsxwriter write of as many cells as the detailed table
# holds (one row per village, one column per criterion plus four): what any tool
# that writes this summary with xlsxwriter must at least spend.
FLOOR_WITH_WRITE = FLOOR.replace(
    "print(cells)",
    """
import xlsxwriter
villages, columns = int(sys.argv[2]), int(sys.argv[3])
workbook = xlsxwriter.Workbook(sys.argv[4])
sheet = workbook.add_worksheet()
for r in range(villages):
    for c in range(columns):
        sheet.write_string(r, c, "x")
workbook.close()
print(cells)
""",
)


def make_inputs(folder: Path, communes: int, villages: int) -> Path:
    """Synthetic commune workbooks in the standard layout; reused when already there."""
    folder = folder / f"{communes}x{villages}"
    existing = sorted(folder.glob("*.xlsx")) if folder.exists() else []
    if len(existing) == communes:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    criteria = load_criteria()
    rng = random.Random(2024)
    for i in range(communes):
        names = [f"Thôn {i}-{j}" for j in range(villages)]
        marks = {name: {c.number: rng.random() > 0.15 for c in criteria.criteria} for name in names}
        write_commune_template(
            folder / f"xa-{i:05d}.xlsx",
            criteria,
            commune=f"Xã Số {i}",
            villages=names,
            marks=marks,
            period="Năm 2024",
        )
    return folder


def best_of(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--communes", type=int, default=1000)
    parser.add_argument("--villages", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    inputs = make_inputs(HERE / "out", args.communes, args.villages)
    prepared = time.perf_counter() - start
    print(f"inputs: {args.communes} communes x {args.villages} villages ({prepared:.1f} s to prepare)")

    floor = best_of([sys.executable, "-c", FLOOR, str(inputs)], args.repeat)
    output = HERE / "out" / "tong-hop.xlsx"
    columns = len(load_criteria()) + 4
    villages = args.communes * args.villages
    floor_with_write = best_of(
        [
            sys.executable,
            "-c",
            FLOOR_WITH_WRITE,
            str(inputs),
            str(villages),
            str(columns),
            str(HERE / "out" / "floor.xlsx"),
        ],
        args.repeat,
    )
    ours = best_of(
        [sys.executable, "-m", "ntm_xl", "summarize", str(inputs), "-o", str(output), "-q"], args.repeat
    )
    startup = best_of([sys.executable, "-m", "ntm_xl", "criteria"], args.repeat)
    bare_python = best_of([sys.executable, "-c", "pass"], args.repeat)
    ratio = ours / floor
    print(f"bare python-calamine read: {floor:6.2f} s")
    print(f"ntm-xl summarize:          {ours:6.2f} s  ({ratio:.2f}x the bare read; bound {BOUND:.0f}x)")
    print(
        f"bare read + bare xlsxwriter write of {villages} x {columns} cells: {floor_with_write:6.2f} s  "
        f"(summarize is {ours / floor_with_write:.2f}x this)"
    )
    print(f"ntm-xl start-up:           {startup:6.2f} s  (python -c pass: {bare_python:.2f} s)")
    print("within bound" if ratio <= BOUND else "OVER BOUND")


if __name__ == "__main__":
    main()
