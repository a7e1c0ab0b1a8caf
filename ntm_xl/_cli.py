"""`ntm-xl`: a thin command-line shell over the library. All text is Vietnamese.

Exit status: 0 no input had errors; 1 some input had errors (outputs are still
written for the rest); 2 bad usage; 3 an output could not be written.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from ._check._crosswalk import Crosswalk
    from ._pipeline import Progress
    from ._read._workers import ReadLimits
    from ._render._spec import SheetSpec
    from ._values._model import ReadResult, Summary

EXIT_OK, EXIT_INPUT_ERRORS, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 3
PROGRESS_FROM = 10  # files; fewer than this are read silently

_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"thiếu tham số bắt buộc: \1"),
    (r"unrecognized arguments: (.*)", r"tham số không hiểu được: \1"),
    (r"argument (\S+): expected one argument", r"tham số \1 cần một giá trị"),
    (
        r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
        r"tham số \1: không có lựa chọn \2 (chọn một trong: \3)",
    ),
    (r"argument (\S+): expected at least one argument", r"tham số \1 cần ít nhất một giá trị"),
)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Vietnamese for the messages a clerk is likely to see."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="in hướng dẫn này rồi thoát"
        )

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "Cách dùng:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "Cách dùng:", 1)

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE_MESSAGES:
            message = re.sub(pattern, replacement, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi: {message}\n")


def _criteria_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--criteria",
        metavar="TÊN|TỆP",
        default=None,
        help="bộ tiêu chí: tên bộ có sẵn hoặc đường dẫn tệp .toml (mặc định: bac-kan-thon-2022-2025)",
    )


def _limit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--memory-limit",
        type=_positive_number,
        default=1024,
        metavar="MB",
        help="bộ nhớ tối đa để đọc một tệp, tính bằng MB (mặc định 1024; 0 là không giới hạn). Tệp cần "
        "nhiều hơn được báo lỗi, các tệp khác vẫn được đọc",
    )
    parser.add_argument(
        "--time-limit",
        type=_positive_number,
        default=30,
        metavar="GIÂY",
        help="thời gian tối đa để đọc một tệp, tính bằng giây (mặc định 30; 0 là không giới hạn)",
    )


def _positive_number(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"cần một số, gặp '{text}'") from None
    if not 0 <= value < 10**9:
        raise argparse.ArgumentTypeError(f"cần một số không âm, gặp '{text}'")
    return value


def _limits(args: argparse.Namespace) -> ReadLimits:
    from ._read._workers import ReadLimits

    memory = int(args.memory_limit * 1024 * 1024) or None
    return ReadLimits(memory=memory, seconds=args.time_limit or None)


# Options naming a file the run reads or writes, shared by several commands: name -> (metavar, help).
_FILE_OPTIONS = {
    "registry": (
        "TỆP.xlsx",
        "danh mục thôn đăng ký (trang 'Danh mục thôn', cột Xã và Thôn): báo thôn còn thiếu "
        "và thôn không có trong danh mục",
    ),
    "record": (
        "TỆP.json",
        "ghi nhật ký lần chạy (phiên bản, bộ tiêu chí, từng tệp đầu vào với SHA-256, số thôn, "
        "vấn đề theo mã, tệp kết quả) ra tệp JSON",
    ),
    "rules": (
        "TỆP.toml",
        "quy tắc đọc (TOML): chỉ cho ntm-xl trang, dòng tiêu đề, cột thôn, cột xã, cột tiêu chí... "
        "của những tệp mà ntm-xl không tự nhận ra đúng (xem README, mục 'Biểu của xã')",
    ),
    "crosswalk": (
        "TỆP.xlsx|TỆP.csv",
        "bảng chuyển đổi đơn vị sau sắp xếp năm 2025 (cột Xã cũ, Thôn cũ, Xã mới, Thôn mới): thôn "
        "của các biểu lập trước khi sáp nhập được tính theo xã, thôn mới (xem README)",
    ),
}


def _file_option(parser: argparse.ArgumentParser, name: str) -> None:
    metavar, help_text = _FILE_OPTIONS[name]
    parser.add_argument(f"--{name}", metavar=metavar, default=None, help=help_text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ntm-xl",
        description="Tổng hợp kết quả rà soát tiêu chí thôn nông thôn mới từ các biểu của xã.",
        epilog="Mã thoát: 0 - không có lỗi; 1 - có lỗi trong dữ liệu đầu vào (kết quả vẫn được ghi cho "
        "phần còn lại); 2 - dùng sai lệnh; 3 - không ghi được tệp kết quả.",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    commands.required = True

    summarize = commands.add_parser(
        "summarize",
        help="tổng hợp các biểu của xã thành biểu tổng hợp và các mục của thông báo",
        description="Đọc các biểu của xã (tệp hoặc thư mục), kiểm tra và tổng hợp.",
    )
    summarize.add_argument(
        "inputs", nargs="+", metavar="ĐẦU_VÀO", help="tệp Excel hoặc thư mục chứa tệp Excel"
    )
    summarize.add_argument("-o", "--output", required=True, metavar="TỆP.xlsx", help="tệp tổng hợp sẽ ghi")
    summarize.add_argument("--text", metavar="TỆP.txt", help="ghi thêm mục I.2 và I.3 ra tệp văn bản (UTF-8)")
    summarize.add_argument(
        "--period", default="", metavar="KỲ", help="kỳ đánh giá, ví dụ '6 tháng đầu năm 2024'"
    )
    summarize.add_argument("-q", "--quiet", action="store_true", help="không in tiến độ")
    summarize.add_argument(
        "--config",
        metavar="TỆP.toml",
        default=None,
        help="tệp cấu hình thông báo (như lệnh notice): đơn vị ban hành, cách nhóm thôn ở mục I.2 và I.3 "
        "(grouping); trang 'Thông báo', 'Biểu chi tiết' và tệp --text theo cấu hình này",
    )
    _criteria_option(summarize)
    _file_option(summarize, "registry")
    _limit_options(summarize)
    _file_option(summarize, "record")
    _file_option(summarize, "rules")
    summarize.add_argument(
        "--previous",
        nargs="+",
        default=None,
        metavar="KỲ_TRƯỚC",
        help="biểu của kỳ trước để so sánh: các biểu của xã (tệp hoặc thư mục) hoặc biểu tổng hợp do ntm-xl "
        "ghi; thêm trang 'So sánh kỳ trước'",
    )
    _file_option(summarize, "crosswalk")

    notice = commands.add_parser(
        "notice",
        help="soạn dự thảo thông báo (Word) kèm biểu chi tiết từ các biểu của xã",
        description="Đọc các biểu của xã, tổng hợp và ghi dự thảo thông báo kết quả rà soát (tệp Word "
        "theo thể thức Nghị định 30/2020/NĐ-CP) kèm biểu chi tiết.",
    )
    notice.add_argument("inputs", nargs="+", metavar="ĐẦU_VÀO", help="tệp Excel hoặc thư mục chứa tệp Excel")
    notice.add_argument("-o", "--output", required=True, metavar="TỆP.docx", help="tệp thông báo sẽ ghi")
    notice.add_argument(
        "--config",
        metavar="TỆP.toml",
        default=None,
        help="tệp cấu hình thông báo: cơ quan ban hành, số, ngày, người ký, nơi nhận... (bỏ trống thì "
        "các mục chưa biết được in là '...')",
    )
    notice.add_argument(
        "--template",
        metavar="TỆP.docx",
        default=None,
        help="mẫu thông báo đã sửa trong Word (mặc định: mẫu có sẵn, như workbooks/mau-thong-bao.docx)",
    )
    notice.add_argument("-q", "--quiet", action="store_true", help="không in tiến độ")
    _criteria_option(notice)
    _file_option(notice, "registry")
    _limit_options(notice)
    _file_option(notice, "record")
    _file_option(notice, "rules")
    _file_option(notice, "crosswalk")

    check = commands.add_parser(
        "check",
        help="kiểm tra các biểu của xã, không ghi tệp nào",
        description="Kiểm tra các biểu của xã và in mọi vấn đề tìm thấy; không ghi tệp nào.",
    )
    check.add_argument("inputs", nargs="+", metavar="ĐẦU_VÀO", help="tệp Excel hoặc thư mục chứa tệp Excel")
    check.add_argument("-q", "--quiet", action="store_true", help="không in tiến độ")
    check.add_argument(
        "--json",
        action="store_true",
        help="in mọi vấn đề ra đầu ra chuẩn dưới dạng JSON (UTF-8): mã, mức độ, tệp, trang, ô, nội dung, "
        "tham số; dòng tổng kết vẫn in ra luồng lỗi",
    )
    _criteria_option(check)
    _file_option(check, "registry")
    _limit_options(check)
    _file_option(check, "rules")
    _file_option(check, "crosswalk")

    explain = commands.add_parser(
        "explain",
        help="cho biết ntm-xl đã hiểu từng biểu của xã như thế nào",
        description="In ra cách ntm-xl đọc từng trang của mỗi tệp: các dòng tiêu đề, vai trò của từng cột "
        "(tiêu chí nào, vì sao), các dòng thôn, dòng nhóm, dòng cộng và các dòng bỏ qua, xã của từng thôn "
        "lấy từ đâu, các trang ẩn, quy tắc đọc đã dùng. Không ghi đè tệp đầu vào.",
    )
    explain.add_argument("inputs", nargs="+", metavar="TỆP", help="tệp Excel hoặc thư mục chứa tệp Excel")
    explain.add_argument(
        "-o",
        "--output",
        metavar="TỆP.xlsx",
        default=None,
        help="ghi một bản sao giá trị của tệp, mỗi ô tô màu theo vai trò, kèm trang 'Chú giải' "
        "(nhiều tệp đầu vào: đây là thư mục, mỗi tệp một bản)",
    )
    _criteria_option(explain)
    _file_option(explain, "rules")

    template = commands.add_parser(
        "template",
        help="tạo biểu tự đánh giá chuẩn để xã điền",
        description="Tạo biểu tự đánh giá chuẩn (Excel) để gửi cho xã điền.",
    )
    template.add_argument("output", metavar="TỆP.xlsx", help="tệp biểu sẽ ghi")
    template.add_argument("--commune", default="", metavar="TÊN_XÃ", help="tên xã")
    template.add_argument(
        "--village",
        action="append",
        default=[],
        metavar="TÊN_THÔN",
        help="tên thôn (lặp lại cho mỗi thôn); bỏ trống để có các dòng trống",
    )
    template.add_argument("--province", default="", metavar="TỈNH", help="tên tỉnh")
    template.add_argument("--district", default="", metavar="HUYỆN", help="tên huyện")
    template.add_argument("--period", default="", metavar="KỲ", help="kỳ đánh giá")
    _criteria_option(template)

    demo = commands.add_parser(
        "demo",
        help="chạy thử trên dữ liệu mẫu (21 thôn của huyện Bạch Thông, 2024)",
        description="Ghi các biểu mẫu của 13 xã, tổng hợp chúng, và in nơi lưu kết quả.",
    )
    demo.add_argument(
        "-o",
        "--output",
        default="ntm-xl-demo",
        metavar="THƯ_MỤC",
        help="thư mục ghi kết quả (mặc định: ntm-xl-demo)",
    )

    commands.add_parser(
        "criteria", help="liệt kê các bộ tiêu chí có sẵn", description="Liệt kê các bộ tiêu chí có sẵn."
    )

    workbook = commands.add_parser(
        "workbook",
        help="tạo bảng tính chính (.xlsm) có các nút Nhập dữ liệu xã, Tính toán, Tạo thông báo",
        description="Tạo bảng tính chính (.xlsm) chạy ntm-xl trong Excel qua xlwings. Cùng phiên bản "
        "công cụ thì mỗi lần tạo cho đúng cùng một tệp.",
    )
    workbook.add_argument("output", metavar="TỆP.xlsm", help="tệp bảng tính chính sẽ ghi")
    workbook.add_argument(
        "--macros",
        metavar="THƯ_MỤC",
        default=None,
        help="thư mục chứa các tệp macro .bas (mặc định: thư mục macros của mã nguồn ntm-xl)",
    )
    _criteria_option(workbook)

    notice_template = commands.add_parser(
        "notice-template",
        help="ghi mẫu thông báo (Word) có sẵn ra tệp để sửa câu chữ, rồi dùng với notice --template",
        description="Ghi mẫu thông báo (Word) có sẵn ra tệp: sửa câu chữ trong Word, giữ nguyên các thẻ "
        "trong ngoặc nhọn, rồi dùng với 'ntm-xl notice --template'.",
    )
    notice_template.add_argument("output", metavar="TỆP.docx", help="tệp mẫu sẽ ghi")
    return parser


def _use_utf8() -> None:
    # A Windows console may default to a code page without Vietnamese letters.
    for stream in (sys.stdout, sys.stderr):
        # A file name whose bytes are not UTF-8 is printed with "?" for them, never a traceback.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _progress(quiet: bool) -> Progress | None:
    if quiet:
        return None

    def report(index: int, total: int, path: Path) -> None:
        if total < PROGRESS_FROM:
            return
        step = max(1, total // 20)
        if index == 1 or index == total or index % step == 0:
            print(f"Đang đọc tệp {index}/{total}: {path.name}", file=sys.stderr, flush=True)

    return report


def summary_line(summary: Summary) -> str:
    """The run's one-line result: villages counted, not counted, and verdicts that differ."""
    criteria = summary.criteria
    line = (
        f"Đã tổng hợp {len(summary.villages)} {criteria.unit} của {len(summary.communes)} "
        f"{criteria.group_unit}; {len(summary.excluded)} {criteria.unit} chưa được tính do lỗi dữ liệu"
    )
    if summary.disagreements:
        villages = len({(d.commune, d.village) for d in summary.disagreements})
        line += (
            f"; {len(summary.disagreements)} tiêu chí ở {villages} {criteria.unit} có tự đánh giá khác kết "
            "quả thẩm định (tính theo thẩm định, xem trang 'Chênh lệch đánh giá')"
        )
    return line + "."


