"""How Istio routes a request with VirtualServices, by the VirtualService reference
(networking.istio.io/v1; [IS] below): which VirtualService applies, the first `http` (or
`tcp`) route in list order whose match accepts the request, then its destinations, rewrite
and retries.

Entry points: a virtual gateway becomes an Istio Gateway (VirtualServices bind to it by
`gateways`); a virtual service becomes a host that VirtualServices without `gateways` (that
is, `mesh`) route for sidecars."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..request import Request
from .common import Destination, Entry, Outcome, backend_key, full_match, host_matches, split

Manifest = Mapping[str, Any]
NAME = "istio"
# [IS HTTPRetry] "default retry policy ... attempts 2" when a route sets none (Istio's
# traffic-management docs: "the default retry behavior for HTTP requests is to retry twice").
DEFAULT_ATTEMPTS = 2


def string_ok(rule: Mapping[str, Any], value: str | None) -> bool:
    """[IS StringMatch] exact, prefix or regex (RE2, whole value); an empty match
    tests presence only."""
    if value is None:
        return False
    if "exact" in rule:
        return bool(value == rule["exact"])
    if "prefix" in rule:
        return value.startswith(str(rule["prefix"]))
    if "regex" in rule:
        return full_match(str(rule["regex"]), value)
    return True


def _bound(service: Manifest, entry: Entry, names: Mapping[str, str], host: str | None) -> bool:
    """[IS VirtualService.gateways] absent means `mesh` (sidecars only); a gateway is named
    `name` or `namespace/name`. [IS VirtualService.hosts] the host the client addresses."""
    spec = service.get("spec") or {}
    gateways = [str(g).rsplit("/", 1)[-1] for g in spec.get("gateways") or ["mesh"]]
    if entry.kind == "gateway":
        if backend_key(names.get(entry.name, entry.name)) not in map(backend_key, gateways):
            return False
        return any(host_matches(str(h), host) for h in spec.get("hosts") or [])
    if "mesh" not in gateways:
        return False
    wanted = names.get(entry.name, entry.name)
    return any(host_matches(str(h), wanted) for h in spec.get("hosts") or [])


def matches(match: Mapping[str, Any], request: Request, entry: Entry) -> bool:
    """[IS HTTPMatchRequest] every field given must hold; `withoutHeaders` holds when the
    header does not match (a missing header included)."""
    if "uri" in match and not string_ok(match["uri"], request.path):
        return False
    for key, value in (("method", request.method), ("scheme", request.scheme),
                       ("authority", request.host)):
        if key in match and not string_ok(match[key], value):
            return False
    for name, rule in (match.get("headers") or {}).items():
        if not string_ok(rule, request.headers.get(str(name).lower())):
            return False
    for name, rule in (match.get("withoutHeaders") or {}).items():
        if string_ok(rule, request.headers.get(str(name).lower())):
            return False
    for name, rule in (match.get("queryParams") or {}).items():
        values = request.query.get(str(name))
        if not string_ok(rule, values[0] if values else None):
            return False
    return not ("port" in match and entry.port is not None and int(match["port"]) != entry.port)


def _destination(route: Mapping[str, Any], request: Request, match: Mapping[str, Any],
                 label: str) -> Destination | None:
    """[IS HTTPRouteDestination] a single destination needs no weight (100); weights share
    the traffic. [IS HTTPRewrite.uri] replaces the matched prefix when the match was by
    prefix, else the whole path; `authority` replaces the Host."""
    weighted = []
    for item in route.get("route") or []:
        target = item.get("destination") or {}
        port = (target.get("port") or {}).get("number")
        key = backend_key(str(target.get("host")), port, target.get("subset"))
        weighted.append((key, int(item.get("weight", 100 if len(route["route"]) == 1 else 0))))
    shares = split(weighted)
    if not shares:
        return None
    path, host = request.path, request.host
    rewrite = route.get("rewrite") or {}
    if "uri" in rewrite:
        uri = match.get("uri") or {}
        if "prefix" in uri:
            path = str(rewrite["uri"]) + request.path[len(str(uri["prefix"])):]
        else:
            path = str(rewrite["uri"])
    host = rewrite.get("authority", host)
    retries = route.get("retries")
    attempts = DEFAULT_ATTEMPTS if retries is None else int(retries.get("attempts", 0))
    return Destination(shares, path, host, attempts, label)


def resolve(
    manifests: Sequence[Manifest], entry: Entry, request: Request, names: Mapping[str, str]
) -> Outcome:
    """[IS VirtualService.http] "The first rule matching an incoming request is used". Of
    several VirtualServices for one host, the oldest applies to sidecars [IS: "only the
    first ... is used"]; a gateway merges them, in the order given (unspecified beyond
    creation order)."""
    services = [m for m in manifests if m.get("kind") == "VirtualService"
                and _bound(m, entry, names, request.host)]
    if entry.kind == "service":
        services = services[:1]
    tcp = request.method == "TCP"
    found: list[Destination | None] = []
    for service in services:
        meta = service.get("metadata") or {}
        ident = f"{meta.get('namespace', 'default')}/{meta.get('name', '')}"
        routes = (service.get("spec") or {}).get("tcp" if tcp else "http") or []
        for index, route in enumerate(routes):
            label = f"VirtualService {ident} {'tcp' if tcp else 'http'}[{index}]"
            blocks = route.get("match") or [{}]
            if tcp:
                fits = [b for b in blocks if b.get("port") in (None, entry.port)]
                hit: Mapping[str, Any] | None = fits[0] if fits else None
            else:
                hit = next((b for b in blocks if matches(b, request, entry)), None)
            if hit is not None:
                found.append(_destination(route, request, hit, label))
    if not found and entry.kind == "service" and not services:
        # [IS] without a VirtualService, a sidecar sends to the Service the client named.
        wanted = backend_key(names.get(entry.name, entry.name))
        plain = Destination(((wanted, 1.0),), request.path, request.host, DEFAULT_ATTEMPTS,
                            "no VirtualService: the Service itself")
        return Outcome(plain, [plain])
    return Outcome(found[0] if found else None, [d for d in found if d is not None])


# [IS StringMatch.prefix] a character prefix, as App Mesh's.
SEGMENT_PREFIXES: bool | None = False


def unsupported(match: Mapping[str, Any]) -> str:
    """What an App Mesh match sets that HTTPMatchRequest cannot say: an integer range."""
    return ", ".join(
        f"range on header {rule['name']}"
        for rule in match.get("headers") or []
        if "range" in (rule.get("match") or {})
    )
