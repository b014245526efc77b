"""The shape of the house: stage folders, no import cycle, heavy libraries only in output/, lazy imports only in
the CLI, every output profile one registered module, presets as data."""

from __future__ import annotations

import ast
import json
from collections import defaultdict
from pathlib import Path

from deckgen import presets
from deckgen.pipeline.options import OPTIONS
from deckgen.pipeline.profiles import PROFILES

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "deckgen"
HEAVY = {"reportlab", "pypdfium2", "pikepdf"}
# third-party libraries that only some outputs need, imported when used: no deckgen module is ever imported late
OPTIONAL = {"openpyxl": "only .xlsx tables", "pypdfium2": "only PNG images and previews",
            "pikepdf": "only CMYK and PDF/X files"}
STAGES = ["deck", "design", "sheets", "output", "pipeline", "cli"]  # each may import only those before it


def _module(path: Path) -> str:
    parts = path.with_suffix("").relative_to(SRC).parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, bool, bool]]:
    """(module imported, inside a function, under `if TYPE_CHECKING`) for every import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool, bool]] = []

    def visit(node: ast.AST, in_func: bool, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            func = in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            typed = typing_only or (isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING")
            if isinstance(child, ast.Import):
                found.extend((a.name, in_func, typing_only) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, in_func, typing_only))
            visit(child, func, typed)

    visit(tree, False, False)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        for name, _, typing_only in _imports(path):
            if name.startswith("deckgen") and not typing_only:
                graph[_module(path)].add(name)
    return graph


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else None


def test_no_import_cycle_even_through_imports_inside_functions():
    graph, done, path, cycles = _graph(), set(), [], []

    def visit(node: str) -> None:
        if node in path:
            cycles.append(path[path.index(node):] + [node])
            return
        if node in done:
            return
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt)
        path.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    assert cycles == []


def test_stages_import_only_the_stages_before_them():
    wrong = []
    for module, targets in _graph().items():
        here = _stage(module)
        for target in targets:
            there = _stage(target)
            if here and there and STAGES.index(there) > STAGES.index(here):
                wrong.append(f"{module} -> {target}")
            if here is None and there is not None and module != "deckgen.__main__":
                wrong.append(f"{module} (shared) -> {target}")
    assert wrong == []


def test_pdf_libraries_are_imported_only_by_the_output_stage():
    wrong = [f"{_module(p)} imports {name}" for p in PACKAGE.rglob("*.py") for name, _, _ in _imports(p)
             if name.split(".")[0] in HEAVY and _stage(_module(p)) != "output"]
    assert wrong == []


def test_lazy_imports_only_in_the_cli_or_for_optional_libraries():
    wrong = [f"{_module(p)} imports {name} inside a function" for p in PACKAGE.rglob("*.py")
             for name, in_func, _ in _imports(p)
             if in_func and _stage(_module(p)) != "cli" and name.split(".")[0] not in OPTIONAL]
    assert wrong == []


def test_every_profile_is_one_module_with_its_options_as_data():
    folder = PACKAGE / "pipeline" / "profiles"
    modules = sorted(p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "base"))
    assert sorted(PROFILES) == modules
    known = {o.name for o in OPTIONS}
    for profile in PROFILES.values():
        assert profile.accepts <= known, profile.name


def test_presets_are_data_files_and_drive_the_cli_choices():
    from deckgen.cli.main import parser

    for name in ("cards", "papers", "services", "conditions"):
        assert json.loads((PACKAGE / "data" / f"{name}.json").read_text(encoding="utf-8"))[name]
    build = parser()._subparsers._group_actions[0].choices["build"]  # type: ignore[union-attr]
    choices = {a.dest: a.choices for a in build._actions}
    assert list(choices["paper"]) == list(presets.papers())
    assert list(choices["service"]) == sorted(presets.services())
    assert list(choices["profile"]) == list(PROFILES)


MAX_FUNCTION_LINES = 50


def test_every_function_is_at_most_50_lines():
    """From its `def` line to its last line, docstring and comments included (nested functions count in their
    parent too)."""
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}: {lines} lines")
    assert long == []
