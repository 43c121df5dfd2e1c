"""The API-shaped state document read back through boto3 list and describe calls, as a user
without `MockAppMesh.export()` would build it. It also checks the shared format: one kind key
per item, Describe output exactly, tags as a list, epoch timestamps, dependency order."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

# Dependency order: each kind only refers to kinds listed before it.
ORDER = (
    ("virtualNode", "list_virtual_nodes", "virtualNodes", "describe_virtual_node"),
    ("virtualRouter", "list_virtual_routers", "virtualRouters", "describe_virtual_router"),
    ("route", None, None, "describe_route"),
    ("virtualService", "list_virtual_services", "virtualServices", "describe_virtual_service"),
    ("virtualGateway", "list_virtual_gateways", "virtualGateways", "describe_virtual_gateway"),
    ("gatewayRoute", None, None, "describe_gateway_route"),
)
NAME = {
    "virtualNode": "virtualNodeName",
    "virtualRouter": "virtualRouterName",
    "route": "routeName",
    "virtualService": "virtualServiceName",
    "virtualGateway": "virtualGatewayName",
    "gatewayRoute": "gatewayRouteName",
}
CHILDREN = {
    "route": ("virtualRouter", "list_routes", "routes"),
    "gatewayRoute": ("virtualGateway", "list_gateway_routes", "gatewayRoutes"),
}


def _epoch(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: _epoch(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_epoch(v) for v in value]
    return value


def _pages(client: Any, operation: str, member: str, **params: Any) -> list[dict[str, Any]]:
    paginator = client.get_paginator(operation)
    return [ref for page in paginator.paginate(**params) for ref in page[member]]


def _item(client: Any, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    tags = client.list_tags_for_resource(resourceArn=body["metadata"]["arn"])["tags"]
    return {kind: _epoch(body), "tags": tags}


def state_document(client: Any) -> dict[str, Any]:
    """Every mesh the client's account sees, in the shared document format."""
    resources: list[dict[str, Any]] = []
    for mesh_ref in _pages(client, "list_meshes", "meshes"):
        owner = {"meshName": mesh_ref["meshName"], "meshOwner": mesh_ref["meshOwner"]}
        resources.append(_item(client, "mesh", client.describe_mesh(**owner)["mesh"]))
        parents: dict[str, list[str]] = {}
        for kind, lister, member, describer in ORDER:
            if kind in CHILDREN:
                parent_kind, lister, member = CHILDREN[kind]
                calls = [
                    ({NAME[parent_kind]: parent}, ref)
                    for parent in parents[parent_kind]
                    for ref in _pages(
                        client, lister, member, **owner, **{NAME[parent_kind]: parent}
                    )
                ]
            else:
                assert lister is not None and member is not None
                calls = [({}, ref) for ref in _pages(client, lister, member, **owner)]
            parents[kind] = []
            for extra, ref in calls:
                names = {**extra, NAME[kind]: ref[NAME[kind]]}
                body = getattr(client, describer)(**owner, **names)[kind]
                resources.append(_item(client, kind, body))
                parents[kind].append(ref[NAME[kind]])
    document = {"resources": resources}
    for item in resources:
        assert len([k for k in item if k != "tags"]) == 1, item
    assert json.loads(json.dumps(document)) == document  # plain JSON all the way down
    return document
