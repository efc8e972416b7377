"""The shape of the code: dialogs and widgets are leaves, no source module grows past 400
lines, and Textual's private modules are imported only where the app cannot do without."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tui

TUI_DIR = Path(tui.__file__).parent
REPO_ROOT = TUI_DIR.parent
MAX_LINES = 400
SOURCE_PACKAGES = ("core", "cli", "tui", "sshd", "benchmarks")

# Modules that may import a private Textual module, and why.
PRIVATE_TEXTUAL = {
    # StylesCache.get_inner_outer keeps dead widgets alive; no public way to clear it
    # (Textual issue 6665).
    "tui/collector.py",
    "tests/tui/test_collector.py",  # checks that very cache
    # The terminal driver builds its input parser from XTermParser; pastes are guarded there.
    "tui/paste_guard.py",
    # FooterKey, FooterLabel and KeyGroup are exported by no public module.
    "tui/widgets/footer.py",
}

# package -> the packages it must not import (it sits below them)
LEAVES = {
    "tui.dialogs": ("tui.screens", "tui.team"),
    "tui.widgets": ("tui.screens", "tui.team", "tui.dialogs"),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, at the top or inside a function or TYPE_CHECKING."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative: resolve against the module's package
                package = path.relative_to(REPO_ROOT).with_suffix("").parts[: -node.level]
                found.append((node.lineno, ".".join([*package, node.module])))
            else:
                found.append((node.lineno, node.module))
    return found


def _crossings(package: str, forbidden: tuple[str, ...]) -> list[str]:
    root = REPO_ROOT.joinpath(*package.split("."))
    paths = sorted(root.rglob("*.py"))
    assert paths, root
    return [
        f"{path.relative_to(REPO_ROOT)}:{line} imports {name}"
        for path in paths
        for line, name in _imports(path)
        if any(name == bad or name.startswith(f"{bad}.") for bad in forbidden)
    ]


@pytest.mark.parametrize("package", sorted(LEAVES))
def test_leaf_packages_import_nothing_above_them(package: str) -> None:
    problems = _crossings(package, LEAVES[package])
    assert not problems, "\n".join(problems)


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "from tui.team.screen import TeamScreen\nimport tui.screens\nfrom tui.format import cell\n"
    )
    assert [name for _line, name in _imports(source)] == [
        "tui.team.screen",
        "tui.screens",
        "tui.format",
    ]


def test_no_source_module_is_over_400_lines() -> None:
    paths = sorted(
        path for package in SOURCE_PACKAGES for path in (REPO_ROOT / package).rglob("*.py")
    )
    assert len(paths) > 100, paths
    long = [
        f"{path.relative_to(REPO_ROOT)}: {lines} lines"
        for path in paths
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not long, "\n".join(long)


def _private_textual(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "textual" and any(part.startswith("_") for part in parts[1:])


def test_private_textual_imports_are_kept_to_the_listed_modules() -> None:
    found = {
        f"{path.relative_to(REPO_ROOT)}:{line} imports {name}"
        for package in (*SOURCE_PACKAGES, "tests")
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        for line, name in _imports(path)
        if _private_textual(name) and str(path.relative_to(REPO_ROOT)) not in PRIVATE_TEXTUAL
    }
    assert not found, "\n".join(sorted(found))
    assert _private_textual("textual._styles_cache") and _private_textual("textual.widgets._footer")
    assert not _private_textual("textual.widgets.option_list")
