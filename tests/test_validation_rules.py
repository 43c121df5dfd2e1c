"""The documented service rules beyond the model (appmesh_mock/handlers/rules.py), through boto3.

For each rule: a spec that breaks it is refused on create and on update with
BadRequestException (400) whose message names the member, nothing changes, and the nearest
valid spec passes. Every spec here also passes botocore's own client-side validation: these
are mistakes a user can make with the default client.

The mesh `m` used throughout (see `topology`):
- nodes `n` (http:8080) and `multi-node` (http:8080, grpc:9090);
- routers `http`, `http2`, `grpc`, `tcp` (one listener each) and `multi` (http:8080,
  grpc:9090), each with a valid route `base`;
- services `svc` (provided by `n`), `multi-node-svc` (by `multi-node`) and `multi-router-svc`
  (by router `multi`);
- gateways `gw` (http:8080), `grpc-gw` (grpc:9090) and `multi-gw` (http:8080, http:8081), each
  with a valid gateway route `base` to `svc`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from appmesh_mock import MockAppMesh

# The topology already holds three gateways, the default quota; tests add one more.
pytestmark = pytest.mark.appmesh_mock(quotas={"virtual_gateways_per_mesh": 4})

M = "m"
DNS = {"dns": {"hostname": "n.local"}}
ONE_SECOND = {"unit": "s", "value": 1}


def listener(port: int, protocol: str, **extra: Any) -> dict[str, Any]:
    return {"portMapping": {"port": port, "protocol": protocol}, **extra}


def target(node: str = "n", **extra: Any) -> dict[str, Any]:
    return {"virtualNode": node, "weight": 1, **extra}


def route(kind: str, match: dict[str, Any], node: str = "n", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"action": {"weightedTargets": [target(node)]}, **extra}
    if kind != "tcpRoute" or match:
        body["match"] = match
    return {kind: body}


def http(match: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return route("httpRoute", match, **extra)


def grpc(match: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return route("grpcRoute", match, **extra)


def retry(**events: Any) -> dict[str, Any]:
    return {"maxRetries": 2, "perRetryTimeout": ONE_SECOND, **events}


def gateway_route(
    match: dict[str, Any], kind: str = "httpRoute", service: str = "svc", **action: Any
) -> dict[str, Any]:
    target = {"virtualService": {"virtualServiceName": service}}
    return {kind: {"match": match, "action": {"target": target, **action}}}


def health(protocol: str, **extra: Any) -> dict[str, Any]:
    return {
        "healthyThreshold": 2,
        "intervalMillis": 5000,
        "protocol": protocol,
        "timeoutMillis": 2000,
        "unhealthyThreshold": 2,
        **extra,
    }


def node(*listeners: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"listeners": list(listeners), "serviceDiscovery": DNS, **extra}


def gateway(*listeners: dict[str, Any]) -> dict[str, Any]:
    return {"listeners": list(listeners)}


ROUTERS = {
    "http": ([listener(8080, "http")], http({"prefix": "/"})),
    "http2": ([listener(8080, "http2")], route("http2Route", {"prefix": "/"})),
    "grpc": ([listener(9090, "grpc")], grpc({"serviceName": "pkg.Svc"})),
    "tcp": ([listener(7000, "tcp")], route("tcpRoute", {})),
    "multi": (
        [listener(8080, "http"), listener(9090, "grpc")],
        http({"prefix": "/", "port": 8080}),
    ),
}
GATEWAYS = {
    "gw": ([listener(8080, "http")], gateway_route({"prefix": "/"})),
    "grpc-gw": ([listener(9090, "grpc")], gateway_route({"serviceName": "pkg.Svc"}, "grpcRoute")),
    "multi-gw": (
        [listener(8080, "http"), listener(8081, "http")],
        gateway_route({"prefix": "/", "port": 8080}),
    ),
}


@pytest.fixture
def client(appmesh_mock: MockAppMesh, appmesh_client: Any) -> Any:
    topology(appmesh_client)
    return appmesh_client


def topology(c: Any) -> None:
    c.create_mesh(meshName=M)
    c.create_virtual_node(meshName=M, virtualNodeName="n", spec=node(listener(8080, "http")))
    c.create_virtual_node(
        meshName=M,
        virtualNodeName="multi-node",
        spec=node(listener(8080, "http"), listener(9090, "grpc")),
    )
    for name, (listeners, base) in ROUTERS.items():
        c.create_virtual_router(meshName=M, virtualRouterName=name, spec={"listeners": listeners})
        c.create_route(meshName=M, virtualRouterName=name, routeName="base", spec=base)
    for name, provider in (
        ("svc", {"virtualNode": {"virtualNodeName": "n"}}),
        ("multi-node-svc", {"virtualNode": {"virtualNodeName": "multi-node"}}),
        ("multi-router-svc", {"virtualRouter": {"virtualRouterName": "multi"}}),
    ):
        c.create_virtual_service(meshName=M, virtualServiceName=name, spec={"provider": provider})
    for name, (listeners, base) in GATEWAYS.items():
        c.create_virtual_gateway(meshName=M, virtualGatewayName=name, spec=gateway(*listeners))
        c.create_gateway_route(
            meshName=M, virtualGatewayName=name, gatewayRouteName="base", spec=base
        )


def refused(mock: MockAppMesh, call: Callable[[], Any], fragment: str) -> None:
    """`call` fails with BadRequestException (400) whose message contains `fragment`, and the
    account's state is exactly as before."""
    before = mock.snapshot()
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    assert error["Code"] == "BadRequestException", error
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert fragment in error["Message"], error["Message"]
    assert mock.snapshot() == before


