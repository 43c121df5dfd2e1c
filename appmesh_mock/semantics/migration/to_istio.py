"""App Mesh to Istio: a VirtualService per virtual service (for sidecars, `mesh`) and per
virtual gateway listener (bound to an Istio Gateway), whose `http` routes are the entry's
rules in App Mesh's precedence order: Istio takes the first match in list order [IS], and
matches a prefix by character as App Mesh does, so order and prefixes carry over as they are."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..document import MeshView
from ..targets.common import Entry
from .compose import one_per_name
from .ledger import Ledger
from .naming import k8s_name, node_ref
from .rules import FlatRule

API = "networking.istio.io/v1"


def _string(rule: Mapping[str, Any]) -> dict[str, str] | None:
    """A HeaderMatchMethod as an Istio StringMatch; suffix as a regex; range has none."""
    if "exact" in rule:
        return {"exact": str(rule["exact"])}
    if "prefix" in rule:
        return {"prefix": str(rule["prefix"])}
    if "suffix" in rule:
        return {"regex": ".*" + re.escape(str(rule["suffix"]))}
    if "regex" in rule:
        return {"regex": str(rule["regex"])}
    if not rule:
        return {"regex": ".*"}  # presence: any value
    return None


def match_block(match: Mapping[str, Any], ledger: Ledger, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "prefix" in match:
        out["uri"] = {"prefix": str(match["prefix"])}
    path = match.get("path") or {}
    if "exact" in path:
        out["uri"] = {"exact": str(path["exact"])}
    elif "regex" in path:
        out["uri"] = {"regex": str(path["regex"])}
        ledger.note(where, "match.path.regex", "mapped", "uri regex (RE2, whole path, as Envoy)")
    if "method" in match:
        out["method"] = {"exact": str(match["method"])}
    if "scheme" in match:
        out["scheme"] = {"exact": str(match["scheme"])}
    hostname = match.get("hostname") or {}
    if hostname:
        host = re.escape(str(hostname.get("exact", hostname.get("suffix", ""))).lower())
        lead = "" if "exact" in hostname else ".*"
        out["authority"] = {"regex": f"{lead}{host}(:[0-9]+)?"}
        ledger.note(where, "match.hostname", "approximated",
                    "authority regex; Istio compares it case-sensitively", None)
    for rule in match.get("headers") or []:
        name = str(rule["name"]).lower()
        method = rule.get("match") or {}
        string = _string(method)
        if string is None:
            ledger.note(where, "match.headers[].match.range", "dropped",
                        "Istio's StringMatch has no integer range", "MATCHER_UNSUPPORTED")
            continue
        if rule.get("invert"):
            if method:  # App Mesh: present and not matching; absent fails
                out.setdefault("headers", {})[name] = {"regex": ".*"}
            out.setdefault("withoutHeaders", {})[name] = string
        else:
            out.setdefault("headers", {})[name] = string
    for rule in match.get("queryParameters") or []:
        exact = (rule.get("match") or {}).get("exact")
        out.setdefault("queryParams", {})[str(rule["name"])] = (
            {"exact": str(exact)} if exact is not None else {"regex": ".*"}
        )
    return out


def _destinations(rule: FlatRule, names: Mapping[str, str]) -> list[dict[str, Any]]:
    # [IS HTTPRouteDestination.weight] "the relative proportion of traffic": App Mesh's
    # weights are relative too, so they carry over as they are.
    out = []
    for node, weight, port in rule.targets:
        host, number = node_ref(names, node, port)
        destination: dict[str, Any] = {"host": host}
        if number is not None:
            destination["port"] = {"number": number}
        out.append({"destination": destination, "weight": weight})
    return out


def http_route(rule: FlatRule, names: Mapping[str, str],
               ledger: Ledger) -> dict[str, Any] | None:
    where = rule.sources[-1] if rule.targets else rule.sources[0]
    match = one_per_name(rule.match, ledger, where)
    if match is None:
        return None
    route: dict[str, Any] = {"name": k8s_name("-".join(s.split(" ", 1)[1] for s in rule.sources
                                                      if " " in s and "(" not in s))}
    block = match_block(match, ledger, where)
    if block:
        route["match"] = [block]
    if not rule.targets:
        route["directResponse"] = {"status": 404}  # App Mesh: no route of the service matched
        return route
    route["route"] = _destinations(rule, names)
    rewrite: dict[str, Any] = {}
    if rule.rewrite.full is not None:
        rewrite["uri"] = rule.rewrite.full
    elif rule.rewrite.prefix is not None and rule.rewrite.replacement != rule.rewrite.prefix:
        rewrite["uri"] = rule.rewrite.replacement
    if rule.rewrite.host is not None:
        rewrite["authority"] = rule.rewrite.host
    if rewrite:
        route["rewrite"] = rewrite
    if rule.retries is not None:
        route["retries"] = {"attempts": rule.retries}
    return route


def manifests(view: MeshView, name: str, kind: str,
              per_port: list[tuple[Entry, list[FlatRule]]], names: Mapping[str, str],
              ledger: Ledger) -> list[dict[str, Any]]:
    """The Istio resources of one virtual service or virtual gateway: one VirtualService
    (Istio applies only the first VirtualService of a host to sidecars [IS]), its routes for
    each listener port in turn, each naming the port when there are several."""
    namespace = k8s_name(view.name)
    base = names.get(name, k8s_name(name))
    out: list[dict[str, Any]] = []
    spec: dict[str, Any] = {"hosts": [base]}
    if kind == "gateway":
        servers = [{"port": {"number": e.port, "name": f"http-{e.port}", "protocol": "HTTP"},
                    "hosts": ["*"]} for e, _ in per_port]
        out.append({"apiVersion": API, "kind": "Gateway",
                    "metadata": {"name": base, "namespace": namespace},
                    "spec": {"selector": {"istio": "ingressgateway"}, "servers": servers}})
        spec = {"hosts": ["*"], "gateways": [base]}
    several = len(per_port) > 1
    for entry, rules in per_port:
        for rule in rules:
            if rule.protocol == "tcp":
                spec.setdefault("tcp", []).append(
                    {"match": [{"port": entry.port}],
                     "route": _destinations(rule, names)})
                break  # [M TcpRoute] a tcp listener takes its first route
            route = http_route(rule, names, ledger)
            if route is None:
                continue
            if several:
                for block in route.setdefault("match", [{}]):
                    block["port"] = entry.port
            spec.setdefault("http", []).append(route)
    if "http" in spec or "tcp" in spec:
        out.append({"apiVersion": API, "kind": "VirtualService",
                    "metadata": {"name": base, "namespace": namespace}, "spec": spec})
    return out
