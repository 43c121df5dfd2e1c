"""What stored specs point at, and the reverse index of it kept per mesh.

A delete guard asks "who points at this resource?". Walking every service and route of the
mesh to answer made each delete O(mesh) and tearing a mesh down quadratic; `Links` answers in
O(references). It is derived state: `MeshState` keeps it on every add, spec change and
removal, and `Store.rebuild_indexes()` rebuilds it from the stored resources after a restore.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Generic, Protocol, TypeVar

from .kinds import GATEWAY_ROUTE, ROUTE, VIRTUAL_SERVICE, Kind
from .specs import gateway_route_target, provider, route_targets

Target = tuple[str, str]  # (kind key, name) of a resource in the same mesh


class Linked(Hashable, Protocol):
    """What the index reads of a resource (backend/resources.py's Resource is one)."""

    @property
    def kind(self) -> Kind: ...
    @property
    def spec(self) -> dict[str, Any] | None: ...
    @property
    def seq(self) -> int: ...


R = TypeVar("R", bound=Linked)


def targets(resource: Linked) -> set[Target]:
    """The resources that `resource`'s spec points at, as the delete guards see them."""
    kind, spec = resource.kind, resource.spec
    if kind is ROUTE:
        return {("virtualNode", name) for name in route_targets(spec)}
    if kind is VIRTUAL_SERVICE:
        found = provider(spec)
        return {found} if found else set()
    if kind is GATEWAY_ROUTE:
        service = gateway_route_target(spec)
        return {("virtualService", service)} if service is not None else set()
    return set()


class Links(Generic[R]):
    """target -> the resources pointing at it (insertion-ordered; callers order by seq)."""

    __slots__ = ("_users",)

    def __init__(self) -> None:
        self._users: dict[Target, dict[R, None]] = {}

    def link(self, resource: R) -> None:
        for target in targets(resource):
            self._users.setdefault(target, {})[resource] = None

    def unlink(self, resource: R) -> None:
        """Forgets `resource`'s links (call while it still holds the spec they came from)."""
        for target in targets(resource):
            users = self._users.get(target)
            if users is not None:
                users.pop(resource, None)
                if not users:
                    del self._users[target]

    def users(self, kind_key: str, name: str) -> list[R]:
        """Who points at the resource, in creation order."""
        found = self._users.get((kind_key, name))
        return sorted(found, key=_seq) if found else []

    def clear(self) -> None:
        self._users.clear()


def _seq(resource: Linked) -> int:
    return resource.seq
