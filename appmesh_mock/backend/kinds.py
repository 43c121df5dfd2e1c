"""The seven App Mesh resource kinds and what distinguishes them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str  # the ARN segment and the model's member prefix, e.g. "virtualNode"
    title: str  # as the service names it in messages, e.g. "VirtualNode"
    name_member: str  # the model member holding the name, e.g. "virtualNodeName"
    output_member: str  # the output member wrapping one resource, e.g. "virtualNode"
    list_member: str  # the list output's member, e.g. "virtualNodes"
    quota: str  # the quota bounding how many may exist in their parent
    parent: Kind | None = None  # a route lives in a router, a gateway route in a gateway


MESH = Kind("mesh", "Mesh", "meshName", "mesh", "meshes", "meshes_per_account")
VIRTUAL_NODE = Kind(
    "virtualNode",
    "VirtualNode",
    "virtualNodeName",
    "virtualNode",
    "virtualNodes",
    "virtual_nodes_per_mesh",
)
VIRTUAL_ROUTER = Kind(
    "virtualRouter",
    "VirtualRouter",
    "virtualRouterName",
    "virtualRouter",
    "virtualRouters",
    "virtual_routers_per_mesh",
)
VIRTUAL_SERVICE = Kind(
    "virtualService",
    "VirtualService",
    "virtualServiceName",
    "virtualService",
    "virtualServices",
    "virtual_services_per_mesh",
)
VIRTUAL_GATEWAY = Kind(
    "virtualGateway",
    "VirtualGateway",
    "virtualGatewayName",
    "virtualGateway",
    "virtualGateways",
    "virtual_gateways_per_mesh",
)
ROUTE = Kind(
    "route",
    "Route",
    "routeName",
    "route",
    "routes",
    "routes_per_virtual_router",
    parent=VIRTUAL_ROUTER,
)
GATEWAY_ROUTE = Kind(
    "gatewayRoute",
    "GatewayRoute",
    "gatewayRouteName",
    "gatewayRoute",
    "gatewayRoutes",
    "gateway_routes_per_virtual_gateway",
    parent=VIRTUAL_GATEWAY,
)

MESH_CHILDREN = (VIRTUAL_NODE, VIRTUAL_ROUTER, VIRTUAL_SERVICE, VIRTUAL_GATEWAY)
ALL_KINDS = (MESH, *MESH_CHILDREN, ROUTE, GATEWAY_ROUTE)

# Routes live in a router and gateway routes in a gateway: the kind nested in each parent kind.
NESTED_IN: dict[str, Kind] = {VIRTUAL_ROUTER.key: ROUTE, VIRTUAL_GATEWAY.key: GATEWAY_ROUTE}

# A virtual service's `provider` names one of these, under the kind's key.
PROVIDER_KINDS: dict[str, Kind] = {kind.key: kind for kind in (VIRTUAL_NODE, VIRTUAL_ROUTER)}
