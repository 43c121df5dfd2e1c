"""Bad input and quotas through the original App Mesh API (2018-10-01).

Bad input is sent with botocore's own validation switched off
(`Config(parameter_validation=False)`), as from a client that does not validate: the mock must
still answer BadRequestException (400) and change nothing. (Members the model does not know and
objects in place of lists cannot be sent this way at all: botocore's serializer fails on them
before sending. The protocol unit tests send those as raw requests.) Quotas come from
`@mock_appmesh(quotas=...)` and answer LimitExceededException (400).
"""

from __future__ import annotations

from typing import Any

import pytest
from legacy_support import (
    build_mesh,
    expect_error,
    health_check,
    legacy_client,
    node_spec,
    refused,
    route_spec,
    router_spec,
)

from appmesh_mock import MockAppMesh, mock_appmesh


@pytest.fixture
def unchecked(appmesh_mock: MockAppMesh) -> Any:
    """A 2018 client that sends whatever it is given; mesh `m` with nodes a, b, router r and
    route rt already exists."""
    client = legacy_client(validate=False)
    build_mesh(client)
    return client


def listener(port: Any = 8080, protocol: Any = "http", **extra: Any) -> dict[str, Any]:
    return {"portMapping": {"port": port, "protocol": protocol}, **extra}


def node_with(*listeners: dict[str, Any]) -> dict[str, Any]:
    return {"listeners": list(listeners), "serviceDiscovery": {"dns": {"serviceName": "x.local"}}}


def http_route(match: dict[str, Any], targets: Any) -> dict[str, Any]:
    return {"httpRoute": {"match": match, "action": {"weightedTargets": targets}}}


LONG = "n" * 256
TARGET = [{"virtualNode": "a", "weight": 1}]

BAD_NAMES: list[tuple[str, str]] = [
    ("too long", LONG),
    ("empty", ""),
    ("a slash", "a/b"),
]


@pytest.mark.parametrize(("why", "name"), BAD_NAMES, ids=[why for why, _ in BAD_NAMES])
def test_bad_names_are_refused_for_every_kind(
    unchecked: Any, appmesh_mock: MockAppMesh, why: str, name: str
) -> None:
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_mesh(meshName=name)
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_virtual_node(meshName="m", virtualNodeName=name, spec={})
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_virtual_router(meshName="m", virtualRouterName=name, spec=router_spec())
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_route(
            meshName="m", virtualRouterName="r", routeName=name, spec=route_spec(("a", 1))
        )


def test_the_longest_name_is_fine(unchecked: Any) -> None:
    name = "n" * 255
    mesh = unchecked.create_mesh(meshName=name)["mesh"]
    assert mesh["metadata"]["arn"].endswith(f":mesh/{name}")
    assert unchecked.describe_mesh(meshName=name)["mesh"]["meshName"] == name


BAD_NODE_SPECS: list[tuple[str, Any]] = [
    ("port 0", node_with(listener(port=0))),
    ("port 65536", node_with(listener(port=65536))),
    ("port as a string", node_with(listener(port="8080"))),
    ("protocol http2 (2019 only)", node_with(listener(protocol="http2"))),
    ("protocol not in the enum", node_with(listener(protocol="udp"))),
    (
        "healthy threshold 1",
        node_with(listener(healthCheck={**health_check(), "healthyThreshold": 1})),
    ),
    (
        "unhealthy threshold 11",
        node_with(listener(healthCheck={**health_check(), "unhealthyThreshold": 11})),
    ),
    (
        "interval 4999 ms",
        node_with(listener(healthCheck={**health_check(), "intervalMillis": 4999})),
    ),
    (
        "interval 300001 ms",
        node_with(listener(healthCheck={**health_check(), "intervalMillis": 300001})),
    ),
    ("timeout 1999 ms", node_with(listener(healthCheck={**health_check(), "timeoutMillis": 1999}))),
    (
        "timeout 60001 ms",
        node_with(listener(healthCheck={**health_check(), "timeoutMillis": 60001})),
    ),
    ("health check port 0", node_with(listener(healthCheck={**health_check(), "port": 0}))),
    (
        "health check protocol bad",
        node_with(listener(healthCheck={**health_check(), "protocol": "grpc"})),
    ),
    ("health check without its required members", node_with(listener(healthCheck={"path": "/"}))),
    ("health check on another port", node_with(listener(port=80, healthCheck=health_check(81)))),
    ("listeners without service discovery", {"listeners": [listener()]}),
    ("backends not strings", {"backends": [{"virtualService": {"virtualServiceName": "x"}}]}),
    # The 2018 model marks these optional; the 2019 model, for the same shapes, requires them.
    ("a listener without a port mapping", node_with({})),
    ("a port mapping without a port", node_with({"portMapping": {"protocol": "http"}})),
    ("a port mapping without a protocol", node_with({"portMapping": {"port": 80}})),
    ("empty service discovery", {"listeners": [listener()], "serviceDiscovery": {}}),
    ("dns without a service name", {"serviceDiscovery": {"dns": {}}}),
]


