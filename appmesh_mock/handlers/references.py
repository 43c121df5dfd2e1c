"""What specs point at: route targets, service providers, gateway-route targets, backends."""

from __future__ import annotations

from typing import Any

from ..backend.links import (
    GATEWAY_ROUTE_KINDS,
    ROUTE_KINDS,
    gateway_route_target,
    provider,
    route_action,
    route_body,
    route_targets,
)
from ..backend.resources import Spec

# The readers the reverse index needs live with it in the backend; handlers import them here.
__all__ = [
    "GATEWAY_ROUTE_KINDS",
    "ROUTE_KINDS",
    "backend_count",
    "gateway_route_target",
    "listeners",
    "provider",
    "route_action",
    "route_body",
    "route_match",
    "route_targets",
]

Obj = dict[str, Any]


def route_match(spec: Spec | None, kinds: tuple[str, ...] = ROUTE_KINDS) -> Obj:
    found = route_body(spec, kinds)
    return dict(found[1].get("match") or {}) if found else {}


def backend_count(spec: Spec | None) -> int:
    return len((spec or {}).get("backends") or ())


def listeners(spec: Spec | None) -> list[Obj]:
    return list((spec or {}).get("listeners") or ())
