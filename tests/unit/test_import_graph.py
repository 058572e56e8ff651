"""The project's own packages import each other without cycles, between modules or between packages, and the
conversation (bot/) depends on neither the shell (credbot/) nor the emulator (sandbox/).

Read from the source with `ast`, nothing imported: every `import` and `from ... import` counts, at module level or
inside a function (a deferred import hides a cycle from Python, not from the design). An edge goes to the deepest
project module an import names: `from bot.handlers import account` is an edge to bot.handlers.account.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("catalog", "recommender", "bot", "store", "credbot", "sandbox", "webapp")

Graph = dict[str, dict[str, str]]  # module -> {imported module: where the first such import is, "path:line"}


def module_files(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _resolve(name: str, modules: Mapping[str, Path]) -> str | None:
    """The deepest project module a dotted name falls in (bot.handlers.common.Context -> bot.handlers.common)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> Graph:
    modules = module_files(root, packages)
    graph: Graph = {}
    for module, path in modules.items():
        edges: dict[str, str] = {}
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from .x import y, from .. import z
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                names = [f"{base}.{alias.name}" for alias in node.names]
            for name in names:
                target = _resolve(name, modules)
                if target is not None and target != module:
                    edges.setdefault(target, f"{path.relative_to(root)}:{node.lineno}")
        graph[module] = edges
    return graph


def package_graph(graph: Graph) -> Graph:
    """The same imports between top-level packages (each edge keeps the first import that makes it)."""
    packages: Graph = {}
    for module, edges in sorted(graph.items()):
        mine = packages.setdefault(module.partition(".")[0], {})
        for target, where in sorted(edges.items()):
            if target.partition(".")[0] != module.partition(".")[0]:
                mine.setdefault(target.partition(".")[0], where)
    return packages


def find_cycle(graph: Mapping[str, Mapping[str, object]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None: depth-first, a back edge to a module still on the path."""
    on_path: list[str] = []
    state: dict[str, str] = {}  # "open" while on the path, "done" once every module below it is cycle-free

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        on_path.append(module)
        for target in sorted(graph.get(module, {})):
            if state.get(target) == "open":
                return [*on_path[on_path.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        on_path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)) is not None:
            return cycle
    return None


def describe(cycle: list[str], graph: Graph) -> str:
    steps = [f"{a} ({graph[a][b]}) -> " for a, b in itertools.pairwise(cycle)]
    return "import cycle: " + "".join(steps) + cycle[-1]


def test_the_project_modules_have_no_import_cycle() -> None:
    graph = import_graph()
    assert {m.partition(".")[0] for m in graph} == set(PACKAGES)
    cycle = find_cycle(graph)
    assert cycle is None, describe(cycle, graph)


def test_the_project_packages_import_one_way() -> None:
    """No cycle between packages either (store.a -> bot.x and bot.y -> store.b is one, with no module cycle)."""
    graph = package_graph(import_graph())
    cycle = find_cycle(graph)
    assert cycle is None, describe(cycle, graph)


def test_the_conversation_imports_neither_the_shell_nor_the_sandbox() -> None:
    graph = import_graph()
    wrong = [
        f"{module} imports {target} ({where})"
        for module, edges in sorted(graph.items())
        if module.partition(".")[0] == "bot"
        for target, where in sorted(edges.items())
        if target.partition(".")[0] in {"credbot", "sandbox"}
    ]
    assert not wrong, "\n".join(wrong)


def test_a_cycle_through_a_deferred_import_is_found(tmp_path: Path) -> None:
    """The check can fail: a top-level import one way and an import inside a function the other way."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg.b import g\n\ndef f():\n    return g()\n")
    (tmp_path / "pkg" / "b.py").write_text("def g():\n    from pkg import a\n\n    return a\n")
    (tmp_path / "pkg" / "c.py").write_text("from .a import f\n")  # relative, and outside the cycle
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.c"] == {"pkg.a": "pkg/c.py:1"}
    cycle = find_cycle(graph)
    assert cycle == ["pkg.a", "pkg.b", "pkg.a"]
    assert describe(cycle, graph) == "import cycle: pkg.a (pkg/a.py:1) -> pkg.b (pkg/b.py:2) -> pkg.a"


def test_a_cycle_between_packages_is_found_without_a_module_cycle(tmp_path: Path) -> None:
    for package, imports in {"low": "from high.x import f", "high": "from low.b import g"}.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "a.py").write_text(imports + "\n")
        (tmp_path / package / "b.py").write_text("def g(): ...\n")
        (tmp_path / package / "x.py").write_text("def f(): ...\n")
    graph = import_graph(tmp_path, ("low", "high"))
    assert find_cycle(graph) is None
    packages = package_graph(graph)
    assert find_cycle(packages) == ["high", "low", "high"]
    assert describe(["high", "low", "high"], packages) == (
        "import cycle: high (high/a.py:1) -> low (low/a.py:1) -> high"
    )


def test_a_graph_without_cycles_passes() -> None:
    assert find_cycle({"a": {"b": "", "c": ""}, "b": {"c": ""}, "c": {}}) is None
    assert find_cycle({"a": {"b": ""}, "b": {"c": ""}, "c": {"b": ""}}) == ["b", "c", "b"]
