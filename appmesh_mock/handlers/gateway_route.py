"""Gateway routes: how a virtual gateway sends traffic to virtual services."""

from __future__ import annotations

from typing import Any

from ..backend.kinds import GATEWAY_ROUTE, VIRTUAL_GATEWAY, VIRTUAL_SERVICE
from ..backend.resources import MeshState, Spec
from ..backend.specs import gateway_route_target
from . import lifecycle, rules, views
from .context import RequestContext
from .table import operation
from .virtual_gateway import check_mesh_owner


def _check(mesh: MeshState, name: str, spec: Spec) -> None:
    rules.check_name(GATEWAY_ROUTE.title, name)
    rules.check_gateway_route_spec(spec)
    target = gateway_route_target(spec)
    if target is not None:
        lifecycle.find(mesh, VIRTUAL_SERVICE, target)


@operation("CreateGatewayRoute")
def create_gateway_route(
    ctx: RequestContext,
    mesh_name: str,
    virtual_gateway_name: str,
    gateway_route_name: str,
    spec: Spec,
    tags: list[dict[str, str]] | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, gateway = lifecycle.locate(
        ctx, VIRTUAL_GATEWAY, mesh_name, virtual_gateway_name, mesh_owner
    )
    check_mesh_owner(ctx, mesh, "gateway routes")
    _check(mesh, gateway_route_name, spec)
    rules.check_gateway_route_context(spec, gateway, mesh)
    route = lifecycle.create(ctx, mesh, GATEWAY_ROUTE, gateway_route_name, spec, tags, gateway)
    return {"gatewayRoute": views.describe(route)}


@operation("DescribeGatewayRoute")
def describe_gateway_route(
    ctx: RequestContext,
    mesh_name: str,
    virtual_gateway_name: str,
    gateway_route_name: str,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    _, route = lifecycle.locate(
        ctx, GATEWAY_ROUTE, mesh_name, gateway_route_name, mesh_owner, virtual_gateway_name
    )
    return {"gatewayRoute": views.describe(route)}


@operation("UpdateGatewayRoute")
def update_gateway_route(
    ctx: RequestContext,
    mesh_name: str,
    virtual_gateway_name: str,
    gateway_route_name: str,
    spec: Spec,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, gateway = lifecycle.locate(
        ctx, VIRTUAL_GATEWAY, mesh_name, virtual_gateway_name, mesh_owner
    )
    route = lifecycle.find(mesh, GATEWAY_ROUTE, gateway_route_name, gateway)
    lifecycle.check_writer(ctx, route)
    _check(mesh, gateway_route_name, spec)
    rules.check_gateway_route_context(spec, gateway, mesh)
    return {"gatewayRoute": views.describe(lifecycle.update(ctx, mesh, route, spec))}


@operation("DeleteGatewayRoute")
def delete_gateway_route(
    ctx: RequestContext,
    mesh_name: str,
    virtual_gateway_name: str,
    gateway_route_name: str,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, route = lifecycle.locate(
        ctx, GATEWAY_ROUTE, mesh_name, gateway_route_name, mesh_owner, virtual_gateway_name
    )
    return {"gatewayRoute": views.describe(lifecycle.delete(ctx, mesh, route))}


@operation("ListGatewayRoutes")
def list_gateway_routes(
    ctx: RequestContext,
    mesh_name: str,
    virtual_gateway_name: str,
    limit: int | None = None,
    next_token: str | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    return lifecycle.list_kind(
        ctx, GATEWAY_ROUTE, mesh_name, limit, next_token, mesh_owner, virtual_gateway_name
    )
