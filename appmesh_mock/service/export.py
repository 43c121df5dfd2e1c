"""The store as the API-shaped state document: `{"resources": [{"<kind>": {...Describe
output...}, "tags": [...]}, ...], "shares": [...]}` (docs/state.md).

Each resource is what the 2019-01-25 Describe* call returns for it, computed by that call's own
handler and presenter, so the document cannot drift from what a client sees. Items come in
dependency order: per mesh, the mesh, its nodes, each router followed by its routes, services,
each gateway followed by its gateway routes (`MeshState.members()`); meshes by (account,
region) and then in creation order.
"""

from __future__ import annotations

import copy
import weakref
from typing import Any

from .. import versions
from ..backend.documents import SharedDocument
from ..backend.kinds import ALL_KINDS
from ..backend.resources import Resource
from ..backend.store import Store
from ..handlers.context import RequestContext
from ..handlers.lifecycle import partition
from ..handlers.table import call
from ..handlers.views import names
from ..protocol.models import CURRENT_VERSION, get_api

# The Describe operation of each kind, by the kind's key.
DESCRIBE = {kind.key: f"Describe{kind.title}" for kind in ALL_KINDS}


def describe(store: Store, resource: Resource) -> dict[str, Any]:
    """`resource` exactly as its 2019-01-25 Describe* call shows it (asked as the mesh owner,
    who always sees everything in its mesh)."""
    operation = DESCRIBE[resource.kind.key]
    ctx = RequestContext(
        operation, resource.mesh_owner, resource.region, store, store.clock(), {}
    )
    params: dict[str, Any] = dict(names(resource))
    params["meshOwner"] = resource.mesh_owner
    api = get_api(CURRENT_VERSION)
    output = versions.present(api, api.operations[operation], call(ctx, params))
    found: dict[str, Any] = output[resource.kind.output_member]
    return found


def item(store: Store, resource: Resource) -> dict[str, Any]:
    tags = [{"key": key, "value": value} for key, value in resource.tags.items()]
    return {resource.kind.key: describe(store, resource), "tags": tags}


def export(store: Store) -> dict[str, Any]:
    """Every resource of every account and region, and the mesh shares (a deep copy: changing
    it changes nothing in the store)."""
    with store.lock:
        resources: list[dict[str, Any]] = []
        for backend in sorted(store.backends(), key=lambda b: (b.account_id, b.region)):
            for mesh in backend.meshes:
                resources.append(item(store, mesh.resource))
                resources.extend(item(store, member) for member in mesh.members())
        document: dict[str, Any] = {"resources": resources}
        shares = [
            {"meshArn": _mesh_arn(store, owner, region, mesh), "consumer": consumer}
            for owner, region, mesh, consumer in store.shares()
        ]
        if shares:
            document["shares"] = shares
        return copy.deepcopy(document)


# Per store, per mesh name: (the store's generation when last checked, the fingerprint of
# what the document was made from, the document).
_MESH_DOCUMENTS: weakref.WeakKeyDictionary[Store, dict[str, tuple[int, Any, SharedDocument]]] = (
    weakref.WeakKeyDictionary()
)


def mesh_document(store: Store, mesh_name: str) -> SharedDocument:
    """The document `export` would give, holding only the meshes named `mesh_name` (in every
    account and region) and their shares: all that `resolve` and `envoy_config` read about
    that mesh, at a cost that does not grow with the rest of the store.

    Made again only when one of those resources changed: nothing is read while the store's
    generation is unchanged, and after any change elsewhere each of them is fingerprinted
    (uid, version, status, update time). So the same document comes back while the mesh is
    unchanged, and what reads it can keep its own compiled form of it. Shared:
    read it, never change it (`export()` gives a copy to change)."""
    with store.lock:
        cached = _MESH_DOCUMENTS.setdefault(store, {}).get(mesh_name)
        if cached is not None and cached[0] == store.generation:
            return cached[2]  # nothing in the store changed since it was made
        found = []
        for backend in sorted(store.backends(), key=lambda b: (b.account_id, b.region)):
            mesh = backend.meshes.get(mesh_name)
            if mesh is not None:
                found.append((mesh.resource, *mesh.members()))
        shares = tuple(s for s in store.shares() if s[2] == mesh_name)
        fingerprint = (
            shares,
            tuple(
                tuple((r.uid, r.version, r.status, r.last_updated_at) for r in group)
                for group in found
            ),
        )
        if cached is not None and cached[1] == fingerprint:
            _MESH_DOCUMENTS[store][mesh_name] = (store.generation, fingerprint, cached[2])
            return cached[2]
        document = SharedDocument(
            resources=[item(store, resource) for group in found for resource in group]
        )
        if shares:
            document["shares"] = [
                {"meshArn": _mesh_arn(store, owner, region, mesh), "consumer": consumer}
                for owner, region, mesh, consumer in shares
            ]
        _MESH_DOCUMENTS[store][mesh_name] = (store.generation, fingerprint, document)
        return document


def _mesh_arn(store: Store, owner: str, region: str, mesh_name: str) -> str:
    mesh = store.backend(owner, region).meshes.get(mesh_name)
    if mesh is not None:
        return mesh.resource.arn
    # `share_mesh` may name a mesh before it exists: its ARN is then the one it will have.
    return f"arn:{partition(region)}:appmesh:{region}:{owner}:mesh/{mesh_name}"
