"""Requests on every match boundary of a mesh, sent to Envoy (running the rendered config) and
given to `resolve`, and the comparison of where each went.

`probes_for_gateway` / `probes_for_node` build the requests: for each route's match, a base
request that satisfies every criterion, then one variant per criterion and boundary (prefix
+/- one character, `/` and no `/`, header present/absent/other value, range ends, each
method, query present/absent/other/duplicated, each host form); a router's routes behind a
gateway are reached through the gateway route's rewrite. `compare` says how Envoy and
`resolve` differ on one request, or None when they agree.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from envoy_harness import Answer, Envoy
from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning

from appmesh_mock import resolve
from appmesh_mock.backend import specs
from appmesh_mock.semantics import Resolution
from appmesh_mock.semantics.document import MeshView

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE")
OTHER = "zzz-other"


@dataclass(frozen=True)
class Probe:
    path: str = "/"
    method: str = "GET"
    host: str | None = "gw.example.com"
    headers: tuple[tuple[str, str], ...] = ()
    port: int | None = None  # the listener port (gateway) or the service port called
    service: str | None = None  # a sidecar's call: the virtual service

    def header(self, name: str, value: str | None) -> Probe:
        kept = tuple((k, v) for k, v in self.headers if k != name)
        return replace(self, headers=kept if value is None else (*kept, (name, value)))


@dataclass
class Tally:
    requests: int = 0
    configs: int = 0  # Envoy runs
    disagreements: list[str] = field(default_factory=list)


TALLIES: dict[str, Tally] = {}  # by kind of case, for the table in docs/dataplane.md


def record(case: str, tally: Tally) -> None:
    total = TALLIES.setdefault(case, Tally())
    total.requests += tally.requests
    total.configs += tally.configs
    total.disagreements += tally.disagreements


def report() -> str:
    lines = [
        f"{case}: {t.configs} Envoy runs, {t.requests} requests compared, "
        f"{len(t.disagreements)} disagreements"
        for case, t in TALLIES.items()
    ]
    return "\n".join(lines)


def _sample(pattern: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        try:
            found = st.from_regex(pattern, fullmatch=True).example()
        except Exception:
            return None
    printable = found.isprintable() and found.isascii() and "\r" not in found
    return found if printable else None


def _values(method: Mapping[str, Any]) -> list[str]:
    """Header values on and around the rule's boundary; the first one matches it."""
    if "exact" in method:
        value = str(method["exact"])
        return [value, value + "x", value.upper() if value.upper() != value else value + "X", OTHER]
    if "prefix" in method:
        value = str(method["prefix"])
        return [value, value + "x", value[:-1] or OTHER, OTHER]
    if "suffix" in method:
        value = str(method["suffix"])
        return [value, "x" + value, value[1:] or OTHER, OTHER]
    if "range" in method:
        start, end = int(method["range"]["start"]), int(method["range"]["end"])
        return [
            str(start),
            str(end - 1),
            str(end),
            str(start - 1),
            "x",
            f"{start}_0",
            f"+{start}",
            f"0{start}",
            f"{start}.0",
            f"{start}x",
        ]
    if "regex" in method:
        sample = _sample(str(method["regex"]))
        return [sample, OTHER] if sample is not None else [OTHER]
    return ["present"]


def _path_variants(match: Mapping[str, Any], kind: str) -> list[str]:
    if kind == "grpcRoute":
        service, method = match.get("serviceName", "pkg.Svc"), match.get("methodName", "Call")
        return [
            f"/{service}/{method}",
            f"/{service}/Other",
            f"/{service}/{method}/x",
            f"/{service}x/{method}",
            f"/{service}",
            "/",
        ]
    path = match.get("path") or {}
    if "exact" in path:
        exact = str(path["exact"])
        return [exact, exact + "/", exact[:-1] or "/", exact + "x", exact.upper()]
    if "regex" in path:
        sample = _sample(str(path["regex"]))
        return ([sample] if sample and sample.startswith("/") else []) + ["/", "/zzz"]
    prefix = str(match.get("prefix", "/"))
    found = [prefix, prefix + "x", prefix + "/", prefix + "/x", prefix[:-1] or "/", "/" + prefix]
    if len(prefix) > 1:
        found.append(prefix[:-1] + chr(ord(prefix[-1]) + 1))
    return found


