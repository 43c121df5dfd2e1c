"""Readers of App Mesh specs: what a route, service, node or gateway spec says, read from
the API-shaped dict (a stored spec is the validated dict the caller sent).

Pure functions over plain dicts, importing nothing of the package: the reverse index
(backend/links.py), the handlers' rules and the semantics (which reads only a state document)
all read specs through these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_PROVIDER_KEYS = ("virtualNode", "virtualRouter")
Spec = Mapping[str, Any]
Obj = dict[str, Any]

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
    for key in _PROVIDER_KEYS:
        if key in found:
            return key, found[key][f"{key}Name"]
    return None


def gateway_route_target(spec: Spec | None) -> str | None:
    """Name of the virtual service a gateway route sends traffic to."""
    target = route_action(spec, GATEWAY_ROUTE_KINDS).get("target") or {}
    name = (target.get("virtualService") or {}).get("virtualServiceName")
    return str(name) if name is not None else None


def route_match(spec: Spec | None, kinds: tuple[str, ...] = ROUTE_KINDS) -> Obj:
    found = route_body(spec, kinds)
    return dict(found[1].get("match") or {}) if found else {}


def listeners(spec: Spec | None) -> list[Obj]:
    return list((spec or {}).get("listeners") or ())


def backend_services(spec: Spec | None) -> list[str]:
    """Names of the virtual services a virtual node's backends call."""
    return [
        str(item["virtualService"]["virtualServiceName"])
        for item in (spec or {}).get("backends") or ()
        if "virtualService" in item
    ]


def backend_count(spec: Spec | None) -> int:
    return len((spec or {}).get("backends") or ())
