"""Reading the TOML files a clerk may give (criteria sets, notice configuration, reading rules).

One place says what can go wrong with such a file, in Vietnamese: it cannot be read, it is
too big to be one, its syntax is wrong, or it nests deeper than tomllib can descend.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomllib

from ._errors import NtmError

__all__ = ["MAX_TOML_CHARACTERS", "parse_toml", "read_toml"]

MAX_TOML_CHARACTERS = 1024 * 1024  # far above any real configuration; a bigger file is something else


def read_toml(path: Path, what: str, error: type[NtmError], simple: str) -> dict[str, Any]:
    """The table in the file at ``path``, a "tệp {what}"; ``simple`` says what it should hold."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"Không tìm thấy tệp {what} '{path}'.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"Không đọc được tệp {what} '{path}': {exc}") from exc
    if len(text) > MAX_TOML_CHARACTERS:
        raise error(f"Tệp {what} '{path}' quá lớn (giới hạn 1 MB); đây không phải tệp {what}.")
    return parse_toml(text, what, str(path), error, simple)


def parse_toml(text: str, what: str, source: str, error: type[NtmError], simple: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"Tệp {what} '{source}' sai cú pháp TOML: {exc}") from exc
    except (RecursionError, MemoryError) as exc:
        # tomllib descends once per level: a file nested thousands deep exhausts it.
        raise error(
            f"Tệp {what} '{source}' có các bảng hoặc danh sách lồng nhau quá sâu; cần {simple}."
        ) from exc
