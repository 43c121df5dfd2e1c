"""The requests an equivalence check sends to both sides: every match boundary of either
side (a prefix, one character less and more, with and without a segment break; each header
present, absent and with another value; each method; each query parameter present, absent
and other; each port and host), then, when Hypothesis is installed, requests it generates
from the same pieces."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .rules import FlatRule

try:  # optional: the `migrate` extra
    import hypothesis  # noqa: F401

    HYPOTHESIS = True
except ImportError:  # pragma: no cover - depends on the environment
    HYPOTHESIS = False
MAX_PER_ENTRY = 6000  # boundary requests per entry point, beyond which they are thinned
OTHER = "zz-other"


@dataclass(frozen=True)
class Probe:
    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    query: tuple[tuple[str, str], ...] = ()
    host: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "method": self.method, "headers": dict(self.headers),
                "query": dict(self.query), "host": self.host}


@dataclass
class Pieces:
    """The literals both sides match on."""

    paths: set[str] = field(default_factory=lambda: {"/"})
    headers: dict[str, set[str]] = field(default_factory=dict)
    query: dict[str, set[str]] = field(default_factory=dict)
    methods: set[str] = field(default_factory=lambda: {"GET", "POST"})
    hosts: set[str] = field(default_factory=set)
    header_sets: list[tuple[tuple[str, str], ...]] = field(default_factory=lambda: [()])

    def header_values(self, name: str) -> list[str]:
        return sorted(self.headers.get(name, set()))


def _header_literals(rule: Mapping[str, Any], pieces: Pieces) -> str | None:
    """Adds the values on a header rule's boundary; returns a value that satisfies it."""
    name = str(rule["name"]).lower()
    method = rule.get("match") or {}
    values = pieces.headers.setdefault(name, set())
    good: str | None = None
    for kind in ("exact", "prefix", "suffix"):
        if kind in method:
            value = str(method[kind])
            values.update({value, value + "x", "x" + value, value[:-1] or "x"})
            good = value
    if "range" in method:
        start, end = int(method["range"]["start"]), int(method["range"]["end"])
        values.update(str(v) for v in (start - 1, start, end - 1, end))
        good = str(start)
    if not method:
        values.add("present")
        good = "present"
    values.add(OTHER)
    return None if rule.get("invert") else good


def from_appmesh(rules: Iterable[FlatRule], pieces: Pieces) -> Pieces:
    for rule in rules:
        match = rule.match
        if "prefix" in match:
            pieces.paths.add(str(match["prefix"]))
        exact = (match.get("path") or {}).get("exact")
        if exact is not None:
            pieces.paths.add(str(exact))
        if "method" in match:
            pieces.methods.add(str(match["method"]))
        hostname = match.get("hostname") or {}
        for kind in ("exact", "suffix"):
            if kind in hostname:
                value = str(hostname[kind])
                pieces.hosts.update({value, "x" + value, value.upper()} if kind == "suffix"
                                    else {value, value + ":8443"})
        chosen = []
        for header in match.get("headers") or []:
            good = _header_literals(header, pieces)
            if good is not None:
                chosen.append((str(header["name"]).lower(), good))
        if chosen and tuple(chosen) not in pieces.header_sets:
            pieces.header_sets.append(tuple(chosen))
        for query in match.get("queryParameters") or []:
            exact = (query.get("match") or {}).get("exact")
            pieces.query.setdefault(str(query["name"]), set()).update(
                {OTHER} | ({str(exact)} if exact is not None else {"present"}))
    return pieces


def from_target(documents: Any, pieces: Pieces) -> Pieces:
    """The literals a target configuration matches on, whatever its kind: path values,
    header and query names and values, methods and hostnames found anywhere in it."""
    if isinstance(documents, Mapping):
        for key, value in documents.items():
            if key == "path" and isinstance(value, Mapping) and "value" in value:
                if value.get("type") != "RegularExpression":
                    pieces.paths.add(str(value["value"]))
            elif key == "uri" and isinstance(value, Mapping):
                pieces.paths.update(str(v) for k, v in value.items() if k != "regex")
            elif key in ("headers", "withoutHeaders", "queryParams") and value:
                target = pieces.query if key == "queryParams" else pieces.headers
                items = (value.items() if isinstance(value, Mapping) else
                         ((h.get("name"), h) for h in value if isinstance(h, Mapping)))
                for name, rule in items:
                    found = target.setdefault(str(name).lower() if key != "queryParams"
                                              else str(name), {OTHER})
                    if isinstance(rule, Mapping):
                        found.update(str(rule[k]) for k in ("exact", "prefix", "value")
                                     if k in rule and rule.get("type") != "RegularExpression")
            elif key == "method" and isinstance(value, str):
                pieces.methods.add(value)
            elif key == "method" and isinstance(value, Mapping) and "exact" in value:
                pieces.methods.add(str(value["exact"]))
            elif key == "hostnames" and isinstance(value, list):
                pieces.hosts.update(str(h).replace("*", "x") for h in value)
            else:
                from_target(value, pieces)
    elif isinstance(documents, list):
        for item in documents:
            from_target(item, pieces)
    return pieces


def path_variants(path: str) -> list[str]:
    """A literal and its neighbours: one character less and more, a segment break and a
    character continuation after it, and the same with or without a trailing slash."""
    out = [path, path[:-1] or "/", path + "x", path + "/", path + "/x", path + "-x",
           path.rstrip("/") or "/"]
    return list(dict.fromkeys(p if p.startswith("/") else "/" + p for p in out))