# Routes -------------------------------------------------------------------------------------------

ROUTE_CASES = [
    # (router, spec breaking the rule, message fragment, nearest valid spec)
    pytest.param(
        "http", {}, "Route spec must set exactly one of", http({"prefix": "/"}), id="no-kind"
    ),
    pytest.param(
        "http", {**http({"prefix": "/"}), **route("tcpRoute", {})},
        "Route spec must set exactly one of", http({"prefix": "/"}), id="two-kinds",
    ),
    pytest.param(
        "http", http({"prefix": "api"}), "spec.httpRoute.match.prefix must start with '/'",
        http({"prefix": "/api"}), id="prefix-without-slash",
    ),
    pytest.param(
        "http2", route("http2Route", {"prefix": "api"}),
        "spec.http2Route.match.prefix must start with '/'",
        route("http2Route", {"prefix": "/api"}), id="http2-prefix-without-slash",
    ),
    *[
        pytest.param(
            router, route(kind, match, action={"weightedTargets": [
                target(weight=60), target("multi-node", weight=41, port=8080)]}),
            f"spec.{kind}.action.weightedTargets: the total weight for all targets combined "
            "must be less than or equal to 100, not 101",
            route(kind, match, action={"weightedTargets": [
                target(weight=60), target("multi-node", weight=40, port=8080)]}),
            id=f"{kind}-weights-over-100",
        )
        for router, kind, match in (
            ("http", "httpRoute", {"prefix": "/"}),
            ("grpc", "grpcRoute", {"serviceName": "pkg.Svc"}),
            ("tcp", "tcpRoute", {}),
        )
    ],
    pytest.param(
        "grpc", grpc({"methodName": "Get"}),
        "spec.grpcRoute.match.serviceName is required when methodName is set",
        grpc({"methodName": "Get", "serviceName": "pkg.Svc"}), id="grpc-method-without-service",
    ),
    pytest.param(
        "http", http({"prefix": "/"}, retryPolicy=retry()),
        "spec.httpRoute.retryPolicy must set at least one of httpRetryEvents, tcpRetryEvents",
        http({"prefix": "/"}, retryPolicy=retry(tcpRetryEvents=["connection-error"])),
        id="http-retry-without-events",
    ),
    pytest.param(
        "http", http({"prefix": "/"}, retryPolicy=retry(httpRetryEvents=["server-error", "5xx"])),
        "spec.httpRoute.retryPolicy.httpRetryEvents[1] must be one of client-error",
        http({"prefix": "/"}, retryPolicy=retry(httpRetryEvents=[
            "server-error", "gateway-error", "client-error", "stream-error"])),
        id="http-retry-unknown-event",
    ),
    pytest.param(
        "grpc", grpc({"serviceName": "s"}, retryPolicy=retry()),
        "spec.grpcRoute.retryPolicy must set at least one of grpcRetryEvents, httpRetryEvents",
        grpc({"serviceName": "s"}, retryPolicy=retry(grpcRetryEvents=["unavailable"])),
        id="grpc-retry-without-events",
    ),
    pytest.param(
        "multi", http({"prefix": "/"}),
        "Route must define a port match criteria if the Virtual Router has multiple listeners",
        http({"prefix": "/", "port": 8080}), id="no-port-on-multi-listener-router",
    ),
    pytest.param(
        "http", http({"prefix": "/"}, node="multi-node"),
        "spec.httpRoute.action.weightedTargets[0].port is required: VirtualNode multi-node",
        {"httpRoute": {"match": {"prefix": "/"},
                       "action": {"weightedTargets": [target("multi-node", port=8080)]}}},
        id="no-target-port-for-multi-listener-node",
    ),
]


