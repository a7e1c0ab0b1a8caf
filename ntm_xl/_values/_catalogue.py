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
from typing import Protocol

from ._problems import Problem, Severity

__all__ = ["CATALOGUE", "Located", "ProblemKind", "problem", "problem_at"]

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


class Located(Protocol):
    """Anything with a file, a sheet and a cell (``Location``), as a problem is placed."""

    @property
    def file(self) -> Path: ...
    @property
    def sheet(self) -> str: ...
    @property
    def cell(self) -> str: ...


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
    ProblemKind(
        "F023",
        WARNING,
        "Trang tính có {hidden}; dữ liệu trong đó vẫn được đọc và tính. "
        "Cần kiểm tra lại (bỏ ẩn: chọn cả trang, chuột phải, Unhide).",
        ("file", "sheet", "hidden"),
    ),
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

_READING = _kinds(
    ProblemKind(
        "R001", INFO, "Bỏ qua trang này: không thấy cột tên thôn ('Thôn', 'Tên thôn', ...).", ("sheet",)
    ),
    ProblemKind("R002", INFO, "Bỏ qua trang này: không thấy cột tiêu chí nào dưới dòng tiêu đề.", ("sheet",)),
    ProblemKind(
        "R003",
        WARNING,
        "Cột '{header}' là tiêu chí số {number}, không có trong bộ tiêu chí đang dùng ({criteria}); "
        "cột này bị bỏ qua.",
        ("header", "criteria"),
    ),
    ProblemKind(
        "R004",
        ERROR,
        "Tiêu chí số {number} có hai cột (cột ở ô {first} và cột này); cần đúng một cột cho mỗi tiêu chí.",
        ("header", "criteria"),
    ),
    ProblemKind(
        "R005",
        ERROR,
        "Bảng thiếu cột của tiêu chí số {numbers}; cần đủ {size} cột tiêu chí. "
        "Các thôn trong trang này không được tính.",
        ("header", "criteria"),
    ),
    ProblemKind(
        "R006",
        ERROR,
        "Dòng {row} có đánh giá tiêu chí nhưng ô tên thôn để trống; cần ghi tên thôn.",
        ("row", "village"),
    ),
    ProblemKind(
        "R007",
        ERROR,
        "Không xác định được xã của thôn '{village}': cần tên xã ở tiêu đề ('UBND XÃ ...' hoặc 'Xã: ...'), "
        "ở một cột 'Xã', hoặc ở dòng nhóm ('Xã ...') phía trên. Thôn này không được tính.",
        ("commune", "village"),
    ),
    ProblemKind("R008", WARNING, "Bảng đánh giá không có dòng thôn nào.", ("sheet", "village")),
    ProblemKind(
        "R009",
        ERROR,
        "Không tìm thấy bảng đánh giá trong tệp: cần một bảng có cột 'Thôn' (hoặc 'Tên thôn') "
        "và một cột cho mỗi tiêu chí ('1', 'TC1', 'Tiêu chí 1' hoặc tên tiêu chí).",
        ("file", "header"),
    ),
    ProblemKind(
        "R010",
        ERROR,
        "Bảng thiếu dòng của tiêu chí số {numbers}; cần đủ {size} tiêu chí. "
        "Các thôn trong trang này không được tính.",
        ("criteria",),
    ),
    ProblemKind(
        "R011",
        ERROR,
        "Không xác định được tên thôn của trang này: cần dòng tiêu đề 'THÔN ...' hoặc 'Thôn: ...', "
        "hoặc đặt tên trang tính là tên thôn.",
        ("village",),
    ),
    ProblemKind(
        "R012",
        ERROR,
        "Tên thôn dài {length} ký tự (giới hạn {limit}): ô này có lẽ là ghi chú hoặc nhiều tên dồn vào "
        "một ô ('{start}...'); thôn này không được tính.",
        ("village",),
    ),
    ProblemKind(
        "R013",
        WARNING,
        "Tên thôn '{village}' có ký tự điều khiển (không in được); đã bỏ các ký tự này.",
        ("village",),
    ),
    ProblemKind(
        "R014",
        WARNING,
        "Xã {commune} cũng có trong tệp {first}: hai tệp cùng báo cáo một xã. Các thôn khác nhau của hai "
        "tệp đều được tính; cần kiểm tra tệp nào là bản đúng.",
        ("commune", "file"),
    ),
    ProblemKind(
        "R015",
        WARNING,
        "Trang tính này đang bị ẩn nên không được đọc (thường là số liệu kỳ trước hoặc số liệu làm việc). "
        "Nếu đây là biểu cần tổng hợp, cần bỏ ẩn trang (chuột phải vào tên trang, Unhide) rồi gửi lại.",
        ("sheet", "hidden"),
    ),
    ProblemKind(
        "R016",
        WARNING,
        "Trang tính không ghi tên xã; xã {commune} của các thôn trong trang này được lấy từ tên tệp "
        "'{file_name}'. Cần kiểm tra lại, hoặc ghi 'UBND XÃ ...' ở đầu biểu.",
        ("commune", "file"),
    ),
    ProblemKind(
        "R017",
        ERROR,
        "Tiêu chí số {number} chỉ có cột chỉ tiêu, không có cột kết quả ('Đánh giá', 'Kết quả' hoặc "
        "'Đạt' | 'Chưa đạt'); cần một cột kết quả cho tiêu chí này.",
        ("header", "criteria", "indicator"),
    ),
    ProblemKind(
        "R018",
        WARNING,
        "Dòng {row} (thôn '{village}') bị gạch ngang: có thể thôn đã rút đăng ký. Dòng này vẫn được đọc "
        "và tính; nếu thôn đã rút, cần xóa dòng này.",
        ("row", "village"),
    ),
    ProblemKind(
        "R019",
        ERROR,
        "Quy tắc đọc '{rule}' không khớp với tệp: {why}. Tệp (hoặc trang) này không được đọc theo quy tắc; "
        "cần sửa quy tắc hoặc tệp.",
        ("rules",),
    ),
    ProblemKind("R020", ERROR, "Tệp không có dữ liệu: mọi trang tính đều trống.", ("file",)),
    ProblemKind(
        "R030",
        ERROR,
        "Thôn {village}: biểu chỉ ghi xã {commune} ({where}), là xã mới ra thông báo, không ghi thôn "
        "thuộc xã cũ nào, nên thôn không được tính khi nhóm theo xã cũ. Cần ghi dòng nhóm 'Xã ...' (tên "
        "xã cũ) phía trên các thôn của mỗi xã cũ, hoặc cột 'Xã'; hoặc đặt grouping = \"xã\" hay "
        '"không" trong cấu hình thông báo.',
        ("commune", "reform"),
    ),
)

