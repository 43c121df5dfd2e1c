"""The App Mesh side of a migration: each entry point (a virtual gateway's listener, a virtual
service's listener) as one list of rules in App Mesh's precedence order, a gateway route
composed with the routes of the service it targets, so that a target without App Mesh's two
hops (gateway route, then route) can say the same thing in one place.

Rules use App Mesh's match shape (`prefix`, `path`, `method`, `headers`, ...), in the path the
client sent; gRPC service and method names become the `/service/method` path they stand for."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ...backend import specs
from ..describe import ROUTE_KIND, route_body
from ..document import MeshView
from ..ordering import in_precedence
from ..targets.common import Entry
from .compose import compose
from .ledger import Ledger
from .rules import FlatRule

# [UG envoy-defaults.md] a route with no retry policy retries twice (docs/dataplane.md).
DEFAULT_RETRIES = 2
PROTOCOL = {kind: protocol for protocol, kind in ROUTE_KIND.items()}


def listener_ports(spec: Mapping[str, Any]) -> list[tuple[int, str]]:
    return [
        (int(lst["portMapping"]["port"]), str(lst["portMapping"]["protocol"]))
        for lst in spec.get("listeners") or []
        if "portMapping" in lst
    ]


def entries(view: MeshView) -> Iterator[tuple[Entry, str]]:
    """(entry, protocol) for every virtual service and virtual gateway listener."""
    for service in view.all("virtualService"):
        name = str(service["virtualServiceName"])
        kind, provider = specs.provider(service.get("spec")) or ("", "")
        parent = view.get(kind, provider) if kind else None
        for port, protocol in listener_ports((parent or {}).get("spec") or {}):
            yield Entry("service", name, port), protocol
    for gateway in view.all("virtualGateway"):
        for port, protocol in listener_ports(gateway.get("spec") or {}):
            yield Entry("gateway", str(gateway["virtualGatewayName"]), port), protocol


def _grpc_as_path(match: Mapping[str, Any]) -> dict[str, Any]:
    """[M GrpcRouteMatch] a service name (and method) is the path /service/method."""
    out = {k: v for k, v in match.items() if k not in ("serviceName", "methodName", "metadata")}
    if "serviceName" in match:
        if "methodName" in match:
            out["path"] = {"exact": f"/{match['serviceName']}/{match['methodName']}"}
        else:
            # [M GrpcRouteMatch] a service name matches a call to any of its methods.
            out["path"] = {"regex": f"/{re.escape(str(match['serviceName']))}/[^/]+"}
    if match.get("metadata"):
        out["headers"] = list(match["metadata"])
    return out


def _retries(kind: str, body: Mapping[str, Any]) -> int | None:
    if kind == "tcpRoute":
        return None
    policy = body.get("retryPolicy")
    return DEFAULT_RETRIES if policy is None else int(policy.get("maxRetries", 0))


def service_rules(view: MeshView, name: str, port: int | None) -> list[FlatRule]:
    """The rules of one virtual service on one of its provider's listeners."""
    service = view.get("virtualService", name) or {}
    kind, provider = specs.provider(service.get("spec")) or ("", "")
    if kind == "virtualNode":
        node_spec = (view.get("virtualNode", provider) or {}).get("spec") or {}
        ports = listener_ports(node_spec)
        chosen = [p for p in ports if port in (None, p[0])] or ports
        if not chosen:
            return []
        node_port, protocol = chosen[0]
        kind_name = ROUTE_KIND[protocol]
        return [FlatRule(protocol, {"prefix": "/"} if protocol != "tcp" else {},
                         [(provider, 1, node_port)],
                         _retries(kind_name, {}), [f"virtualService {name}"])]
    if kind != "virtualRouter":
        return []
    router = view.get("virtualRouter", provider) or {}
    ports = listener_ports(router.get("spec") or {})
    chosen = [p for p in ports if port in (None, p[0])]
    if len(chosen) != 1:
        return []
    router_port, protocol = chosen[0]
    wanted = ROUTE_KIND[protocol]
    rules = []
    for route in in_precedence(view.children("route", provider)):
        spec = route.get("spec") or {}
        body_kind, body = route_body(spec)
        match = dict(body.get("match") or {})
        if body_kind != wanted or match.pop("port", router_port) != router_port:
            continue
        if body_kind == "grpcRoute":
            match = _grpc_as_path(match)
        targets = [
            (str(t["virtualNode"]), int(t.get("weight", 0)), t.get("port"))
            for t in (body.get("action") or {}).get("weightedTargets") or []
        ]
        rules.append(FlatRule(protocol, match, targets, _retries(body_kind, body),
                              [f"route {provider}/{route['routeName']}"]))
    return rules


def gateway_rules(view: MeshView, name: str, port: int, ledger: Ledger) -> list[FlatRule]:
    """A gateway listener's gateway routes in precedence order, each composed with the
    rules of its target service, then a rule that takes the rest of what the gateway route
    matched to nowhere (App Mesh does not try the next gateway route [UG gateway-routes])."""
    gateway = view.get("virtualGateway", name) or {}
    protocol = dict(listener_ports(gateway.get("spec") or {})).get(port, "http")
    wanted = ROUTE_KIND[protocol]
    rules: list[FlatRule] = []
    for route in in_precedence(view.children("gatewayRoute", name)):
        spec = route.get("spec") or {}
        body_kind, body = route_body(spec)
        match = dict(body.get("match") or {})
        if body_kind != wanted or match.pop("port", port) != port:
            continue
        if body_kind == "grpcRoute":
            match = _grpc_as_path(match)
        source = f"gatewayRoute {name}/{route['gatewayRouteName']}"
        action = body.get("action") or {}
        target = action.get("target") or {}
        service = str((target.get("virtualService") or {}).get("virtualServiceName"))
        inner = service_rules(view, service, target.get("port"))
        for rule in inner:
            for composed in compose(match, action.get("rewrite") or {}, service, rule,
                                    body_kind == "grpcRoute", ledger, source):
                composed.sources.insert(0, source)
                rules.append(composed)
        rules.append(FlatRule(protocol, match, [], None, [source, "(no route matched)"]))
    for index, rule in enumerate(rules):
        rule.order = index
    return rules


def rules_for(view: MeshView, entry: Entry, ledger: Ledger) -> list[FlatRule]:
    if entry.kind == "gateway":
        assert entry.port is not None
        return gateway_rules(view, entry.name, entry.port, ledger)
    rules = service_rules(view, entry.name, entry.port)
    for index, rule in enumerate(rules):
        rule.order = index
    return rules
