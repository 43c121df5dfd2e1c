"""How the Kubernetes Gateway API routes a request, by its specification (`apis/v1`
httproute_types.go, gateway-api v1.2+; [GW] below): which HTTPRoutes and TCPRoutes attach to
the entry, which of their rules win, and what the winning rule's filters and backendRefs do.

Entry points: a virtual gateway becomes a Gateway (routes attach with a parentRef of kind
Gateway); a virtual service becomes a Service that mesh routes attach to (GAMMA: a parentRef of
kind Service, [GW GEP-1426]). gRPC requests are matched by GRPCRoute-free HTTPRoute path rules
(a gRPC call is an HTTP/2 POST to /service/method)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..request import Request
from .common import Destination, Entry, Outcome, backend_key, full_match, host_matches, split

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


def _path_ok(path: Mapping[str, Any], request_path: str) -> bool:
    kind, value = path.get("type", "PathPrefix"), str(path.get("value", "/"))
    if kind == "Exact":
        return request_path == value  # [GW PathMatchExact] "/abc" matches only "/abc"
    if kind == "RegularExpression":
        return full_match(value, request_path)  # [GW] dialect implementation-specific
    # [GW PathMatchPathPrefix] element by element, a trailing "/" ignored: "/abc" matches
    # "/abc", "/abc/" and "/abc/def", not "/abcd".
    prefix = value.rstrip("/")
    return not prefix or request_path == prefix or request_path.startswith(prefix + "/")


def _value_ok(rule: Mapping[str, Any], value: str | None) -> bool:
    if value is None:
        return False
    if rule.get("type", "Exact") == "RegularExpression":
        return full_match(str(rule["value"]), value)
    return value == rule.get("value")


def matches(match: Mapping[str, Any], request: Request) -> bool:
    """[GW HTTPRouteMatch] every criterion given must hold; only the first of several header
    (or query) entries with one name counts [GW HTTPHeaderMatch.Name]; a repeated query
    parameter is read by its first value (the spec's recommendation)."""
    if not _path_ok(match.get("path") or {}, request.path):
        return False
    if "method" in match and match["method"] != request.method:
        return False
    seen: set[str] = set()
    for rule in match.get("headers") or []:
        name = str(rule["name"]).lower()
        if name in seen:
            continue
        seen.add(name)
        if not _value_ok(rule, request.headers.get(name)):
            return False
    seen = set()
    for rule in match.get("queryParams") or []:
        name = str(rule["name"])
        if name in seen:
            continue
        seen.add(name)
        values = request.query.get(name)
        if not _value_ok(rule, values[0] if values else None):
            return False
    return True


def rank(match: Mapping[str, Any]) -> tuple[int, int, int, int, int, int]:
    """[GW HTTPRouteRule.Matches] "Exact" path, then the longest "Prefix", then a method,
    then more header matches, then more query matches. [GW] "The precedence of
    RegularExpression path matches are implementation-specific": ranked here after Exact and
    before every PathPrefix (a choice, not the spec's), and the outcome says so whenever such
    a rule took part in a decision."""
    path = match.get("path") or {}
    kind, value = path.get("type", "PathPrefix"), str(path.get("value", "/"))
    return (
        {"Exact": 2, "RegularExpression": 1}.get(kind, 0),
        len(value) if kind != "RegularExpression" else 0,
        1 if "method" in match else 0,
        len(match.get("headers") or []),
        len(match.get("queryParams") or []),
        1 if kind == "RegularExpression" else 0,
    )


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
        if (match.get("path") or {}).get("type", "PathPrefix") == "PathPrefix" and _path_ok(
            match.get("path") or {}, path
        ):
            prefix = value.rstrip("/")
            break
    rest = path[len(prefix) :]
    if not rest:
        return replacement
    return replacement.rstrip("/") + rest


def resolve(
    manifests: Sequence[Manifest], entry: Entry, request: Request, names: Mapping[str, str]
) -> Outcome:
    """The rule that takes `request` at `entry` among all attached routes, by [GW]
    precedence; ties across routes go to the oldest route (the order given stands in for
    creation time), then to "{namespace}/{name}" alphabetically; within a route, to the
    first matching rule in list order."""
    kinds = {"tcp": ("TCPRoute",)} if request.method == "TCP" else {"": ("HTTPRoute",)}
    wanted = next(iter(kinds.values()))
    found: list[tuple[Any, Destination | None, Mapping[str, Any]]] = []
    attached = 0
    for position, route in enumerate(manifests):
        if route.get("kind") not in wanted or not _attached(route, entry, names):
            continue
        attached += 1
        host = _host_rank(route, request.host) if entry.kind == "gateway" else (0, 0)
        if host is None:
            continue
        meta = route.get("metadata") or {}
        ident = f"{meta.get('namespace', 'default')}/{meta.get('name', '')}"
        for index, rule in enumerate((route.get("spec") or {}).get("rules") or []):
            for match in rule.get("matches") or [{}]:
                if route.get("kind") == "TCPRoute" or matches(match, request):
                    label = f"{route.get('kind')} {ident} rule {index}"
                    key = (
                        tuple(-x for x in host),
                        tuple(-x for x in rank(match)[:5]),
                        str(meta.get("creationTimestamp", "")),
                        position,
                        ident,
                        index,
                    )
                    found.append((key, _destination(rule, request, label), match))
                    break
    if entry.kind == "service" and not attached:
        # [GW GEP-1426] without a route attached to it, a Service is reached as usual.
        plain = Destination(((backend_key(names.get(entry.name, entry.name)), 1.0),),
                            request.path, request.host, None, "no route: the Service itself")
        return Outcome(plain, [plain])
    found.sort(key=lambda item: item[0])
    outcome = Outcome(found[0][1] if found else None, [d for _, d, _ in found if d is not None])
    regex = [m for _, _, m in found if (m.get("path") or {}).get("type") == "RegularExpression"]
    if len(found) > 1 and regex:
        outcome.unspecified = "a RegularExpression path match took part (precedence unspecified)"
    return outcome


# [GW PathMatchPathPrefix] element by element, where App Mesh compares characters.
SEGMENT_PREFIXES: bool | None = True


def unsupported(match: Mapping[str, Any]) -> str:
    """What an App Mesh match sets that HTTPRouteMatch cannot say ("" when nothing): no
    scheme, no inverted or range header match, no pseudo-header [GW HTTPHeaderName]."""
    found = ["scheme"] if "scheme" in match else []
    for rule in match.get("headers") or []:
        method = rule.get("match") or {}
        if rule.get("invert"):
            found.append(f"inverted header {rule['name']}")
        elif "range" in method:
            found.append(f"range on header {rule['name']}")
        elif str(rule["name"]).startswith(":"):
            found.append(f"pseudo-header {rule['name']}")
        elif method and "exact" not in method:
            # [GW HeaderMatchType] Exact is Core; RegularExpression, which could say a
            # prefix or suffix, is implementation-specific.
            kind = next(iter(method))
            found.append(f"{kind} on header {rule['name']} (only as an implementation-specific "
                         "RegularExpression)")
    return ", ".join(found)
