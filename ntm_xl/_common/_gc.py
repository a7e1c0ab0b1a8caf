"""Pausing the cyclic garbage collector around steps that make many long-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for steps that make hundreds of thousands of
    small long-lived objects (reading a province, writing its summary), where every
    collection would walk them all again for little or nothing to free."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