def _hosts(rule: Mapping[str, Any]) -> list[str]:
    if "exact" in rule:
        name = str(rule["exact"])
        return [name, f"{name}:8080", name.upper(), "x" + name, name + "x"]
    suffix = str(rule["suffix"])
    return ["a" + suffix, f"a{suffix}:81", suffix, suffix[1:], "a" + suffix + "x"]


def variants(match: Mapping[str, Any], kind: str, base: Probe) -> list[Probe]:
    """The base request made to satisfy `match`, then one change at a time."""
    hostname = match.get("hostname")
    if hostname:
        base = replace(base, host=_hosts(hostname)[0])
    if "method" in match:
        base = replace(base, method=str(match["method"]))
    rules = [*(match.get("headers") or []), *(match.get("metadata") or [])]
    for rule in rules:
        first = _values(rule.get("match") or {})[0]
        if rule.get("invert"):
            base = base.header(str(rule["name"]), None if not rule.get("match") else OTHER)
        elif not str(rule["name"]).startswith(":"):
            base = base.header(str(rule["name"]), first)
    query = [
        (str(q["name"]), (q.get("match") or {}).get("exact"))
        for q in match.get("queryParameters") or []
    ]
    query_text = "&".join(f"{n}={v if v is not None else '1'}" for n, v in query)
    paths = _path_variants(match, kind)
    suffix = f"?{query_text}" if query_text else ""
    base = replace(base, path=paths[0] + suffix)
    found = [base]
    found += [replace(base, path=p + suffix) for p in paths[1:]]
    found += [replace(base, method=m) for m in METHODS if m != base.method]
    if hostname:
        found += [replace(base, host=h) for h in _hosts(hostname)[1:]]
    for rule in rules:
        name = str(rule["name"])
        if name.startswith(":"):
            continue
        found.append(base.header(name, None))
        found += [base.header(name, v) for v in _values(rule.get("match") or {})]
    for name, value in query:
        others = [(n, v) for n, v in query if n != name]
        rest = "&".join(f"{n}={v if v is not None else '1'}" for n, v in others)
        tails = [f"{name}={OTHER}", *([f"{name}={OTHER}&{name}={value}", name] if value else [])]
        found.append(replace(base, path=paths[0] + (f"?{rest}" if rest else "")))
        for tail in tails:
            found.append(replace(base, path=f"{paths[0]}?{rest + '&' if rest else ''}{tail}"))
    return found


def _routes(view: MeshView, parent_kind: str, parent: str) -> list[tuple[str, Mapping[str, Any]]]:
    child = "route" if parent_kind == "virtualRouter" else "gatewayRoute"
    found = []
    for route in view.children(child, parent):
        body = specs.route_body(route.get("spec"))
        if body is not None:
            found.append((body[0], body[1]))
    return found


def _inner(view: MeshView, service: str) -> list[tuple[str, Mapping[str, Any]]]:
    """The routes of the router providing `service` (none for a node provider)."""
    found = view.get("virtualService", service)
    kind, name = specs.provider((found or {}).get("spec")) or ("", "")
    return _routes(view, "virtualRouter", name) if kind == "virtualRouter" else []


def _through(gateway_match: Mapping[str, Any], rewrite: Mapping[str, Any], path: str) -> str:
    """A gateway path that the gateway route rewrites to `path` (for the router's routes)."""
    prefix = gateway_match.get("prefix")
    if prefix is None or "path" in rewrite:
        return path
    rule = rewrite.get("prefix") or {}
    if "value" in rule:
        value = str(rule["value"])
        return prefix + path[len(value) :] if path.startswith(value) else prefix + path
    if rule.get("defaultPrefix", "ENABLED") == "DISABLED":
        return path
    return prefix + path[1:] if prefix.endswith("/") else prefix + path


