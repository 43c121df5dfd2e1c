"""The package's shape, as docs/architecture.md draws it: rooms that import downwards only,
no import circle, small modules, a short top level. Read from the source, so a change that
breaks the shape fails here before a reviewer has to spot it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "appmesh_mock"

# Bottom first: a module may import from its own room or from a room listed before it.
RANKS = (
    "errors",
    "backend",
    "protocol",
    "versions",
    "handlers",
    "service",
    "iac",
    "semantics",
    "dataplane",
    "inprocess",
    "session",
    "xds",  # the live xDS server and the Envoy run against it (grpc imported lazily)
    "analysis",  # MockAppMesh's methods over one mesh's state (resolve, envoy_config, ...)
    "server",
    "cli",
    "decorating",
    "mock",
    "pytest_plugin",
    "entry",  # deprecated paths, kept one release
    "__init__",
)
MAX_LINES = 300
MAX_TOP_LEVEL_MODULES = 6


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Modules of the package that `path` imports (type-checking imports included)."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                names = [] if node.module else [f"{module}.{alias.name}" for alias in node.names]
                found.update(names or [module])
            elif node.module and node.module.startswith("appmesh_mock"):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("appmesh_mock"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        graph[name] = {
            target for target in _imports(path) if target in modules and target != name
        }
    return graph


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_circle() -> None:
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_rooms_import_downwards_only() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in _graph().items()
        for target in targets
        if RANKS.index(_room(target)) > RANKS.index(_room(module))
    ]
    assert upward == []


def test_every_room_has_a_rank() -> None:
    assert {_room(module) for module in _graph()} <= set(RANKS)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_over_the_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines"


def test_a_short_top_level() -> None:
    modules = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, modules
