"""How Istio routes a request with VirtualServices, by the VirtualService reference
(networking.istio.io/v1; [IS] below): which VirtualService applies, the first `http` (or
`tcp`) route in list order whose match accepts the request, then its destinations, rewrite
and retries.

Entry points: a virtual gateway becomes an Istio Gateway (VirtualServices bind to it by
`gateways`); a virtual service becomes a host that VirtualServices without `gateways` (that
is, `mesh`) route for sidecars."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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


def _bound(service: Manifest, entry: Entry, names: Mapping[str, str]) -> bool:
    """[IS VirtualService.gateways] absent means `mesh` (sidecars only); a gateway is named
    `name` or `namespace/name`. [IS VirtualService.hosts] the host the client addresses."""
    spec = service.get("spec") or {}
    gateways = [str(g).rsplit("/", 1)[-1] for g in spec.get("gateways") or ["mesh"]]
    if entry.kind == "gateway":
        return backend_key(names.get(entry.name, entry.name)) in map(backend_key, gateways)
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


Check = Callable[[Request], bool]


def compile_block(block: Mapping[str, Any], entry: Entry) -> Check:
    """`matches` for one block, made once: a plain uri test first (most blocks miss on it)."""
    uri = block.get("uri") or {}
    rest = {k: v for k, v in block.items() if k != "uri"}
    if set(uri) == {"prefix"}:
        prefix = str(uri["prefix"])
        if not rest:
            return lambda r: r.path.startswith(prefix)
        return lambda r: r.path.startswith(prefix) and matches(rest, r, entry)
    if set(uri) == {"exact"}:
        exact = str(uri["exact"])
        return lambda r: r.path == exact and matches(rest, r, entry)
    return lambda r: matches(block, r, entry)


@dataclass
class Prepared:
    entry: Entry
    service: str
    services: list[Manifest] = field(default_factory=list)
    checks: dict[int, list[tuple[Check, Mapping[str, Any]]]] = field(default_factory=dict)


def prepare(manifests: Sequence[Manifest], entry: Entry, names: Mapping[str, str]) -> Prepared:
    """The VirtualServices that can apply to the entry (a gateway's still by request host).
    Of several VirtualServices for one host, the oldest applies to sidecars [IS: "only the
    first ... is used"]; a gateway merges them, in the order given (unspecified beyond
    creation order)."""
    services = [m for m in manifests if m.get("kind") == "VirtualService"
                and _bound(m, entry, names)]
    if entry.kind == "service":
        services = services[:1]
    prepared = Prepared(entry, backend_key(names.get(entry.name, entry.name)), services)
    for service in services:
        for route in (service.get("spec") or {}).get("http") or []:
            prepared.checks[id(route)] = [(compile_block(b, entry), b)
                                          for b in route.get("match") or [{}]]
    return prepared


def resolve(prepared: Prepared, request: Request, every: bool = False) -> Outcome:
    """[IS VirtualService.http] "The first rule matching an incoming request is used"; with
    `every`, each matching route too."""
    entry = prepared.entry
    tcp = request.method == "TCP"
    found: list[Destination | None] = []
    services = prepared.services
    if entry.kind == "gateway":
        services = [s for s in services if any(host_matches(str(h), request.host)
                                               for h in (s.get("spec") or {}).get("hosts") or [])]
    for service in services:
        meta = service.get("metadata") or {}
        ident = f"{meta.get('namespace', 'default')}/{meta.get('name', '')}"
        routes = (service.get("spec") or {}).get("tcp" if tcp else "http") or []
        for index, route in enumerate(routes):
            blocks = route.get("match") or [{}]
            if tcp:
                fits = [b for b in blocks if b.get("port") in (None, entry.port)]
                hit: Mapping[str, Any] | None = fits[0] if fits else None
            else:
                hit = next((b for check, b in prepared.checks[id(route)] if check(request)),
                           None)
            if hit is not None:
                label = f"VirtualService {ident} {'tcp' if tcp else 'http'}[{index}]"
                found.append(_destination(route, request, hit, label))
                if not every:
                    break
        if found and not every:
            break
    if not found and entry.kind == "service" and not prepared.services:
        # [IS] without a VirtualService, a sidecar sends to the Service the client named.
        plain = Destination(((prepared.service, 1.0),), request.path, request.host,
                            DEFAULT_ATTEMPTS, "no VirtualService: the Service itself")
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


def relax(match: Mapping[str, Any]) -> dict[str, Any]:
    """The match without what HTTPMatchRequest cannot say (integer ranges)."""
    headers = [r for r in match.get("headers") or [] if "range" not in (r.get("match") or {})]
    return {**match, "headers": headers}