def probes_for_gateway(view: MeshView, gateway: str) -> list[Probe]:
    spec = (view.get("virtualGateway", gateway) or {}).get("spec") or {}
    ports = [int(lst["portMapping"]["port"]) for lst in spec.get("listeners") or []]
    found: list[Probe] = []
    for port in ports:
        for kind, body in _routes(view, "virtualGateway", gateway):
            match = body.get("match") or {}
            base = variants(match, kind, Probe(port=port))
            found += base
            action = body.get("action") or {}
            service = str(
                ((action.get("target") or {}).get("virtualService") or {}).get("virtualServiceName")
            )
            for inner_kind, inner in _inner(view, service):
                for probe in variants(inner.get("match") or {}, inner_kind, base[0]):
                    path, _, query = probe.path.partition("?")
                    moved = _through(match, action.get("rewrite") or {}, path)
                    found.append(replace(probe, path=moved + (f"?{query}" if query else "")))
        found.append(Probe(port=port, path="/zzz-nothing"))
    return list(dict.fromkeys(found))


def probes_for_node(view: MeshView, node: str) -> list[Probe]:
    spec = (view.get("virtualNode", node) or {}).get("spec") or {}
    found: list[Probe] = []
    services = [*specs.backend_services(spec), "not-a-backend.example"]
    for service in services:
        provided = view.get("virtualService", service)
        kind, name = specs.provider((provided or {}).get("spec")) or ("", "")
        provider = view.get(kind, name) if kind else None
        ports = [
            int(lst["portMapping"]["port"])
            for lst in ((provider or {}).get("spec") or {}).get("listeners") or []
            if lst["portMapping"]["protocol"] != "tcp"
        ]
        for port in ports or [80]:
            hosts = [(f"{service}:{port}", port)] + ([(service, None)] if len(ports) == 1 else [])
            for host, called in hosts:
                base = Probe(host=host, port=called, service=service)
                found.append(base)
                for route_kind, body in _inner(view, service):
                    found += variants(body.get("match") or {}, route_kind, base)
    return list(dict.fromkeys(found))


def compare(
    document: Mapping[str, Any],
    mesh: str,
    envoy: Envoy,
    probe: Probe,
    *,
    gateway: str | None = None,
    node: str | None = None,
    listener: int,
) -> str | None:
    """How Envoy and `resolve` differ on `probe`, or None."""
    headers = dict(probe.headers)
    answer = envoy.send(listener, probe.path, method=probe.method, host=probe.host, headers=headers)
    if gateway is not None:
        result = resolve(
            document,
            mesh,
            gateway=gateway,
            path=probe.path,
            method=probe.method,
            headers=headers,
            port=probe.port,
            host=probe.host,
        )
    else:
        result = resolve(
            document,
            mesh,
            service=probe.service,
            source=node,
            path=probe.path,
            method=probe.method,
            headers=headers,
            port=probe.port,
            host=probe.host,
        )
    return difference(result, answer, probe)


def difference(result: Resolution, answer: Answer, probe: Probe) -> str | None:
    said = f"{probe}: resolve {'->' if result.matched else 'refused'} " + (
        ", ".join(f"{t.virtual_node}:{t.port}" for t in result.targets if t.weight)
        if result.matched
        else str(result.reason)
    )
    if not result.matched:
        if answer.upstream is not None:
            return f"{said}; Envoy reached {answer.upstream} ({answer.line})"
        return None
    if answer.upstream is None:
        return f"{said}; Envoy answered {answer.status} and reached no upstream"
    node, _, port = answer.upstream.partition(":")
    allowed = {(t.virtual_node, t.port) for t in result.targets if t.weight}
    if not any(n == node and (p is None or str(p) == port or not port) for n, p in allowed):
        return f"{said}; Envoy reached {answer.upstream}"
    query = probe.path.partition("?")[2]
    expected_path = f"{result.path}?{query}" if query else result.path
    if answer.path != expected_path:
        return f"{said}; path: resolve {expected_path!r}, Envoy {answer.path!r}"
    if answer.host != (result.host or ""):
        return f"{said}; host: resolve {result.host!r}, Envoy {answer.host!r}"
    return None


def echo_names(view: MeshView) -> list[str]:
    """One echo upstream per virtual node and listener port (`node:port`), or `node`."""
    names = []
    for node in view.all("virtualNode"):
        name = str(node["virtualNodeName"])
        ports = [
            int(lst["portMapping"]["port"])
            for lst in (node.get("spec") or {}).get("listeners") or []
        ]
        names += [f"{name}:{port}" for port in ports] or [name]
    return names
