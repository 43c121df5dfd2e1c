"""The life cycle every resource kind shares: find, create, update, delete, list.

Kind-specific rules (references, delete guards, spec checks) stay in each kind's module.
"""

from __future__ import annotations

import random
import re
from typing import Any

from ..backend.collection import Pageable
from ..backend.kinds import MESH, NESTED_IN, Kind
from ..backend.resources import MeshState, Resource, Spec
from ..errors import (
    ConflictException,
    ForbiddenException,
    LimitExceededException,
    NotFoundException,
    ResourceInUseException,
    TooManyTagsException,
)
from . import pagination, views
from .context import RequestContext


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def arn(ctx: RequestContext, account: str, path: str) -> str:
    return f"arn:{partition(ctx.region)}:appmesh:{ctx.region}:{account}:{path}"


def find_mesh(ctx: RequestContext, mesh_name: str, mesh_owner: str | None = None) -> MeshState:
    """The mesh the caller means: its own, or one `mesh_owner` shared with it."""
    owner = mesh_owner or ctx.account_id
    mesh = ctx.store.backend(owner, ctx.region).meshes.get(mesh_name)
    visible = owner == ctx.account_id or ctx.store.is_shared(
        owner, ctx.region, mesh_name, ctx.account_id
    )
    if mesh is None or not visible:  # [M error lists; O RM#173 message]
        raise NotFoundException(f"Mesh with name {mesh_name} is not present for account {owner}")
    return mesh


def find(mesh: MeshState, kind: Kind, name: str, parent: Resource | None = None) -> Resource:
    found = mesh.children(kind, parent.name if parent else None).get(name)
    if found is None:  # [M error lists; O RM#173 message]
        where = f"{parent.kind.title} {parent.name} in mesh" if parent else "mesh"
        raise NotFoundException(
            f"{kind.title} with name {name} is not present under {where} {mesh.name} "
            f"for account {mesh.resource.resource_owner}"
        )
    return found


def locate(
    ctx: RequestContext,
    kind: Kind,
    mesh_name: str,
    name: str,
    mesh_owner: str | None = None,
    parent_name: str | None = None,
) -> tuple[MeshState, Resource]:
    """The mesh and the resource a request names; a route's router (a gateway route's
    gateway) must exist first."""
    mesh = find_mesh(ctx, mesh_name, mesh_owner)
    parent = None
    if kind.parent is not None and parent_name is not None:
        parent = find(mesh, kind.parent, parent_name)
    return mesh, find(mesh, kind, name, parent)


# A generator of our own, seeded once from the OS: uuid4() makes a system call per resource,
# and a test that seeds the global `random` must not make uids repeat.
_uid_bits = random.Random().getrandbits
_VERSION_4 = (0xF000 << 64 | 0xC000 << 48, 0x4000 << 64 | 0x8000 << 48)  # mask, bits


def new_uid() -> str:
    """A random UUID in version-4 form, as the service's uids are."""
    mask, bits = _VERSION_4
    h = f"{_uid_bits(128) & ~mask | bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def tag_map(ctx: RequestContext, tags: list[dict[str, str]] | None) -> dict[str, str]:
    """Tags as given on create; over the quota nothing is created."""
    result = {tag["key"]: tag["value"] for tag in tags or ()}
    limit = ctx.quotas["tags_per_resource"]
    if len(result) > limit:  # [M TooManyTagsException: 50 user tags per resource]
        raise TooManyTagsException(f"a resource can have at most {limit} tags")
    return result


def _new(
    ctx: RequestContext,
    kind: Kind,
    name: str,
    mesh_name: str,
    mesh_owner: str,
    path: str,
    spec: Spec | None,
    tags: list[dict[str, str]] | None,
    parent_name: str | None = None,
) -> Resource:
    resource_arn = arn(ctx, mesh_owner if kind is MESH else ctx.account_id, path)
    if ctx.store.by_arn(resource_arn) is not None:
        # A consumer's resource in a shared mesh carries the consumer's account, so it could
        # take the ARN of one in the consumer's own mesh of the same name; tags name resources
        # by ARN alone, so two may not share one. [I, kept: accepting would merge two resources]
        raise ConflictException(
            f"{kind.title} {name} cannot be created: {resource_arn} already names a resource"
        )
    resource = Resource(
        kind=kind,
        name=name,
        mesh_name=mesh_name,
        parent_name=parent_name,
        arn=resource_arn,
        uid=new_uid(),
        mesh_owner=mesh_owner,
        resource_owner=ctx.account_id,
        created_at=ctx.now,
        last_updated_at=ctx.now,
        spec=spec,
        seq=ctx.store.next_seq(),
        tags=tag_map(ctx, tags),
    )
    ctx.store.index(resource)
    return resource


def create_mesh(
    ctx: RequestContext, name: str, spec: Spec | None, tags: list[dict[str, str]] | None
) -> MeshState:
    meshes = ctx.backend.meshes
    if name in meshes:  # [O RM#106: "a resource with the specified name already exists"]
        raise ConflictException(
            f"Mesh with name {name} already exists for account {ctx.account_id}"
        )
    _check_quota(ctx, MESH, len(meshes), f"account {ctx.account_id}")
    resource = _new(ctx, MESH, name, name, ctx.account_id, f"mesh/{name}", spec, tags)
    mesh = MeshState(resource)
    meshes.add(mesh)
    return mesh


