"""`MockAppMesh.snapshot()`: one account's and region's state as nested dicts, for assertions."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from ..backend.kinds import MESH_CHILDREN, NESTED_IN
from ..backend.resources import MeshState, Resource
from ..backend.store import Store
from ..handlers.views import metadata


def snapshot(store: Store, account_id: str, region: str) -> dict[str, Any]:
    with store.lock:
        backend = store.existing_backend(account_id, region)
        meshes: Iterable[MeshState] = backend.meshes if backend is not None else ()
        return {"meshes": {mesh.name: _mesh_snapshot(mesh) for mesh in meshes}}


def _resource_snapshot(resource: Resource) -> dict[str, Any]:
    out = metadata(resource)
    out["status"] = resource.status
    out["spec"] = copy.deepcopy(resource.spec)
    out["tags"] = dict(resource.tags)
    return out


def _mesh_snapshot(mesh: MeshState) -> dict[str, Any]:
    """The mesh's envelope with every kind inside it, routes (gateway routes) under their
    router (gateway)."""
    out = _resource_snapshot(mesh.resource)
    for kind in MESH_CHILDREN:
        out[kind.list_member] = {}
    for resource in mesh.members():
        entry = _resource_snapshot(resource)
        if resource.kind.parent is None:
            nested = NESTED_IN.get(resource.kind.key)
            if nested is not None:
                entry[nested.list_member] = {}
            out[resource.kind.list_member][resource.name] = entry
        else:
            parent = out[resource.kind.parent.list_member][resource.parent_name]
            parent[resource.kind.list_member][resource.name] = entry
    return out