@pytest.mark.parametrize(("router", "bad", "fragment", "good"), ROUTE_CASES)
def test_route_rules(
    appmesh_mock: MockAppMesh,
    client: Any,
    router: str,
    bad: dict[str, Any],
    fragment: str,
    good: dict[str, Any],
) -> None:
    names = {"meshName": M, "virtualRouterName": router}
    refused(appmesh_mock, lambda: client.create_route(**names, routeName="new", spec=bad),
            fragment)
    refused(appmesh_mock, lambda: client.update_route(**names, routeName="base", spec=bad),
            fragment)
    created = client.create_route(**names, routeName="new", spec=good)["route"]
    assert created["spec"] == good
    assert client.update_route(**names, routeName="base", spec=good)["route"]["spec"] == good


def test_scheme_on_an_http_route_is_accepted(client: Any) -> None:
    """The model says `scheme` is "Applicable only for HTTP2 routes"; nothing says an HTTP
    route carrying it is refused, so the mock keeps it as sent."""
    spec = http({"prefix": "/", "scheme": "https"})
    created = client.create_route(meshName=M, virtualRouterName="http", routeName="new", spec=spec)
    assert created["route"]["spec"] == spec


def test_router_with_portless_routes_cannot_gain_a_second_listener(
    appmesh_mock: MockAppMesh, client: Any
) -> None:
    two = {"listeners": [listener(8080, "http"), listener(8081, "http")]}
    refused(
        appmesh_mock,
        lambda: client.update_virtual_router(meshName=M, virtualRouterName="http", spec=two),
        "All Routes for this Virtual Router must define a port match before adding multiple "
        "listeners to this Virtual Router. 1 Route(s) are missing port. Listing up to 5 route "
        "names: [base]",
    )
    three = {"listeners": [*ROUTERS["multi"][0], listener(8082, "http")]}
    updated = client.update_virtual_router(meshName=M, virtualRouterName="multi", spec=three)
    assert updated["virtualRouter"]["spec"] == three


# Virtual nodes and gateways: listeners --------------------------------------------------------

POOLS = {
    "http": {"maxConnections": 10, "maxPendingRequests": 5},
    "http2": {"maxRequests": 10},
    "grpc": {"maxRequests": 10},
    "tcp": {"maxConnections": 10},
}
def _mismatched(protocols: list[str], member: str, values: dict[str, Any]) -> list[Any]:
    """One case per listener protocol: the member keyed by another protocol, then by its own."""
    cases = []
    for protocol in protocols:
        other = next(p for p in protocols if p != protocol)
        cases.append(pytest.param(
            [listener(8080, protocol, **{member: {other: values[other]}})],
            f"spec.listeners[0].{member}.{other} does not match the listener protocol {protocol}",
            [listener(8080, protocol, **{member: {protocol: values[protocol]}})],
            id=f"{member}-{other}-on-{protocol}",
        ))
    return cases


