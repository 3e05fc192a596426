"""The shape of the code: dflint's import graph has no cycle and every arrow points down.

The graph is read from the source (``ast``), counting every import: at module level,
inside functions (lazy imports) and under ``TYPE_CHECKING``. A lazy import still makes
one module depend on another; it only changes when the cost is paid.

The layers, lowest first (ARCHITECTURE.md draws the same picture):

0. foundations: ``records``, ``options``, ``source``, ``reuse``, ``atomic``,
   ``pool``, ``files``, ``docs``
1. syntax: ``ast``, ``directives``, ``parse``
2. meaning: ``model``
3. core: the rule API, registry, settings and configuration, suppression, engine, fixes,
   and the public API (``dflint/__init__``)
4. faces: the CLI and its commands, the batch run, reports, the language server, the
   documentation site's generated pages

A module may import its own layer (without cycles) and the layers below, never above.
The built-in rule pack (``dflint_rules``) sits above the core and below nothing: the
engine finds it through entry points, never by importing it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dflint"

LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "dflint.records",
        "dflint.options",
        "dflint.source",
        "dflint.reuse",
        "dflint.lazy_re",
        "dflint.entry_points",
        "dflint.atomic",
        "dflint.pool",
        "dflint.files",
        "dflint.docs",
    ),
    ("dflint.ast", "dflint.directives", "dflint.parse"),
    ("dflint.model",),
    (
        "dflint.rule",
        "dflint.registry",
        "dflint.manifest",
        "dflint.settings",
        "dflint.config",
        "dflint.hadolint_config",
        "dflint.suppress",
        "dflint.engine",
        "dflint.fix",
    ),
    (
        "dflint.cli",
        "dflint.__main__",
        "dflint.run",
        "dflint.commands",
        "dflint.report",
        "dflint.lsp",
        "dflint.docsite",
    ),
)


def _module_names(package: Path) -> dict[str, Path]:
    names: dict[str, Path] = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that ``module`` imports (a name imported from a package
    that is itself a module counts as that module, not as the package)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            subs = [f"{base}.{alias.name}" for alias in node.names]
            targets = [s for s in subs if s in known]
            if len(targets) < len(subs):
                targets.append(base)
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    known = _module_names(package)
    return {name: _imports(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def layer_of(module: str) -> int | None:
    if module == "dflint":
        return 3  # the public API: lint_text and its types
    for level, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return level
    return None


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert cycles(graph) == []


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in import_graph() if layer_of(m) is None)
    assert unplaced == [], "place these modules in a layer of tests/test_architecture.py"


def test_imports_point_down() -> None:
    upward = []
    for module, targets in import_graph().items():
        level = layer_of(module)
        assert level is not None
        for target in targets:
            target_level = layer_of(target)
            assert target_level is not None
            if target_level > level:
                upward.append(f"{module} (layer {level}) -> {target} (layer {target_level})")
    assert upward == []


def test_the_engine_never_imports_the_rule_pack() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] == "dflint_rules" for n in names), path


def test_the_checker_sees_a_cycle(tmp_path: Path) -> None:
    """The detector itself: a two-module cycle through a lazy import is found."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def f():\n    from pkg.a import x\n")
    (package / "c.py").write_text("from . import a\n")
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b"]]


@pytest.mark.parametrize(
    ("module", "level"),
    [("dflint.parse.scan", 1), ("dflint.model.shell_walk", 2), ("dflint.report.sarif", 4)],
)
def test_layers_are_assigned_by_prefix(module: str, level: int) -> None:
    assert layer_of(module) == level
