"""`resolve` against the real Envoy: for every real-world mesh (../shared/realworld-meshes,
replayed call by call) and every example, each virtual gateway's and virtual node's rendered
configuration runs in Envoy on loopback in front of echo upstreams, and the requests on every
match boundary (tests/envoy_compare.py) go to both. They must agree on the destination, the
path and the host the upstream sees. docs/dataplane.md has the table of cases and results."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from envoy_compare import (
    Tally,
    compare,
    echo_names,
    probes_for_gateway,
    probes_for_node,
    record,
    report,
)
from envoy_harness import VALIDATED, Echo, requires_envoy, running, validated
from realworld_meshes import MeshFile, read_files

from appmesh_mock import mock_appmesh
from appmesh_mock.dataplane import envoy_config
from appmesh_mock.semantics.document import meshes

FILES = read_files()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def cloud_map_only(view: Any, endpoints: dict[str, str]) -> dict[str, str]:
    """The endpoints of the nodes that have no DNS name (they need one given)."""
    return {
        key: value
        for key, value in endpoints.items()
        if "dns"
        not in ((view.get("virtualNode", key.split(":")[0]) or {}).get("spec") or {}).get(
            "serviceDiscovery", {}
        )
    }


pytestmark = [requires_envoy, pytest.mark.slow]


def _snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def replay(source: MeshFile) -> dict[str, Any]:
    """The state the file's calls leave (each was accepted by AWS and is by the mock)."""
    with mock_appmesh() as mock:
        client = boto3.session.Session().client(
            "appmesh", region_name="us-east-1", api_version=source.api_version
        )
        for call in source.calls:
            getattr(client, _snake(call["operation"]))(**call["params"])
        return mock.export()


def check_document(document: dict[str, Any], tally: Tally) -> int:
    """Every gateway and node of every mesh in `document` through Envoy; requests sent."""
    sent = 0
    for view in meshes(document):
        echo = Echo(echo_names(view))
        try:
            for kind, probes_of in (
                ("virtualGateway", probes_for_gateway),
                ("virtualNode", probes_for_node),
            ):
                for resource in view.all(kind):
                    name = str(resource[f"{kind}Name"])
                    probes = probes_of(view, name)
                    where = {"gateway": name} if kind == "virtualGateway" else {"node": name}
                    dns = cloud_map_only(view, echo.endpoints())
                    validated(envoy_config(document, view.name, endpoints=dns, **where))
                    if kind == "virtualNode" and len(probes) <= 1:
                        continue  # no backends: nothing of resolve's to compare
                    config = envoy_config(document, view.name, endpoints=echo.endpoints(), **where)
                    tally.configs += 1
                    with running(config, echo) as envoy:
                        for probe in probes:
                            listener = probe.port if kind == "virtualGateway" else 15001
                            if listener is None:
                                continue
                            found = compare(
                                document, view.name, envoy, probe, listener=listener, **where
                            )
                            sent += 1
                            if found:
                                tally.disagreements.append(f"{view.name}/{name}: {found}")
        finally:
            echo.close()
    tally.requests += sent
    return sent


@pytest.mark.parametrize("source", FILES, ids=lambda f: f.name.removesuffix(".json"))
def test_realworld_mesh_routes_in_envoy_as_resolve_says(source: MeshFile) -> None:
    tally = Tally()
    check_document(replay(source), tally)
    record("real-world meshes", tally)
    assert tally.disagreements == [], "\n".join(tally.disagreements[:20])


def example_document(name: str) -> dict[str, Any]:
    """The mesh an example builds (or loads, for the captured one)."""
    if name == "captured":
        with mock_appmesh(state=EXAMPLES / "captured") as mock:
            return mock.export()
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    builder = getattr(module, "build", None) or module.build_mesh
    with mock_appmesh() as mock:
        builder(boto3.client("appmesh", region_name="us-east-1"))
        return mock.export()


@pytest.mark.parametrize("name", ["resolve", "topology", "quickstart", "captured"])
def test_example_mesh_routes_in_envoy_as_resolve_says(name: str) -> None:
    tally = Tally()
    check_document(example_document(name), tally)
    record("examples", tally)
    assert tally.disagreements == [], "\n".join(tally.disagreements[:20])


def teardown_module() -> None:
    print(f"\n{report()}\n{len(VALIDATED)} rendered configs passed envoy --mode validate")
