"""How long `ntm-xl summarize` takes against the floor of its job.

    python bench/bench_summarize.py [--communes 1000] [--villages 12] [--repeat 3]

Two floors: a bare python-calamine read of every sheet of the same files, and that
read plus a bare xlsxwriter write of the detailed table ("Biểu chi tiết", 98% of the
cells the summary holds) with its formats. ``ntm-xl summarize`` runs with its reading
isolated in worker processes, as a user runs it. All are timed as whole processes
(interpreter start-up included), best of ``--repeat`` runs, in the same process tree,
and the two ratios printed. The bound is summarize <= 1.5 x the second floor. The
machine may be shared: compare ratios from one run, not times from different runs.
Reading alone against an older checkout, and the district case (13 files) as a whole
process against an older checkout: ``bench/bench_read.py`` (``--district``).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from ntm_xl import load_criteria, write_commune_form

HERE = Path(__file__).resolve().parent
BOUND = 1.5  # summarize against the read + write floor

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


# The same read, then a bare xlsxwriter write of the detailed table as "Biểu chi tiết"
# holds it: a group row per commune, then per village its number, name, one mark per
# criterion ("x" or "-"), the count met and the list of criteria not met, each cell with
# the format the summary gives it (bordered, centred or top-aligned and wrapped, group
# rows bold), the shared strings and the column widths. What any tool writing this
# summary with xlsxwriter must at least spend; nothing of ours is run.
FLOOR_WITH_WRITE = FLOOR.replace(
    "print(cells)",
    """
import random
import xlsxwriter
communes, villages, criteria = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
workbook = xlsxwriter.Workbook(sys.argv[5], {"strings_to_formulas": False, "strings_to_numbers": False,
                                              "strings_to_urls": False})
sheet = workbook.add_worksheet("Biểu chi tiết")
font = {"font_name": "Times New Roman", "font_size": 12}
text = workbook.add_format({**font, "border": 1, "text_wrap": True, "valign": "top"})
center = workbook.add_format({**font, "border": 1, "align": "center", "valign": "top"})
group = workbook.add_format({**font, "border": 1, "bold": True})
sheet.set_column(0, 0, 5)
sheet.set_column(1, 1, 22)
sheet.set_column(2, criteria + 1, 4.2)
sheet.set_column(criteria + 2, criteria + 2, 8)
sheet.set_column(criteria + 3, criteria + 3, 16)
rng = random.Random(2024)
row = number = 0
for i in range(communes):
    sheet.write_string(row, 0, "I", group)
    sheet.write_string(row, 1, f"Xã Số {i}", group)
    for c in range(2, criteria + 4):
        sheet.write_blank(row, c, None, group)
    row += 1
    for j in range(villages):
        number += 1
        met = [rng.random() > 0.15 for _ in range(criteria)]
        sheet.write_number(row, 0, number, center)
        sheet.write_string(row, 1, f"Thôn {i}-{j}", text)
        for c, ok in enumerate(met, 2):
            sheet.write_string(row, c, "x" if ok else "-", center)
        sheet.write_number(row, criteria + 2, sum(met), center)
        unmet = ", ".join(str(n) for n, ok in enumerate(met, 1) if not ok)
        sheet.write_string(row, criteria + 3, unmet, text)
        row += 1
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
        write_commune_form(
            folder / f"xa-{i:05d}.xlsx",
            criteria,
            commune=f"Xã Số {i}",
            villages=names,
            marks=marks,
            period="Năm 2024",
        )
    return folder


def _environment() -> dict[str, str]:
    """This environment, with bytecode written and reused as in an installed copy."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, processor) seconds of one run, the processor time of its worker processes included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True, env=_environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_of(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    """Best (wall, processor) of ``repeat`` runs of each command, taken in turns so that
    all see the same load on a shared machine."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for command in commands.values():
        timed(command)  # bytecode written, files in the page cache
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(timed(command))
    return {name: (min(w for w, _ in r), min(c for _, c in r)) for name, r in runs.items()}


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

    output = HERE / "out" / "tong-hop.xlsx"
    criteria = len(load_criteria())
    columns = criteria + 4
    villages = args.communes * args.villages
    write_args = [str(args.communes), str(args.villages), str(criteria), str(HERE / "out" / "floor.xlsx")]
    best = best_of(
        {
            "read": [sys.executable, "-c", FLOOR, str(inputs)],
            "write": [sys.executable, "-c", FLOOR_WITH_WRITE, str(inputs), *write_args],
            "ours": [sys.executable, "-m", "ntm_xl", "summarize", str(inputs), "-o", str(output), "-q"],
            "startup": [sys.executable, "-m", "ntm_xl", "criteria"],
            "python": [sys.executable, "-c", "pass"],
        },
        args.repeat,
    )
    (floor, floor_cpu), (floor_with_write, write_cpu) = best["read"], best["write"]
    ours, ours_cpu = best["ours"]
    print(f"best of {args.repeat}, wall (processor, workers included):")
    print(f"bare python-calamine read:        {floor:6.2f} s ({floor_cpu:.2f} s)")
    print(
        f"bare read + bare xlsxwriter write of the detailed table ({villages} x {columns} cells, "
        f"with its formats): {floor_with_write:6.2f} s ({write_cpu:.2f} s)"
    )
    print(f"ntm-xl summarize (isolated):      {ours:6.2f} s ({ours_cpu:.2f} s)")
    print(f"  {ours / floor:.2f}x the bare read ({ours_cpu / floor_cpu:.2f}x in processor time)")
    ratio = ours / floor_with_write
    print(
        f"  {ratio:.2f}x the read + write floor ({ours_cpu / write_cpu:.2f}x in processor time; "
        f"bound {BOUND:.1f}x)"
    )
    print(
        f"ntm-xl start-up:                  {best['startup'][0]:6.2f} s  "
        f"(python -c pass: {best['python'][0]:.2f} s)"
    )
    print("within bound" if ratio <= BOUND else "OVER BOUND")


if __name__ == "__main__":
    main()