LISTENER_CASES = [
    # (listeners breaking the rule, message fragment, nearest valid listeners)
    pytest.param(
        [listener(8080, "http", healthCheck=health("http", port=8081, path="/ping"))],
        "spec.listeners[0].healthCheck.port must match the listener's portMapping.port (8080)",
        [listener(8080, "http", healthCheck=health("http", port=8080, path="/ping"))],
        id="health-check-port",
    ),
    pytest.param(
        [listener(8080, "http", healthCheck=health("grpc"))],
        "GRPC HealthCheck requires listener type of HTTP2 or GRPC.",
        [listener(8080, "http2", healthCheck=health("grpc"))], id="grpc-health-on-http",
    ),
    pytest.param(
        [listener(8080, "http", healthCheck=health("grpc"))],
        "GRPC HealthCheck requires listener type of HTTP2 or GRPC.",
        [listener(8080, "grpc", healthCheck=health("grpc"))], id="grpc-health-on-grpc",
    ),
]
NODE_CASES = [
    *LISTENER_CASES,
    *_mismatched(["http", "http2", "grpc", "tcp"], "connectionPool", POOLS),
]
GATEWAY_CASES = [
    *LISTENER_CASES,
    *_mismatched(["http", "http2", "grpc"], "connectionPool", POOLS),
]


@pytest.mark.parametrize(("bad", "fragment", "good"), NODE_CASES)
def test_virtual_node_listener_rules(
    appmesh_mock: MockAppMesh,
    client: Any,
    bad: list[dict[str, Any]],
    fragment: str,
    good: list[dict[str, Any]],
) -> None:
    names = {"meshName": M, "virtualNodeName": "n"}
    refused(appmesh_mock, lambda: client.create_virtual_node(
        meshName=M, virtualNodeName="new", spec=node(*bad)), fragment)
    refused(appmesh_mock, lambda: client.update_virtual_node(**names, spec=node(*bad)), fragment)
    created = client.create_virtual_node(meshName=M, virtualNodeName="new", spec=node(*good))
    assert created["virtualNode"]["spec"] == node(*good)


@pytest.mark.parametrize(("bad", "fragment", "good"), GATEWAY_CASES)
def test_virtual_gateway_listener_rules(
    appmesh_mock: MockAppMesh,
    client: Any,
    bad: list[dict[str, Any]],
    fragment: str,
    good: list[dict[str, Any]],
) -> None:
    refused(appmesh_mock, lambda: client.create_virtual_gateway(
        meshName=M, virtualGatewayName="new", spec=gateway(*bad)), fragment)
    refused(appmesh_mock, lambda: client.update_virtual_gateway(
        meshName=M, virtualGatewayName="gw", spec=gateway(*bad)), fragment)
    created = client.create_virtual_gateway(
        meshName=M, virtualGatewayName="new", spec=gateway(*good)
    )
    assert created["virtualGateway"]["spec"] == gateway(*good)


@pytest.mark.parametrize(
    ("bad", "fragment", "good"),
    [
        pytest.param(
            {"listeners": [listener(8080, "http")]},
            "spec.serviceDiscovery is required when spec.listeners are given",
            node(listener(8080, "http")), id="listeners-without-service-discovery",
        ),
    ],
)
def test_virtual_node_spec_rules(
    appmesh_mock: MockAppMesh,
    client: Any,
    bad: dict[str, Any],
    fragment: str,
    good: dict[str, Any],
) -> None:
    refused(appmesh_mock, lambda: client.create_virtual_node(
        meshName=M, virtualNodeName="new", spec=bad), fragment)
    refused(appmesh_mock, lambda: client.update_virtual_node(
        meshName=M, virtualNodeName="n", spec=bad), fragment)
    created = client.create_virtual_node(meshName=M, virtualNodeName="new", spec=good)
    assert created["virtualNode"]["spec"] == good


def test_health_check_path_on_tcp_is_accepted(client: Any) -> None:
    """The model says `path` "is ignored" for protocols other than http and http2."""
    spec = node(listener(7000, "tcp", healthCheck=health("tcp", path="/ping")))
    created = client.create_virtual_node(meshName=M, virtualNodeName="new", spec=spec)
    assert created["virtualNode"]["spec"] == spec


