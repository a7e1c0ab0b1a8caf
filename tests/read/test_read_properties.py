"""Property tests of the reader: a random assessment (communes, villages, marks, sometimes
another criteria set) written into a real workbook in every family of layouts communes
send, with random titles, group rows, sub-columns, subtotals, notes, signature blocks,
hidden sheets and merges, reads back as exactly that assessment."""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_xl import CriteriaSet, load_criteria, summarize
from ntm_xl._common._text import display_name, fold
from ntm_xl._read._workers import ReadLimits
from ntm_xl._values._criteria import criteria_from_mapping
from tests.corpus.families import CommuneSheet, Merge, write_book

BAC_KAN = load_criteria()
IN_PROCESS = ReadLimits(isolated=False)
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None)

COMMUNES = (
    "Xuân Lạc",
    "Đồng Xá",
    "Hà Hiệu",
    "Chu Hương",
    "Mỹ Phương",
    "Quảng Khê",
    "Khang Ninh",
    "Cẩm Giàng",
    "Phủ Thông",
    "Vi Hương",
    "Tân Tú",
    "Lục Bình",
    "Đôn Phong",
    "Cao Sơn",
    "Nguyên Phúc",
    "Quân Hà",
    "Sĩ Bình",
    "Thượng Quan",
    "Dương Phong",
    "Ân Tình",
)
# Tày-Nùng syllables: the first is often a landform (nà: field, khuổi: stream, pác: mouth).
# "Tổng" and "Cộng" begin village names too ("Tổng Chản", "Cộng Hòa"), not only totals rows.
_FIRST = (
    "Tổng",
    "Cộng",
    "Nà",
    "Khuổi",
    "Pác",
    "Cốc",
    "Phja",
    "Slam",
    "Pù",
    "Lũng",
    "Bó",
    "Phiêng",
    "Khau",
    "Thôm",
    "Nặm",
)
_SECOND = (
    "Phặc",
    "Tẩu",
    "Slẻ",
    "Vè",
    "Pjạc",
    "Mún",
    "Lằng",
    "Hin",
    "Hày",
    "Chang",
    "Luông",
    "Đán",
    "Vén",
    "Rào",
    "Mèo",
    "Khí",
    "Cạu",
    "Ngần",
    "Hóp",
    "Pái",
    "Lịn",
    "Mằm",
    "Khúa",
    "Bun",
    "Cuồng",
    "Đăm",
)
_KINDS = ("", "", "", "Thôn ", "Bản ", "THÔN ")
_KIND_KEYS = tuple(fold(k) + " " for k in ("thôn", "bản", "tổ"))
_MET_WORDS = ("Đạt", "đạt", "ĐẠT", "x", "X", "✓", "Đ")
_NOT_MET_WORDS = ("Chưa đạt", "Không đạt", "CĐ", "-", "✗")
_SIGNERS = ("Hoàng Thị Mai", "Nông Văn Hùng", "Lý Thị Hoa", "Hà Văn Sơn", "Ma Văn Tình", "Triệu Thị Slao")
_ROMAN = ("I", "II", "III", "IV", "V")


# One sheet per commune (its title in any of the ways communes name it); a district sheet
# with a commune column (merged down, only on the first row, or on every row); a district
# sheet with group rows; one sheet per commune named by tab or title; one sheet per village
# (sometimes beside a summary sheet); villages as columns.
FAMILIES = ("commune", "district-column", "district-group", "tabs", "per-village", "columns")


@dataclass(frozen=True)
class Village:
    commune: str
    written: str  # as the file writes it, kind word included
    not_met: frozenset[int]

    @property
    def name(self) -> str:
        return display_name(self.written, ("thôn",))


@dataclass(frozen=True)
class Assessment:
    criteria: CriteriaSet
    villages: tuple[Village, ...]

    def __repr__(self) -> str:
        return f"Assessment({self.criteria.id}, {self.villages})"

    @property
    def communes(self) -> list[str]:
        return list(dict.fromkeys(v.commune for v in self.villages))

    def of(self, commune: str) -> list[Village]:
        return [v for v in self.villages if v.commune == commune]


# --- criteria sets ---------------------------------------------------------------------------------


@st.composite
def criteria_sets(draw: st.DrawFn) -> CriteriaSet:
    """The Bắc Kạn set, or another province's: 12-19 of its criteria, in another order, numbered anew."""
    if draw(st.booleans()):
        return BAC_KAN
    size = draw(st.integers(12, len(BAC_KAN)))
    chosen = draw(st.permutations(BAC_KAN.criteria))[:size]
    return criteria_from_mapping(
        {
            "id": f"other-{size}",
            "title": "Bộ tiêu chí thôn khác",
            "criterion": [
                {"number": i, "name": c.name, "short_name": c.short_name, "aliases": list(c.aliases)}
                for i, c in enumerate(chosen, 1)
            ],
        },
        "other",
    )


