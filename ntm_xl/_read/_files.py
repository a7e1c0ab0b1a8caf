"""Checks across and about whole files: empty workbooks, identical files, one commune in
several files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from .._common._text import fold
from .._values._catalogue import problem
from .._values._model import InputSheet, VillageEntry
from .._values._problems import Problem

__all__ = ["communes_in_several_files", "file_digest", "is_empty"]


def is_empty(sheets: Iterable[InputSheet]) -> bool:
    """No sheet has a single non-blank cell."""
    for sheet in sheets:
        for row in sheet.rows:
            for value in row:
                if not (value is None or (isinstance(value, str) and not value.strip())):
                    return False
    return True


def communes_in_several_files(entries: Iterable[VillageEntry]) -> list[Problem]:
    """A warning for each file after the first that claims a commune."""
    files: dict[str, list[tuple[Path, str]]] = {}
    for entry in entries:
        if not entry.commune:
            continue
        seen = files.setdefault(fold(entry.commune), [])
        if all(path != entry.location.file for path, _ in seen):
            seen.append((entry.location.file, entry.commune))
    problems: list[Problem] = []
    for claims in files.values():
        (first, _), *others = claims
        for path, commune in others:
            problems.append(problem("R014", path, commune=commune, first=first.name))
    return problems


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
