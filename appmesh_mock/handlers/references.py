"""What specs point at: route targets, service providers, gateway-route targets, backends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..backend.resources import Spec

ROUTE_KINDS = ("httpRoute", "http2Route", "grpcRoute", "tcpRoute")
GATEWAY_ROUTE_KINDS = ("httpRoute", "http2Route", "grpcRoute")


def route_kind(spec: Spec | None) -> str | None:
    for kind in ROUTE_KINDS:
        if spec and kind in spec:
            return kind
    return None


def route_targets(spec: Spec | None) -> list[str]:
    """Names of the virtual nodes a route's weighted targets send traffic to."""
    kind = route_kind(spec)
    if spec is None or kind is None:
        return []
    targets = spec[kind].get("action", {}).get("weightedTargets", [])
    return [target["virtualNode"] for target in targets]


def provider(spec: Spec | None) -> tuple[str, str] | None:
    """("virtualNode" | "virtualRouter", name) of a virtual service's provider."""
    found: dict[str, Any] = (spec or {}).get("provider") or {}
    for key in ("virtualNode", "virtualRouter"):
        if key in found:
            return key, found[key][f"{key}Name"]
    return None


def gateway_route_target(spec: Spec | None) -> str | None:
    """Name of the virtual service a gateway route sends traffic to."""
    for kind in GATEWAY_ROUTE_KINDS:
        if spec and kind in spec:
            target = spec[kind].get("action", {}).get("target", {})
            name = target.get("virtualService", {}).get("virtualServiceName")
            return str(name) if name is not None else None
    return None


def backend_count(spec: Spec | None) -> int:
    return len((spec or {}).get("backends") or ())


def listeners(spec: Spec | None) -> list[dict[str, Any]]:
    return list((spec or {}).get("listeners") or ())


def listener_protocols(spec: Spec | None) -> Iterator[str]:
    for listener in listeners(spec):
        protocol = listener.get("portMapping", {}).get("protocol")
        if protocol:
            yield protocol
