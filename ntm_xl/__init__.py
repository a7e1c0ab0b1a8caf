"""ntm_xl: consolidate communes' New Rural (nông thôn mới) criteria reviews.

The pipeline, once through::

    summary = ntm_xl.summarize(["xa/"])                   # read, check, compute
    ntm_xl.notice_sections(summary).text()                # sections I.2 and I.3 of the notice
    ntm_xl.write_summary_workbook("tong-hop.xlsx", summary)
    ntm_xl.write_notice_document("thong-bao.docx", summary, ntm_xl.load_notice_config("cau-hinh.toml"))

Problems in commune files are values (``summary.problems``, each of a kind in
``CATALOGUE``), never exceptions; the few exceptions raised (``NtmError`` and its
subclasses) are drawn as a tree in ``ntm_xl._common._errors``.

The names below are imported on first use (PEP 562), so ``import ntm_xl.excel``
(what the master workbook's buttons run) and the commands load only the modules
they need, and a broken dependency is met inside the code that can say so.
"""

import importlib
import typing

if typing.TYPE_CHECKING:  # what mypy and editors see; at run time each name is imported on first use
    from ._check._registry import Registry, load_registry, registry_from_pairs
    from ._common._errors import CriteriaError, NtmError, OutputError, UsageError
    from ._notice._config import NoticeConfig, load_notice_config
    from ._notice._sections import NoticeSections, notice_sections
    from ._pipeline import summarize
    from ._read import (
        FileReading,
        ReadingRules,
        explain,
        explanation_text,
        load_rules,
        write_annotated_workbook,
    )
    from ._render._commune_form import write_commune_form
    from ._render._summary import write_notice_text, write_summary_workbook
    from ._render._word import write_notice_document, write_notice_template
    from ._values._catalogue import CATALOGUE, ProblemKind
    from ._values._criteria import CriteriaSet, Criterion, load_criteria
    from ._values._marks import Mark
    from ._values._model import ExcludedVillage, Location, Summary, Tallies, VillageAssessment
    from ._values._problems import Problem, Severity

__version__ = "0.1.0"

__all__ = [
    "CATALOGUE",
    "CriteriaError",
    "CriteriaSet",
    "Criterion",
    "ExcludedVillage",
    "FileReading",
    "Location",
    "Mark",
    "NoticeConfig",
    "NoticeSections",
    "NtmError",
    "OutputError",
    "Problem",
    "ProblemKind",
    "ReadingRules",
    "Registry",
    "Severity",
    "Summary",
    "Tallies",
    "UsageError",
    "VillageAssessment",
    "__version__",
    "explain",
    "explanation_text",
    "load_criteria",
    "load_notice_config",
    "load_registry",
    "load_rules",
    "notice_sections",
    "registry_from_pairs",
    "summarize",
    "write_annotated_workbook",
    "write_commune_form",
    "write_notice_document",
    "write_notice_template",
    "write_notice_text",
    "write_summary_workbook",
]

# Public name -> the module that defines it (the same as the imports above; a test checks).
_WHERE = {
    "CriteriaError": "._common._errors",
    "NtmError": "._common._errors",
    "OutputError": "._common._errors",
    "UsageError": "._common._errors",
    "CriteriaSet": "._values._criteria",
    "Criterion": "._values._criteria",
    "load_criteria": "._values._criteria",
    "Mark": "._values._marks",
    "ExcludedVillage": "._values._model",
    "Location": "._values._model",
    "Summary": "._values._model",
    "Tallies": "._values._model",
    "VillageAssessment": "._values._model",
    "Problem": "._values._problems",
    "Severity": "._values._problems",
    "CATALOGUE": "._values._catalogue",
    "ProblemKind": "._values._catalogue",
    "FileReading": "._read",
    "ReadingRules": "._read",
    "explain": "._read",
    "explanation_text": "._read",
    "load_rules": "._read",
    "write_annotated_workbook": "._read",
    "Registry": "._check._registry",
    "load_registry": "._check._registry",
    "registry_from_pairs": "._check._registry",
    "summarize": "._pipeline",
    "NoticeConfig": "._notice._config",
    "load_notice_config": "._notice._config",
    "NoticeSections": "._notice._sections",
    "notice_sections": "._notice._sections",
    "write_notice_text": "._render._summary",
    "write_summary_workbook": "._render._summary",
    "write_notice_document": "._render._word",
    "write_notice_template": "._render._word",
    "write_commune_form": "._render._commune_form",
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
