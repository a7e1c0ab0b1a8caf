"""The commune form's fixed names, shared by its writer and by the reader that skips its guide."""

from __future__ import annotations

__all__ = ["FORM_SHEET", "GUIDE_SHEET", "GUIDE_TITLE"]

FORM_SHEET = "Đánh giá"
GUIDE_SHEET = "Hướng dẫn"
GUIDE_TITLE = "HƯỚNG DẪN ĐIỀN BIỂU TỰ ĐÁNH GIÁ"
