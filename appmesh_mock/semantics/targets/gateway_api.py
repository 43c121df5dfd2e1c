"""How the Kubernetes Gateway API routes a request, by its specification (`apis/v1`
httproute_types.go, gateway-api v1.2+; [GW] below): which HTTPRoutes and TCPRoutes attach to
the entry, which of their rules win, and what the winning rule's filters and backendRefs do.

Entry points: a virtual gateway becomes a Gateway (routes attach with a parentRef of kind
Gateway); a virtual service becomes a Service that mesh routes attach to (GAMMA: a parentRef of
kind Service, [GW GEP-1426]). gRPC requests are matched by GRPCRoute-free HTTPRoute path rules
(a gRPC call is an HTTP/2 POST to /service/method)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..request import Request
from .common import (
    Destination,
    Entry,
    Outcome,
    backend_key,
    host_matches,
    split,
)
from .gateway_api_matching import compile_match, matches, path_ok, rank, relax, unsupported

Manifest = Mapping[str, Any]
NAME = "gateway-api"


def _attached(route: Manifest, entry: Entry, names: Mapping[str, str]) -> bool:
    """[GW ParentReference] kind defaults to Gateway; group "" is the core group of Service;
    a parentRef port, when given, must be the listener's (or the Service's) port."""
    wanted = names.get(entry.name, entry.name)
    for ref in (route.get("spec") or {}).get("parentRefs") or []:
        kind = ref.get("kind", "Gateway")
        if (kind == "Gateway") != (entry.kind == "gateway") or kind not in ("Gateway", "Service"):
            continue
        if backend_key(str(ref.get("name"))) != backend_key(wanted):
            continue
        if ref.get("port") is not None and entry.port is not None and ref["port"] != entry.port:
            continue
        return True
    return False


def _host_rank(route: Manifest, host: str | None) -> tuple[int, int] | None:
    """[GW HTTPRouteSpec.Hostnames] a route with hostnames takes only requests for them;
    a route without hostnames takes every host of its listener. The more specific hostname
    first (longest non-wildcard, then longest wildcard, as [GW GRPCRouteRule] states)."""
    names = (route.get("spec") or {}).get("hostnames") or []
    if not names:
        return (0, 0)
    fitting = [n for n in names if host_matches(str(n), host)]
    if not fitting:
        return None
    exact = max((len(n) for n in fitting if not str(n).startswith("*")), default=0)
    return (exact, max(len(n) for n in fitting))


def _destination(rule: Mapping[str, Any], request: Request, label: str) -> Destination | None:
    """[GW HTTPBackendRef] weight defaults to 1, a 0 weight gets nothing; with no backend
    that can take traffic the request fails (500), which is "nowhere" here. [GW
    HTTPURLRewriteFilter] rewrites the Host and the path (ReplaceFullPath, or
    ReplacePrefixMatch of the matched PathPrefix)."""
    refs = rule.get("backendRefs") or []
    shares = split(
        [
            (backend_key(str(ref["name"]), ref.get("port")), int(ref.get("weight", 1)))
            for ref in refs
            if ref.get("kind", "Service") == "Service"
        ]
    )
    if not shares:
        return None
    path, host = request.path, request.host
    for item in rule.get("filters") or []:
        if item.get("type") != "URLRewrite":
            continue
        rewrite = item.get("urlRewrite") or {}
        host = rewrite.get("hostname", host)
        modifier = rewrite.get("path") or {}
        if modifier.get("type") == "ReplaceFullPath":
            path = str(modifier["replaceFullPath"])
        elif modifier.get("type") == "ReplacePrefixMatch":
            path = replace_prefix(rule, request.path, str(modifier["replacePrefixMatch"]))
    attempts = (rule.get("retry") or {}).get("attempts")
    # [GW HTTPRouteRetry.Attempts] "When this field is unspecified, the number of times to
    # attempt to retry a backend request is implementation-specific": None.
    return Destination(shares, path, host, None if attempts is None else int(attempts), label)


def replace_prefix(rule: Mapping[str, Any], path: str, replacement: str) -> str:
    """[GW HTTPPathModifier.ReplacePrefixMatch] the matched prefix, element-wise, becomes
    the replacement: prefix /foo, replacement /xyz: /foo/bar -> /xyz/bar; replacement /:
    /foo/bar -> /bar and /foo -> /."""
    prefix = ""
    for match in rule.get("matches") or [{}]:
        value = str((match.get("path") or {}).get("value", "/"))
        if (match.get("path") or {}).get("type", "PathPrefix") == "PathPrefix" and path_ok(
            match.get("path") or {}, path
        ):
            prefix = value.rstrip("/")
            break
    rest = path[len(prefix) :]
    if not rest:
        return replacement
    return replacement.rstrip("/") + rest


@dataclass
class Prepared:
    """The rules attached to one entry, in precedence order but for hostnames (which depend
    on the request): (route, rule, match, label) for HTTP and for TCP."""

    entry: Entry
    service: str
    attached: int = 0
    http: list[tuple[Manifest, Mapping[str, Any], Mapping[str, Any], str]] = field(
        default_factory=list)
    tcp: list[tuple[Manifest, Mapping[str, Any], Mapping[str, Any], str]] = field(
        default_factory=list)
    hostnames: bool = False
    checks: dict[int, Callable[[Request], bool]] = field(default_factory=dict)


def prepare(manifests: Sequence[Manifest], entry: Entry, names: Mapping[str, str]) -> Prepared:
    """Ties across routes go to the oldest route (the order given stands in for creation
    time), then to "{namespace}/{name}" alphabetically; within a route, to the first
    matching rule in list order [GW HTTPRouteRule.Matches]."""
    prepared = Prepared(entry, backend_key(names.get(entry.name, entry.name)))
    keyed: dict[str, list[tuple[Any, tuple[Manifest, Mapping[str, Any], Mapping[str, Any],
                                            str]]]] = {"HTTPRoute": [], "TCPRoute": []}
    for position, route in enumerate(manifests):
        if route.get("kind") not in keyed or not _attached(route, entry, names):
            continue
        prepared.attached += 1
        prepared.hostnames |= bool((route.get("spec") or {}).get("hostnames"))
        meta = route.get("metadata") or {}
        ident = f"{meta.get('namespace', 'default')}/{meta.get('name', '')}"
        for index, rule in enumerate((route.get("spec") or {}).get("rules") or []):
            for order, match in enumerate(rule.get("matches") or [{}]):
                key = (tuple(-x for x in rank(match)[:5]), str(meta.get("creationTimestamp", "")),
                       position, ident, index, order)
                label = f"{route.get('kind')} {ident} rule {index}"
                keyed[str(route["kind"])].append((key, (route, rule, match, label)))
    prepared.http = [item for _, item in sorted(keyed["HTTPRoute"], key=lambda k: k[0])]
    prepared.checks = {id(match): compile_match(match) for _, _, match, _ in prepared.http}
    prepared.tcp = [item for _, item in sorted(keyed["TCPRoute"], key=lambda k: k[0])]
    return prepared


def resolve(prepared: Prepared, request: Request, every: bool = False) -> Outcome:
    """The rule that takes `request`: the first in precedence order that matches, the more
    specific hostname first [GW]; with `every`, each matching rule too (one per rule)."""
    entry = prepared.entry
    if entry.kind == "service" and not prepared.attached:
        # [GW GEP-1426] without a route attached to it, a Service is reached as usual.
        plain = Destination(((prepared.service, 1.0),), request.path, request.host, None,
                            "no route: the Service itself")
        return Outcome(plain, [plain])
    tcp = request.method == "TCP"
    found: list[tuple[tuple[int, int], int, Mapping[str, Any], Mapping[str, Any], str]] = []
    seen: set[int] = set()
    fast = not every and not (prepared.hostnames and entry.kind == "gateway")
    for order, (route, rule, match, label) in enumerate(prepared.tcp if tcp else prepared.http):
        if id(rule) in seen or not (tcp or prepared.checks[id(match)](request)):
            continue
        host = _host_rank(route, request.host) if entry.kind == "gateway" else (0, 0)
        if host is None:
            continue
        seen.add(id(rule))
        found.append(((-host[0], -host[1]), order, rule, match, label))
        if fast:
            break
    found.sort(key=lambda item: item[:2])
    destinations = [_destination(rule, request, label) for _, _, rule, _, label in found]
    outcome = Outcome(destinations[0] if destinations else None,
                      [d for d in destinations if d is not None])
    regex = [m for *_, m, _ in found if (m.get("path") or {}).get("type") == "RegularExpression"]
    if regex:
        outcome.unspecified = "a RegularExpression path match took part (precedence unspecified)"
    return outcome


# [GW PathMatchPathPrefix] element by element, where App Mesh compares characters.
SEGMENT_PREFIXES: bool | None = True

__all__ = ["SEGMENT_PREFIXES", "matches", "prepare", "rank", "relax", "resolve", "unsupported"]