_WHO = "thôn {village} (xã {commune})"
_WHAT = "tiêu chí số {criterion} ({criterion_name}) của " + _WHO
_EXPECTED = "cần 'Đạt' hoặc 'Chưa đạt'"

_MARKS = _kinds(
    ProblemKind(
        "M001",
        ERROR,
        "Thôn {village} (xã {commune}) chưa có đánh giá nào (các ô {first}:{last} trống); "
        + _EXPECTED
        + " cho từng tiêu chí.",
        ("mark", "blank"),
    ),
    ProblemKind(
        "M002",
        ERROR,
        "Ô trống: thiếu đánh giá " + _WHAT + "; " + _EXPECTED + ". "
        "Ô trống là thiếu số liệu, không được tính là chưa đạt.",
        ("mark", "blank"),
    ),
    ProblemKind("M003", ERROR, "Không hiểu đánh giá {value} ở " + _WHAT + "; " + _EXPECTED + ".", ("mark",)),
    ProblemKind(
        "M004",
        WARNING,
        "'{text}' ở " + _WHAT + " được tính là chưa đạt; nếu tiêu chí đã đạt, cần ghi 'Đạt'.",
        ("mark",),
    ),
    ProblemKind(
        "M005",
        WARNING,
        "Số tiêu chí đạt của " + _WHO + " ghi là {reported}, nhưng đếm theo các ô đánh giá được "
        "{counted}; kết quả dùng số đếm được ({counted}).",
        ("count",),
    ),
    ProblemKind(
        "M006",
        ERROR,
        "Thôn {village} (xã {commune}) có hai dòng: ở {first} và ở đây; cần đúng một dòng cho mỗi thôn. "
        "Thôn này không được tính cho tới khi bỏ bớt một dòng.",
        ("village", "duplicate"),
    ),
    ProblemKind(
        "M007",
        ERROR,
        "Không hiểu đánh giá {value} ở " + _WHAT + ": cột này ghi đánh giá bằng số, "
        "cần 1 (đạt) hoặc 0 (chưa đạt).",
        ("mark", "number"),
    ),
    ProblemKind(
        "M008",
        ERROR,
        "Cả hai ô {met_cell} (Đạt) và {not_met_cell} (Chưa đạt) của " + _WHAT + " đều được đánh dấu; "
        "cần đánh dấu đúng một ô.",
        ("mark", "pair"),
    ),
    ProblemKind(
        "M009",
        ERROR,
        "Ô trống: cả hai ô {met_cell} (Đạt) và {not_met_cell} (Chưa đạt) của " + _WHAT + " đều trống; "
        "cần đánh dấu (x) đúng một ô. Ô trống là thiếu số liệu, không được tính là chưa đạt.",
        ("mark", "pair", "blank"),
    ),
    ProblemKind(
        "M010",
        ERROR,
        "Không hiểu {value} ở cột '{column}' của " + _WHAT + "; cần đánh dấu (x) vào một trong hai ô "
        "{met_cell} (Đạt) và {not_met_cell} (Chưa đạt), ô còn lại để trống.",
        ("mark", "pair"),
    ),
    ProblemKind(
        "M011",
        ERROR,
        "Danh sách tiêu chí chưa đạt của " + _WHO + " ghi '{text}': không hiểu {items}; cần số tiêu chí "
        "cách nhau bằng dấu phẩy (ví dụ 'TC 7, 10, 11'), hoặc 'Không' nếu đạt đủ.",
        ("mark", "list"),
    ),
    ProblemKind(
        "M012",
        ERROR,
        "Danh sách tiêu chí chưa đạt của " + _WHO + " ghi '{text}': {numbers} không có trong bộ tiêu chí "
        "đang dùng (các tiêu chí số {first} đến {last}).",
        ("mark", "list"),
    ),
    ProblemKind(
        "M013",
        ERROR,
        "Ô trống: thiếu danh sách tiêu chí chưa đạt của " + _WHO + "; cần ghi các tiêu chí chưa đạt "
        "(ví dụ 'TC 7, 10') hoặc 'Không' nếu đạt đủ. Ô trống là thiếu số liệu, không được tính là đạt.",
        ("mark", "list", "blank"),
    ),
    ProblemKind(
        "M014",
        ERROR,
        "Số tiêu chí đạt của " + _WHO + " ở ô {count_cell} ghi là {reported}, nhưng danh sách tiêu chí "
        "chưa đạt ở ô {list_cell} ('{text}') cho {counted} tiêu chí đạt; cần sửa cho khớp. "
        "Thôn này không được tính cho tới khi sửa.",
        ("count", "list"),
    ),
    ProblemKind(
        "M015",
        INFO,
        "Thôn {village} (xã {commune}) có ở {first} và ở đây, cùng kết quả; chỉ tính một lần.",
        ("village", "duplicate", "sheet"),
    ),
    ProblemKind(
        "M016",
        ERROR,
        "Thôn {village} (xã {commune}) có ở {first} và ở đây, nhưng khác kết quả ở tiêu chí số {criterion} "
        "({criterion_name}): {first_value} ở ô {first_cell} trang '{first_sheet}', {value} ở ô {value_cell} "
        "trang '{value_sheet}'; cần sửa cho khớp. Thôn này không được tính cho tới khi sửa.",
        ("village", "duplicate", "sheet"),
    ),
    ProblemKind(
        "M017",
        WARNING,
        "Không hiểu tự đánh giá của " + _WHAT + " ({found}); chỉ dùng kết quả thẩm định, "
        "tiêu chí này không được so sánh.",
        ("mark", "verdict"),
    ),
)

