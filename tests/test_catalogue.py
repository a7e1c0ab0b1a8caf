"""The problem catalogue: every kind has a stable code, a Vietnamese template and a golden wording."""

from __future__ import annotations

import re
import string
from pathlib import Path

from ntm_xl._values._catalogue import CATALOGUE, ProblemKind

from .conftest import GOLDEN

CATALOGUE_GOLDEN = GOLDEN / "problem-catalogue.txt"
_CODE = re.compile(r"^[FRMDECW]\d{3}$")
# Each step's block of codes (see ntm_xl._values._catalogue).
_RANGES = {"F": (1, 99), "R": (1, 199), "M": (1, 99), "D": (1, 49), "E": (1, 19), "C": (1, 99), "W": (1, 99)}
_VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
TESTS = Path(__file__).resolve().parent


def catalogue_text() -> str:
    """The golden file: one kind per line, code | severity | tags | template."""
    lines = [
        f"{kind.code} | {kind.severity.label} | {', '.join(kind.tags)} | {kind.template}"
        for kind in CATALOGUE.values()
    ]
    return "\n".join(lines) + "\n"


def test_catalogue_equals_its_golden_file() -> None:
    assert CATALOGUE_GOLDEN.read_text(encoding="utf-8") == catalogue_text(), "run: python -m tests.regenerate"


def _fields(kind: ProblemKind) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(kind.template) if name}


def test_every_kind_has_a_valid_code_and_a_vietnamese_template() -> None:
    assert CATALOGUE
    for code, kind in CATALOGUE.items():
        assert code == kind.code and _CODE.match(code), code
        low, high = _RANGES[code[0]]
        assert low <= int(code[1:]) <= high, code
        assert kind.template.strip() and _VIETNAMESE.search(kind.template), code
        assert kind.tags, code
        # Every field renders: the template needs nothing but named parameters.
        kind.render({name: "x" for name in _fields(kind)})


def test_codes_of_marks_registry_and_encodings_are_asserted_by_tests() -> None:
    # Tests name problems by code, never by wording: each of these kinds is checked somewhere.
    text = "\n".join(path.read_text(encoding="utf-8") for path in TESTS.rglob("test_*.py"))
    mine = [code for code in CATALOGUE if code[0] in "MDE"]
    assert [code for code in mine if f'"{code}"' not in text] == []
