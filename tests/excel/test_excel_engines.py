"""The buttons on engines that lack things: the remote engine cut down to xlwings' Windows or Mac engine.

xlwings' desktop engines cannot run here, so the remote engine is made to
lack every member their classes do not define (computed from the installed
xlwings' source), and the three buttons are pressed on it. Also: what the
clerk sees when Excel refuses a nicety, when xlwings cannot reach Excel, when
the final alert or the log fails, and when the workbook's xlwings VBA is
another version than the Python package.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ntm_xl.excel as excel
from ntm_xl._excel._master import DATA_SHEET, build_master_workbook
from ntm_xl._render._summary import SHEET_NAMES

from ..excel_remote import Workbook, _xlremote, base_classes, engine_gaps, load_workbook, press, xw

OVERVIEW = SHEET_NAMES[0]


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    return load_workbook(build_master_workbook(tmp_path_factory.mktemp("master") / "ntm-xl.xlsm"))


def _three_presses(master: Workbook, demo_files: list[Path]) -> tuple[list[Workbook], list[list[dict]]]:
    states, actions = [], []
    state = master
    for entry, kwargs in (
        (excel.nhap_du_lieu_xa, {"paths": demo_files}),
        (excel.tinh_toan, {}),
        (excel.tao_thong_bao, {}),
    ):
        state, done = press(state, entry, **kwargs)
        states.append(state)
        actions.append(done)
    return states, actions


def _values(state: Workbook) -> dict[str, object]:
    """Every sheet's cells, the import time column aside (it changes between presses)."""
    imported_at = 24  # column of "Thời điểm nhập" with 19 criteria
    return {
        s.name: {k: v for k, v in s.values.items() if s.name != DATA_SHEET or k[1] != imported_at}
        for s in state.sheets
    }


@pytest.mark.parametrize("engine", ["_xlwindows", "_xlmac"])
def test_three_buttons_work_on_an_engine_cut_down_to_a_desktop_one(
    engine: str,
    master: Workbook,
    demo_files: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    full, _ = _three_presses(master, demo_files)
    gaps = engine_gaps(engine)
    lacking = {(cls.__name__, member) for cls, member, _ in gaps}
    # The gap that broke the first press in desktop Excel is among them.
    assert ("Sheet", "freeze_panes") in lacking
    for cls, member, replacement in gaps:
        monkeypatch.setattr(cls, member, replacement)
    with pytest.raises(NotImplementedError):
        _ = master.book().sheets[0].freeze_panes
    states, actions = _three_presses(master, demo_files)
    for state in states:
        prompt, mode = state.alerts[-1]
        assert mode == "info", prompt
        assert "lỗi ngoài dự kiến" not in prompt
        assert "bỏ qua" not in prompt  # a feature the engine lacks is skipped quietly
    assert "Đã nhập 21 thôn của 13 xã từ 13 tệp" in states[0].alerts[-1][0]
    assert "Đã tổng hợp 21 thôn của 13 xã" in states[1].alerts[-1][0]
    assert "Đã ghi mục I.2 và I.3 của thông báo" in states[2].alerts[-1][0]
    # The same data and formats as on the full engine; only the frozen panes are missing.
    assert _values(states[2]) == _values(full[2])
    for cut, whole in zip(states[2].sheets, full[2].sheets, strict=True):
        assert cut.formats == whole.formats, cut.name
        assert cut.freeze is None, cut.name
    assert not [a for done in actions for a in done if a["func"].startswith("freezePane")]


def test_a_nicety_excel_refuses_becomes_a_note_not_a_failed_press(
    master: Workbook, demo_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    imported, _ = press(master, excel.nhap_du_lieu_xa, paths=demo_files)

    def refused(*args: object, **kwargs: object) -> None:
        # What pywin32 raises when Excel refuses a call (pywintypes.com_error is an Exception).
        raise RuntimeError("(-2147352567, 'Exception occurred.', None, None)")

    monkeypatch.setattr(_xlremote.Charts, "add", refused)
    computed, _ = press(imported, excel.tinh_toan)
    prompt, mode = computed.alerts[-1]
    assert mode == "info"
    assert prompt.startswith("Đã tổng hợp 21 thôn của 13 xã")
    assert "Excel từ chối một số phần trình bày nên chúng đã được bỏ qua:" in prompt
    assert f"- vẽ biểu đồ ở trang '{OVERVIEW}': (-2147352567" in prompt
    assert not computed.sheet(OVERVIEW).charts
    assert computed.sheet(OVERVIEW).values == press(imported, excel.tinh_toan)[0].sheet(OVERVIEW).values


def test_charts_keep_excels_default_style(master: Workbook, demo_files: list[Path]) -> None:
    imported, _ = press(master, excel.nhap_du_lieu_xa, paths=demo_files)
    computed, _ = press(imported, excel.tinh_toan)
    charts = [c for s in computed.sheets for c in s.charts]
    assert len(charts) == 2
    assert all(c.style is None for c in charts)  # Excel 2010 and 2013 have no style 227


def test_no_excel_to_talk_to_ends_in_a_vietnamese_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    excel.tinh_toan()  # not started from Excel: Book.caller() fails
    told = capsys.readouterr().err
    assert told.startswith("Không kết nối được với Excel (xlwings) nên việc này chưa hoàn thành.")
    assert str(tmp_path / excel.LOG_FILE) in told
    assert "Traceback" not in told
    assert "Traceback" in (tmp_path / excel.LOG_FILE).read_text(encoding="utf-8")


def test_a_failing_alert_still_reaches_the_clerk(
    master: Workbook, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_xlremote.App, "alert", base_classes.App.alert)
    press(master, excel.tinh_toan)
    told = capsys.readouterr().err
    assert told.startswith("Trang 'Dữ liệu' chưa có thôn nào")
    assert "Hộp thông báo của Excel bị lỗi" in told
    assert "NotImplementedError" in (tmp_path / excel.LOG_FILE).read_text(encoding="utf-8")


def test_an_unwritable_log_is_said_plainly(
    master: Workbook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("hỏng")

    monkeypatch.setattr(excel, "render_sheet", broken)
    monkeypatch.setattr(excel, "LOG_FILE", "khong-co-thu-muc-nay/ntm-xl-loi.log")
    monkeypatch.chdir(tmp_path)
    state, _ = press(master, excel.nhap_du_lieu_xa, paths=[tmp_path / "x.xlsx"])
    prompt, mode = state.alerts[-1]
    assert mode == "critical"
    assert prompt.startswith("Đã xảy ra lỗi ngoài dự kiến nên việc này chưa hoàn thành.")
    assert "Không ghi được tệp nhật ký lỗi" in prompt


def test_another_xlwings_in_the_workbook_is_named(master: Workbook) -> None:
    state, actions = press(master, excel.tinh_toan, xlwings_vba="0.30.0")
    prompt, mode = state.alerts[-1]
    assert mode == "critical"
    assert prompt.startswith(
        f"Phiên bản xlwings trong bảng tính (0.30.0) khác phiên bản xlwings của Python ({xw.__version__})"
    )
    assert [a["func"] for a in actions] == ["alert"]
    same, _ = press(master, excel.tinh_toan, xlwings_vba=xw.__version__)
    assert same.alerts[-1][0].startswith("Trang 'Dữ liệu' chưa có thôn nào")