@pytest.mark.parametrize(("why", "spec"), BAD_NODE_SPECS, ids=[why for why, _ in BAD_NODE_SPECS])
def test_bad_virtual_node_specs_are_refused(
    unchecked: Any, appmesh_mock: MockAppMesh, why: str, spec: Any
) -> None:
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_virtual_node(meshName="m", virtualNodeName="new", spec=spec)
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.update_virtual_node(meshName="m", virtualNodeName="a", spec=spec)


BAD_ROUTE_SPECS: list[tuple[str, Any]] = [
    ("prefix without a leading slash", http_route({"prefix": "api"}, TARGET)),
    ("empty prefix", http_route({"prefix": ""}, TARGET)),
    ("weight 101", http_route({"prefix": "/"}, [{"virtualNode": "a", "weight": 101}])),
    ("weight -1", http_route({"prefix": "/"}, [{"virtualNode": "a", "weight": -1}])),
    ("weight as a string", http_route({"prefix": "/"}, [{"virtualNode": "a", "weight": "1"}])),
    ("target name too long", http_route({"prefix": "/"}, [{"virtualNode": LONG, "weight": 1}])),
    ("no route kind", {}),
    # The 2018 model marks these optional; the 2019 model, for the same shapes, requires them.
    ("no action", {"httpRoute": {"match": {"prefix": "/"}}}),
    ("an action without targets", {"httpRoute": {"match": {"prefix": "/"}, "action": {}}}),
    ("an empty target list", http_route({"prefix": "/"}, [])),
    ("a target without a node", http_route({"prefix": "/"}, [{"weight": 1}])),
    ("a target without a weight", http_route({"prefix": "/"}, [{"virtualNode": "a"}])),
    ("a target naming no node", http_route({"prefix": "/"}, [{"virtualNode": "", "weight": 1}])),
]


@pytest.mark.parametrize(("why", "spec"), BAD_ROUTE_SPECS, ids=[why for why, _ in BAD_ROUTE_SPECS])
def test_bad_route_specs_are_refused(
    unchecked: Any, appmesh_mock: MockAppMesh, why: str, spec: Any
) -> None:
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_route(meshName="m", virtualRouterName="r", routeName="new", spec=spec)
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.update_route(meshName="m", virtualRouterName="r", routeName="rt", spec=spec)


BAD_ROUTER_SPECS: list[tuple[str, Any]] = [
    ("11 service names", router_spec(*(f"s{i}.local" for i in range(11)))),
]


@pytest.mark.parametrize(
    ("why", "spec"), BAD_ROUTER_SPECS, ids=[why for why, _ in BAD_ROUTER_SPECS]
)
def test_bad_virtual_router_specs_are_refused(
    unchecked: Any, appmesh_mock: MockAppMesh, why: str, spec: Any
) -> None:
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_virtual_router(meshName="m", virtualRouterName="new", spec=spec)
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.update_virtual_router(meshName="m", virtualRouterName="r", spec=spec)


def test_limits_and_required_members(unchecked: Any, appmesh_mock: MockAppMesh) -> None:
    with refused(appmesh_mock, "BadRequestException", "spec"):
        unchecked.create_virtual_node(meshName="m", virtualNodeName="no-spec")
    with refused(appmesh_mock, "BadRequestException", "spec"):
        unchecked.create_virtual_router(meshName="m", virtualRouterName="no-spec")
    with refused(appmesh_mock, "BadRequestException", "spec"):
        unchecked.update_route(meshName="m", virtualRouterName="r", routeName="rt")
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_mesh(meshName="m2", clientToken="t" * 37)
    with refused(appmesh_mock, "BadRequestException"):
        unchecked.create_mesh(meshName="m2", clientToken="no spaces allowed")


def test_the_largest_valid_values_are_fine(unchecked: Any) -> None:
    spec = node_with(
        listener(
            port=65535,
            healthCheck={
                **health_check(65535),
                "healthyThreshold": 10,
                "unhealthyThreshold": 10,
                "intervalMillis": 300000,
                "timeoutMillis": 60000,
            },
        )
    )
    node = unchecked.create_virtual_node(meshName="m", virtualNodeName="max", spec=spec)
    assert node["virtualNode"]["spec"] == spec
    routed = unchecked.create_route(
        meshName="m",
        virtualRouterName="r",
        routeName="max",
        spec=http_route({"prefix": "/"}, [{"virtualNode": "a", "weight": 100}]),
    )
    assert routed["route"]["spec"]["httpRoute"]["action"]["weightedTargets"][0]["weight"] == 100
    router = unchecked.create_virtual_router(
        meshName="m", virtualRouterName="ten", spec=router_spec(*(f"s{i}" for i in range(10)))
    )
    assert len(router["virtualRouter"]["spec"]["serviceNames"]) == 10


