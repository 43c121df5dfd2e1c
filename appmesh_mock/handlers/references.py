"""What specs point at: route targets, service providers, gateway-route targets, backends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..backend.kinds import PROVIDER_KINDS
from ..backend.resources import Spec

ROUTE_KINDS = ("httpRoute", "http2Route", "grpcRoute", "tcpRoute")
GATEWAY_ROUTE_KINDS = ("httpRoute", "http2Route", "grpcRoute")

Obj = dict[str, Any]


def route_body(spec: Spec | None, kinds: tuple[str, ...] = ROUTE_KINDS) -> tuple[str, Obj] | None:
    """(route type, its body) of a route or gateway route spec: the first type it sets."""
    if spec:
        for kind in kinds:
            if kind in spec:
                return kind, spec[kind]
    return None


def route_match(spec: Spec | None, kinds: tuple[str, ...] = ROUTE_KINDS) -> Obj:
    found = route_body(spec, kinds)
    return dict(found[1].get("match") or {}) if found else {}


def route_action(spec: Spec | None, kinds: tuple[str, ...] = ROUTE_KINDS) -> Obj:
    found = route_body(spec, kinds)
    return dict(found[1].get("action") or {}) if found else {}


def route_targets(spec: Spec | None) -> list[str]:
    """Names of the virtual nodes a route's weighted targets send traffic to."""
    targets = route_action(spec).get("weightedTargets") or ()
    return [target["virtualNode"] for target in targets]


def provider(spec: Spec | None) -> tuple[str, str] | None:
    """("virtualNode" | "virtualRouter", name) of a virtual service's provider."""
    found: Obj = (spec or {}).get("provider") or {}
    for key in PROVIDER_KINDS:
        if key in found:
            return key, found[key][f"{key}Name"]
    return None


def gateway_route_target(spec: Spec | None) -> str | None:
    """Name of the virtual service a gateway route sends traffic to."""
    target = route_action(spec, GATEWAY_ROUTE_KINDS).get("target") or {}
    name = (target.get("virtualService") or {}).get("virtualServiceName")
    return str(name) if name is not None else None


def backend_count(spec: Spec | None) -> int:
    return len((spec or {}).get("backends") or ())


def listeners(spec: Spec | None) -> list[Obj]:
    return list((spec or {}).get("listeners") or ())


def listener_protocols(spec: Spec | None) -> Iterator[str]:
    for listener in listeners(spec):
        protocol = listener.get("portMapping", {}).get("protocol")
        if protocol:
            yield protocol