_REGISTRY = _kinds(
    ProblemKind(
        "D001",
        ERROR,
        "{Group_unit} {commune} không có trong danh mục {unit} ({source}); "
        "các {unit} của {group_unit} này không được tính.{hint}",
        ("registry", "commune"),
    ),
    ProblemKind(
        "D002",
        ERROR,
        "{Unit} {village} ({group_unit} {commune}) không có trong danh mục {unit} đăng ký; {unit} này "
        "không được tính cho tới khi sửa tên trong biểu hoặc trong danh mục.{hint}",
        ("registry", "village"),
    ),
    ProblemKind(
        "D003",
        ERROR,
        "{Group_unit} {commune}: thiếu {missing}/{registered} {unit}: {names}.",
        ("registry", "missing"),
    ),
    ProblemKind(
        "D004",
        INFO,
        "Danh mục: {communes} {group_unit}, {villages} {unit}. Đã nhận: {communes_received} {group_unit}, "
        "{villages_received} {unit}. Còn thiếu: {communes_missing} {group_unit} chưa gửi, "
        "{villages_missing} {unit}.",
        ("registry", "summary"),
    ),
)

_ENCODINGS = _kinds(
    ProblemKind(
        "E001",
        WARNING,
        "Tệp gõ bằng bảng mã cũ {encoding}; đã chuyển {cells} ô sang Unicode "
        "(ví dụ trang '{example_sheet}', ô {example_cell}: '{before}' thành '{after}'). "
        "Cần kiểm tra lại tên thôn, tên xã; nên chuyển tệp sang Unicode (phông Times New Roman) "
        "trước khi gửi.",
        ("legacy", "file"),
    ),
    ProblemKind(
        "E002",
        WARNING,
        "Ô này vẫn còn ký tự của bảng mã cũ (TCVN3, VNI) sau khi chuyển: '{text}'; chữ có thể sai. "
        "Cần kiểm tra và gõ lại bằng Unicode.",
        ("legacy", "cell"),
    ),
)

