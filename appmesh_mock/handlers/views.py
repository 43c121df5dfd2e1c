"""A stored resource as the API shows it: the describe view, list entries, metadata."""

from __future__ import annotations

from typing import Any

from ..backend.resources import Resource


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


def describe(resource: Resource) -> dict[str, Any]:
    """The full resource, as Create/Describe/Update/Delete return it (current form; the
    reader's version is presented on the way out, see appmesh_mock/versions)."""
    out: dict[str, Any] = names(resource)
    out["metadata"] = metadata(resource)
    if resource.spec is not None:
        out["spec"] = resource.spec
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
