"""Virtual routers and their routes through the default client: every route kind round-trips,
targets must exist, and routers with routes or a service to provide stay."""

from __future__ import annotations

from typing import Any

import pytest
from assertions import check_metadata, expect_error
from realistic_specs import (
    grpc_route_spec,
    http_route_spec,
    node_spec,
    path_route_spec,
    router_spec,
    service_spec,
    tcp_route_spec,
)

from appmesh_mock import MockAppMesh

ROUTER_ARN = "arn:aws:appmesh:us-east-1:123456789012:mesh/prod/virtualRouter/{}"
ROUTE_ARN = ROUTER_ARN + "/route/{}"

# One router per listener protocol, each named for it.
PROTOCOL_PORTS = {"http": 8080, "http2": 8081, "grpc": 50051, "tcp": 9000}


@pytest.fixture
def client(appmesh_client: Any) -> Any:
    appmesh_client.create_mesh(meshName="prod")
    for name in ("blue", "green"):
        appmesh_client.create_virtual_node(meshName="prod", virtualNodeName=name, spec=node_spec())
    for protocol, port in PROTOCOL_PORTS.items():
        appmesh_client.create_virtual_router(
            meshName="prod", virtualRouterName=protocol, spec=router_spec(protocol, port)
        )
    return appmesh_client


