"""Entering the mesh through a virtual gateway: the listener, the gateway route and its
rewrites, then on to the target virtual service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import matching
from .describe import ROUTE_KIND
from .document import MeshView
from .request import Request
from .result import Resolution
from .selection import choose_ranked, compiled_routes, pick_listener

COMPILERS = {
    "httpRoute": matching.compile_http,
    "http2Route": matching.compile_http,
    "grpcRoute": matching.compile_with(matching.grpc_fail),
}


def through_gateway(
    view: MeshView, name: str, request: Request, result: Resolution
) -> tuple[str, Request] | None:
    """(target virtual service, rewritten request), or None with `result` refused."""
    gateway = view.get("virtualGateway", name)
    if gateway is None:
        result.refuse(f"there is no virtual gateway {name!r} in mesh {view.name!r}")
        return None
    listeners = (gateway.get("spec") or {}).get("listeners") or []
    mapping, rule = pick_listener(f"virtual gateway {name!r}", listeners, request.port)
    if mapping is None:
        result.refuse(rule)
        return None
    result.step("virtualGateway", name, rule)
    request = request.moved(port=int(mapping["port"]))
    kind = ROUTE_KIND[str(mapping["protocol"])]
    ranked = compiled_routes(view, "gatewayRoute", name, kind, COMPILERS[kind])
    chosen = choose_ranked(f"virtual gateway {name!r}", ranked, kind, request, result.explain)
    if isinstance(chosen, str):
        result.refuse(chosen)
        return None
    route, body, rule = chosen
    action = body.get("action") or {}
    target = action.get("target") or {}
    service = str((target.get("virtualService") or {}).get("virtualServiceName"))
    path, host, notes = rewrite(
        body.get("match") or {}, action.get("rewrite") or {}, request, service, kind
    )
    result.gateway_route = route
    result.step("gatewayRoute", route, f"{rule}; {notes}")
    result.host = host
    port = target.get("port")  # [M GatewayRouteTarget.port] picks the provider's listener
    return service, request.moved(path=path, host=host, port=None if port is None else int(port))


def rewrite(
    match: Mapping[str, Any],
    rules: Mapping[str, Any],
    request: Request,
    service: str,
    kind: str,
) -> tuple[str, str | None, str]:
    """(path, host, what was done). By default the host becomes the target virtual service's
    name and the matched prefix becomes `/` [UG virtual_gateways.md, gateway-routes.md]."""
    notes = []
    host = request.host
    # [M GatewayRouteHostnameRewrite] ENABLED (the default [UG]) or DISABLED. [I] the gRPC
    # rewrite, the same member with the same values, has the same default.
    if (rules.get("hostname") or {}).get("defaultTargetHostname", "ENABLED") == "ENABLED":
        host = service
        notes.append(f"host rewritten to {service}")
    else:
        notes.append("host kept (hostname rewrite DISABLED)")
    path = request.path
    if kind == "grpcRoute":
        return path, host, ", ".join(notes)
    prefix_rule = rules.get("prefix") or {}
    if "exact" in (rules.get("path") or {}):
        path = str(rules["path"]["exact"])  # [M HttpGatewayRoutePathRewrite.exact]
        notes.append(f"path rewritten to {path}")
    elif "prefix" in match:
        matched = str(match["prefix"])
        rest = request.path[len(matched) :]
        if "value" in prefix_rule:
            # [M HttpGatewayRoutePrefixRewrite.value] replaces the matched prefix.
            path = str(prefix_rule["value"]) + rest
            notes.append(f"prefix {matched} rewritten to {prefix_rule['value']}")
        elif prefix_rule.get("defaultPrefix", "ENABLED") == "ENABLED":
            # [UG gateway-routes.md] with prefix /chapter, /chapter/page becomes /page and
            # /chapter1 becomes /1: the prefix goes and the rest keeps one leading slash.
            path = rest if rest.startswith("/") else "/" + rest
            notes.append(f"prefix {matched} rewritten to / (default)")
        else:
            notes.append("path kept (prefix rewrite DISABLED)")
    else:
        notes.append("path kept (no prefix matched)")
    return path, host, ", ".join(notes)
