"""Every real-world mesh (../shared/realworld-meshes) and every mesh the examples build
migrates to each target with no difference other than those its ledger declares, and each
documented outcome of a real-world mesh holds in the generated configuration too."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from realworld_meshes import FOLDER, MeshFile, read_files
from test_realworld_meshes import Boto3

from appmesh_mock import mock_appmesh
from appmesh_mock.semantics.migration import TARGETS, migrate
from appmesh_mock.semantics.request import Request
from appmesh_mock.semantics.targets.common import Entry, same_backend

ROOT = Path(__file__).resolve().parent.parent
FILES = read_files() if FOLDER.is_dir() else []


def _document(mesh_file: MeshFile) -> dict[str, Any]:
    with mock_appmesh() as mock:
        client = Boto3(mesh_file.api_version)
        for call in mesh_file.calls:
            client.call(call["operation"], call["params"])
        return mock.export()


def _meshes(document: dict[str, Any]) -> list[str]:
    return sorted({item["mesh"]["meshName"] for item in document["resources"] if "mesh" in item})


def _undeclared(document: dict[str, Any], to: str) -> list[str]:
    found = []
    for mesh in _meshes(document):
        migration = migrate(document, mesh, to=to)
        assert migration.documents or not migration.differences.requests, mesh
        found += [f"{mesh}: {d.row()}" for d in migration.differences.differences
                  if not d.declared]
    return found


@pytest.mark.parametrize("to", sorted(TARGETS))
@pytest.mark.parametrize("mesh_file", FILES or [None], ids=[f.name for f in FILES] or ["absent"])
def test_a_real_mesh_migrates_with_only_declared_differences(
    mesh_file: MeshFile | None, to: str
) -> None:
    if mesh_file is None:
        pytest.skip(f"{FOLDER} is absent")
    assert _undeclared(_document(mesh_file), to) == []


def _documented(mesh_file: MeshFile) -> list[dict[str, Any]]:
    return [e for e in mesh_file.expect if "request" in e and "after" not in e]


@pytest.mark.parametrize("to", sorted(TARGETS))
def test_each_documented_outcome_holds_in_the_target(to: str) -> None:
    """The requests the sources document (e.g. "a request with header color_header: blue
    goes to the blue node") land on the same backends in the generated configuration, or the
    migration declares a difference for that entry point (Service Connect cannot route on a
    header)."""
    if not FILES:
        pytest.skip(f"{FOLDER} is absent")
    checked = kept = 0
    rules, _ = TARGETS[to]
    for mesh_file in FILES:
        document = _document(mesh_file)
        for expect in _documented(mesh_file):
            request = dict(expect["request"])
            mesh = next(c["params"]["meshName"] for c in mesh_file.calls)
            migration = migrate(document, mesh, to=to)
            kind = "gateway" if "gateway" in request else "service"
            entry = Entry(kind, request.pop(kind), request.get("port"))
            if entry.port is None:
                entry = next((e for e, _ in _entries(document, mesh) if e[:2] == entry[:2]), entry)
            built = Request.build(request.get("path", "/"), request.get("method", "GET"), "http",
                                  request.get("host"), entry.port, request.get("headers"),
                                  request.get("query"))
            prepared = rules.prepare(migration.documents, entry, migration.backends)
            outcome = rules.resolve(prepared, built)
            got = [b for b, _ in outcome.destination.targets] if outcome.destination else []
            wanted = [migration.backends[t.split(":")[0]] for t in expect["targets"]]
            held = all(any(same_backend(g, w) for g in got) for w in wanted)
            declared = [d for d in migration.differences.differences
                        if d.entry[:2] == entry[:2] and d.declared]
            assert held or declared, (mesh_file.name, expect["doc"], got)
            checked += 1
            kept += held
    assert checked >= 5  # the outcomes documented for the final state of a file
    # Every target with L7 routing keeps them all; Service Connect declares why not.
    assert kept == checked or to == "service-connect"


def _entries(document: dict[str, Any], mesh: str) -> list[Any]:
    from appmesh_mock.semantics.document import select_mesh
    from appmesh_mock.semantics.migration.flat import entries

    view = select_mesh(document, mesh)
    assert not isinstance(view, str)
    return list(entries(view))


def _built(run: Callable[[Any], None]) -> dict[str, Any]:
    with mock_appmesh() as mock:
        run(boto3.client("appmesh", region_name="us-east-1"))
        return mock.export()


EXAMPLES = {
    "resolve.py": lambda: _built(runpy.run_path(str(ROOT / "examples" / "resolve.py"))["build"]),
    "topology.py": lambda: _built(runpy.run_path(str(ROOT / "examples" / "topology.py"))["build"]),
    "quickstart.py": lambda: _built(
        runpy.run_path(str(ROOT / "examples" / "quickstart.py"))["build_mesh"]),
    "captured": lambda: _captured(),
}


def _captured() -> dict[str, Any]:
    with mock_appmesh(state=ROOT / "examples" / "captured") as mock:
        return mock.export()


@pytest.mark.parametrize("to", sorted(TARGETS))
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_an_example_mesh_migrates_with_only_declared_differences(example: str, to: str) -> None:
    document = EXAMPLES[example]()
    assert _meshes(document)
    assert _undeclared(document, to) == []
