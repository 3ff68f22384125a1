"""negotrack's imports go one way, and no module imports itself through others.

The layers, lowest first (a module may import its own layer and those below it):

0. kernel: ``negotrack`` (the package: its version), ``negotrack.errors`` (the
   errors a user can meet, raised at every layer) and ``negotrack.speedups``
   (the speed tricks: standard library and orjson only, usable by every layer);
1. domain: ``negotrack.domain`` (vocabulary, inputs, rules, the fold): plain
   rules over plain data, it reads no file and opens no store;
2. adapters, side by side and not importing one another: ``negotrack.timeline``
   (reading and writing timeline files and exports), ``negotrack.store`` (the
   event store and the read model), ``negotrack.draft`` (reading articles
   into draft events);
3. application: ``negotrack.app`` (the use cases);
4. entrypoints: ``negotrack.cli``, ``negotrack.__main__`` and ``negotrack.process`` (what holds when a command is its own process), ``negotrack.api`` (the Python API), ``negotrack.demo``,
   ``negotrack.scenarios`` (the scenario runner and the pytest plugin),
   ``negotrack.report`` (the report command), and the entrypoints' helpers
   ``negotrack.render`` (what commands print), ``negotrack.terminal`` and
   ``negotrack.conventions`` (terminal and environment conventions).

Every import counts: at the top of a module, inside a function, or under
``if TYPE_CHECKING:``.  A new module must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import negotrack

PACKAGE = Path(negotrack.__file__).parent

LAYERS: dict[str, int] = {
    "negotrack": 0,
    "negotrack.errors": 0,
    "negotrack.speedups": 0,
    "negotrack.domain": 1,
    "negotrack.timeline": 2,
    "negotrack.store": 2,
    "negotrack.draft": 2,
    "negotrack.app": 3,
    "negotrack.cli": 4,
    "negotrack.__main__": 4,
    "negotrack.process": 4,
    "negotrack.api": 4,
    "negotrack.demo": 4,
    "negotrack.scenarios": 4,
    "negotrack.report": 4,
    "negotrack.render": 4,
    "negotrack.terminal": 4,
    "negotrack.conventions": 4,
}
PEERS = ("negotrack.timeline", "negotrack.store", "negotrack.draft")  # layer 2: none imports another

# Back-arrows and cycles that are known and owned by another change.
# (importer, imported) allowed against the layers: the package's facade ``negotrack.open``
# loads the Python API (an entrypoint) on first use, so ``import negotrack`` stays cheap.
KNOWN: set[tuple[str, str]] = {("negotrack", "negotrack.api")}
KNOWN_CYCLES: list[list[str]] = []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every negotrack module a file imports, wherever the import statement is."""
    return imports_in(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def imports_in(source: str, name: str, is_package: bool) -> set[str]:
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            for alias in node.names:  # `from negotrack.domain import events` imports a module
                if (PACKAGE.parent / (module + "." + alias.name).replace(".", "/")).with_suffix(".py").exists():
                    found.add(f"{module}.{alias.name}")
    return {m for m in found if m == "negotrack" or m.startswith("negotrack.")}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def group(module: str) -> str:
    """The entry of LAYERS a module belongs to: its longest prefix there."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in LAYERS:
            return prefix
    raise AssertionError(f"{module} has no layer: give it one in tests/unit/test_layers.py")


def test_every_module_has_a_layer():
    for module in graph():
        group(module)


def test_no_import_points_up_a_layer_or_across_the_adapters():
    wrong = []
    for module, imported in graph().items():
        mine = group(module)
        for target in sorted(imported):
            theirs = group(target)
            if (module, target) in KNOWN or theirs == mine:
                continue
            if LAYERS[theirs] > LAYERS[mine] or (mine in PEERS and theirs in PEERS):
                wrong.append(f"{module} ({mine}, layer {LAYERS[mine]}) imports {target} ({theirs}, layer {LAYERS[theirs]})")
    assert wrong == []


def test_the_domain_imports_only_the_domain_and_the_kernel():
    """The kernel (layer 0) is usable by every layer: the package, its errors and its speed tricks."""
    for module, imported in graph().items():
        if group(module) == "negotrack.domain":
            assert {group(t) for t in imported} <= {"negotrack.domain", "negotrack", "negotrack.errors", "negotrack.speedups"}, module


def test_no_import_cycle():
    edges = graph()
    # Tarjan's strongly connected components, over the modules (a package and its own modules excluded:
    # `from negotrack.domain import events` names the package without importing anything from it)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in edges or v.startswith(w + "."):
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    assert [c for c in cycles if c not in KNOWN_CYCLES] == []


def test_imports_inside_functions_type_checking_blocks_and_relative_ones_are_seen():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from negotrack.store import readmodel\n"
        "def f():\n    from ..timeline import schema\n    import negotrack.cli\n"
    )
    found = imports_in(source, "negotrack.domain.state", is_package=False)
    assert found == {"negotrack.store", "negotrack.store.readmodel", "negotrack.timeline", "negotrack.timeline.schema",
                     "negotrack.cli"}  # fmt: skip
