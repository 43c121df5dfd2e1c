"""The `appmesh-mock serve` command driven over HTTP by boto3, as another process would.

One server serves these tests (starting one takes a moment); each test begins with a reset.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from server_process import COMMAND, ServerProcess, running_server

from appmesh_mock.backend.journal import open_state
from appmesh_mock.backend.persistence import dump
from appmesh_mock.backend.store import Store

ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"


def mesh_names(client: Any) -> list[str]:
    return [ref["meshName"] for ref in client.list_meshes()["meshes"]]


def test_create_describe_list_delete_through_the_current_api(server: ServerProcess) -> None:
    client = server.client(ACCOUNT_A, "eu-west-1")
    created = client.create_mesh(meshName="web", tags=[{"key": "team", "value": "a"}])["mesh"]
    assert created["metadata"]["arn"] == f"arn:aws:appmesh:eu-west-1:{ACCOUNT_A}:mesh/web"
    assert created["metadata"]["meshOwner"] == ACCOUNT_A
    assert created["status"] == {"status": "ACTIVE"}
    assert client.describe_mesh(meshName="web")["mesh"] == created
    assert mesh_names(client) == ["web"]
    tags = client.list_tags_for_resource(resourceArn=created["metadata"]["arn"])["tags"]
    assert tags == [{"key": "team", "value": "a"}]

    deleted = client.delete_mesh(meshName="web")["mesh"]
    assert deleted["status"] == {"status": "DELETED"}
    with pytest.raises(client.exceptions.NotFoundException) as caught:
        client.describe_mesh(meshName="web")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert mesh_names(client) == []


def test_legacy_api_reads_and_writes_the_same_store(server: ServerProcess) -> None:
    legacy = server.client(ACCOUNT_A, api_version="2018-10-01")
    current = server.client(ACCOUNT_A)
    mesh = legacy.create_mesh(meshName="old")["mesh"]
    assert "spec" not in mesh and "meshOwner" not in mesh["metadata"]
    legacy.create_virtual_node(
        meshName="old",
        virtualNodeName="node",
        spec={"serviceDiscovery": {"dns": {"serviceName": "node.local"}},
              "listeners": [{"portMapping": {"port": 80, "protocol": "http"}}]},
    )
    node = current.describe_virtual_node(meshName="old", virtualNodeName="node")["virtualNode"]
    assert node["spec"]["serviceDiscovery"] == {"dns": {"hostname": "node.local"}}
    assert node["metadata"]["meshOwner"] == ACCOUNT_A

    with pytest.raises(legacy.exceptions.NotFoundException):
        legacy.describe_mesh(meshName="absent")


def test_refused_calls_raise_the_modelled_exceptions_and_change_nothing(
    server: ServerProcess,
) -> None:
    client = server.client(ACCOUNT_A)
    client.create_mesh(meshName="m")
    client.create_virtual_node(meshName="m", virtualNodeName="n", spec={})
    before = server.state()

    with pytest.raises(client.exceptions.ConflictException) as conflict:
        client.create_mesh(meshName="m")
    assert conflict.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_mesh(meshName="m")
    with pytest.raises(client.exceptions.BadRequestException):
        client.list_meshes(limit=101)  # above the model's maximum, which only the server checks
    with pytest.raises(client.exceptions.NotFoundException):
        client.describe_virtual_node(meshName="m", virtualNodeName="absent")

    assert server.state() == before


def test_accounts_and_regions_are_isolated(server: ServerProcess) -> None:
    places = [(a, r) for a in (ACCOUNT_A, ACCOUNT_B) for r in ("us-east-1", "ap-southeast-2")]
    clients = {place: server.client(*place) for place in places}
    for (account, region), client in clients.items():
        mesh = client.create_mesh(meshName="same-name")["mesh"]
        assert mesh["metadata"]["arn"] == f"arn:aws:appmesh:{region}:{account}:mesh/same-name"
        client.create_mesh(meshName=f"only-{account}-{region}")

    for (account, region), client in clients.items():
        assert mesh_names(client) == ["same-name", f"only-{account}-{region}"]
        for other in places:
            if other != (account, region):
                with pytest.raises(client.exceptions.NotFoundException):
                    client.describe_mesh(meshName=f"only-{other[0]}-{other[1]}")


def test_a_request_without_a_signature_gets_the_default_account_and_region(
    server: ServerProcess,
) -> None:
    server.client("123456789012", "us-east-1").create_mesh(meshName="default-place")
    server.client(ACCOUNT_A, "us-east-1").create_mesh(meshName="elsewhere")

    status, headers, body = server.request("GET", "/v20190125/meshes")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert [ref["meshName"] for ref in json.loads(body)["meshes"]] == ["default-place"]


def test_concurrent_clients_lose_nothing(server: ServerProcess) -> None:
    server.client(ACCOUNT_A).create_mesh(meshName="busy")
    clients = [server.client(ACCOUNT_A) for _ in range(6)]
    failures: list[BaseException] = []
    contested: list[str] = []

    def work(index: int, client: Any) -> None:
        try:
            for n in range(15):
                client.create_virtual_node(
                    meshName="busy", virtualNodeName=f"node-{index}-{n}", spec={}
                )
            try:
                client.create_virtual_router(
                    meshName="busy",
                    virtualRouterName="contested",
                    spec={"listeners": [{"portMapping": {"port": 80, "protocol": "http"}}]},
                )
                contested.append(f"won by {index}")
            except client.exceptions.ConflictException:
                pass
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(contested) == 1

    pages = clients[0].get_paginator("list_virtual_nodes").paginate(
        meshName="busy", PaginationConfig={"PageSize": 25}
    )
    names = [ref["virtualNodeName"] for page in pages for ref in page["virtualNodes"]]
    expected = {f"node-{i}-{n}" for i in range(len(clients)) for n in range(15)}
    assert sorted(names) == sorted(expected)


def test_reset_endpoint_and_reset_command_clear_every_account(server: ServerProcess) -> None:
    server.client(ACCOUNT_A).create_mesh(meshName="a")
    server.client(ACCOUNT_B, "eu-west-1").create_mesh(meshName="b")

    result = subprocess.run(
        [str(COMMAND), "reset", "--url", server.url], capture_output=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert mesh_names(server.client(ACCOUNT_A)) == []
    assert mesh_names(server.client(ACCOUNT_B, "eu-west-1")) == []

    server.client(ACCOUNT_A).create_mesh(meshName="again")
    status, _, body = server.request(
        "POST", "/_appmesh_mock/reset", b"{}", {"Content-Type": "application/json"}
    )
    assert (status, json.loads(body)) == (200, {"reset": True})
    assert mesh_names(server.client(ACCOUNT_A)) == []


def test_reset_command_reports_an_unreachable_server() -> None:
    # A port nothing listens on: one the kernel gave to a socket that is closed again.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    result = subprocess.run(
        [str(COMMAND), "reset", "--url", f"http://127.0.0.1:{free_port}"],
        capture_output=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert b"cannot reach" in result.stderr


def test_each_request_is_logged_with_operation_status_and_time(server: ServerProcess) -> None:
    client = server.client(ACCOUNT_A)
    client.create_mesh(meshName="logged")
    with pytest.raises(client.exceptions.NotFoundException):
        client.describe_mesh(meshName="absent")

    lines = server.log().splitlines()
    assert any(
        line.startswith("PUT /v20190125/meshes CreateMesh 200 ") and line.endswith("ms")
        for line in lines
    )
    assert any(
        line.startswith("GET /v20190125/meshes/absent DescribeMesh 404 ") for line in lines
    )


def stored_state(path: Path) -> dict[str, Any]:
    """What the state file holds, read the way the server reads it."""
    store = Store()
    open_state(path, store).close()
    return dump(store)


@pytest.mark.slow
def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "state" / "appmesh.db"
    state_file.parent.mkdir()
    token = "replayed-token-1"
    with running_server(tmp_path, "--state-file", str(state_file), "--quiet") as first:
        client = first.client(ACCOUNT_A, "eu-west-1")
        mesh = client.create_mesh(meshName="kept", clientToken=token)["mesh"]
        client.create_virtual_router(
            meshName="kept",
            virtualRouterName="router",
            spec={"listeners": [{"portMapping": {"port": 80, "protocol": "http"}}]},
        )
        client.create_virtual_node(meshName="kept", virtualNodeName="node", spec={})
        route = client.create_route(
            meshName="kept",
            virtualRouterName="router",
            routeName="route",
            spec={"httpRoute": {"match": {"prefix": "/"}, "action": {
                "weightedTargets": [{"virtualNode": "node", "weight": 1}]}}},
        )["route"]
        first.client(ACCOUNT_B).create_mesh(meshName="other-account")
        saved_state = first.state()
        assert first.stop() == 0
    assert first.log() == ""  # --quiet
    assert [p.name for p in state_file.parent.iterdir()] == ["appmesh.db"]  # log folded in
    assert stored_state(state_file)["backends"] == saved_state["backends"]

    with running_server(tmp_path, "--state-file", str(state_file)) as second:
        client = second.client(ACCOUNT_A, "eu-west-1")
        assert client.describe_mesh(meshName="kept")["mesh"] == mesh
        described = client.describe_route(
            meshName="kept", virtualRouterName="router", routeName="route"
        )["route"]
        assert described == route
        # The guard still knows the route targets the node.
        with pytest.raises(client.exceptions.ResourceInUseException):
            client.delete_virtual_node(meshName="kept", virtualNodeName="node")
        # A retried create with the same token replays the stored answer.
        assert client.create_mesh(meshName="kept", clientToken=token)["mesh"] == mesh
        # New resources come after the restored ones in listings.
        client.create_mesh(meshName="new")
        assert mesh_names(client) == ["kept", "new"]
        assert mesh_names(second.client(ACCOUNT_B)) == ["other-account"]
        assert "state in" in second.log()
        assert second.stop(signal.SIGINT) == 0

    with running_server(tmp_path, "--state-file", str(state_file), "--reset") as third:
        assert mesh_names(third.client(ACCOUNT_A, "eu-west-1")) == []
        assert third.stop() == 0
    assert stored_state(state_file)["backends"] == []


def test_a_damaged_state_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text('{"format": "appmesh-mock-state", "formatVersion": 1, "backends": [')
    before = state_file.read_bytes()
    result = subprocess.run(
        [str(COMMAND), "serve", "--port", "0", "--state-file", str(state_file)],
        capture_output=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert b"--reset" in result.stderr
    assert state_file.read_bytes() == before