@st.composite
def assessments(draw: st.DrawFn, min_communes: int = 1, max_communes: int = 3) -> Assessment:
    criteria = draw(criteria_sets())
    communes = draw(
        st.lists(st.sampled_from(COMMUNES), min_size=min_communes, max_size=max_communes, unique=True)
    )
    cores = draw(
        st.lists(
            st.tuples(st.sampled_from(_FIRST), st.sampled_from(_SECOND)),
            min_size=len(communes),
            max_size=len(communes) * 3,
            unique=True,
        )
    )
    villages = []
    numbered = iter(draw(st.permutations(range(1, 13))))
    for i, (first, second) in enumerate(cores):
        kind = draw(st.sampled_from(_KINDS))
        core = f"{first} {second}"
        written = f"{kind}{core.upper() if kind.isupper() else core}"
        spelling = draw(st.sampled_from(("as is", "as is", "as is", "numbered", "decomposed")))
        if spelling == "numbered":  # "Thôn 3", "Tổ dân phố 2": the kind word is part of the name
            written = f"{draw(st.sampled_from(('Thôn', 'Tổ dân phố', 'Tổ')))} {next(numbered)}"
        elif spelling == "decomposed":  # typed on a machine that stores NFD
            written = unicodedata.normalize("NFD", written)
        not_met = draw(st.frozensets(st.sampled_from(criteria.numbers), max_size=4))
        villages.append(Village(communes[i % len(communes)], written, not_met))
    villages.sort(key=lambda v: communes.index(v.commune))
    return Assessment(criteria, tuple(villages))


# --- writing ------------------------------------------------------------------------------------------


@dataclass
class Book:
    """What the generator wrote, and what a reader must report for it."""

    file_name: str = "bieu.xlsx"
    sheets: list[CommuneSheet] = field(default_factory=list)
    expected: list[tuple[str, str]] = field(default_factory=list)  # (code, sheet) of every problem
    disagreements: int = 0
    indicators: dict[tuple[str, str], list[tuple[int, object]]] = field(default_factory=dict)
    how: list[str] = field(default_factory=list)  # the choices made, shown when a property fails

    def __repr__(self) -> str:
        return f"Book({self.file_name!r}, {self.how}, expected={self.expected})"


_TONE_PLACES = (("oá", "óa"), ("oà", "òa"), ("uỷ", "ủy"), ("oạ", "ọa"), ("uý", "úy"))


def _retone(rnd: random.Random, text: str) -> str:
    """The other tone placement ("hoá" / "hóa", "thuỷ" / "thủy"), as another machine types it."""
    if rnd.random() < 0.5:
        return text
    for new, old in _TONE_PLACES:
        text = text.replace(old, new) if old in text else text.replace(new, old)
    return text


def _label(rnd: random.Random, criteria: CriteriaSet, number: int, style: str) -> object:
    c = criteria.by_number(number)
    return {
        "number": number,
        "text number": str(number),
        "TC": f"TC{number}",
        "TC space": f"TC {number}",
        "TC dot": f"TC.{number}",
        "Tiêu chí": f"Tiêu chí {number}",
        "Tiêu chí số": f"Tiêu chí số {number:02d}",
        "short": _retone(rnd, c.short_name),
        "full": _retone(rnd, c.name).upper(),
        "number name": f"{number}. {c.short_name}",
    }[style]


_LABEL_STYLES = (
    "number",
    "text number",
    "TC",
    "TC space",
    "TC dot",
    "Tiêu chí",
    "Tiêu chí số",
    "short",
    "full",
    "number name",
)


def _mark_maker(rnd: random.Random, style: str) -> Callable[[bool], object]:
    if style == "numeric":
        return lambda met: 1 if met else 0
    if style == "share":
        return lambda met: (
            f"Đạt ({rnd.choice((100, 100, 90))}%)" if met else f"Chưa đạt ({rnd.randint(40, 95)}%)"
        )
    met_word, not_word = rnd.choice(_MET_WORDS), rnd.choice(_NOT_MET_WORDS)
    if rnd.random() < 0.3:  # every cell its own spelling
        return lambda met: rnd.choice(_MET_WORDS) if met else rnd.choice(_NOT_MET_WORDS)
    return lambda met: met_word if met else not_word


