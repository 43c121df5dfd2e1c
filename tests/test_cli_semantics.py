"""`appmesh-mock resolve` and `appmesh-mock graph`, against a running server (`--url`, its
export endpoint) and against a saved state document (`--state FILE`)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from mesh_builder import MeshBuilder
from state_document import state_document

from appmesh_mock import MockServer, mock_appmesh
from appmesh_mock.cli import main


@pytest.fixture
def server() -> Iterator[MockServer]:
    with mock_appmesh(), MockServer() as running:
        builder = MeshBuilder(boto3.client("appmesh", region_name="us-east-1"))
        builder.node("v1")
        builder.node("v2")
        builder.router("cart")
        builder.route("cart", "canary", [("v1", 90), ("v2", 10)], priority=10)
        builder.route(
            "cart",
            "beta",
            "v2",
            {"prefix": "/", "headers": [{"name": "x-beta", "match": {"exact": "1"}}]},
            priority=0,
        )
        builder.service("cart.shop.local", router="cart")
        builder.gateway("edge")
        builder.gateway_route("edge", "cart", "cart.shop.local", {"prefix": "/cart/"})
        yield running


def test_resolve_against_a_server(server: MockServer, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "resolve",
            "shop",
            "--gateway",
            "edge",
            "--path",
            "/cart/x?y=1",
            "--header",
            "X-Beta: 1",
            "--url",
            server.url,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Route beta: priority 0 beats 'canary' at priority 10" in out
    assert out.strip().endswith("to v2:8080 100% (weight 100).")


def test_resolve_json_and_exit_codes(
    server: MockServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["resolve", "shop", "--service", "cart.shop.local", "--json", "--url", server.url])
        == 0
    )
    answer = json.loads(capsys.readouterr().out)
    assert answer["route"] == "canary" and [t["share"] for t in answer["targets"]] == [0.9, 0.1]
    assert (
        main(["resolve", "shop", "--gateway", "edge", "--path", "/elsewhere", "--url", server.url])
        == 1
    )
    assert "Not matched: no httpRoute of virtual gateway 'edge'" in capsys.readouterr().out
    assert (
        main(["resolve", "shop", "--service", "x", "--header", "nocolon", "--url", server.url]) == 2
    )
    assert "a header is 'name: value'" in capsys.readouterr().err


def test_graph_against_a_server(server: MockServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "shop", "--url", server.url]) == 0
    tree = capsys.readouterr().out
    assert "  service cart.shop.local  provided by router cart" in tree
    assert main(["graph", "shop", "--format", "mermaid", "--url", server.url]) == 0
    assert capsys.readouterr().out.startswith("flowchart LR\n")
    assert main(["graph", "nope", "--url", server.url]) == 2
    assert "no mesh 'nope'" in capsys.readouterr().err


def test_export_endpoint_serves_the_document(server: MockServer) -> None:
    with urllib.request.urlopen(f"{server.url}/_appmesh_mock/export", timeout=10) as response:
        served = json.loads(response.read())

    def described(document: dict[str, Any]) -> list[tuple[str, str, str]]:
        return sorted(
            (kind, body["metadata"]["arn"], json.dumps(body["spec"], sort_keys=True))
            for item in document["resources"]
            for kind, body in item.items()
            if kind != "tags"
        )

    client = boto3.client("appmesh", region_name="us-east-1")
    assert described(served) == described(state_document(client))
    assert len(served["resources"]) == 9


def test_console_script_with_a_state_file(server: MockServer, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps(state_document(boto3.client("appmesh", region_name="us-east-1"))))
    command = [sys.executable, "-m", "appmesh_mock.cli"]
    done = subprocess.run(
        [*command, "graph", "shop", "--format", "dot", "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith('digraph "shop" {'), done.stderr
    missing = subprocess.run(
        [*command, "resolve", "shop", "--service", "s", "--state", str(tmp_path / "none.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 2 and "No such file" in missing.stderr
