"""Virtual gateways and gateway routes through the default client."""

from __future__ import annotations

from typing import Any

import pytest
from assertions import check_metadata, expect_error
from realistic_specs import (
    gateway_route_spec,
    gateway_spec,
    grpc_gateway_route_spec,
    path_gateway_route_spec,
)

from appmesh_mock import MockAppMesh

GATEWAY_ARN = "arn:aws:appmesh:us-east-1:123456789012:mesh/prod/virtualGateway/{}"
ROUTE_ARN = GATEWAY_ARN + "/gatewayRoute/{}"
SHOP = "shop.prod.svc.cluster.local"
PAY = "pay.prod.svc.cluster.local"


@pytest.fixture
def client(appmesh_client: Any) -> Any:
    appmesh_client.create_mesh(meshName="prod")
    for name in (SHOP, PAY):
        appmesh_client.create_virtual_service(meshName="prod", virtualServiceName=name, spec={})
    return appmesh_client


@pytest.fixture
def gateway(client: Any) -> Any:
    client.create_virtual_gateway(
        meshName="prod", virtualGatewayName="ingress", spec=gateway_spec()
    )
    return client


def _gateway_route(client: Any, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    out = client.create_gateway_route(
        meshName="prod", virtualGatewayName="ingress", gatewayRouteName=name, spec=spec
    )
    return dict(out["gatewayRoute"])


# Gateways -----------------------------------------------------------------------------------


def test_gateway_life_cycle(client: Any) -> None:
    spec = gateway_spec()
    created = client.create_virtual_gateway(
        meshName="prod", virtualGatewayName="ingress", spec=spec
    )["virtualGateway"]
    assert created["spec"] == spec
    assert created["virtualGatewayName"] == "ingress"
    assert created["status"] == {"status": "ACTIVE"}
    check_metadata(created["metadata"], GATEWAY_ARN.format("ingress"))
    assert (
        client.describe_virtual_gateway(meshName="prod", virtualGatewayName="ingress")[
            "virtualGateway"
        ]
        == created
    )

    replacement = gateway_spec(port=8443)
    updated = client.update_virtual_gateway(
        meshName="prod", virtualGatewayName="ingress", spec=replacement
    )["virtualGateway"]
    assert updated["spec"] == replacement
    check_metadata(updated["metadata"], GATEWAY_ARN.format("ingress"), version=2)

    client.create_virtual_gateway(meshName="prod", virtualGatewayName="egress", spec=gateway_spec())
    refs = client.list_virtual_gateways(meshName="prod")["virtualGateways"]
    assert [(r["virtualGatewayName"], r["version"]) for r in refs] == [
        ("ingress", 2),
        ("egress", 1),
    ]
    assert refs[0]["arn"] == GATEWAY_ARN.format("ingress")
    assert refs[0]["meshOwner"] == refs[0]["resourceOwner"] == "123456789012"

    deleted = client.delete_virtual_gateway(meshName="prod", virtualGatewayName="ingress")
    assert deleted["virtualGateway"]["status"] == {"status": "DELETED"}
    assert deleted["virtualGateway"]["spec"] == replacement
    assert deleted["virtualGateway"]["metadata"]["version"] == 3
    with expect_error("NotFoundException", "ingress"):
        client.describe_virtual_gateway(meshName="prod", virtualGatewayName="ingress")


def test_gateway_errors_change_nothing(gateway: Any, appmesh_mock: MockAppMesh) -> None:
    client = gateway
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException", "ingress"):
        client.create_virtual_gateway(
            meshName="prod", virtualGatewayName="ingress", spec=gateway_spec()
        )
    with expect_error("NotFoundException", "nomesh"):
        client.create_virtual_gateway(
            meshName="nomesh", virtualGatewayName="x", spec=gateway_spec()
        )
    with expect_error("NotFoundException", "ghost"):
        client.update_virtual_gateway(
            meshName="prod", virtualGatewayName="ghost", spec=gateway_spec()
        )
    with expect_error("NotFoundException", "ghost"):
        client.delete_virtual_gateway(meshName="prod", virtualGatewayName="ghost")
    with expect_error("NotFoundException", "ghost"):
        client.describe_virtual_gateway(meshName="prod", virtualGatewayName="ghost")
    with expect_error("NotFoundException", "nomesh"):
        client.list_virtual_gateways(meshName="nomesh")
    tcp = gateway_spec()
    tcp["listeners"][0]["portMapping"]["protocol"] = "tcp"  # gateways speak http, http2, grpc
    with expect_error("BadRequestException", "protocol"):
        client.update_virtual_gateway(meshName="prod", virtualGatewayName="ingress", spec=tcp)
    assert appmesh_mock.snapshot() == before


def test_a_gateway_with_routes_cannot_be_deleted(gateway: Any, appmesh_mock: MockAppMesh) -> None:
    _gateway_route(gateway, "shop", gateway_route_spec(SHOP))
    before = appmesh_mock.snapshot()
    with expect_error("ResourceInUseException", "gateway routes"):
        gateway.delete_virtual_gateway(meshName="prod", virtualGatewayName="ingress")
    assert appmesh_mock.snapshot() == before
    gateway.delete_gateway_route(
        meshName="prod", virtualGatewayName="ingress", gatewayRouteName="shop"
    )
    gateway.delete_virtual_gateway(meshName="prod", virtualGatewayName="ingress")


# Gateway routes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        gateway_route_spec(SHOP),
        gateway_route_spec(SHOP, kind="http2Route"),
        grpc_gateway_route_spec(PAY),
        path_gateway_route_spec(SHOP),
    ],
    ids=["http-rewrites", "http2", "grpc", "path-rewrite"],
)
def test_gateway_route_kinds_round_trip_exactly(gateway: Any, spec: dict[str, Any]) -> None:
    route = _gateway_route(gateway, "gr", spec)
    assert route["spec"] == spec
    assert route["gatewayRouteName"] == "gr"
    assert route["virtualGatewayName"] == "ingress"
    assert route["meshName"] == "prod"
    assert route["status"] == {"status": "ACTIVE"}
    check_metadata(route["metadata"], ROUTE_ARN.format("ingress", "gr"))
    described = gateway.describe_gateway_route(
        meshName="prod", virtualGatewayName="ingress", gatewayRouteName="gr"
    )
    assert described["gatewayRoute"] == route