_INDICATORS = _kinds(
    ProblemKind(
        "C001",
        WARNING,
        "{who}: tiêu chí số {criterion} ({short_name}) ghi 'Đạt' ở ô {mark_cell}, nhưng chỉ tiêu {indicator} "
        "({name}) ở ô {value_cell} là {value}, chưa đạt ngưỡng {threshold} của năm {year}; cần xem lại "
        "đánh giá hoặc giá trị chỉ tiêu.",
        ("indicator", "threshold"),
    ),
    ProblemKind(
        "C002",
        INFO,
        "{who}: tiêu chí số {criterion} ({short_name}) ghi 'Chưa đạt' ở ô {mark_cell}, trong khi mọi chỉ "
        "tiêu đã khai báo của tiêu chí này đều đạt ngưỡng năm {year} ({values}); tiêu chí có thể còn yêu "
        "cầu khác, cần xem lại.",
        ("indicator", "threshold"),
    ),
    ProblemKind(
        "C003",
        WARNING,
        "Không đọc được giá trị chỉ tiêu {indicator} ({name}) của {who}: gặp {found}; cần một số, ví dụ "
        "{example}. Giá trị này không được so với ngưỡng.",
        ("indicator", "value"),
    ),
    ProblemKind(
        "C004",
        WARNING,
        "Không rõ giá trị '{label}' của {who} thuộc chỉ tiêu nào của tiêu chí số {criterion} (bộ tiêu chí "
        "khai báo: {codes}); giá trị này không được so với ngưỡng.",
        ("indicator",),
    ),
    ProblemKind(
        "C005",
        INFO,
        "Không xác định được năm của kỳ đánh giá (không có --period, các biểu không ghi 'Kỳ đánh giá' có "
        "năm); các giá trị chỉ tiêu không được so với ngưỡng.",
        ("indicator", "period"),
    ),
    ProblemKind(
        "C006",
        WARNING,
        "Các biểu ghi kỳ đánh giá của nhiều năm ({years}); các chỉ tiêu được so với ngưỡng năm {year}. "
        "Nếu không đúng, cần chỉ rõ kỳ bằng --period.",
        ("indicator", "period"),
    ),
)

# This period against the last, and the crosswalk of units after the 2025 reform.
_COMPARISON = _kinds(
    ProblemKind(
        "C010",
        WARNING,
        "{Unit} {village} ({group_unit} {commune}) đạt tiêu chí số {criterion} ({short_name}) ở kỳ trước, "
        "kỳ này chưa đạt; cần xem lại kết quả hoặc ghi rõ lý do.",
        ("compare", "loss"),
    ),
    ProblemKind(
        "C011",
        WARNING,
        "Không đối chiếu được {unit} {village} ({group_unit} {commune}) với kỳ trước: cùng một tên có "
        "{now} {unit} ở kỳ này và {before} {unit} ở kỳ trước ({names}). Không tự chọn; cần sửa tên cho "
        "khác nhau hoặc ghi rõ trong bảng chuyển đổi (--crosswalk).",
        ("compare", "match"),
    ),
    ProblemKind(
        "C012",
        ERROR,
        "Không dùng được biểu tổng hợp kỳ trước này: {reason}. Cần trang 'Biểu chi tiết' đúng như ntm-xl "
        "đã ghi (không sửa tay); tệp này không được so sánh.",
        ("compare", "previous"),
    ),
    ProblemKind(
        "C013",
        WARNING,
        "Kỳ trước không có {unit} nào được tính (các tệp kỳ trước: {files}); không có gì để so sánh.",
        ("compare", "previous"),
    ),
    ProblemKind(
        "C014",
        ERROR,
        "Dòng chuyển đổi thiếu {missing}; cần {expected}. Dòng này không được dùng.",
        ("crosswalk",),
    ),
    ProblemKind(
        "C015",
        ERROR,
        "{what} đã được chuyển đổi ở ô {first} (thành {first_target}); dòng này lại chuyển thành "
        "{target}. Không biết dòng nào đúng nên cả hai không được dùng.",
        ("crosswalk",),
    ),
    ProblemKind(
        "C016",
        ERROR,
        "Bảng chuyển đổi có vòng: {chain}. Các dòng này không được dùng.",
        ("crosswalk",),
    ),
    ProblemKind(
        "C017",
        WARNING,
        "{what} không có trong biểu nào của kỳ này hay kỳ trước; dòng chuyển đổi này không dùng đến "
        "(có thể gõ sai tên).",
        ("crosswalk",),
    ),
)

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
    for block in (_FILES, _READING, _MARKS, _REGISTRY, _ENCODINGS, _INDICATORS, _COMPARISON, _OUTPUTS):
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


def problem_at(code: str, located: Located, /, **params: object) -> Problem:
    """``problem`` at a located thing's file, sheet and cell (a village's ``Location``)."""
    return problem(code, located.file, sheet=located.sheet, cell=located.cell, **params)
