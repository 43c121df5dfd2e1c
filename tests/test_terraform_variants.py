"""Every spec variant the Terraform AWS provider's App Mesh acceptance tests send to the real
service is accepted here too, and Describe echoes it back unchanged, after a create and after
an update (the provider applies its "updated" configurations with Update* calls).

The variants live in tf_route_variants.py and tf_resource_variants.py. Those acceptance tests
pass against AWS, so a refusal here is a mock rule that AWS does not have.
"""

from __future__ import annotations

from typing import Any

import pytest
from tf_resource_variants import (
    GATEWAYS,
    MESHES,
    NODES,
    PROVIDER_NODE,
    PROVIDER_ROUTER,
    ROUTERS,
    SERVICES,
    listener,
)
from tf_route_variants import (
    GATEWAY_ROUTES,
    MULTI_SERVICE,
    NODE_A,
    NODE_B,
    ROUTES,
    SERVICE_A,
    SERVICE_B,
)

Spec = dict[str, Any]
MESH, ROUTER, GATEWAY = "tf-mesh", "tf-router", "tf-gateway"

# kind -> (operation suffix, name member, parent members, output key)
KINDS: dict[str, tuple[str, str, dict[str, str], str]] = {
    "mesh": ("mesh", "meshName", {}, "mesh"),
    "virtualNode": ("virtual_node", "virtualNodeName", {"meshName": MESH}, "virtualNode"),
    "virtualRouter": ("virtual_router", "virtualRouterName", {"meshName": MESH}, "virtualRouter"),
    "virtualService": ("virtual_service", "virtualServiceName", {"meshName": MESH},
                       "virtualService"),
    "virtualGateway": ("virtual_gateway", "virtualGatewayName", {"meshName": MESH},
                       "virtualGateway"),
    "route": ("route", "routeName", {"meshName": MESH, "virtualRouterName": ROUTER}, "route"),
    "gatewayRoute": ("gateway_route", "gatewayRouteName",
                     {"meshName": MESH, "virtualGatewayName": GATEWAY}, "gatewayRoute"),
}


def dns(host: str) -> Spec:
    return {"dns": {"hostname": host}}


def prepare(client: Any, kind: str, protocol: str) -> None:
    """What the provider's test configurations create before the resource under test."""
    if kind == "mesh":
        return
    client.create_mesh(meshName=MESH)
    if kind == "route":
        client.create_virtual_router(meshName=MESH, virtualRouterName=ROUTER,
                                     spec={"listeners": [listener(8080, protocol)]})
        for name in (NODE_A, NODE_B):
            client.create_virtual_node(meshName=MESH, virtualNodeName=name, spec={
                "listeners": [listener(8080, protocol)], "serviceDiscovery": dns(f"{name}.local")})
    elif kind == "gatewayRoute":
        client.create_virtual_gateway(meshName=MESH, virtualGatewayName=GATEWAY,
                                      spec={"listeners": [listener(8080, protocol)]})
        for name in (SERVICE_A, SERVICE_B):
            client.create_virtual_service(meshName=MESH, virtualServiceName=name, spec={})
        client.create_virtual_node(meshName=MESH, virtualNodeName="tf-multi-node", spec={
            "listeners": [listener(8080, protocol), listener(8081, protocol)],
            "serviceDiscovery": dns("multi.local")})
        client.create_virtual_service(meshName=MESH, virtualServiceName=MULTI_SERVICE, spec={
            "provider": {"virtualNode": {"virtualNodeName": "tf-multi-node"}}})
    elif kind == "virtualService":
        client.create_virtual_node(meshName=MESH, virtualNodeName=PROVIDER_NODE, spec={})
        client.create_virtual_router(meshName=MESH, virtualRouterName=PROVIDER_ROUTER,
                                     spec={"listeners": [listener(8080, "http")]})


def described(kind: str, spec: Spec) -> Spec:
    """What Describe shows for `spec`: a virtual node's gains `backends: []` when it had none,
    as the recorded describe and delete outputs of the service show (appmesh-behaviour.md §6)."""
    if kind == "virtualNode" and "backends" not in spec:
        return {**spec, "backends": []}
    return spec


def call(client: Any, verb: str, kind: str, name: str, **extra: Any) -> Spec:
    suffix, name_member, parents, key = KINDS[kind]
    answer: Spec = getattr(client, f"{verb}_{suffix}")(**parents, **{name_member: name}, **extra)
    return dict(answer[key])



CASES = [
    *[pytest.param("mesh", "", spec, id=f"mesh-{name}") for name, spec in MESHES],
    *[pytest.param("virtualNode", "", spec, id=f"node-{name}") for name, spec in NODES],
    *[pytest.param("virtualRouter", "", spec, id=f"router-{name}") for name, spec in ROUTERS],
    *[pytest.param("virtualService", "", spec, id=f"service-{name}") for name, spec in SERVICES],
    *[pytest.param("virtualGateway", "", spec, id=f"gateway-{name}") for name, spec in GATEWAYS],
    *[pytest.param("route", protocol, spec, id=f"route-{name}")
      for name, protocol, spec in ROUTES],
    *[pytest.param("gatewayRoute", protocol, spec, id=f"gateway-route-{name}")
      for name, protocol, spec in GATEWAY_ROUTES],
]


@pytest.mark.parametrize(("kind", "protocol", "spec"), CASES)
def test_a_terraform_variant_is_accepted_and_echoed(
    appmesh_client: Any, kind: str, protocol: str, spec: Spec
) -> None:
    prepare(appmesh_client, kind, protocol)
    created = call(appmesh_client, "create", kind, "tf-under-test", spec=spec)
    assert created["spec"] == spec
    assert created["status"]["status"] == "ACTIVE"
    assert call(appmesh_client, "describe", kind, "tf-under-test")["spec"] == described(kind, spec)

    updated = call(appmesh_client, "update", kind, "tf-under-test", spec=spec)
    assert updated["spec"] == spec
    assert updated["metadata"]["version"] == 2
    assert call(appmesh_client, "describe", kind, "tf-under-test")["spec"] == described(kind, spec)


def test_the_variants_cover_what_the_provider_tests_send() -> None:
    """A guard against the lists quietly shrinking: the features the issue names are there."""
    ids = {param.id for param in CASES}
    for expected in (
        "route-http-query-parameter", "route-http2-path-exact-without-prefix",
        "route-grpc-empty-match", "route-tcp-port-match", "route-http-retry-max-0",
        "route-grpc-retry-max-0", "route-http-weights-99-and-0", "route-http-priority-1000",
        "node-empty-spec", "service-empty-spec", "node-cloud-map-with-attributes",
        "node-backend-client-policy-acm-trust", "node-access-log-json",
        "gateway-route-http-hostname-exact", "gateway-route-http2-rewrite-disabled",
        "gateway-route-grpc-target-port", "gateway-two-listeners-strict",
    ):
        assert expected in ids
    assert len(ids) == len(CASES)