def _route(client: Any, router: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    out = client.create_route(meshName="prod", virtualRouterName=router, routeName=name, spec=spec)
    return dict(out["route"])


# Routers ------------------------------------------------------------------------------------


def test_router_life_cycle(appmesh_client: Any) -> None:
    client = appmesh_client
    client.create_mesh(meshName="prod")
    created = client.create_virtual_router(
        meshName="prod", virtualRouterName="vr", spec=router_spec()
    )["virtualRouter"]
    assert created["spec"] == router_spec()
    assert created["virtualRouterName"] == "vr"
    assert created["status"] == {"status": "ACTIVE"}
    check_metadata(created["metadata"], ROUTER_ARN.format("vr"))
    assert (
        client.describe_virtual_router(meshName="prod", virtualRouterName="vr")["virtualRouter"]
        == created
    )

    two = {"listeners": [*router_spec()["listeners"], *router_spec("tcp", 9000)["listeners"]]}
    updated = client.update_virtual_router(meshName="prod", virtualRouterName="vr", spec=two)
    assert updated["virtualRouter"]["spec"] == two
    check_metadata(updated["virtualRouter"]["metadata"], ROUTER_ARN.format("vr"), version=2)

    refs = client.list_virtual_routers(meshName="prod")["virtualRouters"]
    assert [(r["virtualRouterName"], r["version"], r["arn"]) for r in refs] == [
        ("vr", 2, ROUTER_ARN.format("vr"))
    ]

    deleted = client.delete_virtual_router(meshName="prod", virtualRouterName="vr")
    assert deleted["virtualRouter"]["status"] == {"status": "DELETED"}
    assert deleted["virtualRouter"]["spec"] == two
    assert deleted["virtualRouter"]["metadata"]["version"] == 3
    with expect_error("NotFoundException", "vr"):
        client.describe_virtual_router(meshName="prod", virtualRouterName="vr")
    assert client.list_virtual_routers(meshName="prod")["virtualRouters"] == []


def test_router_errors_change_nothing(client: Any, appmesh_mock: MockAppMesh) -> None:
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException", "http"):
        client.create_virtual_router(meshName="prod", virtualRouterName="http", spec={})
    with expect_error("NotFoundException", "nomesh"):
        client.create_virtual_router(meshName="nomesh", virtualRouterName="x", spec={})
    with expect_error("NotFoundException", "ghost"):
        client.update_virtual_router(meshName="prod", virtualRouterName="ghost", spec={})
    with expect_error("NotFoundException", "ghost"):
        client.delete_virtual_router(meshName="prod", virtualRouterName="ghost")
    with expect_error("NotFoundException", "ghost"):
        client.describe_virtual_router(meshName="prod", virtualRouterName="ghost")
    with expect_error("NotFoundException", "nomesh"):
        client.list_virtual_routers(meshName="nomesh")
    with expect_error("BadRequestException", "protocol"):
        client.update_virtual_router(
            meshName="prod", virtualRouterName="http", spec=router_spec("udp")
        )
    with expect_error("BadRequestException", "port"):
        client.create_virtual_router(
            meshName="prod", virtualRouterName="x", spec=router_spec(port=70000)
        )
    assert appmesh_mock.snapshot() == before


def test_a_router_with_routes_cannot_be_deleted(client: Any, appmesh_mock: MockAppMesh) -> None:
    _route(client, "http", "r", path_route_spec("blue"))
    before = appmesh_mock.snapshot()
    with expect_error("ResourceInUseException", "routes"):
        client.delete_virtual_router(meshName="prod", virtualRouterName="http")
    assert appmesh_mock.snapshot() == before
    client.delete_route(meshName="prod", virtualRouterName="http", routeName="r")
    client.delete_virtual_router(meshName="prod", virtualRouterName="http")


def test_a_provider_router_cannot_be_deleted(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_virtual_service(
        meshName="prod", virtualServiceName="colour.local", spec=service_spec(router="http")
    )
    before = appmesh_mock.snapshot()
    with expect_error("ResourceInUseException", "provider"):
        client.delete_virtual_router(meshName="prod", virtualRouterName="http")
    assert appmesh_mock.snapshot() == before
    client.delete_virtual_service(meshName="prod", virtualServiceName="colour.local")
    client.delete_virtual_router(meshName="prod", virtualRouterName="http")


def test_a_second_listener_needs_port_matches_on_every_route(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    _route(client, "tcp", "no-port", tcp_route_spec("blue"))
    before = appmesh_mock.snapshot()
    two = {
        "listeners": [
            *router_spec("tcp", 9000)["listeners"],
            *router_spec("tcp", 9001)["listeners"],
        ]
    }
    with expect_error("BadRequestException", "no-port"):
        client.update_virtual_router(meshName="prod", virtualRouterName="tcp", spec=two)
    assert appmesh_mock.snapshot() == before
    client.update_route(
        meshName="prod",
        virtualRouterName="tcp",
        routeName="no-port",
        spec=tcp_route_spec("blue", port=9000),
    )
    client.update_virtual_router(meshName="prod", virtualRouterName="tcp", spec=two)
    with expect_error("BadRequestException", "port"):
        _route(client, "tcp", "another", tcp_route_spec("green"))
    _route(client, "tcp", "another", tcp_route_spec("green", port=9001))


# Routes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("router", "spec"),
    [
        ("http", http_route_spec([("blue", 90), ("green", 10)])),
        ("http", path_route_spec("blue")),
        ("http2", http_route_spec([("blue", 50), ("green", 50)], kind="http2Route")),
        ("grpc", grpc_route_spec("green")),
        ("tcp", tcp_route_spec("blue")),
        ("tcp", tcp_route_spec("blue", port=9000)),
    ],
    ids=["http", "http-path", "http2", "grpc", "tcp", "tcp-port"],
)
def test_every_route_kind_round_trips_exactly(
    client: Any, router: str, spec: dict[str, Any]
) -> None:
    route = _route(client, router, "r", spec)
    assert route["spec"] == spec
    assert route["routeName"] == "r"
    assert route["virtualRouterName"] == router
    assert route["meshName"] == "prod"
    check_metadata(route["metadata"], ROUTE_ARN.format(router, "r"))
    described = client.describe_route(meshName="prod", virtualRouterName=router, routeName="r")
    assert described["route"] == route
    # No priority is filled in when none was sent.
    if "priority" not in spec:
        assert "priority" not in described["route"]["spec"]


def test_route_update_replaces_the_spec(client: Any) -> None:
    first = _route(client, "http", "r", http_route_spec([("blue", 100)]))
    replacement = path_route_spec("green")
    updated = client.update_route(
        meshName="prod", virtualRouterName="http", routeName="r", spec=replacement
    )["route"]
    assert updated["spec"] == replacement
    check_metadata(updated["metadata"], ROUTE_ARN.format("http", "r"), version=2)
    assert updated["metadata"]["uid"] == first["metadata"]["uid"]
    assert (
        client.describe_route(meshName="prod", virtualRouterName="http", routeName="r")["route"]
        == updated
    )


def test_route_targets_must_exist(client: Any, appmesh_mock: MockAppMesh) -> None:
    _route(client, "http", "r", http_route_spec([("blue", 100)]))
    before = appmesh_mock.snapshot()
    with expect_error("NotFoundException", "purple"):
        _route(client, "http", "r2", http_route_spec([("blue", 50), ("purple", 50)]))
    with expect_error("NotFoundException", "purple"):
        client.update_route(
            meshName="prod",
            virtualRouterName="http",
            routeName="r",
            spec=http_route_spec([("purple", 100)]),
        )
    assert appmesh_mock.snapshot() == before


def test_route_parents_must_exist(client: Any, appmesh_mock: MockAppMesh) -> None:
    before = appmesh_mock.snapshot()
    spec = path_route_spec("blue")
    with expect_error("NotFoundException", "ghost"):
        client.create_route(meshName="prod", virtualRouterName="ghost", routeName="r", spec=spec)
    with expect_error("NotFoundException", "nomesh"):
        client.create_route(meshName="nomesh", virtualRouterName="http", routeName="r", spec=spec)
    with expect_error("NotFoundException", "ghost"):
        client.list_routes(meshName="prod", virtualRouterName="ghost")
    with expect_error("NotFoundException", "r"):
        client.describe_route(meshName="prod", virtualRouterName="http", routeName="r")
    with expect_error("NotFoundException"):
        client.update_route(meshName="prod", virtualRouterName="http", routeName="r", spec=spec)
    with expect_error("NotFoundException"):
        client.delete_route(meshName="prod", virtualRouterName="http", routeName="r")
    assert appmesh_mock.snapshot() == before


def test_route_bad_input_changes_nothing(client: Any, appmesh_mock: MockAppMesh) -> None:
    _route(client, "http", "r", http_route_spec([("blue", 100)]))
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException", "r"):
        _route(client, "http", "r", path_route_spec("green"))
    with expect_error("BadRequestException", "weight"):
        _route(client, "http", "r2", http_route_spec([("blue", 101)]))
    with expect_error("BadRequestException", "priority"):
        _route(client, "http", "r2", {**path_route_spec("blue"), "priority": 1001})
    with expect_error("BadRequestException"):
        _route(client, "http", "r2", {**path_route_spec("blue"), **tcp_route_spec("blue")})
    with expect_error("BadRequestException"):
        _route(client, "http", "r2", {"priority": 1})
    methodless = grpc_route_spec("blue")
    del methodless["grpcRoute"]["match"]["serviceName"]
    with expect_error("BadRequestException", "serviceName is required"):
        _route(client, "grpc", "r2", methodless)
    bad = grpc_route_spec("blue")
    bad["grpcRoute"]["retryPolicy"]["grpcRetryEvents"] = ["sometimes"]
    with expect_error("BadRequestException", "grpcRetryEvents"):
        _route(client, "grpc", "r2", bad)
    assert appmesh_mock.snapshot() == before


def test_route_client_token_replay_and_reuse(client: Any, appmesh_mock: MockAppMesh) -> None:
    spec = http_route_spec([("blue", 100)])
    args = {"meshName": "prod", "virtualRouterName": "http", "routeName": "r"}
    first = client.create_route(**args, spec=spec, clientToken="route-1")["route"]
    again = client.create_route(**args, spec=spec, clientToken="route-1")["route"]
    assert again == first
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException"):
        client.create_route(**args, spec=path_route_spec("blue"), clientToken="route-1")
    assert appmesh_mock.snapshot() == before


def test_route_delete_and_list(client: Any) -> None:
    for name in ("c", "a", "b"):
        _route(client, "http", name, path_route_spec("blue"))
    _route(client, "tcp", "elsewhere", tcp_route_spec("blue"))
    refs = client.list_routes(meshName="prod", virtualRouterName="http")["routes"]
    assert [r["routeName"] for r in refs] == ["c", "a", "b"]
    assert {r["virtualRouterName"] for r in refs} == {"http"}
    assert refs[0]["arn"] == ROUTE_ARN.format("http", "c")
    assert refs[0]["meshOwner"] == refs[0]["resourceOwner"] == "123456789012"

    deleted = client.delete_route(meshName="prod", virtualRouterName="http", routeName="a")
    assert deleted["route"]["status"] == {"status": "DELETED"}
    assert deleted["route"]["metadata"]["version"] == 2
    assert deleted["route"]["spec"] == path_route_spec("blue")
    refs = client.list_routes(meshName="prod", virtualRouterName="http")["routes"]
    assert [r["routeName"] for r in refs] == ["c", "b"]
    with expect_error("NotFoundException"):
        client.describe_route(meshName="prod", virtualRouterName="http", routeName="a")


def test_the_same_route_name_under_two_routers(client: Any) -> None:
    a = _route(client, "http", "shared", path_route_spec("blue"))
    b = _route(client, "http2", "shared", http_route_spec([("blue", 1)], kind="http2Route"))
    assert a["metadata"]["arn"] != b["metadata"]["arn"]
    assert a["metadata"]["uid"] != b["metadata"]["uid"]
