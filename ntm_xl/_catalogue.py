"""The catalogue of problems: every kind of problem ntm_xl reports, once.

A kind has a stable code, a severity, a Vietnamese message template (``str.format``
fields filled from the problem's parameters) and tags. Codes never change meaning
and are never reused; tests assert codes and locations, and
``tests/golden/problem-catalogue.txt`` holds the wording. Code letters by step:

    F  files: finding, opening, pre-checks, isolated reading
    R  reading a table: header, columns, rows, communes, reading rules
    M  marks and validation of each village
    D  the village registry (danh mục thôn)
    E  legacy encodings (TCVN3, VNI)
    C  indicators, thresholds and comparison with the previous period
    W  writing outputs
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ._problems import Problem, Severity

__all__ = ["CATALOGUE", "ProblemKind", "problem"]

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class ProblemKind:
    code: str
    severity: Severity
    template: str
    tags: tuple[str, ...] = ()

    def render(self, params: Mapping[str, object]) -> str:
        return self.template.format_map(params)


def _kinds(*kinds: ProblemKind) -> dict[str, ProblemKind]:
    return {kind.code: kind for kind in kinds}


# Each step keeps its own block; new kinds go at the end of their block.

_DAMAGED = "tệp có thể bị hỏng hoặc được tạo ra để gây hại; các tệp khác vẫn được đọc bình thường"

_FILES = _kinds(
    ProblemKind("F001", ERROR, "Không tìm thấy tệp hoặc thư mục này.", ("file",)),
    ProblemKind("F002", WARNING, "Thư mục không có tệp Excel nào (.xlsx, .xlsm, .xls, .ods).", ("file",)),
    ProblemKind("F003", WARNING, "Tệp này được đưa vào hai lần; chỉ đọc một lần.", ("file",)),
    ProblemKind(
        "F004", WARNING, "Tệp này giống hệt tệp {other} (cùng nội dung); chỉ đọc một lần.", ("file",)
    ),
    ProblemKind(
        "F005", ERROR, "Tệp được đặt mật khẩu nên không đọc được; cần gỡ mật khẩu rồi gửi lại.", ("file",)
    ),
    ProblemKind("F006", ERROR, "Không đọc được tệp: {expected} ({detail}).", ("file",)),
    ProblemKind("F007", ERROR, "Không đọc được trang tính này: {detail}", ("file", "sheet")),
    ProblemKind("F008", ERROR, "Tệp không có trang tính nào.", ("file",)),
    ProblemKind("F009", ERROR, "Không đọc được tệp: không mở được tệp ({reason}).", ("file",)),
    ProblemKind(
        "F010", ERROR, "Không đọc được tệp: tệp rỗng (0 byte), chưa được lưu hoặc chưa tải về hết.", ("file",)
    ),
    ProblemKind(
        "F011",
        ERROR,
        "Không đọc được tệp: tệp không phải bảng tính Excel: nội dung không đúng định dạng {suffix} "
        "(tệp hỏng hoặc đổi đuôi).",
        ("file",),
    ),
    ProblemKind(
        "F012",
        ERROR,
        "Không đọc được tệp: tệp không phải bảng tính Excel mà là {what}. Cần mở bằng Excel và lưu lại "
        "dạng .xlsx, hoặc xin xã gửi lại đúng tệp.",
        ("file",),
    ),
    ProblemKind("F013", ERROR, "Không đọc được tệp: tệp quá lớn ({size}, giới hạn {limit}).", ("file",)),
    ProblemKind(
        "F014",
        ERROR,
        "Không đọc được tệp: tệp được đặt mật khẩu; cần gỡ mật khẩu (File > Info > Protect Workbook) "
        "rồi gửi lại.",
        ("file",),
    ),
    ProblemKind(
        "F015",
        ERROR,
        "Không đọc được tệp: tệp bị hỏng hoặc chưa tải về hết (phần nén bên trong tệp không đầy đủ); "
        "cần xin xã gửi lại tệp ({detail}).",
        ("file",),
    ),
    ProblemKind(
        "F016",
        ERROR,
        "Không đọc được tệp: tệp là văn bản Word (.docx) bị đổi đuôi thành tệp Excel; "
        "cần gửi đúng biểu Excel.",
        ("file",),
    ),
    ProblemKind(
        "F017",
        ERROR,
        "Không đọc được tệp: tệp là bài trình chiếu PowerPoint bị đổi đuôi thành tệp Excel.",
        ("file",),
    ),
    ProblemKind(
        "F018", ERROR, "Không đọc được tệp: tệp nén (zip) này không chứa bảng tính Excel.", ("file",)
    ),
    ProblemKind(
        "F019",
        ERROR,
        "Không đọc được tệp: tệp nén {size} nhưng giải nén ra hơn {inflated} (giới hạn {limit}{extra}): "
        "có thể là tệp độc hại (zip bomb) hoặc bảng tính quá lớn.",
        ("file",),
    ),
    ProblemKind(
        "F020",
        ERROR,
        "Trang tính có dữ liệu tới ô {last} ({rows} dòng × {cols} cột), vượt giới hạn {limit} dòng; trang "
        "này không được đọc. Nếu chỉ có vài ô lẻ ở cuối trang, cần xoá chúng (Ctrl+End để tìm) rồi lưu lại.",
        ("file", "sheet"),
    ),
    ProblemKind(
        "F021",
        ERROR,
        "Trang tính có dữ liệu tới ô {last} ({rows} dòng × {cols} cột = {cells} ô), vượt giới hạn {limit} ô "
        "của một trang; trang này không được đọc. Nếu chỉ có vài ô lẻ ở xa, cần xoá chúng (Ctrl+End để tìm) "
        "rồi lưu lại.",
        ("file", "sheet"),
    ),
    ProblemKind(
        "F022",
        ERROR,
        "Không đọc được tệp: trang '{name}' khai báo {rows} dòng × {cols} cột ({what}), "
        "vượt giới hạn {limit}: " + _DAMAGED + ".",
        ("file", "sheet"),
    ),
    ProblemKind("F023", WARNING, "{detail}", ("file", "sheet")),
    ProblemKind(
        "F024",
        ERROR,
        "Không đọc được tệp: phần '{part}' khai báo {count} chuỗi văn bản dùng chung, vượt giới hạn {limit}: "
        + _DAMAGED
        + ".",
        ("file",),
    ),
    ProblemKind(
        "F025",
        ERROR,
        "Trang tính có {count} vùng ô gộp (giới hạn {limit}) hoặc vùng gộp phủ {cells} ô: trang này không "
        "được đọc; " + _DAMAGED + ".",
        ("file", "sheet"),
    ),
    ProblemKind(
        "F026",
        ERROR,
        "Không đọc được tệp: phần '{part}' khai báo bảng mã '{encoding}', không phải bảng mã văn bản hợp lệ: "
        + _DAMAGED
        + ".",
        ("file",),
    ),
    ProblemKind(
        "F027",
        ERROR,
        "Không đọc được tệp: chương trình đọc bảng tính dừng đột ngột khi đọc tệp này ({detail}): "
        + _DAMAGED
        + ".",
        ("file", "isolation"),
    ),
    ProblemKind(
        "F028",
        ERROR,
        "Không đọc được tệp: đọc tệp này cần hơn {limit} bộ nhớ (giới hạn cho mỗi tệp) nên đã bị dừng: "
        + _DAMAGED
        + ". Nếu đây là một bảng tính thật rất lớn, có thể tăng giới hạn bằng --memory-limit.",
        ("file", "isolation"),
    ),
    ProblemKind(
        "F029",
        ERROR,
        "Không đọc được tệp: đọc tệp này quá {seconds} giây nên đã bị dừng: "
        + _DAMAGED
        + ". Có thể tăng giới hạn bằng --time-limit.",
        ("file", "isolation"),
    ),
    ProblemKind(
        "F030",
        ERROR,
        "Không đọc được tệp: gặp lỗi không lường trước khi đọc ({detail}): " + _DAMAGED + ".",
        ("file", "isolation"),
    ),
    ProblemKind(
        "F031",
        WARNING,
        "Tên tệp có ký tự không đọc được (không phải UTF-8); trong các thông báo tên tệp được ghi "
        "là '{shown}'.",
        ("file",),
    ),
    ProblemKind("F032", ERROR, "Không đọc được thư mục này ({reason}).", ("file",)),
)

_READING = _kinds()

_MARKS = _kinds()

_REGISTRY = _kinds()

_ENCODINGS = _kinds()

_INDICATORS = _kinds()

_OUTPUTS = _kinds(
    ProblemKind(
        "W001",
        WARNING,
        "Ô có {count} ký tự không ghi được vào tệp Excel/Word ({codes}); các ký tự đó đã bị bỏ khỏi kết quả.",
        ("output", "cell"),
    ),
)


def _catalogue() -> Mapping[str, ProblemKind]:
    merged: dict[str, ProblemKind] = {}
    for block in (_FILES, _READING, _MARKS, _REGISTRY, _ENCODINGS, _INDICATORS, _OUTPUTS):
        for code, kind in block.items():
            if code in merged:
                raise AssertionError(f"problem code {code} defined twice")
            merged[code] = kind
    return MappingProxyType(merged)


CATALOGUE: Mapping[str, ProblemKind] = _catalogue()


def problem(code: str, file: Path, *, sheet: str = "", cell: str = "", **params: object) -> Problem:
    """The problem of kind ``code`` at (file, sheet, cell), its message rendered from the template."""
    kind = CATALOGUE[code]
    return Problem(kind.severity, file, kind.render(params), sheet=sheet, cell=cell, code=code, params=params)
