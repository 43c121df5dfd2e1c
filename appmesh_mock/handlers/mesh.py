"""Meshes: the top-level resource, owned by one account in one region."""

from __future__ import annotations

from typing import Any

from ..backend.collection import Merged, Pageable, Snapshot
from ..backend.kinds import MESH, MESH_CHILDREN
from ..backend.resources import MeshState, Spec
from ..errors import ResourceInUseException
from . import lifecycle, rules, views
from .context import RequestContext
from .table import operation


@operation("CreateMesh")
def create_mesh(
    ctx: RequestContext,
    mesh_name: str,
    spec: Spec | None = None,
    tags: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    rules.check_name(MESH.title, mesh_name)
    mesh = lifecycle.create_mesh(ctx, mesh_name, spec if spec is not None else {}, tags)
    return {"mesh": views.describe(mesh.resource)}


@operation("DescribeMesh")
def describe_mesh(
    ctx: RequestContext, mesh_name: str, mesh_owner: str | None = None
) -> dict[str, Any]:
    return {"mesh": views.describe(lifecycle.find_mesh(ctx, mesh_name, mesh_owner).resource)}


@operation("UpdateMesh")
def update_mesh(ctx: RequestContext, mesh_name: str, spec: Spec | None = None) -> dict[str, Any]:
    mesh = lifecycle.find_mesh(ctx, mesh_name)
    lifecycle.check_writer(ctx, mesh.resource)
    # Update* replaces the whole spec; an absent one reads back as {}.
    lifecycle.update(ctx, mesh, mesh.resource, spec if spec is not None else {})
    return {"mesh": views.describe(mesh.resource)}


@operation("DeleteMesh")
def delete_mesh(ctx: RequestContext, mesh_name: str) -> dict[str, Any]:
    mesh = lifecycle.find_mesh(ctx, mesh_name)
    counts = mesh.count()
    for kind in MESH_CHILDREN:
        if counts.get(kind.key):  # [M DeleteMesh doc; O TF PR #11249 message, RM#147]
            raise ResourceInUseException(
                f"Mesh {mesh_name} for account {ctx.account_id} has active {kind.title}s, "
                f"please delete {kind.title}s before deleting the Mesh"
            )
    deleted = lifecycle.delete(ctx, mesh, mesh.resource)
    ctx.store.drop_shares(ctx.account_id, ctx.region, mesh_name)
    return {"mesh": views.describe(deleted)}


@operation("ListMeshes")
def list_meshes(
    ctx: RequestContext, limit: int | None = None, next_token: str | None = None
) -> dict[str, Any]:
    meshes: Pageable[MeshState] = ctx.backend.meshes
    shared = ctx.store.shared_with(ctx.account_id, ctx.region)
    if shared:
        # Shared meshes live in their owners' backends: merged with the caller's own in
        # creation order, a page at a time (the caller's own are never sorted again).
        others = []
        for owner, name in shared:
            found = ctx.store.backend(owner, ctx.region).meshes.get(name)
            if found is not None:
                others.append(found)
        meshes = Merged([ctx.backend.meshes, Snapshot(others)])
    refs, extra = lifecycle.listing(ctx, meshes, "meshes", limit, next_token)
    return {"meshes": refs, **extra}
