"""Render the notice (.docx) and the summary workbook (.xlsx) to PDF and PNG pages, to look at them.

    python scripts/preview.py [-o THƯ_MỤC] [--dpi 80] [ĐẦU_VÀO ...]
        [--config TỆP.toml] [--template TỆP.docx]

Without inputs the built-in sample (21 villages of Bạch Thông, 2024) is used,
with the example configuration ``ntm_xl/data/notice-bach-thong-2024.toml``.
Writes to ``ntm-xl-preview`` in the system's temporary folder unless told otherwise.
Needs LibreOffice (``soffice``) and poppler's ``pdftoppm`` on the PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ntm_xl import summarize, write_summary_workbook
from ntm_xl._demo import demo_notice_config, load_demo, write_samples
from ntm_xl._notice._config import load_notice_config
from ntm_xl._render._word import write_notice_document


def to_pdf(document: Path, folder: Path) -> Path:
    """Convert with LibreOffice headless, in a private profile so a running office is no obstacle."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("Không tìm thấy LibreOffice (soffice); cài gói libreoffice-writer và libreoffice-calc.")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(document),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    pdf = folder / f"{document.stem}.pdf"
    if not pdf.is_file():
        sys.exit(f"LibreOffice không chuyển được '{document}' sang PDF.")
    return pdf


def to_png(pdf: Path, dpi: int) -> list[Path]:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.exit("Không tìm thấy pdftoppm; cài gói poppler-utils.")
    for old in pdf.parent.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-r", str(dpi), "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    return sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Xem trước thông báo và biểu tổng hợp dưới dạng PDF và PNG.")
    parser.add_argument("inputs", nargs="*", metavar="ĐẦU_VÀO", help="biểu của xã (mặc định: dữ liệu mẫu)")
    parser.add_argument(
        "-o",
        "--output",
        default=str(Path(tempfile.gettempdir()) / "ntm-xl-preview"),
        metavar="THƯ_MỤC",
        help="thư mục kết quả (mặc định: ntm-xl-preview trong thư mục tạm)",
    )
    parser.add_argument("--config", metavar="TỆP.toml", help="cấu hình thông báo (mặc định: cấu hình mẫu)")
    parser.add_argument("--template", metavar="TỆP.docx", help="mẫu thông báo (mặc định: mẫu có sẵn)")
    parser.add_argument("--dpi", type=int, default=80, help="độ phân giải ảnh PNG (mặc định: 80)")
    args = parser.parse_args(argv)

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    period = ""
    inputs: list[str | Path] = list(args.inputs)
    if not inputs:
        demo = load_demo()
        inputs = list(write_samples(out / "xa", demo))
        period = demo.period
    config = load_notice_config(args.config) if args.config else demo_notice_config()
    summary = summarize(inputs)
    documents = (
        write_notice_document(out / "thong-bao.docx", summary, config, template=args.template),
        write_summary_workbook(out / "tong-hop.xlsx", summary, period=period),
    )
    for document in documents:
        pdf = to_pdf(document, out)
        pages = to_png(pdf, args.dpi)
        print(f"{document.name}: {pdf} ({len(pages)} trang)")
        for page in pages:
            print(f"  {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