def test_gateway_route_update_retargets(gateway: Any) -> None:
    first = _gateway_route(gateway, "gr", gateway_route_spec(SHOP))
    updated = gateway.update_gateway_route(
        meshName="prod",
        virtualGatewayName="ingress",
        gatewayRouteName="gr",
        spec=gateway_route_spec(PAY),
    )["gatewayRoute"]
    assert updated["spec"] == gateway_route_spec(PAY)
    check_metadata(updated["metadata"], ROUTE_ARN.format("ingress", "gr"), version=2)
    assert updated["metadata"]["uid"] == first["metadata"]["uid"]
    # SHOP is no longer a target, PAY now is.
    gateway.delete_virtual_service(meshName="prod", virtualServiceName=SHOP)
    with expect_error("ResourceInUseException"):
        gateway.delete_virtual_service(meshName="prod", virtualServiceName=PAY)


def test_gateway_route_target_must_exist(gateway: Any, appmesh_mock: MockAppMesh) -> None:
    _gateway_route(gateway, "gr", gateway_route_spec(SHOP))
    before = appmesh_mock.snapshot()
    with expect_error("NotFoundException", "ghost.local"):
        _gateway_route(gateway, "gr2", gateway_route_spec("ghost.local"))
    with expect_error("NotFoundException", "ghost.local"):
        gateway.update_gateway_route(
            meshName="prod",
            virtualGatewayName="ingress",
            gatewayRouteName="gr",
            spec=grpc_gateway_route_spec("ghost.local"),
        )
    assert appmesh_mock.snapshot() == before


