"""Virtual gateways: ingress into a mesh, holding gateway routes."""

from __future__ import annotations

from typing import Any

from ..backend.kinds import VIRTUAL_GATEWAY
from ..backend.resources import MeshState, Spec
from ..errors import ForbiddenException
from . import lifecycle, rules, views
from .context import RequestContext
from .table import operation


def check_mesh_owner(ctx: RequestContext, mesh: MeshState, what: str) -> None:
    """Only a mesh's owner creates gateways and gateway routes in it [UG sharing; O UG PR #28]."""
    if mesh.resource.mesh_owner != ctx.account_id:
        raise ForbiddenException(
            f"only the owner of mesh {mesh.name} ({mesh.resource.mesh_owner}) can create {what}"
        )


@operation("CreateVirtualGateway")
def create_virtual_gateway(
    ctx: RequestContext,
    mesh_name: str,
    virtual_gateway_name: str,
    spec: Spec,
    tags: list[dict[str, str]] | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh = lifecycle.find_mesh(ctx, mesh_name, mesh_owner)
    check_mesh_owner(ctx, mesh, "virtual gateways")
    rules.check_name(VIRTUAL_GATEWAY.title, virtual_gateway_name)
    rules.check_virtual_gateway_spec(spec)
    gateway = lifecycle.create(ctx, mesh, VIRTUAL_GATEWAY, virtual_gateway_name, spec, tags)
    return {"virtualGateway": views.describe(gateway)}


@operation("DescribeVirtualGateway")
def describe_virtual_gateway(
    ctx: RequestContext, mesh_name: str, virtual_gateway_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    _, gateway = lifecycle.locate(ctx, VIRTUAL_GATEWAY, mesh_name, virtual_gateway_name, mesh_owner)
    return {"virtualGateway": views.describe(gateway)}


@operation("UpdateVirtualGateway")
def update_virtual_gateway(
    ctx: RequestContext,
    mesh_name: str,
    virtual_gateway_name: str,
    spec: Spec,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, gateway = lifecycle.locate(
        ctx, VIRTUAL_GATEWAY, mesh_name, virtual_gateway_name, mesh_owner
    )
    lifecycle.check_writer(ctx, gateway)
    rules.check_virtual_gateway_spec(spec)
    return {"virtualGateway": views.describe(lifecycle.update(ctx, mesh, gateway, spec))}


@operation("DeleteVirtualGateway")
def delete_virtual_gateway(
    ctx: RequestContext, mesh_name: str, virtual_gateway_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    mesh, gateway = lifecycle.locate(
        ctx, VIRTUAL_GATEWAY, mesh_name, virtual_gateway_name, mesh_owner
    )
    lifecycle.check_deleter(ctx, gateway)
    lifecycle.check_no_nested(mesh, gateway)
    lifecycle.delete(ctx, mesh, gateway)
    return {"virtualGateway": views.describe(gateway)}


@operation("ListVirtualGateways")
def list_virtual_gateways(
    ctx: RequestContext,
    mesh_name: str,
    limit: int | None = None,
    next_token: str | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    return lifecycle.list_kind(ctx, VIRTUAL_GATEWAY, mesh_name, limit, next_token, mesh_owner)
