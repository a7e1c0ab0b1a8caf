"""Characters no XML file can hold, and dropping them from what is written.

XML 1.0 allows tab, line feed, carriage return, and U+0020 to U+10FFFF except the
surrogates and U+FFFE/U+FFFF. A workbook or a Word document containing any other
character is refused by Excel and Word, and by the XML writers themselves.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TypeVar

__all__ = ["NOT_XML", "NOT_XML_OR_CONTROL", "display_name", "display_path", "xml_safe", "xml_safe_values"]

T = TypeVar("T")

# What the reader warns about at the source cell; control characters in names have
# their own warning where names are cleaned.
NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
NOT_XML_OR_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (the same object when it has none)."""
    return NOT_XML_OR_CONTROL.sub("", text) if NOT_XML_OR_CONTROL.search(text) else text


def xml_safe_values(value: T) -> T:
    """The same data with every text made XML-safe: dicts, lists and tuples walked."""
    if isinstance(value, str):
        cleaned = xml_safe(value)
        return value if cleaned is value else type(value)(cleaned)
    if isinstance(value, dict):
        return {key: xml_safe_values(item) for key, item in value.items()}  # type: ignore[return-value]
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe_values(item) for item in value)
    return value


def display_name(path: Path) -> str:
    """The file's name as a person can read it: bytes that are not UTF-8 shown as '?'."""
    name = path.name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "replace").replace("\ufffd", "?")


def display_path(path: str | Path) -> str:
    """A whole path as a person can read it (and an output can hold): bytes that are not
    UTF-8 shown as '?'."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "replace").replace("\ufffd", "?")
