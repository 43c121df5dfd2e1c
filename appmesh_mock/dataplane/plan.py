"""What a rendering needs beyond its route tables: the clusters its routes send to and the
internal listeners (a router's routes behind a gateway) they hop through."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..semantics.document import MeshView
from .common import egress_cluster, hop_listener


@dataclass(frozen=True)
class Upstream:
    node: str
    protocol: str
    port: int

    def name(self, mesh: str) -> str:
        return egress_cluster(mesh, self.node, self.protocol, self.port)


@dataclass(frozen=True)
class Hop:
    router: str
    protocol: str
    port: int

    def name(self, mesh: str) -> str:
        return hop_listener(mesh, self.router, self.protocol, self.port)


@dataclass
class Plan:
    view: MeshView
    upstreams: dict[str, Upstream] = field(default_factory=dict)
    hops: dict[str, Hop] = field(default_factory=dict)

    @property
    def mesh(self) -> str:
        return self.view.name

    def upstream(self, node: str, port: int | None, fallback: tuple[str, int]) -> str:
        """The cluster of `node` on `port` (the target's port [M WeightedTarget.port], else the
        node's only listener, else `fallback`: the protocol and port the route was called on)."""
        mappings = node_mappings(self.view, node)
        if port is None and len(mappings) == 1:
            port = int(mappings[0]["port"])
        protocol, chosen = fallback if port is None else (fallback[0], port)
        for mapping in mappings:
            if int(mapping["port"]) == chosen:
                protocol = str(mapping["protocol"])
        found = Upstream(node, protocol, chosen)
        name = found.name(self.mesh)
        self.upstreams.setdefault(name, found)
        return name

    def hop(self, router: str, protocol: str, port: int) -> str:
        found = Hop(router, protocol, port)
        name = found.name(self.mesh)
        self.hops.setdefault(name, found)
        return name


def node_mappings(view: MeshView, node: str) -> list[Mapping[str, Any]]:
    spec = (view.get("virtualNode", node) or {}).get("spec") or {}
    return [lst["portMapping"] for lst in spec.get("listeners") or [] if "portMapping" in lst]


def node_listener(view: MeshView, node: str, port: int) -> Mapping[str, Any]:
    """The listener of `node` on `port` (empty when it has none there)."""
    spec = (view.get("virtualNode", node) or {}).get("spec") or {}
    for listener in spec.get("listeners") or []:
        if int((listener.get("portMapping") or {}).get("port", -1)) == port:
            return dict(listener)
    return {}