def _literal(match: Mapping[str, Any]) -> str:
    if "prefix" in match:
        return str(match["prefix"])
    return str((match.get("path") or {}).get("exact", "/"))


def _overlaps(left: str, right: str) -> bool:
    return left.startswith(right) or right.startswith(left)


def boundary(rules: list[FlatRule], pieces: Pieces, grpc: bool) -> Iterator[Probe]:
    """Each path boundary alone (GET, no header); then, rule by rule, the paths on the
    boundaries of every rule whose path overlaps it with the rule's own criteria satisfied,
    and on the rule's own paths each criterion varied one at a time (another value, absent,
    each method, each query value). Crossing every path with every criterion of every rule
    would be quadratic in the routes and find nothing more."""
    base = (("content-type", "application/grpc"),) if grpc else ()
    first = "POST" if grpc else "GET"
    hosts: list[str | None] = [*sorted(pieces.hosts), "unmatched.example"] if pieces.hosts \
        else [None]
    literals = sorted(pieces.paths | {_literal(r.match) for r in rules})
    variants = {p: path_variants(p) for p in literals}
    for host in hosts:
        for literal in literals:
            for path in variants[literal]:
                yield Probe(path, first, base, (), host)
    host = hosts[0]
    for rule in rules:
        match = rule.match
        own = _literal(match)
        method = str(match.get("method", first))
        headers = tuple((str(h["name"]).lower(), good) for h in match.get("headers") or []
                        if (good := _satisfying(h, pieces)) is not None)
        query = tuple((str(q["name"]), str((q.get("match") or {}).get("exact", "present")))
                      for q in match.get("queryParameters") or [])
        near = [p for literal in literals if _overlaps(literal, own) for p in variants[literal]]
        for path in near:
            yield Probe(path, method, base + headers, query, host)
        # The criteria's boundaries, on the rule's own path and one below it.
        for path in dict.fromkeys((own, own.rstrip("/") + "/x")):
            for other in sorted(pieces.methods) if not grpc else []:
                yield Probe(path, other, base + headers, query, host)
            for name in sorted({n for n, _ in headers} | set(pieces.headers)):
                kept = tuple(h for h in headers if h[0] != name)
                yield Probe(path, method, base + kept, query, host)
                values = _near_values(dict(headers).get(name), pieces.header_values(name))
                for value in values:
                    yield Probe(path, method, base + tuple(sorted((*kept, (name, value)))),
                                query, host)
            for name in sorted({n for n, _ in query} | set(pieces.query)):
                kept_query = tuple(q for q in query if q[0] != name)
                yield Probe(path, method, base + headers, kept_query, host)
                values = _near_values(dict(query).get(name), sorted(pieces.query.get(name, ())))
                for value in values:
                    yield Probe(path, method, base + headers,
                                tuple(sorted((*kept_query, (name, value)))), host)


def _near_values(own: str | None, pool: list[str]) -> list[str]:
    """Values on the boundary of the rule's own value (itself, one character more or less,
    another); for a criterion the rule does not set, a few values others match on."""
    if own is None:
        return [*pool[:3], OTHER]
    return list(dict.fromkeys([own, own + "x", "x" + own, own[:-1] or "x", OTHER]))


def _satisfying(rule: Mapping[str, Any], pieces: Pieces) -> str | None:
    """A value that satisfies a header rule (None for an inverted one: absence is tried)."""
    if rule.get("invert"):
        return None
    method = rule.get("match") or {}
    for kind in ("exact", "prefix", "suffix"):
        if kind in method:
            return str(method[kind])
    if "range" in method:
        return str(method["range"]["start"])
    if "regex" in method:
        return next((v for v in pieces.header_values(str(rule["name"]).lower())
                     if _fits(str(method["regex"]), v)), None)
    return "present"


def _fits(pattern: str, value: str) -> bool:
    from ..matching import full_match

    return full_match(pattern, value)


def thinned(probes: Iterable[Probe], limit: int = MAX_PER_ENTRY) -> tuple[list[Probe], bool]:
    unique = list(dict.fromkeys(probes))
    if len(unique) <= limit:
        return unique, False
    step = len(unique) / limit
    return [unique[int(i * step)] for i in range(limit)], True


def generated(pieces: Pieces, grpc: bool, count: int) -> list[Probe]:
    """`count` requests Hypothesis builds from the pieces (derandomised, so a report is the
    same each time), or none when Hypothesis is not installed."""
    try:
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st
    except ImportError:
        return []
    found: list[Probe] = []
    names = sorted(pieces.headers)
    header_values = {n: [*pieces.header_values(n), OTHER] for n in names}
    probe = st.builds(
        Probe,
        path=st.tuples(st.sampled_from(sorted(pieces.paths)),
                       st.text(alphabet="/-xa.", max_size=4)).map(lambda t: t[0] + t[1]),
        method=st.just("POST") if grpc else st.sampled_from(sorted(pieces.methods)),
        headers=st.lists(st.sampled_from(names), unique=True).flatmap(
            lambda chosen: st.tuples(*[st.tuples(st.just(n), st.sampled_from(header_values[n]))
                                       for n in chosen]))
        if names else st.just(()),
        host=st.sampled_from(sorted(pieces.hosts)) if pieces.hosts else st.none(),
    )

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(probe)
    def collect(item: Probe) -> None:
        if grpc:
            item = Probe(item.path, item.method,
                         (("content-type", "application/grpc"), *item.headers), (), item.host)
        found.append(item)

    collect()
    return list(dict.fromkeys(found))
