"""Istio VirtualServices and Gateway API HTTPRoutes rendered as Envoy routes, first match in
order (both are implemented on Envoy that way: Istio keeps the `http` list order, a Gateway
API implementation sorts the rules by the spec's precedence first), so that the real Envoy can
judge the target resolvers in appmesh_mock/semantics/targets/.

Only what the generated configurations use is rendered: path prefix/exact/regex (PathPrefix
as Envoy's `path_separated_prefix`), method, header and query matches, weighted backends, the
prefix and Host rewrites and a direct 404."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from appmesh_mock.semantics.targets import gateway_api, istio
from appmesh_mock.semantics.targets.common import backend_key

ROUTER = "envoy.filters.http.router"


def _string(match: Mapping[str, Any]) -> dict[str, Any]:
    if "exact" in match:
        return {"exact": str(match["exact"])}
    if "prefix" in match:
        return {"prefix": str(match["prefix"])}
    if "regex" in match:
        return {"safe_regex": {"regex": str(match["regex"])}}
    return {"safe_regex": {"regex": ".*"}}


def _weighted(pairs: list[tuple[str, int]]) -> dict[str, Any]:
    live = [(c, w) for c, w in pairs if w > 0]
    if len(live) == 1:
        return {"cluster": live[0][0]}
    return {"weighted_clusters": {"clusters": [{"name": c, "weight": w} for c, w in live]}}


def istio_routes(service: Mapping[str, Any], port: int | None) -> list[dict[str, Any]]:
    routes = []
    for route in (service.get("spec") or {}).get("http") or []:
        for block in route.get("match") or [{}]:
            if "port" in block and block["port"] != port:
                continue
            match: dict[str, Any] = {"prefix": "/"}
            uri = block.get("uri") or {}
            if "prefix" in uri:
                match = {"prefix": uri["prefix"]}
            elif "exact" in uri:
                match = {"path": uri["exact"]}
            elif "regex" in uri:
                match = {"safe_regex": {"regex": uri["regex"]}}
            headers = [{"name": n.lower(), "string_match": _string(m)}
                       for n, m in (block.get("headers") or {}).items()]
            headers += [{"name": n.lower(), "string_match": _string(m), "invert_match": True}
                        for n, m in (block.get("withoutHeaders") or {}).items()]
            for key, name in (("method", ":method"), ("authority", ":authority"),
                              ("scheme", ":scheme")):
                if key in block:
                    headers.append({"name": name, "string_match": _string(block[key])})
            if headers:
                match["headers"] = headers
            if block.get("queryParams"):
                match["query_parameters"] = [{"name": n, "string_match": _string(m)}
                                             for n, m in block["queryParams"].items()]
            entry: dict[str, Any] = {"match": match}
            if "directResponse" in route:
                entry["direct_response"] = {"status": 404}
            else:
                action = _weighted([
                    (backend_key(d["destination"]["host"],
                                 (d["destination"].get("port") or {}).get("number")),
                     int(d.get("weight", 100))) for d in route.get("route") or []])
                rewrite = route.get("rewrite") or {}
                if "uri" in rewrite:
                    action["prefix_rewrite"] = rewrite["uri"]
                if "authority" in rewrite:
                    action["host_rewrite_literal"] = rewrite["authority"]
                entry["route"] = action
            routes.append(entry)
    return routes


def gateway_routes(prepared: gateway_api.Prepared) -> list[dict[str, Any]]:
    """The attached rules in the spec's precedence order (hostnames left out)."""
    routes = []
    for _, rule, match, _ in prepared.http:
        path = match.get("path") or {}
        kind, value = path.get("type", "PathPrefix"), str(path.get("value", "/"))
        trimmed = value.rstrip("/")
        envoy: dict[str, Any] = (
            {"path": value} if kind == "Exact"
            else {"safe_regex": {"regex": value}} if kind == "RegularExpression"
            else {"path_separated_prefix": trimmed} if trimmed else {"prefix": "/"})
        headers = [{"name": str(h["name"]).lower(), "string_match": (
            {"safe_regex": {"regex": h["value"]}} if h.get("type") == "RegularExpression"
            else {"exact": h["value"]})} for h in match.get("headers") or []]
        if "method" in match:
            headers.append({"name": ":method", "string_match": {"exact": match["method"]}})
        if headers:
            envoy["headers"] = headers
        if match.get("queryParams"):
            envoy["query_parameters"] = [{"name": q["name"], "string_match": (
                {"safe_regex": {"regex": q["value"]}} if q.get("type") == "RegularExpression"
                else {"exact": q["value"]})} for q in match["queryParams"]]
        refs = rule.get("backendRefs") or []
        if not refs:
            routes.append({"match": envoy, "direct_response": {"status": 500}})
            continue
        action = _weighted([(backend_key(r["name"], r.get("port")), int(r.get("weight", 1)))
                            for r in refs])
        for item in rule.get("filters") or []:
            url = item.get("urlRewrite") or {}
            if "hostname" in url:
                action["host_rewrite_literal"] = url["hostname"]
            modifier = url.get("path") or {}
            if modifier.get("type") == "ReplaceFullPath":
                action["regex_rewrite"] = {"pattern": {"regex": ".*"},
                                           "substitution": modifier["replaceFullPath"]}
            elif modifier.get("type") == "ReplacePrefixMatch":
                # As Envoy-based implementations do: the matched segments and the slash
                # after them become the replacement (ReplacePrefixMatch "/": /foo/x -> /x).
                replacement = str(modifier["replacePrefixMatch"])
                pattern, substitution = (
                    (f"^{re.escape(trimmed)}(/|$)", "/") if replacement == "/"
                    else (f"^{re.escape(trimmed)}", replacement.rstrip("/")))
                action["regex_rewrite"] = {"pattern": {"regex": pattern},
                                           "substitution": substitution}
        routes.append({"match": envoy, "route": action})
    return routes


def bootstrap(listeners: Mapping[int, list[dict[str, Any]]],
              endpoints: Mapping[str, str]) -> dict[str, Any]:
    """A static Envoy: one listener per port with its routes, a cluster per backend."""
    built = []
    for port, routes in listeners.items():
        manager = {
            "stat_prefix": f"p{port}", "codec_type": "AUTO",
            "route_config": {"virtual_hosts": [{"name": "all", "domains": ["*"],
                                                "routes": routes}]},
            "http_filters": [{"name": ROUTER, "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}],
        }
        built.append({"name": f"listener-{port}", "address": {"socket_address": {
            "address": "127.0.0.1", "port_value": port}}, "filter_chains": [{"filters": [{
                "name": "envoy.filters.network.http_connection_manager", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.network."
                             "http_connection_manager.v3.HttpConnectionManager", **manager}}]}]})
    clusters = [{"name": name, "type": "STATIC", "connect_timeout": "1s",
                 "load_assignment": {"cluster_name": name, "endpoints": [{"lb_endpoints": [{
                     "endpoint": {"address": {"socket_address": {
                         "address": address.split(":")[0],
                         "port_value": int(address.split(":")[1])}}}}]}]}}
                for name, address in endpoints.items()]
    return {"static_resources": {"listeners": built, "clusters": clusters}}


__all__ = ["bootstrap", "gateway_routes", "istio", "istio_routes"]