def create(
    ctx: RequestContext,
    mesh: MeshState,
    kind: Kind,
    name: str,
    spec: Spec | None,
    tags: list[dict[str, str]] | None,
    parent: Resource | None = None,
) -> Resource:
    """A new child of `mesh` (or of `parent` inside it), after the duplicate and quota checks."""
    siblings = mesh.children(kind, parent.name if parent else None)
    where = f"mesh {mesh.name}"
    if parent is not None:
        where = f"{parent.kind.title} {parent.name} in {where}"
    if name in siblings:  # [O RM#106]
        raise ConflictException(f"{kind.title} with name {name} already exists under {where}")
    _check_quota(ctx, kind, len(siblings), where)
    path = f"mesh/{mesh.name}/"
    if parent is not None:
        path += f"{parent.kind.key}/{parent.name}/"
    path += f"{kind.key}/{name}"
    resource = _new(
        ctx,
        kind,
        name,
        mesh.name,
        mesh.resource.mesh_owner,
        path,
        spec,
        tags,
        parent.name if parent else None,
    )
    mesh.add(resource)
    return resource


def _check_quota(ctx: RequestContext, kind: Kind, count: int, where: str) -> None:
    limit = ctx.quotas[kind.quota]
    if count >= limit:  # [UG service quotas; appmesh-behaviour §8]
        raise LimitExceededException(
            f"{kind.title} limit of {limit} reached for {where} (quota {kind.quota})"
        )


def check_writer(ctx: RequestContext, resource: Resource) -> None:
    """Only the account that created a resource may change it [UG sharing]."""
    if resource.resource_owner != ctx.account_id:
        raise ForbiddenException(
            f"account {ctx.account_id} cannot modify {resource.kind.title} {resource.name}, "
            f"which account {resource.resource_owner} owns"
        )


def update(ctx: RequestContext, mesh: MeshState, resource: Resource, spec: Spec | None) -> Resource:
    """Replaces the spec (the handler has called check_writer before its own checks)."""
    mesh.respec(resource, spec)
    resource.version += 1
    resource.last_updated_at = ctx.now
    ctx.store.touch(resource)
    return resource


def check_deleter(ctx: RequestContext, resource: Resource) -> None:
    """The creator deletes its own resources, the mesh owner anything in its mesh. Handlers
    call this before their delete guards, so that a caller without the right learns nothing
    about what else uses the resource. [UG sharing]"""
    if ctx.account_id not in (resource.resource_owner, resource.mesh_owner):
        raise ForbiddenException(
            f"account {ctx.account_id} cannot delete {resource.kind.title} {resource.name}"
        )


def check_no_nested(mesh: MeshState, resource: Resource) -> None:
    """A router with routes, or a gateway with gateway routes, cannot go [M DeleteVirtualRouter,
    DeleteVirtualGateway docs; O aws-nuke #913]."""
    nested = NESTED_IN.get(resource.kind.key)
    if nested is not None and mesh.has_children(nested, resource.name):
        plural = re.sub("([A-Z])", r" \1", nested.list_member).lower()  # "gateway routes"
        raise ResourceInUseException(
            f"{resource.kind.title} with name {resource.name} cannot be deleted because it has "
            f"{plural}; delete the {plural} first"
        )


def delete(ctx: RequestContext, mesh: MeshState, resource: Resource) -> Resource:
    """Removes `resource` (guards already passed); it keeps its last state, now DELETED."""
    check_deleter(ctx, resource)
    resource.status = "DELETED"
    resource.last_updated_at = ctx.now
    if resource.kind is MESH:
        ctx.backend.meshes.remove(resource.name)
    else:
        resource.version += 1
        mesh.remove(resource)
        nested = NESTED_IN.get(resource.kind.key)
        if nested is not None:
            mesh.drop_children(nested, resource.name)  # empty (guarded); free its slot
    ctx.store.unindex(resource)
    return resource


def listing(
    ctx: RequestContext,
    items: Pageable[Any],
    scope: str,
    limit: int | None,
    next_token: str | None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(refs of one page, the extra output members: nextToken when more follow)."""
    found, token = pagination.page(items, f"{ctx.account_id}/{scope}", limit, next_token)
    refs = [views.ref(item if isinstance(item, Resource) else item.resource) for item in found]
    return refs, ({"nextToken": token} if token else {})


def list_kind(
    ctx: RequestContext,
    kind: Kind,
    mesh_name: str,
    limit: int | None,
    next_token: str | None,
    mesh_owner: str | None = None,
    parent_name: str | None = None,
) -> dict[str, Any]:
    """A List* output: one page of `kind` in a mesh, or in a router or gateway."""
    mesh = find_mesh(ctx, mesh_name, mesh_owner)
    container = mesh.resource
    if kind.parent is not None and parent_name is not None:
        container = find(mesh, kind.parent, parent_name)
    items = mesh.children(kind, container.name if container is not mesh.resource else None)
    refs, extra = listing(ctx, items, f"{container.arn}/{kind.list_member}", limit, next_token)
    return {kind.list_member: refs, **extra}
