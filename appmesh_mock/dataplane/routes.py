"""Route tables: a router's routes (behind a virtual service), a node provider's catch-all
route, and a virtual gateway's gateway routes with their rewrites.

Routes are listed in the order `semantics.ordering.rank` gives, and Envoy takes the first
route whose match holds, which is how `resolve` chooses: one precedence for both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..backend import specs
from ..semantics.describe import ROUTE_KIND
from ..semantics.ordering import rank
from ..semantics.selection import pick_listener
from .common import Obj, re2_escape, seconds
from .matches import on_port, route_match
from .plan import Plan

# [M HttpRetryPolicy.httpRetryEvents] as Envoy retry_on conditions; "Both server-error and
# gateway-error under httpRetryEvents include the Envoy reset policy" [M HttpRetryPolicy].
HTTP_RETRY = {
    "server-error": ("5xx", "reset"),
    "gateway-error": ("gateway-error", "reset"),
    "client-error": ("retriable-4xx",),  # [M] HTTP status code 409
    "stream-error": ("refused-stream",),
}
TCP_RETRY = {"connection-error": ("connect-failure",)}

Routes = list[tuple[str, Mapping[str, Any], Mapping[str, Any]]]  # (name, spec, body)


def ranked(routes: list[Mapping[str, Any]], member: str, kind: str, port: int) -> Routes:
    """The routes of `kind` that serve the listener on `port`, in precedence order."""
    found = []
    for route in routes:
        spec = route.get("spec") or {}
        body = spec.get(kind)
        if body is not None and on_port(body.get("match") or {}, port):
            found.append((str(route[member]), spec, body))
    found.sort(key=lambda item: rank(item[0], item[1], item[2].get("match") or {}))
    return found


def retry_policy(policy: Mapping[str, Any] | None, kind: str) -> Obj:
    """A route's retry policy, or the one App Mesh applied when none is set [UG
    envoy-defaults.md "Default route retry policy": max retries 2, per-retry timeout 15s,
    HTTP 503, gRPC UNAVAILABLE, TCP connect-failure and refused-stream]."""
    if not policy:
        retry_on = ["connect-failure", "refused-stream", "retriable-status-codes"]
        if kind == "grpcRoute":
            retry_on.append("unavailable")
        return {
            "retry_on": ",".join(retry_on),
            "retriable_status_codes": [503],
            "num_retries": 2,
            "per_try_timeout": "15s",
        }
    events: list[str] = []
    for event in policy.get("httpRetryEvents") or []:
        events.extend(HTTP_RETRY.get(str(event), (str(event),)))
    for event in policy.get("tcpRetryEvents") or []:
        events.extend(TCP_RETRY.get(str(event), (str(event),)))
    events.extend(str(event) for event in policy.get("grpcRetryEvents") or [])
    found: Obj = {
        "retry_on": ",".join(dict.fromkeys(events)),
        "num_retries": int(policy.get("maxRetries", 0)),
    }
    per_try = seconds(policy.get("perRetryTimeout"))
    if per_try is not None:
        found["per_try_timeout"] = per_try
    return found


def _unreachable() -> Obj:
    # [I] a route that matched but leads nowhere answers 503, as Envoy does for a cluster
    # with no healthy host: the request stops at that route, as `resolve` stops.
    return {"direct_response": {"status": 503}}


def router_table(plan: Plan, router: str, protocol: str, port: int) -> list[Obj]:
    """Envoy routes for a router's listener: each route's match and weighted targets, its
    timeouts [M HttpTimeout, GrpcTimeout] and its retry policy (or App Mesh's default)."""
    kind = ROUTE_KIND[protocol]
    table = []
    for name, _, body in ranked(plan.view.children("route", router), "routeName", kind, port):
        action = _weighted(plan, body, (protocol, port))
        if "direct_response" not in action:
            action["route"]["retry_policy"] = retry_policy(body.get("retryPolicy"), kind)
            timeout = body.get("timeout") or {}
            per_request, idle = seconds(timeout.get("perRequest")), seconds(timeout.get("idle"))
            if per_request is not None:
                action["route"]["timeout"] = per_request
            if idle is not None:
                action["route"]["idle_timeout"] = idle
        table.append({"name": name, "match": route_match(kind, body.get("match") or {}), **action})
    return table


def tcp_target(plan: Plan, router: str, port: int) -> Obj | None:
    """[M TcpRouteMatch] a TCP listener's route: the first in precedence on this port."""
    routes = ranked(plan.view.children("route", router), "routeName", "tcpRoute", port)
    if not routes:
        return None
    return _weighted(plan, routes[0][2], ("tcp", port))


def _weighted(plan: Plan, body: Mapping[str, Any], fallback: tuple[str, int]) -> Obj:
    """[M WeightedTarget] traffic split by relative weight; a weight of 0 gets none, and a
    route whose weights are all 0 sends nothing anywhere [semantics.routers.split]."""
    targets = (body.get("action") or {}).get("weightedTargets") or []
    clusters: dict[str, int] = {}
    for target in targets:
        port = target.get("port")
        name = plan.upstream(
            str(target["virtualNode"]), None if port is None else int(port), fallback
        )
        clusters[name] = clusters.get(name, 0) + int(target.get("weight", 0))
    if sum(clusters.values()) == 0:
        return _unreachable()
    if len(clusters) == 1:
        return {"route": {"cluster": next(iter(clusters))}}
    split = [{"name": name, "weight": weight} for name, weight in clusters.items()]
    return {"route": {"weighted_clusters": {"clusters": split}}}


def service_action(plan: Plan, service: str, port: int | None) -> tuple[Obj, bool]:
    """(route action, whether it hops through a router) for a request to `service` on `port`
    (None: its provider's only listener), as `semantics.routers.through_service` follows it."""
    found = plan.view.get("virtualService", service)
    kind, provider = specs.provider((found or {}).get("spec")) or ("", "")
    if kind == "virtualNode":
        node = plan.view.get("virtualNode", provider) or {}
        mapping, _ = pick_listener("", (node.get("spec") or {}).get("listeners") or [], port)
        if mapping is None:
            return _unreachable(), False
        chosen = (str(mapping["protocol"]), int(mapping["port"]))
        route: Obj = {"cluster": plan.upstream(provider, chosen[1], chosen)}
        # [UG envoy-defaults.md] the default retry policy covers a node provider's route too.
        kind_name = ROUTE_KIND.get(chosen[0], "httpRoute")
        if chosen[0] != "tcp":
            route["retry_policy"] = retry_policy(None, kind_name)
        return {"route": route}, False
    if kind == "virtualRouter":
        router = plan.view.get("virtualRouter", provider)
        listeners = ((router or {}).get("spec") or {}).get("listeners") or []
        mapping, _ = pick_listener("", listeners, port)
        if router is None or mapping is None:
            return _unreachable(), False
        hop = plan.hop(provider, str(mapping["protocol"]), int(mapping["port"]))
        return {"route": {"cluster": hop}}, True
    return _unreachable(), False


def gateway_table(plan: Plan, gateway: str, protocol: str, port: int) -> list[Obj]:
    """Envoy routes for a gateway listener: each gateway route's match, its rewrites
    [UG gateway-routes.md] and the hop to its target virtual service."""
    kind = ROUTE_KIND[protocol]
    routes = ranked(plan.view.children("gatewayRoute", gateway), "gatewayRouteName", kind, port)
    table = []
    for name, _, body in routes:
        action_spec = body.get("action") or {}
        target = action_spec.get("target") or {}
        service = str((target.get("virtualService") or {}).get("virtualServiceName"))
        target_port = target.get("port")  # [M GatewayRouteTarget.port]
        action, _ = service_action(plan, service, None if target_port is None else int(target_port))
        if "route" in action:
            action["route"].update(
                rewrite(body.get("match") or {}, action_spec.get("rewrite") or {}, service, kind)
            )
        table.append({"name": name, "match": route_match(kind, body.get("match") or {}), **action})
    return table


def rewrite(match: Mapping[str, Any], rules: Mapping[str, Any], service: str, kind: str) -> Obj:
    """The gateway route's rewrites, as `semantics.gateways.rewrite` applies them: the host
    becomes the target service's name unless DISABLED; an exact path rewrite replaces the
    path; a prefix rewrite value replaces the matched prefix; by default the matched prefix
    goes and the rest keeps one leading slash [UG gateway-routes.md: /chapter/page -> /page,
    /chapter1 -> /1]. Envoy's `prefix_rewrite: "/"` would give `//page` for that, so the
    default is a regex rewrite of the prefix and an optional following slash."""
    found: Obj = {}
    if (rules.get("hostname") or {}).get("defaultTargetHostname", "ENABLED") == "ENABLED":
        found["host_rewrite_literal"] = service
    if kind == "grpcRoute":
        return found
    prefix_rule = rules.get("prefix") or {}
    if "exact" in (rules.get("path") or {}):
        literal = str(rules["path"]["exact"]).replace("\\", "\\\\")
        found["regex_rewrite"] = {"pattern": {"regex": "^.*$"}, "substitution": literal}
    elif "prefix" in match:
        if "value" in prefix_rule:
            found["prefix_rewrite"] = str(prefix_rule["value"])
        elif prefix_rule.get("defaultPrefix", "ENABLED") == "ENABLED":
            pattern = f"^{re2_escape(str(match['prefix']))}/?"
            found["regex_rewrite"] = {"pattern": {"regex": pattern}, "substitution": "/"}
    return found
