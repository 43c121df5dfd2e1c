"""An App Mesh route's or gateway route's match criteria as an Envoy `RouteMatch`.

Each criterion maps to the Envoy matcher that means the same as `semantics/matching.py`
says the criterion means; the Envoy test suite (tests/test_envoy_*.py) sends the requests on
each boundary to both and compares. Envoy: config.route.v3.RouteMatch and HeaderMatcher.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .common import Obj, re2_escape

Spec = Mapping[str, Any]


def _regex(pattern: str) -> Obj:
    # [Envoy RegexMatcher] RE2, matching the whole value, as semantics.matching.full_match.
    return {"safe_regex": {"regex": pattern}}


def header_matcher(rule: Spec) -> Obj:
    """[M HttpRouteHeader / GrpcRouteMetadata] one header rule. A rule without a match method
    asks for the header's presence [EX howto-http-headers]; `invert` negates, and Envoy, like
    `resolve`, fails a missing header unless the test is an inverted presence test."""
    method = rule.get("match") or {}
    matcher: Obj = {"name": str(rule["name"]).lower()}
    if "exact" in method:
        matcher["string_match"] = {"exact": str(method["exact"])}
    elif "prefix" in method:
        matcher["string_match"] = {"prefix": str(method["prefix"])}
    elif "suffix" in method:
        matcher["string_match"] = {"suffix": str(method["suffix"])}
    elif "regex" in method:
        matcher["string_match"] = _regex(str(method["regex"]))
    elif "range" in method:
        # [M MatchRange] start included, end excluded: Envoy's Int64Range is the same.
        span = method["range"]
        matcher["range_match"] = {"start": str(span["start"]), "end": str(span["end"])}
    else:
        matcher["present_match"] = True
    if rule.get("invert"):
        matcher["invert_match"] = True
    return matcher


def _query(rule: Spec) -> Obj:
    """[M HttpQueryParameter] exact value, or presence when no match is given."""
    exact = (rule.get("match") or {}).get("exact")
    if exact is None:
        return {"name": str(rule["name"]), "present_match": True}
    return {"name": str(rule["name"]), "string_match": {"exact": str(exact)}}


def _hostname(rule: Spec) -> Obj:
    """[M GatewayRouteHostnameMatch] exact or suffix, compared without the port and ignoring
    case, as `resolve` does: a regex on `:authority` (an optional `:port` after the name)."""
    if "exact" in rule:
        pattern = f"(?i){re2_escape(str(rule['exact']))}(:[^:]*)?"
    else:
        pattern = f"(?i)[^:]*{re2_escape(str(rule['suffix']))}(:[^:]*)?"
    return {"name": ":authority", "string_match": _regex(pattern)}


def http_match(match: Spec) -> Obj:
    """[M HttpRouteMatch, HttpGatewayRouteMatch]. The port is not matched here: a route with
    a port goes only into the route table of the listener on that port."""
    found: Obj = {}
    path = match.get("path") or {}
    if "exact" in path:
        found["path"] = str(path["exact"])
    elif "regex" in path:
        found["safe_regex"] = {"regex": str(path["regex"])}
    else:
        # [M HttpRouteMatch.prefix] a plain character prefix, as Envoy's `prefix`.
        found["prefix"] = str(match.get("prefix", "/"))
    headers: list[Obj] = []
    if "prefix" in match and ("exact" in path or "regex" in path):
        # Both accepted by the API (docs/fidelity.md) and both must hold [semantics.matching]:
        # the prefix checked on `:path`, whose query string comes after any prefix's text.
        headers.append({"name": ":path", "string_match": {"prefix": str(match["prefix"])}})
    if "hostname" in match:
        headers.append(_hostname(match["hostname"]))
    if "method" in match:
        headers.append({"name": ":method", "string_match": {"exact": str(match["method"])}})
    if "scheme" in match:
        headers.append({"name": ":scheme", "string_match": {"exact": str(match["scheme"])}})
    headers.extend(header_matcher(rule) for rule in match.get("headers") or [])
    if headers:
        found["headers"] = headers
    query = [_query(rule) for rule in match.get("queryParameters") or []]
    if query:
        found["query_parameters"] = query
    return found


def grpc_match(match: Spec) -> Obj:
    """[M GrpcRouteMatch, GrpcGatewayRouteMatch] a gRPC call's :path is
    `/package.Service/Method`; no service name matches any call [UG routes.md]."""
    found: Obj = {}
    if "serviceName" in match:
        service = re2_escape(str(match["serviceName"]))
        method = re2_escape(str(match["methodName"])) if "methodName" in match else "[^/]+"
        found["safe_regex"] = {"regex": f"/{service}/{method}"}
    else:
        found["prefix"] = "/"
    headers: list[Obj] = []
    if "hostname" in match:
        headers.append(_hostname(match["hostname"]))
    headers.extend(header_matcher(rule) for rule in match.get("metadata") or [])
    if headers:
        found["headers"] = headers
    return found


def route_match(kind: str, match: Spec) -> Obj:
    if kind == "grpcRoute":
        return grpc_match(match)
    return http_match(match)


def on_port(match: Spec, port: int) -> bool:
    """[M HttpRouteMatch.port] a route with a port serves only the listener on that port."""
    return "port" not in match or int(match["port"]) == port