# Gateway routes -------------------------------------------------------------------------------

GATEWAY_ROUTE_CASES = [
    # (gateway, spec breaking the rule, message fragment, nearest valid spec)
    pytest.param(
        "gw", {}, "GatewayRoute spec must set exactly one of",
        gateway_route({"prefix": "/"}), id="no-kind",
    ),
    pytest.param(
        "gw", {**gateway_route({"prefix": "/"}), **gateway_route({"prefix": "/"}, "http2Route")},
        "GatewayRoute spec must set exactly one of", gateway_route({"prefix": "/"}),
        id="two-kinds",
    ),
    pytest.param(
        "gw", gateway_route({"prefix": "api"}), "spec.httpRoute.match.prefix must start with '/'",
        gateway_route({"prefix": "/api"}), id="prefix-without-slash",
    ),
    pytest.param(
        "multi-gw", gateway_route({"prefix": "/"}),
        "Gateway route must define a match port if the parent Virtual Gateway has multiple "
        "listeners",
        gateway_route({"prefix": "/", "port": 8081}), id="no-port-on-multi-listener-gateway",
    ),
    pytest.param(
        "gw", gateway_route({"prefix": "/"}, service="multi-node-svc"),
        "spec.httpRoute.action.target.port is required: VirtualNode multi-node, the provider "
        "of VirtualService multi-node-svc, has multiple listeners",
        {"httpRoute": {"match": {"prefix": "/"}, "action": {"target": {
            "virtualService": {"virtualServiceName": "multi-node-svc"}, "port": 8080}}}},
        id="no-target-port-for-multi-listener-node",
    ),
    pytest.param(
        "gw", gateway_route({"prefix": "/"}, service="multi-router-svc"),
        "spec.httpRoute.action.target.port is required: VirtualRouter multi",
        {"httpRoute": {"match": {"prefix": "/"}, "action": {"target": {
            "virtualService": {"virtualServiceName": "multi-router-svc"}, "port": 8080}}}},
        id="no-target-port-for-multi-listener-router",
    ),
]


@pytest.mark.parametrize(("gateway_name", "bad", "fragment", "good"), GATEWAY_ROUTE_CASES)
def test_gateway_route_rules(
    appmesh_mock: MockAppMesh,
    client: Any,
    gateway_name: str,
    bad: dict[str, Any],
    fragment: str,
    good: dict[str, Any],
) -> None:
    names = {"meshName": M, "virtualGatewayName": gateway_name}
    refused(appmesh_mock, lambda: client.create_gateway_route(
        **names, gatewayRouteName="new", spec=bad), fragment)
    refused(appmesh_mock, lambda: client.update_gateway_route(
        **names, gatewayRouteName="base", spec=bad), fragment)
    created = client.create_gateway_route(**names, gatewayRouteName="new", spec=good)
    assert created["gatewayRoute"]["spec"] == good
    updated = client.update_gateway_route(**names, gatewayRouteName="base", spec=good)
    assert updated["gatewayRoute"]["spec"] == good


# Names -----------------------------------------------------------------------------------------


NAME_CASES = [
    # [O RM#101] a name is a URI label of every later call. An empty virtualServiceName passes
    # botocore's checks (the model sets no minimum); "a/b" passes them too, as ResourceName has
    # only a length range. Control characters are accepted (tests/test_relaxed_rules.py).
    ("create_virtual_service", "virtualServiceName", {}, ""),
    *[
        (operation, member, spec, name)
        for operation, member, spec in (
            ("create_virtual_service", "virtualServiceName", {}),
            ("create_virtual_router", "virtualRouterName", {"listeners": [listener(80, "http")]}),
            ("create_virtual_node", "virtualNodeName", {}),
        )
        for name in ("a/b",)
    ],
]


@pytest.mark.parametrize(("operation", "member", "spec", "name"), NAME_CASES)
def test_names_that_cannot_be_addressed_are_refused(
    appmesh_mock: MockAppMesh,
    client: Any,
    operation: str,
    member: str,
    spec: dict[str, Any],
    name: str,
) -> None:
    call = getattr(client, operation)
    refused(appmesh_mock, lambda: call(meshName=M, **{member: name}, spec=spec),
            "must not be empty or contain '/'")
    assert call(meshName=M, **{member: "a.b-c_d"}, spec=spec)


