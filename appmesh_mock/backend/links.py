"""What stored specs point at, and the reverse index of it kept per mesh.

A delete guard asks "who points at this resource?". Walking every service and route of the
mesh to answer made each delete O(mesh) and tearing a mesh down quadratic; `Links` answers in
O(references). It is derived state: `MeshState` keeps it on every add, spec change and
removal, and `Store.rebuild_indexes()` rebuilds it from the stored resources after a restore.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .kinds import GATEWAY_ROUTE, PROVIDER_KINDS, ROUTE, VIRTUAL_SERVICE

if TYPE_CHECKING:
    from .resources import Resource

Spec = dict[str, Any]
Target = tuple[str, str]  # (kind key, name) of a resource in the same mesh

ROUTE_KINDS = ("httpRoute", "http2Route", "grpcRoute", "tcpRoute")
GATEWAY_ROUTE_KINDS = ("httpRoute", "http2Route", "grpcRoute")


def route_body(
    spec: Spec | None, kinds: tuple[str, ...] = ROUTE_KINDS
) -> tuple[str, dict[str, Any]] | None:
    """(route type, its body) of a route or gateway route spec: the first type it sets."""
    if spec:
        for kind in kinds:
            if kind in spec:
                return kind, spec[kind]
    return None


def route_action(spec: Spec | None, kinds: tuple[str, ...] = ROUTE_KINDS) -> dict[str, Any]:
    found = route_body(spec, kinds)
    return dict(found[1].get("action") or {}) if found else {}


def route_targets(spec: Spec | None) -> list[str]:
    """Names of the virtual nodes a route's weighted targets send traffic to."""
    targets = route_action(spec).get("weightedTargets") or ()
    return [target["virtualNode"] for target in targets]


def provider(spec: Spec | None) -> tuple[str, str] | None:
    """("virtualNode" | "virtualRouter", name) of a virtual service's provider."""
    found: dict[str, Any] = (spec or {}).get("provider") or {}
    for key in PROVIDER_KINDS:
        if key in found:
            return key, found[key][f"{key}Name"]
    return None


def gateway_route_target(spec: Spec | None) -> str | None:
    """Name of the virtual service a gateway route sends traffic to."""
    target = route_action(spec, GATEWAY_ROUTE_KINDS).get("target") or {}
    name = (target.get("virtualService") or {}).get("virtualServiceName")
    return str(name) if name is not None else None


def targets(resource: Resource) -> set[Target]:
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


class Links:
    """target -> the resources pointing at it (insertion-ordered; callers order by seq)."""

    __slots__ = ("_users",)

    def __init__(self) -> None:
        self._users: dict[Target, dict[Resource, None]] = {}

    def link(self, resource: Resource) -> None:
        for target in targets(resource):
            self._users.setdefault(target, {})[resource] = None

    def unlink(self, resource: Resource) -> None:
        """Forgets `resource`'s links (call while it still holds the spec they came from)."""
        for target in targets(resource):
            users = self._users.get(target)
            if users is not None:
                users.pop(resource, None)
                if not users:
                    del self._users[target]

    def users(self, kind_key: str, name: str) -> list[Resource]:
        """Who points at the resource, in creation order."""
        found = self._users.get((kind_key, name))
        return sorted(found, key=_seq) if found else []

    def clear(self) -> None:
        self._users.clear()


def _seq(resource: Resource) -> int:
    return resource.seq
