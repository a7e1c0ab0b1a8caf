"""The public surface is exactly what `__all__` says, and stays small."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import ntm_xl

EXPECTED = {
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


def test_lazy_names_are_where_the_type_checker_sees_them() -> None:
    """The lazy table and the TYPE_CHECKING imports name the same module for every name."""
    import ast
    import importlib

    tree = ast.parse(Path(ntm_xl.__file__).read_text(encoding="utf-8"))
    checked = {
        alias.name: "." * node.level + (node.module or "")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level
        for alias in node.names
    }
    assert checked == ntm_xl._WHERE
    for name, module in ntm_xl._WHERE.items():
        assert getattr(importlib.import_module(module, "ntm_xl"), name) is getattr(ntm_xl, name)


def test_readme_sends_users_to_public_names_only() -> None:
    readme = (Path(ntm_xl.__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    users_part = readme.split("## Development")[0]
    assert not re.findall(r"ntm_xl\._\w+", users_part)


def test_public_functions_document_their_parameters() -> None:
    import inspect

    for name in ntm_xl.__all__:
        value = getattr(ntm_xl, name)
        if inspect.isfunction(value):
            doc = inspect.getdoc(value) or ""
            missing = [p for p in inspect.signature(value).parameters if f"``{p}``" not in doc]
            assert not missing, f"{name}: {missing} not documented"
