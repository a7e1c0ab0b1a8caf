"""Both sheet writers render every field of the sheet description, or decline it out loud.

A new field added to ``SheetSpec`` (or ``PageSetup``) that a writer never reads fails
here: a writer that silently ignores part of a description is how the two renderings of
one sheet drift apart.
"""

from __future__ import annotations

import zipfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ntm_xl._render import _xlsx, _xlwings
from ntm_xl._render._spec import (
    Block,
    Chart,
    Highlight,
    ListValidation,
    Merge,
    PageSetup,
    SheetSpec,
    Style,
)

from ..excel_remote import SheetState, Workbook

BASE = SheetSpec(
    name="Thử",
    blocks=(Block(0, 0, (("Xã", "Số thôn"), ("Đôn Phong", 3), ("Nguyên Phúc", 2))),),
)

# One value other than the default for every field: a field missing here fails the test.
SAMPLES: dict[str, Any] = {
    "blocks": (*BASE.blocks, Block(4, 0, (("Cộng", 5),), Style(bold=True))),
    "merges": (Merge(6, 0, 6, 1, "Ghi chú", Style(italic=True)),),
    "column_widths": ((0, 0, 24.0),),
    "row_heights": ((0, 30.0),),
    "freeze": (1, 0),
    "page": PageSetup(landscape=True),
    "validations": (ListValidation(1, 1, 2, 1, ("Đạt", "Chưa đạt")),),
    "highlights": (Highlight(1, 1, 2, 1, "3"),),
    "protect": True,
    "hidden": True,
    "charts": (Chart("column", "Số thôn", (1, 0, 2, 0), (1, 1, 2, 1), (8, 0)),),
}
# The remote engine has no page setup: only Windows Excel's object model has it, so the
# page settings are checked on a stand-in of that object model below.
REMOTE_WITHOUT = {"page"}
PAGE_SAMPLES: dict[str, Any] = {
    "landscape": True,
    "fit_width": False,
    "repeat_rows": (0, 0),
    "margins_mm": (10.0, 10.0, 10.0, 10.0),
    "center_horizontally": False,
    "footer": "Trang &P",
}


class _Recorded(SheetSpec):
    """A sheet description that remembers which of its fields were read."""

    read: ClassVar[set[str]] = set()

    def __getattribute__(self, name: str) -> Any:
        if name in SheetSpec.__dataclass_fields__:
            _Recorded.read.add(name)
        return super().__getattribute__(name)


class _RecordedPage(PageSetup):
    read: ClassVar[set[str]] = set()

    def __getattribute__(self, name: str) -> Any:
        if name in PageSetup.__dataclass_fields__:
            _RecordedPage.read.add(name)
        return super().__getattribute__(name)


def _recorded(layout: SheetSpec) -> _Recorded:
    page = _RecordedPage(**{f.name: getattr(layout.page, f.name) for f in fields(PageSetup)})
    values = {f.name: getattr(layout, f.name) for f in fields(SheetSpec)}
    return _Recorded(**{**values, "page": page})


def _write_xlsx(path: Path, layout: SheetSpec) -> Path:
    # A visible sheet first: a workbook's only sheet cannot be hidden.
    return _xlsx.write_workbook(path, [SheetSpec(name="Đầu"), layout], created=None)


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return b"".join(
            archive.read(name)
            for name in sorted(archive.namelist())
            if not name.startswith("docProps/")  # the creation time
        )


def _render_remote(layout: SheetSpec, notes: list[str]) -> list[dict[str, Any]]:
    book = Workbook(name="thu.xlsm", sheets=[SheetState(name="Đầu")], names=[]).book()
    _xlwings.render_sheet(book, layout, notes=notes)
    return list(book.json()["actions"])


def test_every_field_has_a_sample() -> None:
    assert set(SAMPLES) == {f.name for f in fields(SheetSpec)} - {"name"}
    assert set(PAGE_SAMPLES) == {f.name for f in fields(PageSetup)}


@pytest.mark.parametrize("writer", ["xlsx", "xlwings"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_writer_reads_every_field_it_does_not_decline(writer: str, name: str, tmp_path: Path) -> None:
    declined = (_xlsx.DECLINED if writer == "xlsx" else _xlwings.DECLINED).keys()
    layout = _recorded(replace(BASE, **{name: SAMPLES[name]}))
    _Recorded.read.clear()
    notes: list[str] = []
    if writer == "xlsx":
        _write_xlsx(tmp_path / "thu.xlsx", layout)
    else:
        _render_remote(layout, notes)
    if name in declined:
        assert any(_xlwings.DECLINED[name] in note for note in notes), notes
    elif not (writer == "xlwings" and name in REMOTE_WITHOUT):
        assert name in _Recorded.read, f"the {writer} writer never reads '{name}'"


@pytest.mark.parametrize("writer", ["xlsx", "xlwings"])
def test_each_writer_reads_every_page_setting(
    writer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = _recorded(replace(BASE, page=PageSetup(**PAGE_SAMPLES)))
    _RecordedPage.read.clear()
    if writer == "xlsx":
        _write_xlsx(tmp_path / "thu.xlsx", layout)
    else:
        # Page setup goes through Excel's own object model, which only Windows has: the
        # remote engine is told it is that Excel, and a recording stand-in takes the settings.
        settings: dict[str, object] = {}

        class _PageSetup:
            def __setattr__(self, key: str, value: object) -> None:
                settings[key] = value

        class _Sheet:
            class api:
                PageSetup = _PageSetup()

        monkeypatch.setattr(_xlwings, "_is_windows_excel", lambda sheet: True)
        _xlwings._page_setup(_Sheet(), layout, [], "trang 'Thử'")
        assert {"TopMargin", "Orientation", "PrintTitleRows", "CenterFooter"} <= set(settings)
    assert _RecordedPage.read == set(PAGE_SAMPLES), set(PAGE_SAMPLES) - _RecordedPage.read


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_field_changes_the_xlsx_file(name: str, tmp_path: Path) -> None:
    plain = _sheet_xml(_write_xlsx(tmp_path / "plain.xlsx", BASE))
    changed = _sheet_xml(_write_xlsx(tmp_path / "changed.xlsx", replace(BASE, **{name: SAMPLES[name]})))
    assert changed != plain, f"'{name}' left the written file unchanged"


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - _xlwings.DECLINED.keys() - REMOTE_WITHOUT))
def test_every_field_changes_what_the_open_workbook_is_told(name: str) -> None:
    plain = _render_remote(BASE, [])
    changed = _render_remote(replace(BASE, **{name: SAMPLES[name]}), [])
    assert changed != plain, f"'{name}' queued the same actions as the plain sheet"
