"""Stored resources: a typed envelope around the spec dict the caller sent (current form)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .collection import Collection
from .kinds import MESH_CHILDREN, NESTED_IN, Kind
from .links import Links

Spec = dict[str, Any]


@dataclass(slots=True, eq=False)
class Resource:
    kind: Kind
    name: str
    mesh_name: str
    parent_name: str | None  # the router of a route, the gateway of a gateway route
    arn: str
    uid: str
    mesh_owner: str
    resource_owner: str
    created_at: float
    last_updated_at: float
    spec: Spec | None
    seq: int  # creation order, for stable listings
    version: int = 1
    status: str = "ACTIVE"
    tags: dict[str, str] = field(default_factory=dict)
    ever_tagged: bool = False  # had tags once, all since removed (the Tagging API lists it)

    @property
    def region(self) -> str:
        """The region the resource lives in, as its ARN names it."""
        return self.arn.split(":")[3]


class MeshState:
    """A mesh and everything in it."""

    __slots__ = ("_children", "links", "resource")

    def __init__(self, resource: Resource) -> None:
        self.resource = resource
        self._children: dict[tuple[str, str], Collection[Resource]] = {}
        # Who points at what inside the mesh (kept by add/respec/remove).
        self.links: Links[Resource] = Links()

    @property
    def name(self) -> str:
        return self.resource.name

    @property
    def seq(self) -> int:
        return self.resource.seq

    def children(self, kind: Kind, parent: str | None = None) -> Collection[Resource]:
        key = (kind.key, parent or "")
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = Collection()
        return found

    def has_children(self, kind: Kind, parent: str | None = None) -> bool:
        found = self._children.get((kind.key, parent or ""))
        return bool(found)

    def drop_children(self, kind: Kind, parent: str) -> None:
        self._children.pop((kind.key, parent), None)

    def add(self, resource: Resource) -> None:
        """Stores a new child (in its router or gateway, for the nested kinds)."""
        self.children(resource.kind, resource.parent_name).add(resource)
        self.links.link(resource)

    def respec(self, resource: Resource, spec: Spec | None) -> None:
        """Replaces a stored child's spec, and what it points at with it."""
        self.links.unlink(resource)
        resource.spec = spec
        self.links.link(resource)

    def remove(self, resource: Resource) -> None:
        self.links.unlink(resource)
        self.children(resource.kind, resource.parent_name).remove(resource.name)

    def relink(self) -> None:
        """Rebuilds the reverse index from the stored children (after a restore)."""
        self.links.clear()
        for resource in self.members():
            self.links.link(resource)

    def count(self) -> dict[str, int]:
        """How many resources of each kind the mesh holds (routes across all routers)."""
        counts: dict[str, int] = {}
        for (kind, _), items in self._children.items():
            counts[kind] = counts.get(kind, 0) + len(items)
        return counts

    def members(self) -> Iterator[Resource]:
        """Every resource inside the mesh, by kind, each router (gateway) followed by its
        routes (gateway routes): parents always come before their children."""
        for kind in MESH_CHILDREN:
            if not self.has_children(kind):
                continue
            nested = NESTED_IN.get(kind.key)
            for resource in self.children(kind):
                yield resource
                if nested is not None and self.has_children(nested, resource.name):
                    yield from self.children(nested, resource.name)
