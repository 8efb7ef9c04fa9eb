"""What starting the app imports before the first question plays: the modules the launch path imports
at their top (read from the sources, not by importing them) leave out what only an answer, its
feedback or a later screen needs. Those are imported when first needed, or ahead of need while the
first question plays (issue 16: launch to the first spoken question in at most 1.5 s)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import simulator

PACKAGE = Path(simulator.__file__).resolve().parent


def module_path(name: str) -> Path | None:
    base = PACKAGE.parent.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def lazy_names(package: str) -> dict[str, str]:
    """The names a package imports from its modules when first asked for (``_MODULE_OF``, as
    :mod:`simulator.rubric` has), and their modules."""
    if not package.startswith("simulator") or module_path(package) is None:
        return {}
    return getattr(importlib.import_module(package), "_MODULE_OF", {})


def top_level_imports(name: str) -> set[str]:
    """The project's modules ``name`` imports when it is imported: the imports at its top level (in
    ``if`` and ``try`` blocks too, except under ``if TYPE_CHECKING``), not those inside functions."""
    path = module_path(name)
    assert path is not None, name
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
                lazy = lazy_names(base)  # a name a package imports when first asked for it
                found.update(lazy[alias.name] for alias in node.names if alias.name in lazy)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    modules: set[str] = set()
    for imported in found:  # a module imports its packages first
        parts = imported.split(".")
        modules.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return {m for m in modules if m.startswith("simulator") and module_path(m) is not None}


def imported_with(name: str) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(top_level_imports(module))
    return seen


def test_the_app_imports_no_answer_feedback_or_report_code_at_start():
    launch = imported_with("simulator.tui.app") | imported_with("simulator.tui.launch")
    assert "simulator.rubric.bank" in launch and "simulator.store.store" in launch  # read to ask a question
    for later in ("simulator.analysis", "simulator.answer", "simulator.report", "simulator.rubric.engine",
                  "simulator.rubric.semantic", "simulator.session.answer_loop", "simulator.roleplay.library",
                  "simulator.tui.answer_worker", "simulator.tui.screens.feedback"):
        assert not {m for m in launch if m == later or m.startswith(later + ".")}, later


def test_the_command_line_imports_no_command_module_until_one_runs():
    from simulator.cli import COMMANDS

    assert not imported_with("simulator.cli") & {module for module, _ in COMMANDS.values()}


def test_the_reader_finds_imports_at_the_top_only():
    assert "simulator.rubric.bank" in top_level_imports("simulator.tui.backends")
    assert "simulator.rubric.engine" not in top_level_imports("simulator.tui.backends")  # in warm_up
    assert "simulator.answer.report" not in top_level_imports("simulator.tui.app")  # TYPE_CHECKING
    assert "simulator.rubric.engine" not in top_level_imports("simulator.session.interview")
    assert "simulator.rubric.engine" in top_level_imports("simulator.cli.rescore")  # score_content
