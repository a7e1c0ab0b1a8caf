"""Exceptions raised by ntm_xl.

Problems found *in commune files* are never raised: they are returned as
``Problem`` values so that one bad file cannot stop the others. Exceptions
are for what stops a whole run::

    NtmError                 base of everything ntm_xl raises on purpose
    ├── CriteriaError        a criteria set cannot be found or is malformed
    ├── UsageError           the command line or a call names something impossible
    └── OutputError          an output file cannot be written (locked, no permission)

Any other exception is a programming error and a bug.
"""

from __future__ import annotations

__all__ = ["CriteriaError", "NtmError", "OutputError", "UsageError"]


class NtmError(Exception):
    """Base class; ``str(error)`` is a Vietnamese message for the user."""


class CriteriaError(NtmError):
    pass


class UsageError(NtmError):
    pass


class OutputError(NtmError):
    pass
