"""ntm_xl: consolidate communes' New Rural (nông thôn mới) criteria reviews.

The pipeline, once through::

    summary = ntm_xl.summarize(["xa/"])                   # read, normalize, validate, compute
    ntm_xl.notice_sections(summary).text()                # sections I.2 and I.3 of the notice
    ntm_xl.write_summary_workbook("tong-hop.xlsx", summary)

Problems in commune files are values (``summary.problems``), never exceptions;
see ``ntm_xl._common._errors`` for the few exceptions raised.
"""

from ._common._errors import CriteriaError, NtmError, OutputError, UsageError
from ._notice._sections import NoticeSections, notice_sections
from ._pipeline import summarize
from ._read import FileReading, explain, explanation_text, write_annotated_workbook
from ._render._commune_form import write_commune_template
from ._render._summary import write_notice_text, write_summary_workbook
from ._values._criteria import CriteriaSet, Criterion, load_criteria
from ._values._marks import Mark
from ._values._model import ExcludedVillage, Location, Summary, VillageAssessment
from ._values._problems import Problem, Severity

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
