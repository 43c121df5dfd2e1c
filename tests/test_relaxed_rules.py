"""What the service accepts although a client-side tool, the console or our own inference once
refused it here (docs/fidelity.md, "Accepted"). Each case is created and updated through boto3,
echoed, and read back unchanged; its source is cited beside it. The mesh is the one of
test_validation_rules.py (routers `http`, `grpc` and `multi`, gateways `gw` and `grpc-gw`,
node `n`, services `svc`...)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from test_validation_rules import (
    M,
    gateway,
    gateway_route,
    grpc,
    http,
    listener,
    node,
    route,
    topology,
)

from appmesh_mock import MockAppMesh

pytestmark = pytest.mark.appmesh_mock(quotas={"virtual_gateways_per_mesh": 4})

REVERSED = [{"name": "v", "match": {"range": {"start": 5, "end": 4}}}]
ONE_SECOND = {"unit": "s", "value": 1}


@pytest.fixture
def client(appmesh_mock: MockAppMesh, appmesh_client: Any) -> Any:
    topology(appmesh_client)
    return appmesh_client


ROUTES = [
    # [O realworld-meshes/cdk-integ-mesh.json]: the CDK integ runner deployed tcp, grpc and
    # http2 routes on an http router; the rule's only source was the console walkthrough.
    pytest.param("http", route("tcpRoute", {}), id="tcp-route-on-http-router"),
    pytest.param("http", grpc({"serviceName": "s"}), id="grpc-route-on-http-router"),
    pytest.param("http", route("http2Route", {"prefix": "/"}), id="http2-route-on-http-router"),
    pytest.param("grpc", http({"prefix": "/"}), id="http-route-on-grpc-router"),
    pytest.param("multi", http({"prefix": "/", "port": 9090}), id="port-names-a-grpc-listener"),
    # [K8S webhook only] path exact and regex together, or neither; [CDK] exact without "/".
    pytest.param("http", http({"path": {}}), id="path-without-method"),
    pytest.param("http", http({"path": {"exact": "/a", "regex": "/a.*"}}), id="path-both"),
    pytest.param("http", http({"path": {"exact": "a"}}), id="exact-path-without-slash"),
    # [I] a reversed range matches nothing; no source says the service refuses it.
    pytest.param("http", http({"prefix": "/", "headers": REVERSED}),
                 id="header-range-reversed"),
    pytest.param("grpc", grpc({"serviceName": "s", "metadata": REVERSED}),
                 id="metadata-range-reversed"),
]


@pytest.mark.parametrize(("router", "spec"), ROUTES)
def test_routes_the_service_accepts(client: Any, router: str, spec: dict[str, Any]) -> None:
    names = {"meshName": M, "virtualRouterName": router}
    assert client.create_route(**names, routeName="new", spec=spec)["route"]["spec"] == spec
    assert client.describe_route(**names, routeName="new")["route"]["spec"] == spec
    assert client.update_route(**names, routeName="base", spec=spec)["route"]["spec"] == spec


GATEWAY_ROUTES = [
    # [O realworld-meshes/ex-howto-multiple-listeners.json]: a match of only a port, deployed;
    # the K8S webhook and Terraform's AtLeastOneOf are client-side.
    pytest.param("gw", gateway_route({"port": 8080}), id="port-only-match"),
    pytest.param("gw", gateway_route({"method": "GET"}), id="method-only-match"),
    # [UG gateway-routes.md: notes on the console's Match prefix and Service name fields]
    pytest.param("gw", gateway_route({"prefix": "/aws-appmesh/x"}), id="reserved-prefix"),
    pytest.param("grpc-gw", gateway_route({"serviceName": "aws.appmesh"}, "grpcRoute"),
                 id="reserved-service-name"),
    # [CDK validateGrpcGatewayRouteMatch, K8S] client-side
    pytest.param("grpc-gw", gateway_route({}, "grpcRoute"), id="grpc-match-empty"),
    # [K8S] hostname exact|suffix, path exact|regex; [CDK] slashes in rewrites
    pytest.param("gw", gateway_route({"hostname": {"exact": "a.example.com",
                                                    "suffix": ".example.com"}}),
                 id="hostname-both"),
    pytest.param("grpc-gw", gateway_route({"hostname": {}}, "grpcRoute"), id="hostname-empty"),
    pytest.param("gw", gateway_route({"path": {"exact": "a"}}), id="exact-path-without-slash"),
    pytest.param("gw", gateway_route({"prefix": "/"}, rewrite={
        "prefix": {"defaultPrefix": "DISABLED"}, "path": {"exact": "/x"}}),
        id="rewrite-prefix-and-path"),
    pytest.param("gw", gateway_route({"prefix": "/v1/"}, rewrite={
        "prefix": {"defaultPrefix": "ENABLED", "value": "/v2/"}}),
        id="rewrite-default-prefix-and-value"),
    pytest.param("gw", gateway_route({"prefix": "/v1/"}, rewrite={"prefix": {"value": "v2"}}),
                 id="rewrite-value-without-slashes"),
    pytest.param("gw", gateway_route({"path": {"exact": "/old"}}, rewrite={
        "path": {"exact": "new"}}), id="rewrite-path-without-slash"),
    # [I]
    pytest.param("gw", gateway_route({"prefix": "/", "headers": REVERSED}),
                 id="header-range-reversed"),
]


@pytest.mark.parametrize(("gateway_name", "spec"), GATEWAY_ROUTES)
def test_gateway_routes_the_service_accepts(
    client: Any, gateway_name: str, spec: dict[str, Any]
) -> None:
    names = {"meshName": M, "virtualGatewayName": gateway_name}
    created = client.create_gateway_route(**names, gatewayRouteName="new", spec=spec)
    assert created["gatewayRoute"]["spec"] == spec
    described = client.describe_gateway_route(**names, gatewayRouteName="new")
    assert described["gatewayRoute"]["spec"] == spec
    updated = client.update_gateway_route(**names, gatewayRouteName="base", spec=spec)
    assert updated["gatewayRoute"]["spec"] == spec


NODES = [
    # [I] two listeners on one port: only our inference refused it.
    pytest.param(node(listener(8080, "http"), listener(8080, "tcp")), id="listeners-share-a-port"),
    # [UG console fields] a timeout keyed by another protocol than the listener's
    pytest.param(node(listener(8080, "http", timeout={"tcp": {"idle": ONE_SECOND}})),
                 id="tcp-timeout-on-http-listener"),
    pytest.param(node(listener(8080, "grpc", timeout={"http": {"perRequest": ONE_SECOND}})),
                 id="http-timeout-on-grpc-listener"),
    # [I, appmesh-behaviour §9.1] the model sets no minimum length on these names
    pytest.param({"backends": [{"virtualService": {"virtualServiceName": ""}}]},
                 id="backend-named-empty"),
    pytest.param({"serviceDiscovery": {"dns": {"hostname": ""}}}, id="dns-hostname-empty"),
]


@pytest.mark.parametrize("spec", NODES)
def test_virtual_nodes_the_service_accepts(client: Any, spec: dict[str, Any]) -> None:
    created = client.create_virtual_node(meshName=M, virtualNodeName="new", spec=spec)
    assert created["virtualNode"]["spec"] == spec
    updated = client.update_virtual_node(meshName=M, virtualNodeName="new", spec=spec)
    assert updated["virtualNode"]["spec"] == spec


def test_listeners_sharing_a_port_on_routers_and_gateways(client: Any) -> None:
    """[I] as for nodes: nothing observed says the service refuses it."""
    router = {"listeners": [listener(9090, "grpc"), listener(9090, "http2")]}
    created = client.create_virtual_router(meshName=M, virtualRouterName="new", spec=router)
    assert created["virtualRouter"]["spec"] == router
    same = gateway(listener(8080, "http"), listener(8080, "http2"))
    made = client.create_virtual_gateway(meshName=M, virtualGatewayName="new", spec=same)
    assert made["virtualGateway"]["spec"] == same


def test_a_gateway_with_portless_routes_may_gain_a_second_listener(client: Any) -> None:
    """[I] The service refuses this for routers (K8S #715) and refuses creating a portless
    gateway route on a gateway with several listeners (aws-cdk #22452); for the gateway's own
    update nothing was observed, so it is accepted. New gateway routes still need the port."""
    two = gateway(listener(8080, "http"), listener(8081, "http"))
    updated = client.update_virtual_gateway(meshName=M, virtualGatewayName="gw", spec=two)
    assert updated["virtualGateway"]["spec"] == two
    described = client.describe_gateway_route(
        meshName=M, virtualGatewayName="gw", gatewayRouteName="base")
    assert "port" not in described["gatewayRoute"]["spec"]["httpRoute"]["match"]


@pytest.mark.parametrize("name", ["a\nb", "a\x7fb", "tab\there"])
def test_names_with_control_characters(client: Any, name: str) -> None:
    """[I] they travel percent-encoded in the URI, unlike `/` (refused: RM#101), and can be
    described and deleted by the same name."""
    client.create_virtual_node(meshName=M, virtualNodeName=name, spec={})
    described = client.describe_virtual_node(meshName=M, virtualNodeName=name)
    assert described["virtualNode"]["virtualNodeName"] == name
    client.delete_virtual_node(meshName=M, virtualNodeName=name)


def test_the_original_api_accepts_empty_service_names(appmesh_mock: MockAppMesh) -> None:
    """[I, appmesh-behaviour §9.1] the 2018 ServiceName members have no minimum length."""
    legacy = boto3.client("appmesh", region_name="us-east-1", api_version="2018-10-01")
    legacy.create_mesh(meshName=M)
    for kind, member, spec in (
        ("virtual_node", "virtualNodeName", {"backends": ["a.local", ""]}),
        ("virtual_node", "virtualNodeName", {"serviceDiscovery": {"dns": {"serviceName": ""}}}),
        ("virtual_router", "virtualRouterName", {"serviceNames": [""]}),
    ):
        name = f"empty-{len(spec)}-{next(iter(spec))}"
        created = getattr(legacy, f"create_{kind}")(meshName=M, **{member: name}, spec=spec)
        assert next(v for k, v in created.items() if k != "ResponseMetadata")["spec"] == spec
