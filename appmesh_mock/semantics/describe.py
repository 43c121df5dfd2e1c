"""Short human descriptions of listeners, match criteria, splits and rewrites, shared by the
topology text, the graph labels and the dashboard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..backend import specs

# [UG routes.md] "The protocol that you select must match the listener protocol": a listener
# of each protocol serves only the routes of that protocol.
ROUTE_KIND = {"http": "httpRoute", "http2": "http2Route", "grpc": "grpcRoute", "tcp": "tcpRoute"}


def listeners(spec: Mapping[str, Any]) -> str:
    mappings = [lst["portMapping"] for lst in specs.listeners(spec) if "portMapping" in lst]
    return ", ".join(f"{m['protocol']}:{m['port']}" for m in mappings)


def route_body(spec: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """(kind, body) of a route or gateway route spec; ("", {}) when it sets none."""
    return specs.route_body(spec) or ("", {})


def unserved(kind: str, criteria: Mapping[str, Any], parent_spec: Mapping[str, Any]) -> str:
    """Why no listener of the router or gateway serves a route of `kind` (at the port its
    match names), or "" when one does. AWS accepts such a route (the CDK's integ.mesh put
    tcp, grpc and http2 routes on an http router); it is never chosen (docs/routing.md rule
    7). Nothing is said of a parent without listeners: nothing reaches it at all."""
    mappings = [lst["portMapping"] for lst in parent_spec.get("listeners") or []
                if "portMapping" in lst]
    protocol = next((p for p, k in ROUTE_KIND.items() if k == kind), None)
    if not mappings or protocol is None:
        return ""
    port = criteria.get("port")
    if port is not None:
        mappings = [m for m in mappings if m.get("port") == port]
    if any(m.get("protocol") == protocol for m in mappings):
        return ""
    return f"no {protocol} listener{'' if port is None else f' on port {port}'}: never chosen"


def _header(rule: Mapping[str, Any]) -> str:
    method = rule.get("match") or {}
    negation = "!" if rule.get("invert") else ""
    if not method:
        return f"{negation}{rule['name']}"
    kind, value = next(iter(method.items()))
    if kind == "range":
        value = f"[{value['start']},{value['end']})"
    return f"{rule['name']} {negation}{kind} {value}"


def match(kind: str, criteria: Mapping[str, Any], *, gateway: bool = False) -> str:
    """`/reviews/*` for a gateway prefix, `/` for a route prefix, plus any other criteria."""
    parts: list[str] = []
    hostname = criteria.get("hostname") or {}
    if "exact" in hostname:
        parts.append(f"host {hostname['exact']}")
    if "suffix" in hostname:
        parts.append(f"host *{hostname['suffix']}")
    if "prefix" in criteria:
        parts.append(f"{criteria['prefix']}*" if gateway else str(criteria["prefix"]))
    path = criteria.get("path") or {}
    if "exact" in path:
        parts.append(f"= {path['exact']}")
    if "regex" in path:
        parts.append(f"~ {path['regex']}")
    if "serviceName" in criteria:
        parts.append(f"grpc {criteria['serviceName']}/{criteria.get('methodName', '*')}")
    for key in ("method", "scheme"):
        if key in criteria:
            parts.append(str(criteria[key]))
    if "port" in criteria:
        parts.append(f"port {criteria['port']}")
    parts += [_header(h) for h in criteria.get("headers") or []]
    parts += [f"metadata {_header(h)}" for h in criteria.get("metadata") or []]
    for query in criteria.get("queryParameters") or []:
        exact = (query.get("match") or {}).get("exact")
        parts.append(f"?{query['name']}" + ("" if exact is None else f"={exact}"))
    if kind == "tcpRoute" and not parts:
        parts.append("tcp")
    return " ".join(parts) or "*"


def split(targets: Sequence[Mapping[str, Any]]) -> str:
    """`v1 90%, v2 10%` when weights add up to 100, else `v1 weight 3 (75%), ...`."""
    total = sum(int(t.get("weight", 0)) for t in targets)
    out = []
    for target in targets:
        weight = int(target.get("weight", 0))
        port = f":{target['port']}" if "port" in target else ""
        if total == 100:
            out.append(f"{target['virtualNode']}{port} {weight}%")
        else:
            share = weight / total if total else 0.0
            out.append(f"{target['virtualNode']}{port} weight {weight} ({share:.0%})")
    return ", ".join(out)


def rewrite(rules: Mapping[str, Any]) -> str:
    """Only what differs from the defaults (host to the service's name, prefix to /)."""
    notes = []
    if (rules.get("prefix") or {}).get("value") is not None:
        notes.append(f"prefix rewritten to {rules['prefix']['value']}")
    if (rules.get("prefix") or {}).get("defaultPrefix") == "DISABLED":
        notes.append("prefix kept")
    if "exact" in (rules.get("path") or {}):
        notes.append(f"path rewritten to {rules['path']['exact']}")
    if (rules.get("hostname") or {}).get("defaultTargetHostname") == "DISABLED":
        notes.append("host kept")
    return ", ".join(notes)


def discovery(spec: Mapping[str, Any]) -> str:
    found = spec.get("serviceDiscovery") or {}
    if "dns" in found:
        return f"dns {found['dns'].get('hostname', '')}"
    if "awsCloudMap" in found:
        cloud_map = found["awsCloudMap"]
        return f"cloud map {cloud_map['namespaceName']}/{cloud_map['serviceName']}"
    return "no service discovery"


backends = specs.backend_services
