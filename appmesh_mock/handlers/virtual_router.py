"""Virtual routers: they hold routes and can provide a virtual service."""

from __future__ import annotations

from typing import Any

from ..backend.kinds import ROUTE, VIRTUAL_ROUTER, VIRTUAL_SERVICE
from ..backend.resources import Spec
from ..errors import ResourceInUseException
from . import lifecycle, rules, views
from .context import RequestContext
from .table import operation


@operation("CreateVirtualRouter")
def create_virtual_router(
    ctx: RequestContext,
    mesh_name: str,
    virtual_router_name: str,
    spec: Spec,
    tags: list[dict[str, str]] | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh = lifecycle.find_mesh(ctx, mesh_name, mesh_owner)
    rules.check_name(VIRTUAL_ROUTER.title, virtual_router_name)
    rules.check_virtual_router_spec(spec, [])
    router = lifecycle.create(ctx, mesh, VIRTUAL_ROUTER, virtual_router_name, spec, tags)
    return {"virtualRouter": views.describe(router)}


@operation("DescribeVirtualRouter")
def describe_virtual_router(
    ctx: RequestContext, mesh_name: str, virtual_router_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    _, router = lifecycle.locate(ctx, VIRTUAL_ROUTER, mesh_name, virtual_router_name, mesh_owner)
    return {"virtualRouter": views.describe(router)}


@operation("UpdateVirtualRouter")
def update_virtual_router(
    ctx: RequestContext,
    mesh_name: str,
    virtual_router_name: str,
    spec: Spec,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, router = lifecycle.locate(ctx, VIRTUAL_ROUTER, mesh_name, virtual_router_name, mesh_owner)
    lifecycle.check_writer(ctx, router)
    rules.check_virtual_router_spec(spec, list(mesh.children(ROUTE, router.name)))
    return {"virtualRouter": views.describe(lifecycle.update(ctx, mesh, router, spec))}


@operation("DeleteVirtualRouter")
def delete_virtual_router(
    ctx: RequestContext, mesh_name: str, virtual_router_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    mesh, router = lifecycle.locate(ctx, VIRTUAL_ROUTER, mesh_name, virtual_router_name, mesh_owner)
    lifecycle.check_deleter(ctx, router)
    lifecycle.check_no_nested(mesh, router)
    for service in mesh.links.users(VIRTUAL_ROUTER.key, virtual_router_name):
        if service.kind is VIRTUAL_SERVICE:  # [UG virtual_routers; O K8S #25 message]
            raise ResourceInUseException(
                f"VirtualRouter with name {virtual_router_name} cannot be deleted because it "
                f"is a VirtualService provider (VirtualService {service.name})"
            )
    lifecycle.delete(ctx, mesh, router)
    return {"virtualRouter": views.describe(router)}


@operation("ListVirtualRouters")
def list_virtual_routers(
    ctx: RequestContext,
    mesh_name: str,
    limit: int | None = None,
    next_token: str | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    return lifecycle.list_kind(ctx, VIRTUAL_ROUTER, mesh_name, limit, next_token, mesh_owner)
