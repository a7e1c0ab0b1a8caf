"""The public surface is exactly what `__all__` says, and stays small."""

from __future__ import annotations

from types import ModuleType

import ntm_xl

EXPECTED = {
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
}


def test_all_is_the_public_surface() -> None:
    assert set(ntm_xl.__all__) == EXPECTED
    for name in ntm_xl.__all__:
        assert hasattr(ntm_xl, name), name
    # Public submodules (ntm_xl.excel for the Excel buttons) are not re-exported names.
    public = {n for n, v in vars(ntm_xl).items() if not n.startswith("_") and not isinstance(v, ModuleType)}
    assert public == set(ntm_xl.__all__) - {"__version__"}, "a public name is missing from __all__"


def test_exceptions_form_one_tree() -> None:
    for error in (ntm_xl.CriteriaError, ntm_xl.UsageError, ntm_xl.OutputError):
        assert issubclass(error, ntm_xl.NtmError)
    assert "CriteriaError" in (ntm_xl._common._errors.__doc__ or "")