def _title_rows(
    rnd: random.Random, commune: str | None, how: str, width: int
) -> tuple[list[list[object]], list[Merge]]:
    """Rows above the table naming the commune as ``how`` says (or a district's heading)."""
    national = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    side = max(3, min(width - 1, 6))
    heading = rnd.choice(
        (
            "BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT TIÊU CHÍ THÔN NÔNG THÔN MỚI NĂM 2024",
            "KẾT QUẢ ĐÁNH GIÁ THỰC HIỆN BỘ TIÊU CHÍ THÔN",
            "Biểu chi tiết kết quả tự đánh giá 6 tháng đầu năm",
        )
    )
    rows: list[list[object]] = []
    merges: list[Merge] = []
    if commune is None or how == "district":
        rows = [["UBND HUYỆN BẠCH THÔNG"], [heading]]
    elif how == "decree30-rows":
        first = ["ỦY BAN NHÂN DÂN", *[""] * (side - 1), national[0]]
        second = [f"XÃ {commune.upper()}", *[""] * (side - 1), national[1]]
        rows = [first, second, [], [heading]]
        if rnd.random() < 0.5:
            merges = [(0, 0, 0, 2), (1, 0, 1, 2)]
    elif how == "decree30-side":
        rows = [["ỦY BAN NHÂN DÂN", f"XÃ {commune.upper()}"], [], [heading]]
    elif how == "ubnd":
        rows = [
            [
                rnd.choice(
                    (
                        f"UBND XÃ {commune.upper()}",
                        f"UBND xã {commune}",
                        f"ỦY BAN NHÂN DÂN XÃ {commune.upper()}",
                    )
                )
            ],
            [heading],
        ]
        if rnd.random() < 0.3:  # the superior body's line above the commune's
            rows.insert(0, ["UBND HUYỆN BẠCH THÔNG"])
    elif how == "label":
        rows = [[f"Xã: {commune}"], [heading]]
    elif how == "label-next":
        rows = [["Xã:", commune], [heading]]
    elif how == "caption":
        document = rnd.choice(("Báo cáo số 52/BC-UBND", "Tờ trình số 17/TTr-UBND", "Công văn số 8/UBND"))
        body = rnd.choice(("UBND xã", "Ủy ban nhân dân xã", "UBND Xã"))
        caption = f"(Kèm theo {document} ngày 15/6/2024 của {body} {commune})"
        rows = [[heading], [caption.upper() if rnd.random() < 0.2 else caption]]
    else:  # "tab", "file": the title does not name the commune
        rows = [[heading]]
    if rnd.random() < 0.3:
        rows.append([rnd.choice(("Kỳ đánh giá: 6 tháng đầu năm 2024", "Kỳ đánh giá: năm 2024"))])
    if rnd.random() < 0.4:
        rows.append([])
    return rows, merges


_SINGLE_TITLES = ("decree30-rows", "decree30-side", "ubnd", "label", "label-next", "caption", "tab", "file")