def test_gateway_route_errors_change_nothing(gateway: Any, appmesh_mock: MockAppMesh) -> None:
    _gateway_route(gateway, "gr", gateway_route_spec(SHOP))
    before = appmesh_mock.snapshot()
    spec = gateway_route_spec(SHOP)
    with expect_error("ConflictException", "gr"):
        _gateway_route(gateway, "gr", path_gateway_route_spec(SHOP))
    with expect_error("NotFoundException", "ghost"):
        gateway.create_gateway_route(
            meshName="prod", virtualGatewayName="ghost", gatewayRouteName="x", spec=spec
        )
    with expect_error("NotFoundException", "ghost"):
        gateway.list_gateway_routes(meshName="prod", virtualGatewayName="ghost")
    with expect_error("NotFoundException", "missing"):
        gateway.describe_gateway_route(
            meshName="prod", virtualGatewayName="ingress", gatewayRouteName="missing"
        )
    with expect_error("NotFoundException", "missing"):
        gateway.delete_gateway_route(
            meshName="prod", virtualGatewayName="ingress", gatewayRouteName="missing"
        )
    unslashed = gateway_route_spec(SHOP)
    unslashed["httpRoute"]["match"]["prefix"] = "shop"
    with expect_error("BadRequestException", "must start with '/'"):
        _gateway_route(gateway, "x", unslashed)
    with expect_error("BadRequestException"):
        _gateway_route(gateway, "x", {**gateway_route_spec(SHOP), **grpc_gateway_route_spec(PAY)})
    with expect_error("BadRequestException", "priority"):
        _gateway_route(gateway, "x", {**gateway_route_spec(SHOP), "priority": 1001})
    with expect_error("BadRequestException", "priority"):
        gateway.update_gateway_route(
            meshName="prod",
            virtualGatewayName="ingress",
            gatewayRouteName="gr",
            spec={**gateway_route_spec(SHOP), "priority": 5000},
        )
    with expect_error("BadRequestException", "defaultTargetHostname"):
        bad = gateway_route_spec(SHOP)
        bad["httpRoute"]["action"]["rewrite"]["hostname"]["defaultTargetHostname"] = "MAYBE"
        _gateway_route(gateway, "x", bad)
    assert appmesh_mock.snapshot() == before


def test_gateway_route_client_token_replay_and_reuse(
    gateway: Any, appmesh_mock: MockAppMesh
) -> None:
    args = {
        "meshName": "prod",
        "virtualGatewayName": "ingress",
        "gatewayRouteName": "gr",
        "clientToken": "gr-1",
    }
    first = gateway.create_gateway_route(**args, spec=gateway_route_spec(SHOP))
    again = gateway.create_gateway_route(**args, spec=gateway_route_spec(SHOP))
    assert again["gatewayRoute"] == first["gatewayRoute"]
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException"):
        gateway.create_gateway_route(**args, spec=gateway_route_spec(PAY))
    assert appmesh_mock.snapshot() == before


def test_gateway_route_delete_and_list(gateway: Any) -> None:
    for name in ("paths", "headers", "grpc"):
        spec = grpc_gateway_route_spec(PAY) if name == "grpc" else gateway_route_spec(SHOP)
        _gateway_route(gateway, name, spec)
    gateway.create_virtual_gateway(meshName="prod", virtualGatewayName="other", spec=gateway_spec())
    refs = gateway.list_gateway_routes(meshName="prod", virtualGatewayName="ingress")[
        "gatewayRoutes"
    ]
    assert [r["gatewayRouteName"] for r in refs] == ["paths", "headers", "grpc"]
    assert {r["virtualGatewayName"] for r in refs} == {"ingress"}
    assert refs[0]["arn"] == ROUTE_ARN.format("ingress", "paths")
    assert (
        gateway.list_gateway_routes(meshName="prod", virtualGatewayName="other")["gatewayRoutes"]
        == []
    )

    deleted = gateway.delete_gateway_route(
        meshName="prod", virtualGatewayName="ingress", gatewayRouteName="headers"
    )["gatewayRoute"]
    assert deleted["status"] == {"status": "DELETED"}
    assert deleted["spec"] == gateway_route_spec(SHOP)
    check_metadata(deleted["metadata"], ROUTE_ARN.format("ingress", "headers"), version=2)
    refs = gateway.list_gateway_routes(meshName="prod", virtualGatewayName="ingress")[
        "gatewayRoutes"
    ]
    assert [r["gatewayRouteName"] for r in refs] == ["paths", "grpc"]