# Quotas -------------------------------------------------------------------------------------


@mock_appmesh(quotas={"meshes_per_account": 2})
def test_meshes_per_account() -> None:
    client = legacy_client()
    client.create_mesh(meshName="one")
    client.create_mesh(meshName="two")
    with expect_error("LimitExceededException"):
        client.create_mesh(meshName="three")
    assert [m["meshName"] for m in client.list_meshes()["meshes"]] == ["one", "two"]
    client.delete_mesh(meshName="one")  # deleting frees the room
    client.create_mesh(meshName="three")


@mock_appmesh(quotas={"virtual_nodes_per_mesh": 2})
def test_virtual_nodes_per_mesh() -> None:
    client = legacy_client()
    build_mesh(client, "full")  # nodes a and b
    with expect_error("LimitExceededException"):
        client.create_virtual_node(meshName="full", virtualNodeName="c", spec={})
    assert len(client.list_virtual_nodes(meshName="full")["virtualNodes"]) == 2
    build_mesh(client, "other")  # the quota counts per mesh


@mock_appmesh(quotas={"virtual_routers_per_mesh": 1})
def test_virtual_routers_per_mesh() -> None:
    client = legacy_client()
    build_mesh(client)
    with expect_error("LimitExceededException"):
        client.create_virtual_router(meshName="m", virtualRouterName="r2", spec=router_spec())
    assert len(client.list_virtual_routers(meshName="m")["virtualRouters"]) == 1


@mock_appmesh(quotas={"routes_per_virtual_router": 1})
def test_routes_per_virtual_router() -> None:
    client = legacy_client()
    build_mesh(client)  # router r has route rt
    with expect_error("LimitExceededException"):
        client.create_route(
            meshName="m", virtualRouterName="r", routeName="rt2", spec=route_spec(("a", 1))
        )
    client.create_virtual_router(meshName="m", virtualRouterName="r2", spec=router_spec())
    client.create_route(  # the quota counts per router
        meshName="m", virtualRouterName="r2", routeName="rt2", spec=route_spec(("a", 1))
    )
    assert len(client.list_routes(meshName="m", virtualRouterName="r")["routes"]) == 1


@mock_appmesh(quotas={"backends_per_virtual_node": 2})
def test_backends_per_virtual_node() -> None:
    client = legacy_client()
    build_mesh(client)
    three = node_spec(backends=["x", "y", "z"])
    with expect_error("LimitExceededException"):
        client.create_virtual_node(meshName="m", virtualNodeName="c", spec=three)
    with expect_error("LimitExceededException"):
        client.update_virtual_node(meshName="m", virtualNodeName="a", spec=three)
    node = client.describe_virtual_node(meshName="m", virtualNodeName="a")["virtualNode"]
    assert node["metadata"]["version"] == 1
    assert node["spec"]["backends"] == []
    client.update_virtual_node(
        meshName="m", virtualNodeName="a", spec=node_spec(backends=["x", "y"])
    )


def test_weighted_targets_per_route_default_is_10(appmesh_mock: MockAppMesh) -> None:
    client = legacy_client()
    client.create_mesh(meshName="m")
    for index in range(11):
        client.create_virtual_node(meshName="m", virtualNodeName=f"n{index}", spec={})
    client.create_virtual_router(meshName="m", virtualRouterName="r", spec=router_spec())
    ten = route_spec(*((f"n{index}", 1) for index in range(10)))
    client.create_route(meshName="m", virtualRouterName="r", routeName="ten", spec=ten)
    eleven = route_spec(*((f"n{index}", 1) for index in range(11)))
    with refused(appmesh_mock, "LimitExceededException"):
        client.create_route(meshName="m", virtualRouterName="r", routeName="eleven", spec=eleven)
    with refused(appmesh_mock, "LimitExceededException"):
        client.update_route(meshName="m", virtualRouterName="r", routeName="ten", spec=eleven)


@pytest.mark.appmesh_mock(quotas={"weighted_targets_per_route": 1})
def test_weighted_targets_per_route_from_the_marker(appmesh_mock: MockAppMesh) -> None:
    client = legacy_client()
    client.create_mesh(meshName="m")
    for name in ("a", "b"):
        client.create_virtual_node(meshName="m", virtualNodeName=name, spec={})
    client.create_virtual_router(meshName="m", virtualRouterName="r", spec=router_spec())
    client.create_route(
        meshName="m", virtualRouterName="r", routeName="rt", spec=route_spec(("a", 1))
    )
    two = route_spec(("a", 1), ("b", 1))
    with refused(appmesh_mock, "LimitExceededException"):
        client.create_route(meshName="m", virtualRouterName="r", routeName="rt2", spec=two)
    with refused(appmesh_mock, "LimitExceededException"):
        client.update_route(meshName="m", virtualRouterName="r", routeName="rt", spec=two)
