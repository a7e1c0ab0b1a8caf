"""ntm_xl: consolidate communes' New Rural (nông thôn mới) criteria reviews.

The pipeline, once through::

    summary = ntm_xl.summarize(["xa/"])                   # read, normalize, validate, compute
    ntm_xl.notice_sections(summary).text()                # sections I.2 and I.3 of the notice
    ntm_xl.write_summary_workbook("tong-hop.xlsx", summary)

Problems in commune files are values (``summary.problems``), never exceptions;
see ``ntm_xl._errors`` for the few exceptions raised.

The names below are imported on first use (PEP 562), so ``import ntm_xl.excel``
(what the master workbook's buttons run) and the commands load only the modules
they need, and a broken dependency is met inside the code that can say so.
"""

import importlib
import typing

if typing.TYPE_CHECKING:  # what mypy and editors see; at run time each name is imported on first use
    from ._criteria import CriteriaSet, Criterion, load_criteria
    from ._errors import CriteriaError, NtmError, OutputError, UsageError
    from ._marks import Mark
    from ._model import ExcludedVillage, Location, Summary, VillageAssessment
    from ._notice import NoticeSections, notice_sections
    from ._pipeline import summarize
    from ._problems import Problem, Severity
    from ._read import FileReading, explain, explanation_text, write_annotated_workbook
    from ._report import write_notice_text, write_summary_workbook
    from ._template import write_commune_template


__version__ = "0.1.0"

__all__ = [
    "CriteriaError",
    "CriteriaSet",
    "Criterion",
    "ExcludedVillage",
    "FileReading",
    "Location",
    "Mark",
    "NoticeSections",
    "NtmError",
    "OutputError",
    "Problem",
    "Severity",
    "Summary",
    "UsageError",
    "VillageAssessment",
    "__version__",
    "explain",
    "explanation_text",
    "load_criteria",
    "notice_sections",
    "summarize",
    "write_annotated_workbook",
    "write_commune_template",
    "write_notice_text",
    "write_summary_workbook",
]


# Public name -> the module that defines it.
_WHERE = {
    "CriteriaSet": "._criteria",
    "Criterion": "._criteria",
    "load_criteria": "._criteria",
    "CriteriaError": "._errors",
    "NtmError": "._errors",
    "OutputError": "._errors",
    "UsageError": "._errors",
    "Mark": "._marks",
    "ExcludedVillage": "._model",
    "Location": "._model",
    "Summary": "._model",
    "VillageAssessment": "._model",
    "NoticeSections": "._notice",
    "notice_sections": "._notice",
    "summarize": "._pipeline",
    "Problem": "._problems",
    "Severity": "._problems",
    "FileReading": "._read",
    "explain": "._read",
    "explanation_text": "._read",
    "write_annotated_workbook": "._read",
    "write_notice_text": "._report",
    "write_summary_workbook": "._report",
    "write_commune_template": "._template",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
