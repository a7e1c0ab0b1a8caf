"""The package's layers import downwards only, and no module borrows another's private names.

    common ← values ← reading, checking ← pipeline, notice text ← rendering ← fronts

A module may import from its own layer or any layer below it; reading imports no writer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ntm_xl"

# Lowest first. Reading and checking share a layer (checking the registry reads a file),
# but reading never imports checking (below).
LAYERS: dict[str, int] = {
    "_common": 0,
    "_values": 1,
    "_read": 2,
    "_check": 2,
    "_pipeline": 3,
    "_notice": 3,
    "_render": 4,
    "_excel": 5,
    "_demo": 5,
    "_cli": 6,
    "excel": 6,
    "__main__": 6,
    "__init__": 6,
}
FORBIDDEN = {("_read", "_check")}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _dotted(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) for every ntm_xl import, function-level too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _dotted(path)
    package = here if here[-1] == "__init__" else here[:-1]
    if package[-1] == "__init__":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] == "ntm_xl":
                found.append((node.lineno, module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "ntm_xl":
                    found.append((node.lineno, alias.name, []))
    return found


def _layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_downwards(path: Path) -> None:
    own = _layer_of(".".join(_dotted(path)))
    wrong = []
    for line, module, names in _imports(path):
        target = _layer_of(module)
        if target == "__init__" and names == ["__version__"]:
            continue  # the version is a constant, not a layer
        if target == own:
            continue
        if LAYERS[target] > LAYERS[own] or (own, target) in FORBIDDEN:
            wrong.append(f"line {line}: {own} imports {module}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_names_borrowed(path: Path) -> None:
    borrowed = [
        f"line {line}: {name} from {module}"
        for line, module, names in _imports(path)
        for name in names
        if name.startswith("_")
        and name != "__version__"
        and not module.endswith(f".{name}")
        # importing a private *module* (``from . import _x``) is how packages are built
        and not (PACKAGE.joinpath(*module.split(".")[1:], f"{name}.py")).exists()
    ]
    assert not borrowed, "\n".join(borrowed)


def test_every_layer_is_known() -> None:
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _modules()}
    assert tops <= set(LAYERS), tops - set(LAYERS)
