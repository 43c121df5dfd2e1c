"""Virtual services: names that clients call, provided by a virtual node or router."""

from __future__ import annotations

from typing import Any

from ..backend.kinds import GATEWAY_ROUTE, PROVIDER_KINDS, VIRTUAL_GATEWAY, VIRTUAL_SERVICE
from ..backend.resources import MeshState, Spec
from ..errors import ResourceInUseException
from . import lifecycle, rules, views
from .context import RequestContext
from .references import gateway_route_target, provider
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
    return {"virtualService": views.describe(lifecycle.update(ctx, service, spec))}


@operation("DeleteVirtualService")
def delete_virtual_service(
    ctx: RequestContext, mesh_name: str, virtual_service_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    mesh, service = lifecycle.locate(
        ctx, VIRTUAL_SERVICE, mesh_name, virtual_service_name, mesh_owner
    )
    lifecycle.check_deleter(ctx, service)
    users = [
        f"{gateway.name}/{route.name}"
        for gateway in mesh.children(VIRTUAL_GATEWAY)
        for route in mesh.children(GATEWAY_ROUTE, gateway.name)
        if gateway_route_target(route.spec) == virtual_service_name
    ]
    if users:
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
