"""No NACK from the real Envoy for any proxy of any real-world mesh (../shared/realworld-meshes,
replayed call by call) or example: each virtual gateway and node connects over xDS to a server
holding that mesh, and takes its clusters, listeners and route configurations as sent.

Proxies whose TLS names certificates this machine lacks are left out: files (Envoy refuses a
missing one) and SDS secrets (ACM or SDS certificates: Envoy waits 15 s for the SDS agent's
socket before it gives up on them, as it would have without App Mesh's agent)."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from realworld_meshes import MeshFile, read_files
from server_process import control
from xds_support import requires_xds, until

from appmesh_mock import MockServer, mock_appmesh
from appmesh_mock.dataplane.dynamic import resources
from appmesh_mock.semantics.document import meshes
from appmesh_mock.xds.envoy import EnvoyProcess

pytestmark = [requires_xds, pytest.mark.slow]
FILES = read_files()
TYPES = 3  # clusters, listeners, route configurations


def replayed(source: MeshFile) -> dict[str, Any]:
    with mock_appmesh() as mock:
        client = boto3.client("appmesh", region_name="us-east-1", api_version=source.api_version)
        for call in source.calls:
            operation = re.sub(r"(?<!^)(?=[A-Z])", "_", call["operation"]).lower()
            getattr(client, operation)(**call["params"])
        return mock.export()


def proxies(document: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """(node id, endpoints) of every proxy whose configuration needs no certificate (module
    doc); every node gets an address, so that Envoy looks up no DNS name."""
    found = []
    for view in meshes(document):
        endpoints = {str(n["virtualNodeName"]): "127.0.0.1:9" for n in view.all("virtualNode")}
        for kind, which in (("virtualGateway", "gateway"), ("virtualNode", "node")):
            for resource in view.all(kind):
                name = str(resource[f"{kind}Name"])
                rendered = resources(view, endpoints=endpoints, loopback="127.0.0.1",
                                     **{which: name})  # fmt: skip
                text = json.dumps(rendered.__dict__)
                if '"filename"' not in text and '"sds_config"' not in text:
                    found.append((f"mesh/{view.name}/{kind}/{name}", endpoints))
    return found


def settled(server: MockServer, node_id: str) -> dict[str, Any] | None:
    for status in control(server.url, "GET", "xds")["proxies"]:
        if status["node_id"] == node_id and (
            status["nacks"] or (len(status["types"]) == TYPES
            and status["last_ack"] == status["version_sent"])
        ):  # fmt: skip
            return dict(status)
    return None


@pytest.mark.parametrize("source", FILES, ids=lambda f: f.name.removesuffix(".json"))
def test_every_proxy_of_a_realworld_mesh_takes_its_configuration(source: MeshFile) -> None:
    document = replayed(source)
    wanted = proxies(document)
    if not wanted:
        pytest.skip("every proxy of this mesh needs certificates this machine lacks")
    with MockServer(isolated=True, xds_port=0) as server:
        control(server.url, "POST", "load", document)
        envoys = [EnvoyProcess(node_id, server.xds_port, endpoints=endpoints, listeners=0)
                  for node_id, endpoints in wanted]  # fmt: skip
        try:
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(EnvoyProcess.start, envoys))
            for node_id, _ in wanted:
                status = until(lambda node_id=node_id: settled(server, node_id), "settled")
                assert status["nacks"] == 0, f"{node_id}: {status['nack_error']}"
        finally:
            for envoy in envoys:
                envoy.stop()
