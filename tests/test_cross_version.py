"""One store for both API versions: what one version writes, the other reads, updates and
deletes, each answering in its own shapes (strict mode checks every response)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from assertions import expect_error
from realistic_specs import node_spec, service_spec, tcp_route_spec

from appmesh_mock import MockAppMesh

ARN = "arn:aws:appmesh:us-east-1:123456789012:mesh/{}"


@pytest.fixture
def legacy(appmesh_mock: MockAppMesh) -> Any:
    return boto3.client("appmesh", region_name="us-east-1", api_version="2018-10-01")


@pytest.fixture
def current(appmesh_client: Any) -> Any:
    return appmesh_client


LEGACY_NODE = {
    "backends": ["inventory.local", "pricing.local"],
    "listeners": [
        {
            "portMapping": {"port": 8080, "protocol": "http"},
            "healthCheck": {
                "protocol": "http",
                "path": "/ping",
                "healthyThreshold": 2,
                "unhealthyThreshold": 2,
                "intervalMillis": 5000,
                "timeoutMillis": 2000,
            },
        }
    ],
    "serviceDiscovery": {"dns": {"serviceName": "colour.local"}},
}
# The same node as the current API writes it.
CURRENT_NODE = {
    "backends": [
        {"virtualService": {"virtualServiceName": "inventory.local"}},
        {"virtualService": {"virtualServiceName": "pricing.local"}},
    ],
    "listeners": LEGACY_NODE["listeners"],
    "serviceDiscovery": {"dns": {"hostname": "colour.local"}},
}
LEGACY_ROUTE = {
    "httpRoute": {
        "match": {"prefix": "/"},
        "action": {
            "weightedTargets": [
                {"virtualNode": "blue", "weight": 90},
                {"virtualNode": "green", "weight": 10},
            ]
        },
    }
}


def test_a_mesh_created_through_2018_lives_on_in_2019(legacy: Any, current: Any) -> None:
    created = legacy.create_mesh(meshName="prod")["mesh"]
    assert "spec" not in created
    assert set(created["metadata"]) == {"arn", "createdAt", "lastUpdatedAt", "uid", "version"}
    seen = current.describe_mesh(meshName="prod")["mesh"]
    assert seen["spec"] == {}
    assert seen["metadata"]["uid"] == created["metadata"]["uid"]
    assert seen["metadata"]["arn"] == created["metadata"]["arn"] == ARN.format("prod")
    assert seen["metadata"]["meshOwner"] == seen["metadata"]["resourceOwner"] == "123456789012"

    current.update_mesh(meshName="prod", spec={"egressFilter": {"type": "ALLOW_ALL"}})
    after = legacy.describe_mesh(meshName="prod")["mesh"]
    assert after["metadata"]["version"] == 2
    assert "spec" not in after
    assert [m["meshName"] for m in legacy.list_meshes()["meshes"]] == ["prod"]

    deleted = legacy.delete_mesh(meshName="prod")["mesh"]
    assert deleted["status"] == {"status": "DELETED"}
    with expect_error("NotFoundException"):
        current.describe_mesh(meshName="prod")


def test_a_mesh_created_through_2019_is_deleted_through_2018(legacy: Any, current: Any) -> None:
    current.create_mesh(meshName="prod", spec={"egressFilter": {"type": "ALLOW_ALL"}})
    refs = legacy.list_meshes()["meshes"]
    assert refs == [{"meshName": "prod", "arn": ARN.format("prod")}]
    legacy.delete_mesh(meshName="prod")
    assert current.list_meshes()["meshes"] == []


def test_a_legacy_node_translates_backends_and_dns(legacy: Any, current: Any) -> None:
    legacy.create_mesh(meshName="prod")
    created = legacy.create_virtual_node(
        meshName="prod", virtualNodeName="colour", spec=LEGACY_NODE
    )
    assert created["virtualNode"]["spec"] == LEGACY_NODE

    seen = current.describe_virtual_node(meshName="prod", virtualNodeName="colour")["virtualNode"]
    assert seen["spec"] == CURRENT_NODE
    assert seen["metadata"]["arn"] == ARN.format("prod") + "/virtualNode/colour"

    # Updated through 2019 with what 2018 cannot express (TLS, a backend client policy).
    richer = node_spec(hostname="colour-v2.local", port=8080)
    current.update_virtual_node(meshName="prod", virtualNodeName="colour", spec=richer)
    back = legacy.describe_virtual_node(meshName="prod", virtualNodeName="colour")["virtualNode"]
    assert back["metadata"]["version"] == 2
    assert back["spec"]["backends"] == ["inventory.prod.svc.cluster.local"]
    assert back["spec"]["serviceDiscovery"] == {"dns": {"serviceName": "colour-v2.local"}}
    listener = back["spec"]["listeners"][0]
    assert set(listener) == {"portMapping", "healthCheck"}
    assert listener["healthCheck"] == richer["listeners"][0]["healthCheck"]
    # Nothing was lost in the store: 2019 still reads the full spec.
    full = current.describe_virtual_node(meshName="prod", virtualNodeName="colour")
    assert full["virtualNode"]["spec"] == richer

    # Updated through 2018 again, then deleted through 2019.
    legacy.update_virtual_node(meshName="prod", virtualNodeName="colour", spec=LEGACY_NODE)
    deleted = current.delete_virtual_node(meshName="prod", virtualNodeName="colour")
    assert deleted["virtualNode"]["spec"] == CURRENT_NODE
    assert deleted["virtualNode"]["metadata"]["version"] == 4
    with expect_error("NotFoundException"):
        legacy.describe_virtual_node(meshName="prod", virtualNodeName="colour")


def test_a_current_node_without_a_legacy_form_reads_as_empty(legacy: Any, current: Any) -> None:
    current.create_mesh(meshName="prod")
    spec = {
        "serviceDiscovery": {
            "awsCloudMap": {"namespaceName": "prod.local", "serviceName": "payments"}
        },
    }
    current.create_virtual_node(meshName="prod", virtualNodeName="pay", spec=spec)
    seen = legacy.describe_virtual_node(meshName="prod", virtualNodeName="pay")["virtualNode"]
    # Cloud Map does not exist in 2018; backends: [] as on every describe.
    assert seen["spec"]["backends"] == []
    assert seen["spec"].get("serviceDiscovery", {}) == {}
    refs = legacy.list_virtual_nodes(meshName="prod")["virtualNodes"]
    assert refs == [
        {
            "meshName": "prod",
            "virtualNodeName": "pay",
            "arn": ARN.format("prod") + "/virtualNode/pay",
        }
    ]
    legacy.delete_virtual_node(meshName="prod", virtualNodeName="pay")
    assert current.list_virtual_nodes(meshName="prod")["virtualNodes"] == []


def test_routers_and_routes_cross_both_ways(legacy: Any, current: Any) -> None:
    legacy.create_mesh(meshName="prod")
    for name in ("blue", "green"):
        legacy.create_virtual_node(meshName="prod", virtualNodeName=name, spec={})
    legacy.create_virtual_router(
        meshName="prod", virtualRouterName="vr", spec={"serviceNames": ["colour.local"]}
    )
    legacy.create_route(meshName="prod", virtualRouterName="vr", routeName="r", spec=LEGACY_ROUTE)

    router = current.describe_virtual_router(meshName="prod", virtualRouterName="vr")
    # 2018 service names have no 2019 counterpart: kept in the store, not shown.
    assert router["virtualRouter"]["spec"] == {}
    route = current.describe_route(meshName="prod", virtualRouterName="vr", routeName="r")
    assert route["route"]["spec"] == LEGACY_ROUTE
    assert route["route"]["metadata"]["meshOwner"] == "123456789012"
    assert route["route"]["metadata"]["arn"] == ARN.format("prod") + "/virtualRouter/vr/route/r"

    # 2019 turns the route into a retried, prioritised one; 2018 shows the part it knows.
    updated_spec = {
        "priority": 3,
        "httpRoute": {
            **LEGACY_ROUTE["httpRoute"],
            "retryPolicy": {
                "maxRetries": 2,
                "perRetryTimeout": {"unit": "ms", "value": 250},
                "httpRetryEvents": ["server-error"],
            },
        },
    }
    current.update_route(meshName="prod", virtualRouterName="vr", routeName="r", spec=updated_spec)
    seen = legacy.describe_route(meshName="prod", virtualRouterName="vr", routeName="r")["route"]
    assert seen["spec"] == LEGACY_ROUTE
    assert seen["metadata"]["version"] == 2

    # Guards hold across versions: the router has a route, the nodes are its targets.
    with expect_error("ResourceInUseException"):
        legacy.delete_virtual_router(meshName="prod", virtualRouterName="vr")
    with expect_error("ResourceInUseException"):
        current.delete_virtual_node(meshName="prod", virtualNodeName="blue")

    current.update_virtual_router(
        meshName="prod",
        virtualRouterName="vr",
        spec={"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]},
    )
    assert (
        legacy.describe_virtual_router(meshName="prod", virtualRouterName="vr")["virtualRouter"][
            "spec"
        ]
        == {}
    )

    legacy.delete_route(meshName="prod", virtualRouterName="vr", routeName="r")
    assert current.list_routes(meshName="prod", virtualRouterName="vr")["routes"] == []
    deleted = current.delete_virtual_router(meshName="prod", virtualRouterName="vr")
    assert deleted["virtualRouter"]["metadata"]["version"] == 3


def test_a_2019_only_route_kind_reads_as_an_empty_spec(legacy: Any, current: Any) -> None:
    current.create_mesh(meshName="prod")
    current.create_virtual_node(meshName="prod", virtualNodeName="db", spec={})
    current.create_virtual_router(meshName="prod", virtualRouterName="vr", spec={})
    current.create_route(
        meshName="prod", virtualRouterName="vr", routeName="tcp", spec=tcp_route_spec("db")
    )
    seen = legacy.describe_route(meshName="prod", virtualRouterName="vr", routeName="tcp")
    assert seen["route"]["spec"] == {}
    # Updating it through 2018 replaces it with an HTTP route, which 2019 then reads.
    legacy.update_route(
        meshName="prod",
        virtualRouterName="vr",
        routeName="tcp",
        spec={
            "httpRoute": {
                "match": {"prefix": "/"},
                "action": {"weightedTargets": [{"virtualNode": "db", "weight": 1}]},
            }
        },
    )
    back = current.describe_route(meshName="prod", virtualRouterName="vr", routeName="tcp")
    assert back["route"]["spec"]["httpRoute"]["match"] == {"prefix": "/"}


def test_2019_only_children_block_a_2018_mesh_delete(
    legacy: Any, current: Any, appmesh_mock: MockAppMesh
) -> None:
    legacy.create_mesh(meshName="prod")
    current.create_virtual_service(meshName="prod", virtualServiceName="svc", spec=service_spec())
    before = appmesh_mock.snapshot()
    with expect_error("ResourceInUseException", "VirtualService"):
        legacy.delete_mesh(meshName="prod")
    assert appmesh_mock.snapshot() == before


def test_a_client_token_replays_across_versions(legacy: Any, current: Any) -> None:
    first = legacy.create_mesh(meshName="prod", clientToken="same-call")["mesh"]
    again = current.create_mesh(meshName="prod", clientToken="same-call")["mesh"]
    assert again["metadata"]["uid"] == first["metadata"]["uid"]
    assert again["spec"] == {}
    assert len(current.list_meshes()["meshes"]) == 1


def test_legacy_errors_match_current_ones(
    legacy: Any, current: Any, appmesh_mock: MockAppMesh
) -> None:
    current.create_mesh(meshName="prod")
    current.create_virtual_node(meshName="prod", virtualNodeName="vn", spec={})
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException"):
        legacy.create_virtual_node(meshName="prod", virtualNodeName="vn", spec={})
    with expect_error("NotFoundException", "ghost"):
        legacy.create_route(
            meshName="prod", virtualRouterName="ghost", routeName="r", spec=LEGACY_ROUTE
        )
    assert appmesh_mock.snapshot() == before
