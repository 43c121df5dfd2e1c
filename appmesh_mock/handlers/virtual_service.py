"""Virtual services: names that clients call, provided by a virtual node or router."""

from __future__ import annotations

from typing import Any

from ..backend.kinds import GATEWAY_ROUTE, PROVIDER_KINDS, VIRTUAL_GATEWAY, VIRTUAL_SERVICE
from ..backend.resources import MeshState, Spec
from ..backend.specs import provider
from ..errors import ResourceInUseException
from . import lifecycle, rules, views
from .context import RequestContext
from .table import operation


def _check(mesh: MeshState, name: str, spec: Spec) -> None:
    rules.check_name(VIRTUAL_SERVICE.title, name)
    found = provider(spec)
    if found is not None:
        lifecycle.find(mesh, PROVIDER_KINDS[found[0]], found[1])


@operation("CreateVirtualService")
def create_virtual_service(
    ctx: RequestContext,
    mesh_name: str,
    virtual_service_name: str,
    spec: Spec,
    tags: list[dict[str, str]] | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh = lifecycle.find_mesh(ctx, mesh_name, mesh_owner)
    _check(mesh, virtual_service_name, spec)
    service = lifecycle.create(ctx, mesh, VIRTUAL_SERVICE, virtual_service_name, spec, tags)
    return {"virtualService": views.describe(service)}


@operation("DescribeVirtualService")
def describe_virtual_service(
    ctx: RequestContext, mesh_name: str, virtual_service_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    _, service = lifecycle.locate(ctx, VIRTUAL_SERVICE, mesh_name, virtual_service_name, mesh_owner)
    return {"virtualService": views.describe(service)}


@operation("UpdateVirtualService")
def update_virtual_service(
    ctx: RequestContext,
    mesh_name: str,
    virtual_service_name: str,
    spec: Spec,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, service = lifecycle.locate(
        ctx, VIRTUAL_SERVICE, mesh_name, virtual_service_name, mesh_owner
    )
    lifecycle.check_writer(ctx, service)
    _check(mesh, virtual_service_name, spec)
    return {"virtualService": views.describe(lifecycle.update(ctx, mesh, service, spec))}


def _gateway_routes_to(mesh: MeshState, name: str) -> list[str]:
    """"gateway/route" of each gateway route targeting the service, gateways in creation
    order and each one's routes in theirs (from the mesh's reverse index)."""
    users = mesh.links.users(VIRTUAL_SERVICE.key, name)
    if not users:
        return []
    gateways = mesh.children(VIRTUAL_GATEWAY)
    found = [
        (gateway.seq, route.seq, f"{gateway.name}/{route.name}")
        for route in users
        if route.kind is GATEWAY_ROUTE
        and (gateway := gateways.get(route.parent_name or "")) is not None
    ]
    return [label for _, _, label in sorted(found)]


@operation("DeleteVirtualService")
def delete_virtual_service(
    ctx: RequestContext, mesh_name: str, virtual_service_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    mesh, service = lifecycle.locate(
        ctx, VIRTUAL_SERVICE, mesh_name, virtual_service_name, mesh_owner
    )
    lifecycle.check_deleter(ctx, service)
    users = _gateway_routes_to(mesh, virtual_service_name)
    if users:  # [UG virtual_services; O aws-nuke #913 message]
        raise ResourceInUseException(
            f"VirtualService {virtual_service_name} is being referenced in the following: "
            f"GATEWAY_ROUTE: [{', '.join(users)}]"
        )
    lifecycle.delete(ctx, mesh, service)
    return {"virtualService": views.describe(service)}


@operation("ListVirtualServices")
def list_virtual_services(
    ctx: RequestContext,
    mesh_name: str,
    limit: int | None = None,
    next_token: str | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    return lifecycle.list_kind(ctx, VIRTUAL_SERVICE, mesh_name, limit, next_token, mesh_owner)
