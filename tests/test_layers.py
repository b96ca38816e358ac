"""The packages' imports point one way: index -> qa -> web / eval -> cli.

Every import statement counts, including those inside functions (a lazy import is
still a dependency). The test parses the source with `ast`, so nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A package may import those of a lower rank only; web and eval share a rank and
# may not import each other.
RANK = {"index": 0, "qa": 1, "web": 2, "eval": 2, "cli": 3}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, source: str | None = None) -> set[str]:
    """The modules of ours that `path` imports, resolved to full dotted names."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # `from pkg import module` imports a module too
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in RANK or name.split(".")[0] == "scripts"}


def graph() -> dict[str, set[str]]:
    files = [p for pkg in RANK for p in sorted((ROOT / pkg).rglob("*.py"))]
    modules = {module_name(p): p for p in files}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in imports_of(path):
            # keep the longest prefix that is one of our modules (drops attribute names)
            parts = imported.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts:
                targets.add(".".join(parts))
            elif imported.split(".")[0] == "scripts":
                targets.add(imported)
        # `from pkg import module` names the package too; count the module only
        packages = {t for t in targets if any(u.startswith(t + ".") for u in targets)}
        edges[name] = targets - packages - {name}
    return edges


def test_the_packages_are_found():
    edges = graph()
    assert {"index", "qa", "web", "eval", "cli"} <= {m.split(".")[0] for m in edges}
    assert "qa.pipeline" in edges and "index.store" in edges["qa.pipeline"] | {
        t for t in edges if t.startswith("index.")}


def test_no_import_points_upward_or_sideways():
    bad = []
    for module, targets in graph().items():
        rank = RANK[module.split(".")[0]]
        for t in targets:
            top = t.split(".")[0]
            if top == "scripts":
                bad.append(f"{module} imports {t} (the package never imports scripts/)")
            elif top != module.split(".")[0] and RANK[top] >= rank:
                bad.append(f"{module} imports {t}")
    assert not bad, "imports against the layering index -> qa -> web/eval -> cli:\n" + "\n".join(bad)


def test_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []
    cycles: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges.get(m, ())):
            if state.get(t) == 1:
                cycles.append(" -> ".join(stack[stack.index(t):] + [t]))
            elif t in edges and not state.get(t):
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if not state.get(m):
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("source, expected", [
    ("from .store import Index", {"index.store", "index.store.Index"}),
    ("from . import nlp", {"index", "index.nlp"}),
    ("import qa.pipeline", {"qa.pipeline"}),
    ("import os\nfrom pathlib import Path", set()),
])
def test_imports_are_resolved(source, expected):
    assert imports_of(ROOT / "index" / "probe.py", source) == expected
