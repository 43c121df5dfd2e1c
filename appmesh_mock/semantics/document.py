"""Reading the API-shaped state document: `{"resources": [{"<kind>": {...Describe output...},
"tags": [...]}, ...]}`, one item per resource, as `MockAppMesh.export()` writes it.

Only the parts routing needs are read. Account and region come from each resource's ARN.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..backend.documents import SharedDocument

KINDS = (
    "mesh",
    "virtualNode",
    "virtualRouter",
    "route",
    "virtualService",
    "virtualGateway",
    "gatewayRoute",
)
# The member naming each kind's resource; routes and gateway routes also name their parent.
NAME_MEMBER = {
    "mesh": "meshName",
    "virtualNode": "virtualNodeName",
    "virtualRouter": "virtualRouterName",
    "route": "routeName",
    "virtualService": "virtualServiceName",
    "virtualGateway": "virtualGatewayName",
    "gatewayRoute": "gatewayRouteName",
}
PARENT_MEMBER = {"route": "virtualRouterName", "gatewayRoute": "virtualGatewayName"}

Document = Mapping[str, Any]


def load_document(source: Document | str | os.PathLike[str]) -> Document:
    """The document itself, or the JSON file at a path; a clear ValueError if it is neither."""
    if isinstance(source, SharedDocument) and _PARSED.get(id(source), (None,))[0] is source:
        return source  # checked when it was first read, and nobody changes it
    if isinstance(source, str | os.PathLike):
        with Path(source).open(encoding="utf-8") as handle:
            source = json.load(handle)
    if not isinstance(source, Mapping) or not isinstance(source.get("resources"), list):
        raise ValueError('a state document is a JSON object {"resources": [...]}')
    for index, item in enumerate(source["resources"]):
        kinds = [k for k in item if k in KINDS] if isinstance(item, Mapping) else []
        if len(kinds) != 1 or not isinstance(item[kinds[0]], Mapping):
            raise ValueError(
                f"resources[{index}] must hold exactly one of {', '.join(KINDS)} (an object)"
            )
    return source


def arn_place(resource: Mapping[str, Any]) -> tuple[str, str]:
    """(account, region) from `metadata.arn`: arn:aws:appmesh:{region}:{account}:mesh/..."""
    parts = str(resource.get("metadata", {}).get("arn", "")).split(":")
    return (parts[4], parts[3]) if len(parts) > 5 else ("", "")


@dataclass
class MeshView:
    """One mesh and its resources, by kind and name (routes keyed by (router, route))."""

    mesh: Mapping[str, Any]
    account: str
    region: str
    owner: str
    items: dict[str, dict[Any, Mapping[str, Any]]] = field(default_factory=dict)
    tags: dict[str, list[Mapping[str, str]]] = field(default_factory=dict)
    # What readers compute once per view (a router's routes in precedence order, ...).
    compiled: dict[Any, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.mesh["meshName"])

    def get(self, kind: str, name: Any) -> Mapping[str, Any] | None:
        return self.items.get(kind, {}).get(name)

    def all(self, kind: str) -> list[Mapping[str, Any]]:
        return list(self.items.get(kind, {}).values())

    def children(self, kind: str, parent: str) -> list[Mapping[str, Any]]:
        """The routes of a router or the gateway routes of a gateway, in document order."""
        key = ("children", kind)
        if key not in self.compiled:
            grouped: dict[str, list[Mapping[str, Any]]] = {}
            for (owner, _), resource in self.items.get(kind, {}).items():
                grouped.setdefault(owner, []).append(resource)
            self.compiled[key] = grouped
        return list(self.compiled[key].get(parent, []))


def _owner(resource: Mapping[str, Any]) -> str:
    metadata = resource.get("metadata", {})
    return str(metadata.get("meshOwner") or arn_place(resource)[0])


# The meshes read from recent shared documents, by the document's id (the entry holds the
# document, so its id cannot be reused while cached).
_PARSED: dict[int, tuple[Document, list[MeshView]]] = {}
_PARSED_KEPT = 16
_PARSED_LOCK = threading.Lock()


def meshes(document: Document) -> list[MeshView]:
    """Every mesh in the document with its resources, in document order (read once per
    shared document: `service.export.mesh_document`)."""
    if isinstance(document, SharedDocument):
        cached = _PARSED.get(id(document))
        if cached is not None and cached[0] is document:
            return cached[1]
        views = _read_meshes(document)
        with _PARSED_LOCK:
            while len(_PARSED) >= _PARSED_KEPT:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[id(document)] = (document, views)
        return views
    return _read_meshes(document)


def _read_meshes(document: Document) -> list[MeshView]:
    views: dict[tuple[str, str, str], MeshView] = {}
    items = [
        (k, item[k], item.get("tags") or [])
        for item in document["resources"]
        for k in item
        if k in KINDS
    ]
    for kind, resource, tags in items:
        if kind == "mesh":
            account, region = arn_place(resource)
            view = MeshView(resource, account, region, _owner(resource))
            view.tags[str(resource.get("meshName"))] = list(tags)
            views[(view.name, view.owner, region)] = view
    for kind, resource, tags in items:
        if kind == "mesh":
            continue
        parent = views.get(
            (str(resource.get("meshName")), _owner(resource), arn_place(resource)[1])
        )
        if parent is None:
            continue  # a resource whose mesh is not in the document cannot be routed to
        name = str(resource.get(NAME_MEMBER[kind]))
        key: Any = (str(resource.get(PARENT_MEMBER[kind])), name) if kind in PARENT_MEMBER else name
        parent.items.setdefault(kind, {})[key] = resource
        parent.tags[f"{kind}:{key}"] = list(tags)
    return list(views.values())


def select_mesh(
    document: Document,
    mesh_name: str,
    *,
    account_id: str | None = None,
    region: str | None = None,
    mesh_owner: str | None = None,
) -> MeshView | str:
    """The one mesh that fits, or a sentence saying why none or several do.

    `mesh_owner` names the owner of a shared mesh; without it, the mesh is one that
    `account_id` owns or that the document's `shares` share with it."""
    shared = {
        (str(share.get("meshArn")), str(share.get("consumer")))
        for share in document.get("shares") or []
        if isinstance(share, Mapping)
    }
    found = [
        view
        for view in meshes(document)
        if view.name == mesh_name
        and (region is None or view.region == region)
        and (mesh_owner is None or view.owner == mesh_owner)
        and (
            mesh_owner is not None
            or account_id in (None, view.owner, view.account)
            or (str(view.mesh.get("metadata", {}).get("arn")), account_id) in shared
        )
    ]
    if len(found) == 1:
        return found[0]
    where = "".join(
        f" {label} {value}"
        for label, value in (("account", account_id), ("region", region), ("owner", mesh_owner))
        if value is not None
    )
    if not found:
        return f"there is no mesh {mesh_name!r}{' for' + where if where else ''} in the document"
    places = ", ".join(f"{v.owner}/{v.region}" for v in found)
    return (
        f"mesh {mesh_name!r} exists in several accounts or regions ({places}); "
        "give account_id, region or mesh_owner"
    )
