"""Whether one route's or gateway route's match criteria accept a request.

Each function returns None when the criteria match, else a short phrase saying which
criterion failed (used in explanations). Sources, in docs/routing.md:
[M] botocore model doc strings (2019-01-25), [UG] App Mesh user guide, [EX] AWS examples,
[I] inferred (from Envoy, which App Mesh configures).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, NamedTuple

from .request import Request

Spec = Mapping[str, Any]
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def full_match(pattern: str, text: str) -> bool:
    """[I] Envoy's safe_regex matches the whole value. A pattern Python cannot compile (RE2
    and Python differ at the edges) matches nothing rather than failing the resolution."""
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:
        return False


def value_matches(method: Spec, value: str) -> bool:
    """One header or metadata value against a HeaderMatchMethod [M HeaderMatchMethod]."""
    if "exact" in method:
        return bool(value == method["exact"])
    if "prefix" in method:
        return value.startswith(method["prefix"])
    if "suffix" in method:
        return value.endswith(method["suffix"])
    if "regex" in method:
        return full_match(method["regex"], value)  # [I] as Envoy's safe_regex_match
    if "range" in method:
        # [M MatchRange] start is included, end is not; a value that is not a base-10
        # integer is no match. Envoy's reading, not Python's: int() also takes "1_0" and
        # non-ASCII digits, which Envoy refuses (found by tests/test_envoy_generated.py).
        if _INTEGER.fullmatch(value) is None:
            return False
        number = int(value)
        return int(method["range"]["start"]) <= number < int(method["range"]["end"])
    return True  # [EX howto-http-headers] a header with no match method: "the header exists"


def headers_fail(rules: Sequence[Spec], request: Request, what: str = "header") -> str | None:
    """Every header (or gRPC metadata) rule must hold [M HttpRouteHeader, GrpcRouteMetadata]."""
    for rule in rules:
        name = str(rule["name"])
        value = request.header(name)
        invert = bool(rule.get("invert", False))  # [M] default False
        method = rule.get("match") or {}
        if value is None:
            # [UG routes.md] an inverted prefix match is "any request that has a header that
            # starts with anything other than": a missing header still fails, except the
            # inverted presence test, which asks for absence [EX howto-http-headers].
            if invert and not method:
                continue
            return f"{what} {name} is missing"
        if value_matches(method, value) == invert:
            return f"{what} {name}={value!r} does not match {_describe(method, invert)}"
    return None


def _describe(method: Spec, invert: bool) -> str:
    negation = "not " if invert else ""
    if not method:
        return f"{negation}present"
    kind, criterion = next(iter(method.items()))
    if kind == "range":
        return f"{negation}range [{criterion['start']}, {criterion['end']})"
    return f"{negation}{kind} {criterion!r}"


def query_fail(rules: Sequence[Spec], request: Request) -> str | None:
    """Every query parameter rule must hold [M HttpQueryParameter, QueryParameterMatch.exact]."""
    for rule in rules:
        name = str(rule["name"])
        values = request.query.get(name)
        if values is None:
            return f"query parameter {name} is missing"
        exact = (rule.get("match") or {}).get("exact")
        # [Envoy QueryParameterMatcher, tests/test_envoy_generated.py] a repeated parameter
        # is matched by its first value: `?q=2&q=1` does not match q=1.
        if exact is not None and values[0] != exact:
            return f"query parameter {name}={values[0]!r} is not {exact!r}"
    return None


def path_fail(match: Spec, request: Request) -> str | None:
    """`prefix` [M HttpRouteMatch.prefix: "/" matches all requests], or `path.exact` /
    `path.regex` [M HttpPathMatch]. A match with neither accepts any path [I]."""
    # [UG gateway-routes.md] a plain string prefix: /chapter matches /chapter1.
    if "prefix" in match and not request.path.startswith(match["prefix"]):
        return f"path {request.path} does not start with {match['prefix']}"
    path = match.get("path") or {}
    if "exact" in path and request.path != path["exact"]:
        return f"path {request.path} is not {path['exact']}"
    # [I] Envoy's safe_regex path match covers the whole path (query string excluded).
    if "regex" in path and not full_match(path["regex"], request.path):
        return f"path {request.path} does not match regex {path['regex']!r}"
    return None


def hostname_fail(match: Spec, request: Request) -> str | None:
    """[M GatewayRouteHostnameMatch] exact or suffix; [I] compared without the port and
    case-insensitively, as DNS names are."""
    rule = match.get("hostname")
    if not rule:
        return None
    host = request.hostname
    if host is None:
        return "the request has no Host header"
    if "exact" in rule and host != str(rule["exact"]).lower():
        return f"host {host} is not {rule['exact']}"
    if "suffix" in rule and not host.endswith(str(rule["suffix"]).lower()):
        return f"host {host} does not end with {rule['suffix']}"
    return None


def http_fail(match: Spec, request: Request) -> str | None:
    """An HTTP or HTTP/2 route or gateway route match [M HttpRouteMatch, HttpGatewayRouteMatch]:
    every criterion given must hold."""
    if "port" in match and match["port"] != request.port:
        return f"it matches port {match['port']}, not {request.port}"
    if "method" in match and match["method"] != request.method:
        return f"it matches method {match['method']}, not {request.method}"
    # [M HttpRouteMatch.scheme] "Applicable only for HTTP2 routes"; [I] compared wherever set.
    if "scheme" in match and match["scheme"] != request.scheme:
        return f"it matches scheme {match['scheme']}, not {request.scheme}"
    return (
        hostname_fail(match, request)
        or path_fail(match, request)
        or headers_fail(match.get("headers") or [], request)
        or query_fail(match.get("queryParameters") or [], request)
    )


Fail = Callable[[Request], "str | None"]


class Check(NamedTuple):
    """One route's match made once: `accepts` answers fast, `fail` says which criterion
    failed (the same phrase `http_fail` gives), asked only when the phrase is shown."""

    accepts: Callable[[Request], bool]
    fail: Fail


def compile_http(match: Spec) -> Check:
    """`http_fail` for one match, made once per route: only the criteria the match sets are
    tried, in `http_fail`'s order; a plain prefix (most routes) is one `startswith`."""
    fail = partial(http_fail, match)
    prefix = str(match.get("prefix", ""))
    if set(match) <= {"prefix"}:
        return Check(lambda request: request.path.startswith(prefix), fail)
    # A conjunction: the prefix, cheap and the usual miss, is tried before the rest.
    return Check(lambda r: r.path.startswith(prefix) and fail(r) is None, fail)


