"""Routes: how a virtual router spreads traffic over virtual nodes."""

from __future__ import annotations

from typing import Any

from ..backend.kinds import ROUTE, VIRTUAL_NODE, VIRTUAL_ROUTER
from ..backend.resources import MeshState, Resource, Spec
from ..backend.specs import route_targets
from ..errors import LimitExceededException
from . import lifecycle, rules, views
from .context import RequestContext
from .table import operation


def _check(ctx: RequestContext, mesh: MeshState, router: Resource, name: str, spec: Spec) -> None:
    rules.check_name(ROUTE.title, name)
    rules.check_route_spec(spec, router)
    targets = route_targets(spec)
    limit = ctx.quotas["weighted_targets_per_route"]
    if len(targets) > limit:  # [UG service quotas]
        raise LimitExceededException(f"Route {name} has more than {limit} weighted targets")
    for target in targets:
        lifecycle.find(mesh, VIRTUAL_NODE, target)
    rules.check_route_targets(spec, mesh)


@operation("CreateRoute")
def create_route(
    ctx: RequestContext,
    mesh_name: str,
    virtual_router_name: str,
    route_name: str,
    spec: Spec,
    tags: list[dict[str, str]] | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, router = lifecycle.locate(ctx, VIRTUAL_ROUTER, mesh_name, virtual_router_name, mesh_owner)
    _check(ctx, mesh, router, route_name, spec)
    route = lifecycle.create(ctx, mesh, ROUTE, route_name, spec, tags, parent=router)
    return {"route": views.describe(route)}


@operation("DescribeRoute")
def describe_route(
    ctx: RequestContext,
    mesh_name: str,
    virtual_router_name: str,
    route_name: str,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    _, route = lifecycle.locate(ctx, ROUTE, mesh_name, route_name, mesh_owner, virtual_router_name)
    return {"route": views.describe(route)}


@operation("UpdateRoute")
def update_route(
    ctx: RequestContext,
    mesh_name: str,
    virtual_router_name: str,
    route_name: str,
    spec: Spec,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, router = lifecycle.locate(ctx, VIRTUAL_ROUTER, mesh_name, virtual_router_name, mesh_owner)
    route = lifecycle.find(mesh, ROUTE, route_name, router)
    lifecycle.check_writer(ctx, route)
    _check(ctx, mesh, router, route_name, spec)
    return {"route": views.describe(lifecycle.update(ctx, mesh, route, spec))}


@operation("DeleteRoute")
def delete_route(
    ctx: RequestContext,
    mesh_name: str,
    virtual_router_name: str,
    route_name: str,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, route = lifecycle.locate(
        ctx, ROUTE, mesh_name, route_name, mesh_owner, virtual_router_name
    )
    route = lifecycle.delete(ctx, mesh, route)
    return {"route": views.describe(route)}


@operation("ListRoutes")
def list_routes(
    ctx: RequestContext,
    mesh_name: str,
    virtual_router_name: str,
    limit: int | None = None,
    next_token: str | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    return lifecycle.list_kind(
        ctx, ROUTE, mesh_name, limit, next_token, mesh_owner, virtual_router_name
    )
