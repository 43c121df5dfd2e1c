"""Virtual nodes: the logical pointers to a service's tasks or pods."""

from __future__ import annotations

from typing import Any

from ..backend.kinds import ROUTE, VIRTUAL_NODE, VIRTUAL_SERVICE
from ..backend.resources import MeshState, Resource, Spec
from ..backend.specs import backend_count
from ..errors import LimitExceededException, ResourceInUseException
from . import lifecycle, rules, views
from .context import RequestContext
from .table import operation


def _check(ctx: RequestContext, name: str, spec: Spec) -> None:
    rules.check_name(VIRTUAL_NODE.title, name)
    rules.check_virtual_node_spec(spec)
    limit = ctx.quotas["backends_per_virtual_node"]
    if backend_count(spec) > limit:  # [UG service quotas]
        raise LimitExceededException(f"VirtualNode {name} has more than {limit} backends")


def _view(ctx: RequestContext, node: Resource) -> dict[str, Any]:
    """Describe and delete show `backends: []` even when none were given; create and update
    echo the spec as sent."""
    out = views.describe(node)
    spec = out.get("spec")
    if spec is not None and "backends" not in spec:
        out["spec"] = {**spec, "backends": []}
    return out


@operation("CreateVirtualNode")
def create_virtual_node(
    ctx: RequestContext,
    mesh_name: str,
    virtual_node_name: str,
    spec: Spec,
    tags: list[dict[str, str]] | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh = lifecycle.find_mesh(ctx, mesh_name, mesh_owner)
    _check(ctx, virtual_node_name, spec)
    node = lifecycle.create(ctx, mesh, VIRTUAL_NODE, virtual_node_name, spec, tags)
    return {"virtualNode": views.describe(node)}


@operation("DescribeVirtualNode")
def describe_virtual_node(
    ctx: RequestContext, mesh_name: str, virtual_node_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    _, node = lifecycle.locate(ctx, VIRTUAL_NODE, mesh_name, virtual_node_name, mesh_owner)
    return {"virtualNode": _view(ctx, node)}


@operation("UpdateVirtualNode")
def update_virtual_node(
    ctx: RequestContext,
    mesh_name: str,
    virtual_node_name: str,
    spec: Spec,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    mesh, node = lifecycle.locate(ctx, VIRTUAL_NODE, mesh_name, virtual_node_name, mesh_owner)
    lifecycle.check_writer(ctx, node)
    _check(ctx, virtual_node_name, spec)
    return {"virtualNode": views.describe(lifecycle.update(ctx, mesh, node, spec))}


def _users(mesh: MeshState, name: str) -> str | None:
    """Why the node cannot go: a route targets it, or a virtual service it provides (from the
    mesh's reverse index: O(references), not O(mesh))."""
    users = mesh.links.users(VIRTUAL_NODE.key, name)
    for user in users:
        if user.kind is VIRTUAL_SERVICE:
            return f"it is the provider of VirtualService {user.name}"
    if any(user.kind is ROUTE for user in users):
        return "it is the target of one or more routes."
    return None


@operation("DeleteVirtualNode")
def delete_virtual_node(
    ctx: RequestContext, mesh_name: str, virtual_node_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    mesh, node = lifecycle.locate(ctx, VIRTUAL_NODE, mesh_name, virtual_node_name, mesh_owner)
    lifecycle.check_deleter(ctx, node)
    reason = _users(mesh, virtual_node_name)
    if reason:  # [M DeleteVirtualNode doc; O TF #38444 message]
        raise ResourceInUseException(
            f"VirtualNode with name {virtual_node_name} cannot be deleted because {reason}"
        )
    lifecycle.delete(ctx, mesh, node)
    return {"virtualNode": _view(ctx, node)}


@operation("ListVirtualNodes")
def list_virtual_nodes(
    ctx: RequestContext,
    mesh_name: str,
    limit: int | None = None,
    next_token: str | None = None,
    mesh_owner: str | None = None,
) -> dict[str, Any]:
    return lifecycle.list_kind(ctx, VIRTUAL_NODE, mesh_name, limit, next_token, mesh_owner)
