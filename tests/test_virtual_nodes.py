"""Virtual nodes through the default client: listener specs round-trip, backends, guards."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from assertions import check_metadata, expect_error
from realistic_specs import (
    cloud_map_node_spec,
    http_route_spec,
    node_spec,
    router_spec,
    service_spec,
)

from appmesh_mock import MockAppMesh

ARN = "arn:aws:appmesh:us-east-1:123456789012:mesh/prod/virtualNode/{}"


@pytest.fixture
def client(appmesh_client: Any) -> Any:
    appmesh_client.create_mesh(meshName="prod")
    return appmesh_client


def test_a_full_listener_spec_round_trips_exactly(client: Any) -> None:
    spec = node_spec()
    created = client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec=spec)
    node = created["virtualNode"]
    assert node["spec"] == spec
    assert node["meshName"] == "prod"
    assert node["virtualNodeName"] == "colour"
    assert node["status"] == {"status": "ACTIVE"}
    check_metadata(node["metadata"], ARN.format("colour"))
    described = client.describe_virtual_node(meshName="prod", virtualNodeName="colour")
    assert described["virtualNode"] == node


def test_cloud_map_node_without_backends_reads_back_with_empty_backends(client: Any) -> None:
    spec = cloud_map_node_spec()
    created = client.create_virtual_node(meshName="prod", virtualNodeName="pay", spec=spec)
    # Create echoes what was sent; describe and delete show `backends: []`.
    assert created["virtualNode"]["spec"] == spec
    described = client.describe_virtual_node(meshName="prod", virtualNodeName="pay")
    assert described["virtualNode"]["spec"] == {**spec, "backends": []}
    deleted = client.delete_virtual_node(meshName="prod", virtualNodeName="pay")
    assert deleted["virtualNode"]["spec"] == {**spec, "backends": []}


def test_a_node_without_listeners(client: Any) -> None:
    created = client.create_virtual_node(meshName="prod", virtualNodeName="bare", spec={})
    assert created["virtualNode"]["spec"] == {}
    described = client.describe_virtual_node(meshName="prod", virtualNodeName="bare")
    assert described["virtualNode"]["spec"] == {"backends": []}


def test_backends_may_name_services_that_do_not_exist_yet(client: Any) -> None:
    spec = {
        "backends": [
            {"virtualService": {"virtualServiceName": "later.local"}},
            {"virtualService": {"virtualServiceName": "never.local"}},
        ]
    }
    client.create_virtual_node(meshName="prod", virtualNodeName="caller", spec=spec)
    client.create_virtual_service(meshName="prod", virtualServiceName="later.local", spec={})
    described = client.describe_virtual_node(meshName="prod", virtualNodeName="caller")
    assert described["virtualNode"]["spec"] == spec
    # Backends are loose references: the service they name can go away.
    client.delete_virtual_service(meshName="prod", virtualServiceName="later.local")


def test_update_replaces_the_spec(client: Any) -> None:
    first = client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec=node_spec())
    replacement = cloud_map_node_spec()
    updated = client.update_virtual_node(
        meshName="prod", virtualNodeName="colour", spec=replacement
    )["virtualNode"]
    assert updated["spec"] == replacement
    check_metadata(updated["metadata"], ARN.format("colour"), version=2)
    assert updated["metadata"]["uid"] == first["virtualNode"]["metadata"]["uid"]
    described = client.describe_virtual_node(meshName="prod", virtualNodeName="colour")
    assert described["virtualNode"]["spec"] == {**replacement, "backends": []}


def test_update_errors_change_nothing(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec=node_spec())
    before = appmesh_mock.snapshot()
    with expect_error("NotFoundException", "ghost"):
        client.update_virtual_node(meshName="prod", virtualNodeName="ghost", spec={})
    with expect_error("NotFoundException"):
        client.update_virtual_node(meshName="nomesh", virtualNodeName="colour", spec={})
    bad = node_spec()
    bad["listeners"][0]["healthCheck"]["healthyThreshold"] = 11
    with expect_error("BadRequestException", "healthyThreshold"):
        client.update_virtual_node(meshName="prod", virtualNodeName="colour", spec=bad)
    bad = node_spec()
    bad["listeners"][0]["tls"]["mode"] = "SOMETIMES"
    with expect_error("BadRequestException", "mode"):
        client.update_virtual_node(meshName="prod", virtualNodeName="colour", spec=bad)
    assert appmesh_mock.snapshot() == before


def test_create_errors_change_nothing(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec={})
    before = appmesh_mock.snapshot()
    with expect_error("NotFoundException", "nomesh"):
        client.create_virtual_node(meshName="nomesh", virtualNodeName="x", spec={})
    with expect_error("ConflictException", "colour"):
        client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec=node_spec())
    bad = node_spec()
    del bad["serviceDiscovery"]
    with expect_error("BadRequestException", "serviceDiscovery"):
        client.create_virtual_node(meshName="prod", virtualNodeName="x", spec=bad)
    bad = node_spec()
    bad["listeners"][0]["outlierDetection"]["maxEjectionPercent"] = 101
    with expect_error("BadRequestException", "maxEjectionPercent"):
        client.create_virtual_node(meshName="prod", virtualNodeName="x", spec=bad)
    assert appmesh_mock.snapshot() == before


def test_client_token_replay_and_reuse(client: Any, appmesh_mock: MockAppMesh) -> None:
    spec = node_spec()
    first = client.create_virtual_node(
        meshName="prod", virtualNodeName="colour", spec=spec, clientToken="node-1"
    )
    again = client.create_virtual_node(
        meshName="prod", virtualNodeName="colour", spec=copy.deepcopy(spec), clientToken="node-1"
    )
    assert again["virtualNode"] == first["virtualNode"]
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException"):
        client.create_virtual_node(
            meshName="prod", virtualNodeName="colour", spec={}, clientToken="node-1"
        )
    assert appmesh_mock.snapshot() == before


def test_delete_bumps_the_version_and_forgets_the_node(client: Any) -> None:
    client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec=node_spec())
    deleted = client.delete_virtual_node(meshName="prod", virtualNodeName="colour")["virtualNode"]
    assert deleted["status"] == {"status": "DELETED"}
    assert deleted["spec"] == node_spec()
    check_metadata(deleted["metadata"], ARN.format("colour"), version=2)
    with expect_error("NotFoundException", "colour"):
        client.describe_virtual_node(meshName="prod", virtualNodeName="colour")
    with expect_error("NotFoundException", "colour"):
        client.delete_virtual_node(meshName="prod", virtualNodeName="colour")
    assert client.list_virtual_nodes(meshName="prod")["virtualNodes"] == []


def test_a_provider_node_cannot_be_deleted(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec=node_spec())
    client.create_virtual_service(
        meshName="prod", virtualServiceName="colour.local", spec=service_spec(node="colour")
    )
    before = appmesh_mock.snapshot()
    with expect_error("ResourceInUseException", "provider"):
        client.delete_virtual_node(meshName="prod", virtualNodeName="colour")
    assert appmesh_mock.snapshot() == before
    client.update_virtual_service(meshName="prod", virtualServiceName="colour.local", spec={})
    client.delete_virtual_node(meshName="prod", virtualNodeName="colour")


def test_a_route_target_cannot_be_deleted(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_virtual_node(meshName="prod", virtualNodeName="blue", spec=node_spec())
    client.create_virtual_node(meshName="prod", virtualNodeName="green", spec=node_spec())
    client.create_virtual_router(meshName="prod", virtualRouterName="vr", spec=router_spec())
    client.create_route(
        meshName="prod",
        virtualRouterName="vr",
        routeName="split",
        spec=http_route_spec([("blue", 90), ("green", 10)]),
    )
    before = appmesh_mock.snapshot()
    for name in ("blue", "green"):
        with expect_error("ResourceInUseException", "target of one or more routes"):
            client.delete_virtual_node(meshName="prod", virtualNodeName=name)
    assert appmesh_mock.snapshot() == before
    client.update_route(
        meshName="prod",
        virtualRouterName="vr",
        routeName="split",
        spec=http_route_spec([("blue", 100)]),
    )
    client.delete_virtual_node(meshName="prod", virtualNodeName="green")
    with expect_error("ResourceInUseException"):
        client.delete_virtual_node(meshName="prod", virtualNodeName="blue")


def test_list_in_creation_order(client: Any) -> None:
    names = ["red", "blue", "green"]
    created = [
        client.create_virtual_node(meshName="prod", virtualNodeName=n, spec={})["virtualNode"]
        for n in names
    ]
    refs = client.list_virtual_nodes(meshName="prod")["virtualNodes"]
    assert [r["virtualNodeName"] for r in refs] == names
    assert refs[0] == {
        "meshName": "prod",
        "virtualNodeName": "red",
        "arn": ARN.format("red"),
        "createdAt": created[0]["metadata"]["createdAt"],
        "lastUpdatedAt": created[0]["metadata"]["lastUpdatedAt"],
        "meshOwner": "123456789012",
        "resourceOwner": "123456789012",
        "version": 1,
    }
    with expect_error("NotFoundException", "nomesh"):
        client.list_virtual_nodes(meshName="nomesh")


def test_nodes_of_one_mesh_are_not_in_another(client: Any) -> None:
    client.create_mesh(meshName="staging")
    client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec={})
    assert client.list_virtual_nodes(meshName="staging")["virtualNodes"] == []
    with expect_error("NotFoundException"):
        client.describe_virtual_node(meshName="staging", virtualNodeName="colour")
    # The same name in another mesh is another node.
    other = client.create_virtual_node(meshName="staging", virtualNodeName="colour", spec={})
    assert other["virtualNode"]["metadata"]["arn"].endswith("mesh/staging/virtualNode/colour")


def test_an_update_replayed_with_its_client_token_bumps_once(client: Any) -> None:
    client.create_virtual_node(meshName="prod", virtualNodeName="colour", spec={})
    args = {"meshName": "prod", "virtualNodeName": "colour", "clientToken": "upd-1"}
    first = client.update_virtual_node(**args, spec=node_spec())["virtualNode"]
    again = client.update_virtual_node(**args, spec=node_spec())["virtualNode"]
    assert again == first
    described = client.describe_virtual_node(meshName="prod", virtualNodeName="colour")
    assert described["virtualNode"]["metadata"]["version"] == 2
    with expect_error("ConflictException"):
        client.update_virtual_node(**args, spec=cloud_map_node_spec())
    described = client.describe_virtual_node(meshName="prod", virtualNodeName="colour")
    assert described["virtualNode"]["spec"] == node_spec()
