"""Tests that download from PyPI: marked ``network``, skipped with the reason when PyPI cannot be reached."""

from __future__ import annotations

import socket
from collections.abc import Callable
from functools import cache
from typing import TypeVar

import pytest


@cache
def pypi_unreachable() -> str:
    """Why PyPI cannot be reached from here ("" when it can)."""
    try:
        with socket.create_connection(("pypi.org", 443), timeout=5):
            return ""
    except OSError as exc:
        return f"không kết nối được PyPI (pypi.org:443): {exc}"


F = TypeVar("F", bound=Callable[..., object])


def network(test: F) -> F:
    """Mark ``test`` as downloading from PyPI: run in CI, skipped with the reason offline."""
    skip = pytest.mark.skipif(bool(pypi_unreachable()), reason=pypi_unreachable() or "PyPI")
    marked: F = pytest.mark.network(skip(test))
    return marked