# The original API (2018-10-01) ------------------------------------------------------------------


@pytest.fixture
def legacy(appmesh_mock: MockAppMesh) -> Any:
    c = boto3.client("appmesh", region_name="us-east-1", api_version="2018-10-01")
    c.create_mesh(meshName=M)
    dns = {"dns": {"serviceName": "n.local"}}
    c.create_virtual_node(meshName=M, virtualNodeName="n", spec={"serviceDiscovery": dns})
    c.create_virtual_router(meshName=M, virtualRouterName="r", spec={"serviceNames": ["s"]})
    return c


LEGACY_DNS = {"dns": {"serviceName": "n.local"}}


@pytest.mark.parametrize(
    ("operation", "bad", "fragment", "good"),
    [
        pytest.param(
            "route", {"httpRoute": {"match": {"prefix": "api"}, "action": {
                "weightedTargets": [target()]}}},
            "spec.httpRoute.match.prefix must start with '/'",
            {"httpRoute": {"match": {"prefix": "/api"}, "action": {
                "weightedTargets": [target()]}}},
            id="route-prefix-without-slash",
        ),
        pytest.param(
            "route", {"httpRoute": {"match": {"prefix": "/"}, "action": {
                "weightedTargets": [{"weight": 1}]}}},
            "spec.httpRoute.action.weightedTargets[0].virtualNode is required",
            {"httpRoute": {"match": {"prefix": "/"}, "action": {
                "weightedTargets": [target()]}}},
            id="target-without-node",
        ),
        pytest.param(
            "route", {"httpRoute": {"match": {"prefix": "/"}, "action": {
                "weightedTargets": [target(weight=60), target(weight=60)]}}},
            "the total weight for all targets combined must be less than or equal to 100",
            {"httpRoute": {"match": {"prefix": "/"}, "action": {
                "weightedTargets": [target(weight=60), target(weight=40)]}}},
            id="route-weights-over-100",
        ),
        pytest.param(
            "node", {"listeners": [listener(8080, "http")]},
            "spec.serviceDiscovery is required when spec.listeners are given",
            {"listeners": [listener(8080, "http")], "serviceDiscovery": LEGACY_DNS},
            id="listeners-without-service-discovery",
        ),
        pytest.param(
            "node", {"listeners": [listener(8080, "http", healthCheck=health("tcp", port=80))],
                     "serviceDiscovery": LEGACY_DNS},
            "spec.listeners[0].healthCheck.port must match",
            {"listeners": [listener(8080, "http", healthCheck=health("tcp", port=8080))],
             "serviceDiscovery": LEGACY_DNS},
            id="health-check-port",
        ),
    ],
)
def test_legacy_api_rules(
    appmesh_mock: MockAppMesh,
    legacy: Any,
    operation: str,
    bad: dict[str, Any],
    fragment: str,
    good: dict[str, Any],
) -> None:
    create, update = {
        "route": (
            lambda spec: legacy.create_route(
                meshName=M, virtualRouterName="r", routeName="new", spec=spec),
            lambda spec: legacy.update_route(
                meshName=M, virtualRouterName="r", routeName="new", spec=spec),
        ),
        "node": (
            lambda spec: legacy.create_virtual_node(
                meshName=M, virtualNodeName="new", spec=spec),
            lambda spec: legacy.update_virtual_node(meshName=M, virtualNodeName="n", spec=spec),
        ),
        "router": (
            lambda spec: legacy.create_virtual_router(
                meshName=M, virtualRouterName="new", spec=spec),
            lambda spec: legacy.update_virtual_router(
                meshName=M, virtualRouterName="r", spec=spec),
        ),
    }[operation]
    refused(appmesh_mock, lambda: create(bad), fragment)
    created = create(good)
    assert next(v for k, v in created.items() if k != "ResponseMetadata")["spec"] == good
    refused(appmesh_mock, lambda: update(bad), fragment)
