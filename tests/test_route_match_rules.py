"""The route rules issue 14 settled (docs/fidelity.md has the sources): what a route or gateway
route match may leave out or combine, and how much weight its targets may carry together.
Refusals of the rules that remain are in test_validation_rules.py."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from assertions import expect_error

from appmesh_mock import MockAppMesh

M, ROUTER, GATEWAY, SERVICE = "m", "r", "gw", "svc.local"
TO_SVC = {"target": {"virtualService": {"virtualServiceName": SERVICE}}}


def node_listener(protocol: str) -> dict[str, Any]:
    return {"portMapping": {"port": 8080, "protocol": protocol}}


@pytest.fixture
def client(appmesh_client: Any) -> Any:
    appmesh_client.create_mesh(meshName=M)
    for name in ("a", "b"):
        appmesh_client.create_virtual_node(meshName=M, virtualNodeName=name, spec={})
    appmesh_client.create_virtual_service(meshName=M, virtualServiceName=SERVICE, spec={})
    appmesh_client.create_virtual_gateway(
        meshName=M, virtualGatewayName=GATEWAY, spec={"listeners": [node_listener("http")]})
    return appmesh_client


def new_route(client: Any, spec: dict[str, Any], name: str = "route") -> dict[str, Any]:
    routers = client.list_virtual_routers(meshName=M)["virtualRouters"]
    if not routers:
        client.create_virtual_router(meshName=M, virtualRouterName=ROUTER, spec={})
    created: dict[str, Any] = client.create_route(
        meshName=M, virtualRouterName=ROUTER, routeName=name, spec=spec)["route"]
    return created


def weighted(*weights: int) -> dict[str, Any]:
    return {"weightedTargets": [
        {"virtualNode": node, "weight": weight} for node, weight in zip("ab", weights, strict=False)
    ]}


@pytest.mark.parametrize("kind", ["httpRoute", "http2Route"])
@pytest.mark.parametrize(
    "match",
    [
        pytest.param({"method": "GET"}, id="neither-prefix-nor-path"),
        pytest.param({"headers": [{"name": "x-canary", "match": {"exact": "1"}}]}, id="headers"),
        pytest.param({"prefix": "/shop", "path": {"exact": "/shop/cart"}}, id="prefix-and-path"),
        pytest.param({"path": {"regex": "/items/[0-9]+"}}, id="path-only"),
    ],
)
def test_an_http_route_match_may_leave_out_or_combine_prefix_and_path(
    client: Any, kind: str, match: dict[str, Any]
) -> None:
    spec = {kind: {"match": match, "action": weighted(100)}}
    assert new_route(client, spec)["spec"] == spec
    # Echoed as given: no `prefix: "/"` appears, as the provider's path-match test reads back
    # an empty prefix from AWS.
    described = client.describe_route(meshName=M, virtualRouterName=ROUTER, routeName="route")
    assert described["route"]["spec"] == spec


def test_an_empty_grpc_route_match_is_accepted(client: Any) -> None:
    spec = {"grpcRoute": {"match": {}, "action": weighted(100)}}
    assert new_route(client, spec)["spec"] == spec


@pytest.mark.parametrize("weights", [(100,), (99, 0), (50, 50), (0, 0), (1, 1)])
def test_weights_totalling_at_most_100_are_accepted(client: Any, weights: tuple[int, ...]) -> None:
    spec = {"tcpRoute": {"action": weighted(*weights)}}
    assert new_route(client, spec)["spec"] == spec


def test_weights_over_100_are_refused_on_create_and_update_and_change_nothing(
    appmesh_mock: MockAppMesh, client: Any
) -> None:
    valid = {"httpRoute": {"match": {"prefix": "/"}, "action": weighted(60, 40)}}
    route = new_route(client, valid)
    before = appmesh_mock.snapshot()
    over = {"httpRoute": {"match": {"prefix": "/"}, "action": weighted(60, 60)}}
    fragment = "must be less than or equal to 100, not 120"
    with expect_error("BadRequestException", fragment):
        client.create_route(meshName=M, virtualRouterName=ROUTER, routeName="other", spec=over)
    with expect_error("BadRequestException", fragment):
        client.update_route(meshName=M, virtualRouterName=ROUTER, routeName="route", spec=over)
    assert appmesh_mock.snapshot() == before
    described = client.describe_route(meshName=M, virtualRouterName=ROUTER, routeName="route")
    assert described["route"]["metadata"]["version"] == route["metadata"]["version"]


def test_the_original_api_holds_routes_to_the_same_rules(appmesh_mock: MockAppMesh) -> None:
    legacy = boto3.client("appmesh", region_name="us-east-1", api_version="2018-10-01")
    legacy.create_mesh(meshName=M)
    for name in ("a", "b"):
        legacy.create_virtual_node(meshName=M, virtualNodeName=name, spec={})
    legacy.create_virtual_router(meshName=M, virtualRouterName=ROUTER, spec={})
    spec = {"httpRoute": {"match": {"prefix": "/"}, "action": weighted(100, 1)}}
    with expect_error("BadRequestException", "not 101"):
        legacy.create_route(meshName=M, virtualRouterName=ROUTER, routeName="x", spec=spec)
    # and, like the current API, lets a match leave the prefix out
    empty = {"httpRoute": {"match": {}, "action": weighted(100)}}
    created = legacy.create_route(meshName=M, virtualRouterName=ROUTER, routeName="y", spec=empty)
    assert created["route"]["spec"] == empty


@pytest.mark.parametrize("kind", ["httpRoute", "http2Route"])
def test_a_gateway_route_match_may_combine_prefix_and_path(client: Any, kind: str) -> None:
    spec = {kind: {"match": {"prefix": "/shop", "path": {"exact": "/shop/cart"}}, "action": TO_SVC}}
    created = client.create_gateway_route(
        meshName=M, virtualGatewayName=GATEWAY, gatewayRouteName="gr", spec=spec)
    assert created["gatewayRoute"]["spec"] == spec