def compile_with(fail: Callable[[Spec, Request], str | None]) -> Callable[[Spec], Check]:
    """A compiler for a matcher that is not worth compiling further (gRPC, TCP)."""

    def compile(match: Spec) -> Check:
        bound = partial(fail, match)
        return Check(lambda request: bound(request) is None, bound)

    return compile


def grpc_fail(match: Spec, request: Request) -> str | None:
    """A gRPC route or gateway route match [M GrpcRouteMatch, GrpcGatewayRouteMatch]: no
    service name matches any service [UG routes.md]; a method name needs a service name."""
    if "port" in match and match["port"] != request.port:
        return f"it matches port {match['port']}, not {request.port}"
    failed = hostname_fail(match, request)
    if failed:
        return failed
    parts = request.grpc_parts
    if "serviceName" in match:
        if parts is None:
            return f"path {request.path} is not a gRPC /service/method path"
        if parts[0] != match["serviceName"]:
            return f"gRPC service {parts[0]} is not {match['serviceName']}"
        if "methodName" in match and parts[1] != match["methodName"]:
            return f"gRPC method {parts[1]} is not {match['methodName']}"
    return headers_fail(match.get("metadata") or [], request, what="metadata")


def tcp_fail(match: Spec, request: Request) -> str | None:
    """[M TcpRouteMatch] only a port."""
    if "port" in match and match["port"] != request.port:
        return f"it matches port {match['port']}, not {request.port}"
    return None