def _signature(rnd: random.Random, commune: str, width: int) -> list[list[object]]:
    right = rnd.randint(2, max(2, width - 1))
    left = rnd.choice((0, 1))

    def at(cells: dict[int, object]) -> list[object]:
        row: list[object] = [""] * (max(cells) + 1)
        for c, v in cells.items():
            row[c] = v
        return row

    place = f"{commune}, ngày {rnd.randint(1, 28)} tháng {rnd.randint(1, 12)} năm 2024"
    rows: list[list[object]] = [[]]
    if rnd.random() < 0.5:
        rows.append(at({right: place}))
        rows.append(at({left: "Người lập biểu", right: "TM. UBND XÃ"}))
    else:
        rows.append(at({left: "Người lập biểu", right: place}))
        rows.append(at({right: "TM. UBND XÃ"}))
    rows.append(at({right: rnd.choice(("CHỦ TỊCH", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"))}))
    rows.append([])
    rows.append(at({left: rnd.choice(_SIGNERS), right: rnd.choice(_SIGNERS)}))
    return rows


@dataclass
class _Block:
    """One criterion's columns: header cells (top to bottom, one list per header row), the
    values of a village's row, and merges within the header."""

    width: int
    cells: Callable[[Village, int], list[object]]  # (village, row index) -> values
    header: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # relative to the block
    # a group's or subtotal's row: counts of villages met (and not met, for pairs)
    total: Callable[[Sequence[Village]], list[object]] | None = None


def _table(
    rnd: random.Random,
    book: Book,
    assessment: Assessment,
    villages: Sequence[Village],
    sheet: str,
    commune_how: str,
) -> CommuneSheet:
    """A villages-as-rows table: title, a 1-3 row header, villages, group rows, subtotals,
    notes and a signature block, as ``commune_how`` names the communes."""
    criteria = assessment.criteria
    numbers = criteria.numbers
    sub = rnd.choice(("single", "single", "pair", "indicator", "verdicts", "blocks", "unmet"))
    mark_style = (
        rnd.choice(("words", "words", "numeric", "share"))
        if sub in ("single", "indicator", "blocks")
        else "words"
    )
    mark = _mark_maker(rnd, mark_style)
    label_style = rnd.choice(_LABEL_STYLES)
    book.how.append(f"{sheet}: {commune_how}, {sub}, {mark_style}, {label_style}")
    own: dict[tuple[str, int], bool] = {}  # the self-assessment when it differs from the review

    def met(v: Village, n: int) -> bool:
        return n not in v.not_met

    blocks: list[_Block] = []
    depth = 1
    if sub in ("single", "indicator"):
        depth = rnd.choice((1, 2, 3)) if sub == "single" else 2
        with_indicator = set(rnd.sample(numbers, k=rnd.randint(1, 2))) if sub == "indicator" else set()
        for n in numbers:
            if n in with_indicator:
                labels = rnd.choice(([f"{n}.1"], [f"{n}.1", f"{n}.2"], ["Tỷ lệ (%)"], ["Giá trị"]))
                result = rnd.choice(("Kết quả", "Đánh giá", "Kết quả đánh giá"))

                def with_values(v: Village, i: int, n: int = n, k: int = len(labels)) -> list[object]:
                    values = [round(rnd.uniform(1, 99), 1) for _ in range(k)]
                    book.indicators.setdefault((v.commune, v.name), []).extend((n, x) for x in values)
                    book.indicators[(v.commune, v.name)].sort()
                    return [*values, mark(met(v, n))]

                blocks.append(
                    _Block(
                        len(labels) + 1,
                        with_values,
                        [[_label(rnd, criteria, n, label_style), *[""] * len(labels)], [*labels, result]],
                        [(0, 0, 0, len(labels))],
                        lambda g, n=n, k=len(labels): [*[""] * k, sum(met(v, n) for v in g)],  # noqa: B008
                    )
                )
            else:
                blocks.append(
                    _Block(
                        1,
                        lambda v, i, n=n: [mark(met(v, n))],
                        [[_label(rnd, criteria, n, label_style)]],
                        total=lambda g, n=n: [sum(met(v, n) for v in g)],
                    )
                )
    elif sub == "pair":
        depth = 2
        met_head = rnd.choice(("Đạt", "Đ"))
        not_head = rnd.choice(("Chưa đạt", "Không đạt", "CĐ"))
        ticks = rnd.choice((("x", "x"), ("X", "X"), ("✓", "✓"), (1, 1), ("Đạt", "Chưa đạt")))
        for n in numbers:
            blocks.append(
                _Block(
                    2,
                    lambda v, i, n=n: [ticks[0], ""] if met(v, n) else ["", ticks[1]],
                    [[_label(rnd, criteria, n, label_style), ""], [met_head, not_head]],
                    [(0, 0, 0, 1)],
                    lambda g, n=n: [sum(met(v, n) for v in g), sum(not met(v, n) for v in g)],
                )
            )
    elif sub == "verdicts":
        depth = 2
        self_head = rnd.choice(("Thôn tự đánh giá", "Xã tự đánh giá", "Tự đánh giá"))
        review_head = rnd.choice(("UBND xã thẩm định", "Đoàn kiểm tra", "Kết quả kiểm tra", "Thẩm định"))
        self_first = rnd.random() < 0.8
        for n in numbers:
            for v in villages:
                if rnd.random() < 0.1:
                    own[(v.written, n)] = not met(v, n)

            def cells(v: Village, i: int, n: int = n) -> list[object]:
                review = mark(met(v, n))
                mine = mark(own.get((v.written, n), met(v, n)))
                return [mine, review] if self_first else [review, mine]

            heads = [self_head, review_head] if self_first else [review_head, self_head]
            blocks.append(
                _Block(2, cells, [[_label(rnd, criteria, n, label_style), ""], heads], [(0, 0, 0, 1)])
            )
    elif sub == "blocks":
        depth = 2
        k = len(numbers)
        for v in villages:
            for n in numbers:
                if rnd.random() < 0.1:
                    own[(v.written, n)] = not met(v, n)
        self_head = rnd.choice(("Xã tự đánh giá", "Thôn tự đánh giá"))
        review_head = rnd.choice(("Kết quả kiểm tra", "Đoàn kiểm tra", "Kết quả thẩm định"))
        blocks.append(
            _Block(
                2 * k,
                lambda v, i: (
                    [mark(own.get((v.written, n), met(v, n))) for n in numbers]
                    + [mark(met(v, n)) for n in numbers]
                ),
                [
                    [self_head, *[""] * (k - 1), review_head, *[""] * (k - 1)],
                    [*(_label(rnd, criteria, n, label_style) for n in numbers)] * 2,
                ],
                [(0, 0, 0, k - 1), (0, k, 0, 2 * k - 1)],
            )
        )
    else:  # unmet: the count met and the list of the others
        depth = 1
        count_head = rnd.choice(("Số tiêu chí đạt", "Tổng số tiêu chí đạt", "Số TC đạt"))
        list_head = rnd.choice(("Các tiêu chí chưa đạt", "Tiêu chí chưa đạt", "Tên các tiêu chí chưa đạt"))

        def spelled(v: Village) -> object:
            bad = sorted(v.not_met)
            if not bad:
                return rnd.choice(("Không", "Không có"))
            text = [str(b) for b in bad]
            style = rnd.choice(("TC", "semicolon", "Tiêu chí", "và", "plain", "names"))
            if style == "names":  # "Giao thông, Thu nhập", names with commas included
                return ", ".join(criteria.by_number(b).short_name for b in bad)
            if style == "TC":
                return "TC " + ", ".join(text)
            if style == "semicolon":
                return "; ".join(text)
            if style == "Tiêu chí":
                return "Tiêu chí " + ", ".join(text)
            if style == "và" and len(text) > 1:
                return ", ".join(text[:-1]) + " và " + text[-1]
            return ", ".join(text) if len(text) > 1 or rnd.random() < 0.5 else bad[0]

        blocks.append(
            _Block(2, lambda v, i: [len(numbers) - len(v.not_met), spelled(v)], [[count_head, list_head]])
        )

    if sub in ("verdicts", "blocks"):
        book.disagreements += len(own)
    if sub in ("single", "pair") and rnd.random() < 0.2:  # the criteria in another order than the set's
        order = list(range(len(blocks)))
        rnd.shuffle(order)
        blocks = [blocks[i] for i in order]
        numbers = tuple(numbers[i] for i in order)
        book.how.append("  criteria shuffled")
    if depth == 3:  # "Các tiêu chí" over all, then the number, then the name
        for b, n in zip(blocks, numbers, strict=True):
            b.header = [[f"TC {n}"], [criteria.by_number(n).short_name]]

    # lead columns
    bare_groups = commune_how == "group-bare"  # "II | Khang Ninh": a numeral, then the name
    with_stt = bare_groups or rnd.random() < 0.85
    if bare_groups:
        commune_how = "group"
    district = commune_how in ("merged", "first", "every", "group")
    with_commune_col = commune_how in ("merged", "first", "every")
    village_head = rnd.choice(
        ("Thôn", "Tên thôn", "Thôn, bản", "Đơn vị", "Tên thôn, bản, tổ dân phố", "Tên thôn, bản")
    )
    lead_heads: list[object] = []
    if with_stt:
        lead_heads.append(rnd.choice(("STT", "TT")))
    if with_commune_col:
        lead_heads.append(rnd.choice(("Xã", "Tên xã")))
    lead_heads.append(village_head)
    lead = len(lead_heads)
    with_count = sub != "unmet" and rnd.random() < 0.3
    with_notes = rnd.random() < 0.3
    tail_heads: list[object] = (["Số tiêu chí đạt"] if with_count else []) + (
        ["Ghi chú"] if with_notes else []
    )
    width = lead + sum(b.width for b in blocks) + len(tail_heads)

    commune = None if district else villages[0].commune
    rows, merges = _title_rows(rnd, commune, commune_how, width)
    top = len(rows)
    header: list[list[object]] = [[""] * width for _ in range(depth)]
    merge_down = rnd.random() < 0.7

    def head(c: int, text: object, full: bool = True) -> None:
        """A header cell spanning the header's rows (merged down, or blank below)."""
        header[0][c] = text
        if depth > 1 and merge_down and full:
            merges.append((top, c, top + depth - 1, c))

    for c, text in enumerate(lead_heads):
        head(c, text)
    col = lead
    spanning = depth > 1 and all(len(b.header) < depth for b in blocks)
    if spanning:
        header[0][col] = rnd.choice(("Các tiêu chí", "Tiêu chí", "Kết quả thực hiện các tiêu chí"))
        merges.append((top, col, top, col + sum(b.width for b in blocks) - 1))
    for b in blocks:
        offset = depth - len(b.header)
        if offset and not spanning:  # a one-row label in a deeper header: at the top, merged down or not
            offset = 0
            if merge_down:
                merges.append((top, col, top + depth - 1, col))
        for r, cells in enumerate(b.header):
            for i, value in enumerate(cells):
                if value != "":
                    header[r + offset][col + i] = value
        for r1, c1, r2, c2 in b.merges:
            merges.append((top + offset + r1, col + c1, top + offset + r2, col + c2))
        col += b.width
    for i, text in enumerate(tail_heads):
        head(col + i, text)
    rows.extend(header)
    if rnd.random() < 0.2:
        rows.append([f"({i})" for i in range(1, width + 1)])

    def village_row(v: Village, i: int, commune_cell: object) -> list[object]:
        row: list[object] = []
        if with_stt:
            row.append(i if rnd.random() < 0.8 else str(i))
        if with_commune_col:
            row.append(commune_cell)
        row.append(v.written)
        for b in blocks:
            row.extend(b.cells(v, i))
        if with_count:
            row.append(len(numbers) - len(v.not_met))
        if with_notes:
            row.append(rnd.choice(("", "", "mới sáp nhập", "đăng ký năm 2024")))
        return row

    def totals(group: Sequence[Village]) -> list[object]:
        return [x for b in blocks for x in (b.total(group) if b.total else [""] * b.width)]

    def text_row(text: str, col: int, extra: list[object] | None = None) -> list[object]:
        row: list[object] = [""] * lead
        row[col] = text
        if extra is not None:
            row.extend(extra)
        return row

    village_col = lead - 1
    communes = list(dict.fromkeys(v.commune for v in villages))
    numbering = 0
    group_style = rnd.choice(("roman-dot", "count-paren", "count-colon", "count-dash", "bare", "plain"))
    if bare_groups:
        group_style = "bare"
    elif group_style == "bare" and not with_stt:
        group_style = "roman-dot"
    group_totals = rnd.random() < 0.4
    subtotal_totals = rnd.random() < 0.4
    group_in_stt = with_stt and rnd.random() < 0.3  # "I. Xã Hà Hiệu" typed in the STT column
    subtotal = rnd.choice(("", "", "Cộng", "Cộng xã"))
    if district:
        book.how.append(f"  group {group_style}, totals {group_totals}, subtotal {subtotal!r}")
    village_rows: list[int] = []
    for g, name in enumerate(communes):
        members = [v for v in villages if v.commune == name]
        if commune_how == "group":
            roman = _ROMAN[g]
            count = f"{len(members):02d} thôn"
            text = {
                "roman-dot": f"{roman}. Xã {name}",
                "count-paren": f"{roman}. Xã {name} ({count})",
                "count-colon": f"{roman}. XÃ {name.upper()}: {count}",
                "count-dash": f"Xã {name} - {count}",
                "bare": name,
                "plain": f"Xã {name}",
            }[group_style]
            in_stt = group_in_stt and group_style != "bare"
            row = text_row(text, 0 if in_stt else village_col, totals(members) if group_totals else None)
            if with_stt and not in_stt and group_style in ("bare", "roman-dot", "count-paren", "count-colon"):
                row[0] = roman
            rows.append(row)
            numbering = 0
        for v in members:
            numbering += 1
            cell: object = ""
            if commune_how == "every" or (commune_how in ("merged", "first") and v is members[0]):
                cell = rnd.choice(
                    (name, f"Xã {name}", f"XÃ {name.upper()}", f"Xã {name} ({len(members):02d} thôn)")
                )
            if rnd.random() < 0.08:
                rows.append([])
            village_rows.append(len(rows))
            rows.append(village_row(v, numbering, cell))
        first_row = village_rows[-len(members)]
        if commune_how == "merged" and len(members) > 1:
            merges.append((first_row, lead - 2, len(rows) - 1, lead - 2))
        if subtotal and district:
            text = "Cộng" if subtotal == "Cộng" else f"Cộng xã {name}"
            where = lead - 2 if with_commune_col else village_col
            rows.append(text_row(text, where, totals(members) if subtotal_totals else None))
    if rnd.random() < 0.4:
        rows.append(
            text_row(
                rnd.choice(("Tổng cộng", "Tổng số", "Cộng")),
                village_col,
                totals(villages) if subtotal_totals else None,
            )
        )
    if rnd.random() < 0.4:
        rows.append(
            [
                rnd.choice(
                    (
                        "Ghi chú: Thu nhập tính theo giá hiện hành.",
                        "Ghi chú: đánh dấu x vào ô tương ứng.",
                        "* Số liệu đến ngày 15/6/2024",
                    )
                )
            ]
        )
    if rnd.random() < 0.6:
        rows.extend(_signature(rnd, commune or "Bạch Thông", width))
    hidden: tuple[int, ...] = ()
    struck: tuple[int, ...] = ()
    if rnd.random() < 0.1:
        hidden = (rnd.choice(village_rows),)
        book.expected.append(("F023", sheet))
    if rnd.random() < 0.1:
        struck = (rnd.choice(village_rows),)
        book.expected.append(("R018", sheet))
    return CommuneSheet(sheet, rows, merges, hidden_rows=hidden, struck_rows=struck)


def _village_sheet(
    rnd: random.Random, book: Book, criteria: CriteriaSet, v: Village, two: bool, with_values: bool
) -> CommuneSheet:
    """One village's sheet: criteria as rows (indicator rows under some), its verdict, and
    with ``two`` the commune's review beside the village's own."""
    how = rnd.choice(("title", "label", "tab", "tail"))
    # With "tail" the heading may leave the commune out: the village's title names it.
    heading = rnd.choice(("decree30-rows", "ubnd", "label", *(("tab",) if how == "tail" else ())))
    rows, merges = _title_rows(rnd, v.commune, heading, 4)
    core = v.name
    kind = v.written[: len(v.written) - len(core)].strip() if v.written.endswith(core) else ""
    named = core if fold(core).startswith(_KIND_KEYS) else f"{kind or 'Thôn'} {core}"
    if how == "title":  # "THÔN NÀ NGẦN", "Bản Khuổi Tẩu", "THÔN 3"
        rows.append([named.upper() if rnd.random() < 0.5 else named])
    elif how == "label":
        rows.append(["Thôn:", core])
    else:  # "THÔN NÀ NGẦN, XÃ THUẦN MANG": the commune only in the village's title
        rows.append(
            [f"{named}, xã {v.commune}".upper() if rnd.random() < 0.5 else f"{named}, xã {v.commune}"]
        )
    rows.append([])
    label_head = rnd.choice(("Tên tiêu chí", "Tiêu chí", "Nội dung tiêu chí"))
    value_head = rnd.choice(("", "Kết quả thực hiện", "Hiện trạng"))
    if two:
        verdicts = [
            rnd.choice(("Thôn tự đánh giá", "Tự đánh giá")),
            rnd.choice(("Xã thẩm định", "UBND xã thẩm định")),
        ]
    else:
        verdicts = [rnd.choice(("Kết quả đánh giá", "Tự đánh giá", "Xã đánh giá", "Đánh giá"))]
    head: list[object] = ["TT", label_head, *([value_head] if value_head else []), *verdicts]
    rows.append(head)
    mark = _mark_maker(rnd, "words")
    for c in criteria.criteria:
        met = c.number not in v.not_met
        number: object = rnd.choice((c.number, c.number, f"{c.number}.", f"Tiêu chí số {c.number:02d}"))
        name = c.name if rnd.random() < 0.5 else c.short_name
        blank: list[object] = [""] if value_head else []
        if two:
            own = met if rnd.random() < 0.9 else not met
            book.disagreements += own != met
            rows.append([number, name, *blank, mark(own), mark(met)])
        else:
            rows.append([number, name, *blank, mark(met)])
        if value_head and with_values and rnd.random() < 0.15:
            value = round(rnd.uniform(1, 99), 1)
            rows.append([f"{c.number}.1", "Chỉ tiêu thành phần", value, ""])
            book.indicators.setdefault((v.commune, v.name), []).append((c.number, value))
    sheet = core if how == "tab" or rnd.random() < 0.5 else f"Thôn {core}"[:31]
    return CommuneSheet(sheet[:31], rows, merges)


def _columns_sheet(rnd: random.Random, criteria: CriteriaSet, villages: Sequence[Village]) -> CommuneSheet:
    """Criteria as rows, villages as columns under a merged "Xã ..." header (or one commune's title)."""
    communes = list(dict.fromkeys(v.commune for v in villages))
    rows, merges = _title_rows(rnd, None if len(communes) > 1 else communes[0], "ubnd", 4)
    top = len(rows)
    mark = _mark_maker(rnd, "words")
    names = [v.written for v in villages]
    if len(communes) > 1:
        group: list[object] = ["TT", "Tiêu chí"]
        for name in communes:
            members = [v for v in villages if v.commune == name]
            group += [
                rnd.choice((f"Xã {name}", f"Xã {name} ({len(members):02d} thôn)")),
                *[""] * (len(members) - 1),
            ]
            if len(members) > 1:
                merges.append((top, len(group) - len(members), top, len(group) - 1))
        rows += [group, ["", "", *names]]
    else:
        rows.append(["TT", "Tiêu chí", *names])
    for c in criteria.criteria:
        rows.append([c.number, c.short_name, *(mark(c.number not in v.not_met) for v in villages)])
    return CommuneSheet("TH", rows, merges)


_TABS = ("Biểu", "Sheet1", "TH", "Biểu 01", "Data", "Trang 1")


def _commune_sheet(
    rnd: random.Random, book: Book, a: Assessment, villages: Sequence[Village], used: set[str]
) -> CommuneSheet:
    """One commune's villages-as-rows table, the commune named as a random family does it."""
    commune = villages[0].commune
    how = rnd.choice(_SINGLE_TITLES)
    if how == "file" and (book.file_name != "bieu.xlsx" or "Sheet1" in used):
        how = "ubnd"
    if how == "tab":
        sheet = rnd.choice((commune, f"Xã {commune}", f"XÃ {commune.upper()}"))
    elif how == "file":
        book.file_name = f"Xã {commune}.xlsx"
        sheet = "Sheet1"
        book.expected.append(("R016", sheet))
    else:
        sheet = rnd.choice([t for t in _TABS if t not in used] or [f"Biểu {len(used)}"])
    used.add(sheet)
    return _table(rnd, book, a, villages, sheet, how)


def _last_period(rnd: random.Random, a: Assessment, used: set[str]) -> CommuneSheet:
    """A hidden sheet of last period's results: other marks, a village that has since left."""
    commune = a.villages[0].commune
    old = [Village(commune, "Nà Cũ", frozenset(a.criteria.numbers[:3]))]
    old += [Village(commune, v.written, frozenset(a.criteria.numbers[:2])) for v in a.of(commune)]
    rows = [[f"UBND XÃ {commune.upper()}"], ["STT", "Tên thôn", *(n for n in a.criteria.numbers)]]
    rows += [
        [i, v.written, *("Chưa đạt" if n in v.not_met else "Đạt" for n in a.criteria.numbers)]
        for i, v in enumerate(old, 1)
    ]
    name = rnd.choice([t for t in ("Năm 2023", "Kỳ trước", "DS") if t not in used])
    return CommuneSheet(name, rows, hidden=True)


@st.composite
def books(draw: st.DrawFn, family: str | None = None) -> tuple[Assessment, Book]:
    if family is None:
        family = draw(st.sampled_from(FAMILIES))
    several = family.startswith("district") or family == "tabs"
    a = draw(
        assessments(
            min_communes=2 if several else 1, max_communes=1 if family != "columns" and not several else 3
        )
    )
    # The layout's cosmetic choices from a seeded generator: uniform, and reproducible from the seed.
    seed = draw(st.integers(0, 2**32 - 1))
    rnd = random.Random(f"{seed} {a!r}")  # small seeds are drawn often: the assessment varies them
    book = Book(how=[f"seed {seed}"])
    used: set[str] = set()
    if family == "commune":
        book.sheets.append(_commune_sheet(rnd, book, a, a.villages, used))
    elif family.startswith("district"):
        how = rnd.choice(
            ("merged", "first", "every") if family == "district-column" else ("group", "group-bare")
        )
        book.sheets.append(_table(rnd, book, a, a.villages, rnd.choice(("Tổng hợp", "Ba Bể", "Sheet1")), how))
    elif family == "tabs":
        for name in a.communes:
            book.sheets.append(_commune_sheet(rnd, book, a, a.of(name), used))
    elif family == "per-village":
        two = rnd.random() < 0.3
        beside = not two and rnd.random() < 0.5
        # Not covered: the indicator values of a village sheet beside a summary sheet are
        # lost when the summary's entry is the one counted (the value check looks them up
        # by the counted entry's cell).
        sheets = [_village_sheet(rnd, book, a.criteria, v, two, not beside) for v in a.villages]
        if len({s.name for s in sheets}) < len(sheets):
            sheets = [CommuneSheet(f"Trang {i}", s.rows, s.merges) for i, s in enumerate(sheets, 1)]
        if beside:
            summary = _table(rnd, book, a, a.villages, "Tổng hợp", "ubnd")
            sheets.insert(0, summary)
            book.expected += [("M015", s.name) for s in sheets[1:]]
        book.sheets += sheets
    else:
        book.sheets.append(_columns_sheet(rnd, a.criteria, a.villages))
    book.how.insert(0, family)
    if rnd.random() < 0.25:
        hidden = _last_period(rnd, a, used | {s.name for s in book.sheets})
        book.sheets.insert(rnd.randint(0, len(book.sheets)), hidden)
        book.expected.append(("R015", hidden.name))
    return a, book


def _read_back(a: Assessment, book: Book, path: Path | None = None) -> None:
    """``path``: the book already written (in another format); else it is written as .xlsx."""
    if path is None:
        with tempfile.TemporaryDirectory() as folder:
            written = write_book(Path(folder) / book.file_name, book.sheets)
            summary = summarize([written], a.criteria, limits=IN_PROCESS)
    else:
        summary = summarize([path], a.criteria, limits=IN_PROCESS)
    # Names in capitals ("TỔ DÂN PHỐ 7" on a village's sheet) are shown title-cased: the same village.
    got = Counter((v.commune, fold(v.village), frozenset(v.not_met)) for v in summary.villages)
    want = Counter((v.commune, fold(v.name), v.not_met) for v in a.villages)
    assert got == want, book.how
    assert summary.excluded == (), book.how
    # Indicator values against thresholds (C codes) are checked after reading, elsewhere:
    # here only that every value was read, at its village.
    indicators = {
        (v.commune, fold(v.village)): sorted((i.criterion, i.value) for i in v.indicators)
        for v in summary.villages
    }
    assert {k: i for k, i in indicators.items() if i} == {
        (c, fold(v)): i for (c, v), i in book.indicators.items()
    }, book.how
    problems = sorted((p.code, p.sheet) for p in summary.problems if not p.code.startswith("C"))
    assert problems == sorted(book.expected), book.how
    assert len(summary.disagreements) == book.disagreements, book.how


@pytest.mark.parametrize("family", FAMILIES)
@SETTINGS
@given(data=st.data())
def test_a_random_assessment_reads_back_equal_in_every_family(family: str, data: st.DataObject) -> None:
    _read_back(*data.draw(books(family), label="assessment and book"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@settings(max_examples=1, deadline=None, derandomize=True, database=None)
@given(st.tuples(*(books(family) for family in FAMILIES)))
def test_random_assessments_saved_by_libreoffice_read_back_equal(
    drawn: tuple[tuple[Assessment, Book], ...],
) -> None:
    """The same, one book of each family, saved by LibreOffice as .ods and .xls (one conversion
    call per format)."""
    with tempfile.TemporaryDirectory() as folder:
        sources = [
            write_book(Path(folder) / f"{i}-{b.file_name}", b.sheets) for i, (_, b) in enumerate(drawn)
        ]
        for target in ("ods", "xls"):
            out = Path(folder) / target
            subprocess.run(
                ["soffice", "--headless", "--convert-to", target, "--outdir", str(out), *map(str, sources)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            for (a, book), source in zip(drawn, sources, strict=True):
                # A struck-through font is read from .xlsx styles only.
                expected = [e for e in book.expected if e[0] != "R018"]
                converted = replace(book, expected=expected)
                _read_back(a, converted, out / f"{source.stem}.{target}")
