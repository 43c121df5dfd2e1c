"""Resources as the calling API version shows them: describe data, list refs, metadata."""

from __future__ import annotations

from typing import Any

from botocore.model import NoShapeFoundError

from ..backend.resources import Resource, Spec
from ..protocol.shapes import project
from ..versions import translate
from .context import RequestContext


def names(resource: Resource) -> dict[str, str]:
    kind = resource.kind
    out = {"meshName": resource.mesh_name}
    if kind.parent is not None and resource.parent_name is not None:
        out[kind.parent.name_member] = resource.parent_name
    out[kind.name_member] = resource.name
    return out


def metadata(resource: Resource) -> dict[str, Any]:
    return {
        "arn": resource.arn,
        "createdAt": resource.created_at,
        "lastUpdatedAt": resource.last_updated_at,
        "meshOwner": resource.mesh_owner,
        "resourceOwner": resource.resource_owner,
        "uid": resource.uid,
        "version": resource.version,
    }


def spec_view(ctx: RequestContext, resource: Resource) -> Spec | None:
    """The stored spec as the caller's API version writes it; None where it has no spec."""
    reader = ctx.api.version
    if resource.spec_version == reader and resource.spec is not None:
        return resource.spec
    try:
        shape = ctx.api.shape(f"{resource.kind.title}Spec")
    except NoShapeFoundError:
        return None
    converted = translate(resource.kind.key, resource.spec, resource.spec_version, reader)
    projected = project(converted, shape)
    return projected if isinstance(projected, dict) else {}


def data(ctx: RequestContext, resource: Resource) -> dict[str, Any]:
    """The full resource, as Create/Describe/Update/Delete return it."""
    out: dict[str, Any] = names(resource)
    out["metadata"] = metadata(resource)
    spec = spec_view(ctx, resource)
    if spec is not None:
        out["spec"] = spec
    out["status"] = {"status": resource.status}
    return out


def ref(resource: Resource) -> dict[str, Any]:
    """A list entry."""
    out: dict[str, Any] = names(resource)
    out["arn"] = resource.arn
    out["createdAt"] = resource.created_at
    out["lastUpdatedAt"] = resource.last_updated_at
    out["meshOwner"] = resource.mesh_owner
    out["resourceOwner"] = resource.resource_owner
    out["version"] = resource.version
    return out