def _report_problems(summary: Summary, show_info: bool = False, as_json: bool = False) -> int:
    from ._values._problems import Severity, has_errors

    if as_json:
        import json

        # One document on stdout, for other tools; the summary line stays on stderr for a person.
        document = {
            "problems": [p.to_dict() for p in summary.problems],
            "villages": len(summary.villages),
            "excluded": len(summary.excluded),
            "disagreements": len(summary.disagreements),
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        print(summary_line(summary), file=sys.stderr)
        return EXIT_INPUT_ERRORS if has_errors(summary.problems) else EXIT_OK
    skipped = 0
    for problem in summary.problems:
        if problem.severity is Severity.INFO and not show_info:
            skipped += 1
            continue
        print(problem, file=sys.stderr)
    if skipped:
        print(
            f"({skipped} thông tin khác, như các trang không có bảng đánh giá được bỏ qua, có trong "
            "trang 'Kiểm tra dữ liệu' của biểu tổng hợp.)",
            file=sys.stderr,
        )
    print(summary_line(summary), file=sys.stderr)
    return EXIT_INPUT_ERRORS if has_errors(summary.problems) else EXIT_OK


def _check_outputs(
    inputs: Sequence[str], outputs: Sequence[str | None], others: Sequence[str | None] = ()
) -> None:
    """Before any work: an output must be a regular file (or not exist yet), must not name
    an input (that would destroy a commune's file), another output or ``others`` (a template)."""
    from ._common._errors import UsageError
    from ._read._calamine import expand_inputs

    files, _ = expand_inputs(inputs)
    taken = {path.resolve() for path in files}
    seen: dict[Path, str] = {}
    for other in others:
        if other:
            seen[Path(other).resolve()] = other
    for output in outputs:
        if not output:
            continue
        path = Path(output)
        resolved = path.resolve()
        if resolved in taken:
            raise UsageError(
                f"Tệp kết quả '{output}' trùng với một tệp đầu vào; cần chọn tên khác "
                "để không ghi đè biểu của xã."
            )
        if resolved in seen:
            raise UsageError(f"Tệp kết quả '{output}' trùng với '{seen[resolved]}'; cần hai tên khác nhau.")
        seen[resolved] = output
        # A folder in the way is never replaced: the result is kept beside it (exit 3). A pipe,
        # a device or a socket would be replaced by the rename: refused now.
        if path.exists() and not path.is_file() and not path.is_dir():
            raise UsageError(
                f"Tệp kết quả '{output}' là thiết bị hoặc đường ống, không phải tệp thường; "
                "cần đường dẫn tới một tệp."
            )


def _summarize(args: argparse.Namespace) -> int:
    from ._common._gc import gc_paused

    # One run, then the process ends: no cyclic collection at all. Each step paused it
    # already, but every resume let a full collection walk the province's hundreds of
    # thousands of values again (about 0.3 s on the 1,000-file benchmark).
    with gc_paused():
        return _summarize_run(args)


def _summarize_run(args: argparse.Namespace) -> int:
    from ._common._gc import gc_paused
    from ._notice._config import load_notice_config
    from ._notice._sections import notice_sections
    from ._notice._units import resolve_former_communes
    from ._render._record import build_record, record_sheet, write_record_json
    from ._render._summary import write_notice_text, write_summary_workbook

    previous = args.previous or []
    _check_outputs(
        [*args.inputs, *previous], [args.output, args.text, args.record], [args.config, args.crosswalk]
    )
    notice = load_notice_config(args.config) if args.config else None
    # A crosswalk without a table stops the run before any workbook is read.
    crosswalk: Crosswalk | None = None
    if args.crosswalk:
        from ._check._crosswalk import load_crosswalk

        crosswalk = load_crosswalk(args.crosswalk)
    summary, reads = _summarized(args, crosswalk, period=args.period)
    if notice is not None:
        summary = resolve_former_communes(summary, notice)
    extra: list[SheetSpec] = []
    if previous or crosswalk is not None:
        summary, extra = _compared(args, summary, reads[0], crosswalk)
    status = _report_problems(summary)
    period = args.period or summary.period
    outputs = [p for p in (args.output, args.text, args.record) if p]
    record = build_record(
        "summarize",
        args.inputs,
        summary,
        entries=reads[0].entries,
        outputs=outputs,
        period=period,
        references=_references(args),
    )
    with gc_paused():
        sections = notice_sections(summary, notice)  # once, for the workbook and the text
    write_summary_workbook(
        args.output,
        summary,
        period=period,
        sections=sections,
        extra=(*extra, record_sheet(record)),
        notice=notice,
    )
    print(f"Biểu tổng hợp: {_shown(args.output)}")
    if args.text:
        write_notice_text(args.text, summary, sections=sections, notice=notice)
        print(f"Mục I.2 và I.3 của thông báo: {_shown(args.text)}")
    if args.record:
        from ._render._record import write_record_json

        write_record_json(args.record, record)
        print(f"Nhật ký lần chạy: {_shown(args.record)}")
    return status


def _compared(
    args: argparse.Namespace, summary: Summary, read: ReadResult, crosswalk: Crosswalk | None
) -> tuple[Summary, list[SheetSpec]]:
    """The summary with the comparison's problems and the sheet "So sánh kỳ trước" (with
    ``--previous``); the crosswalk rows no file needed and the sheet "Đơn vị sau sắp xếp" listing
    the villages counted under new names (with ``--crosswalk``)."""
    from dataclasses import replace

    from ._check._compare import compare
    from ._check._crosswalk import moved_units, unused_rows
    from ._pipeline import load_previous
    from ._read import load_rules
    from ._render._summary import comparison_sheet, crosswalk_sheet

    layouts = []
    units = [(e.commune, e.village) for e in read.entries]
    if args.previous:
        rules = load_rules(args.rules) if args.rules else None
        previous, files = load_previous(args.previous, summary.criteria, rules=rules, limits=_limits(args))
        comparison = compare(summary, previous, crosswalk, entries=read.entries, previous_files=files)
        summary = replace(summary, problems=summary.problems + comparison.problems)
        layouts.append(comparison_sheet(comparison))
        units += [(v.commune, v.village) for v in previous.villages]
        units += [(e.commune, e.village) for e in previous.excluded]
    if crosswalk is not None:
        criteria = summary.criteria
        unused = unused_rows(crosswalk, units, criteria.group_unit, criteria.unit)
        summary = replace(summary, problems=summary.problems + unused)
        moved = moved_units(crosswalk, ((e.commune, e.village, e.location) for e in read.entries))
        layouts.append(crosswalk_sheet(moved, crosswalk.source, criteria.unit, criteria.group_unit))
    return summary, layouts


def _shown(path: str | Path) -> str:
    """A path as the console can print it, whatever bytes its name holds."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _summarized(
    args: argparse.Namespace, crosswalk: Crosswalk | str | None, period: str = ""
) -> tuple[Summary, list[ReadResult]]:
    """The run's summary from the options every reading command shares, with what was read."""
    from ._pipeline import summarize

    reads: list[ReadResult] = []
    summary = summarize(
        args.inputs,
        args.criteria,
        _progress(args.quiet),
        registry=args.registry,
        limits=_limits(args),
        on_read=reads.append,
        period=period,
        rules=args.rules,
        crosswalk=crosswalk,
    )
    return summary, reads


def _references(args: argparse.Namespace) -> dict[str, Sequence[str] | str | None]:
    """The other files a run reads, by role, for its record: whichever options the command has."""
    roles = ("previous", "crosswalk", "registry", "rules", "config", "template")
    return {role: getattr(args, role, None) for role in roles}


def _notice(args: argparse.Namespace) -> int:
    from ._notice._config import load_notice_config
    from ._notice._units import resolve_former_communes
    from ._render._record import build_record, write_record_json
    from ._render._word import write_notice_document

    _check_outputs(args.inputs, [args.output, args.record], [args.template, args.config, args.crosswalk])
    # A bad configuration stops the run before any workbook is read.
    config = load_notice_config(args.config)
    summary, reads = _summarized(args, args.crosswalk)
    summary = resolve_former_communes(summary, config)
    status = _report_problems(summary)
    write_notice_document(args.output, summary, config, template=args.template)
    print(f"Dự thảo thông báo: {_shown(args.output)}")
    if args.record:
        outputs = [args.output, args.record]
        record = build_record(
            "notice",
            args.inputs,
            summary,
            entries=reads[0].entries,
            outputs=outputs,
            references=_references(args),
        )
        write_record_json(args.record, record)
        print(f"Nhật ký lần chạy: {_shown(args.record)}")
    return status


def _check(args: argparse.Namespace) -> int:
    summary, _ = _summarized(args, args.crosswalk)
    return _report_problems(summary, show_info=True, as_json=args.json)


def _explain(args: argparse.Namespace) -> int:
    from ._read import explain, explanation_lines, load_rules, write_annotated
    from ._read._calamine import expand_inputs, failure_problem
    from ._read._workers import ReadLimits, can_isolate, read_isolated
    from ._values._criteria import load_criteria
    from ._values._problems import has_errors

    criteria = load_criteria(args.criteria)
    rules = load_rules(args.rules) if args.rules else None
    files, problems = expand_inputs(args.inputs)
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.output and len(files) == 1:
        _check_outputs(args.inputs, [args.output])
    # Each file is read in a worker process, as summarize does: a hostile file costs only itself.
    limits = ReadLimits()
    outcomes = read_isolated(files, explain, (criteria, rules), limits) if can_isolate() else None
    for index, path in enumerate(files):
        if outcomes is None:
            reading = explain(path, criteria, rules)
        else:
            outcome = next(outcomes)
            if outcome.failure is not None:
                failed = failure_problem(path, outcome.failure, limits)
                problems.append(failed)
                print(failed, file=sys.stderr)
                continue
            assert outcome.value is not None
            reading = outcome.value
        problems.extend(reading.problems)
        print(("\n" if index else "") + "\n".join(explanation_lines([reading], criteria)))
        if args.output:
            out = Path(args.output)
            if len(files) > 1:
                out.mkdir(parents=True, exist_ok=True)
                out = out / f"{path.stem}-chu-giai.xlsx"
            written = write_annotated(reading, out, criteria)
            print(f"Bản tô màu theo vai trò: {_shown(written)}")
    return EXIT_INPUT_ERRORS if has_errors(problems) or not files else EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from ._render._commune_form import write_commune_form
    from ._values._criteria import load_criteria

    path = write_commune_form(
        args.output,
        load_criteria(args.criteria),
        commune=args.commune,
        villages=args.village,
        province=args.province,
        district=args.district,
        period=args.period,
    )
    print(f"Đã ghi biểu tự đánh giá: {path}")
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from ._demo import REFORM_FOLDER, demo_notice_config, load_demo, write_samples
    from ._pipeline import summarize
    from ._render._summary import write_notice_text, write_summary_workbook
    from ._render._word import write_notice_document

    out = Path(args.output)
    demo = load_demo()
    samples = write_samples(out / "xa", demo)
    summary = summarize(samples, demo.criteria)
    status = _report_problems(summary)
    workbook = write_summary_workbook(out / "tong-hop.xlsx", summary, period=demo.period)
    text = write_notice_text(out / "thong-bao.txt", summary)
    document = write_notice_document(out / "thong-bao.docx", summary, demo_notice_config())
    print(f"Biểu của {len(samples)} xã: {out / 'xa'}")
    print(f"Biểu tổng hợp: {workbook}")
    print(f"Mục I.2 và I.3 của thông báo: {text}")
    print(f"Dự thảo thông báo (Word): {document}")
    print()
    print(text.read_text(encoding="utf-8"), end="")
    return max(status, _demo_reform(out / REFORM_FOLDER))


def _demo_reform(out: Path) -> int:
    """The second example: the new Xã Phủ Thông's notice, its villages by former commune."""
    from ._demo import load_reform_demo, reform_notice_config, write_reform_sample
    from ._notice._units import resolve_former_communes
    from ._pipeline import summarize
    from ._render._summary import write_notice_text, write_summary_workbook
    from ._render._word import write_notice_document

    demo, config = load_reform_demo(), reform_notice_config()
    sample = write_reform_sample(out / "xa", demo)
    summary = resolve_former_communes(summarize([sample], demo.criteria), config)
    status = _report_problems(summary)
    write_summary_workbook(out / "tong-hop.xlsx", summary, period=demo.period, notice=config)
    text = write_notice_text(out / "thong-bao.txt", summary, notice=config)
    write_notice_document(out / "thong-bao.docx", summary, config)
    print()
    print(f"Ví dụ thứ hai, thông báo do {config.issuer_short} ban hành (thôn nhóm theo xã cũ): {out}")
    print()
    print(text.read_text(encoding="utf-8"), end="")
    return status


def _criteria(args: argparse.Namespace) -> int:
    from ._values._criteria import builtin_criteria_names, load_criteria

    for name in builtin_criteria_names():
        criteria = load_criteria(name)
        print(f"{name}: {criteria.title} ({len(criteria)} tiêu chí)")
    return EXIT_OK


def _workbook(args: argparse.Namespace) -> int:
    from ._excel._master import MACROS_DIR, build_master_workbook, check_build_versions
    from ._values._criteria import load_criteria

    differences = check_build_versions()
    if differences:
        print(
            "Lưu ý: phiên bản công cụ khác bản đã ghim (" + ", ".join(differences) + "); tệp tạo ra vẫn dùng "
            "được nhưng không giống từng byte với bản trong thư mục workbooks.",
            file=sys.stderr,
        )
    path = build_master_workbook(
        args.output, criteria=load_criteria(args.criteria), macros=args.macros or MACROS_DIR
    )
    print(f"Đã ghi bảng tính chính: {path}")
    return EXIT_OK


def _notice_template(args: argparse.Namespace) -> int:
    from ._render._word import write_notice_template

    _check_outputs((), (args.output,))
    print(f"Đã ghi mẫu thông báo: {_shown(write_notice_template(args.output))}")
    return EXIT_OK


_COMMANDS = {
    "workbook": _workbook,
    "notice-template": _notice_template,
    "summarize": _summarize,
    "notice": _notice,
    "check": _check,
    "explain": _explain,
    "template": _template,
    "demo": _demo,
    "criteria": _criteria,
}


def main(argv: Sequence[str] | None = None) -> int:
    _use_utf8()
    args = build_parser().parse_args(argv)
    from ._common._errors import CriteriaError, OutputError, UsageError

    try:
        return _COMMANDS[args.command](args)
    except (CriteriaError, UsageError) as exc:
        print(f"ntm-xl: lỗi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:
        print(f"ntm-xl: lỗi: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("ntm-xl: đã dừng theo yêu cầu (Ctrl+C); không có tệp kết quả nào bị ghi dở.", file=sys.stderr)
        return 130
    except OSError as exc:
        # An output step the library did not wrap (a console closed, a folder gone).
        print(f"ntm-xl: lỗi: không ghi được kết quả: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_OUTPUT
    except (MemoryError, RecursionError) as exc:
        print(
            f"ntm-xl: lỗi: không đủ bộ nhớ để hoàn thành ({type(exc).__name__}); cần chia nhỏ đầu vào.",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERRORS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
