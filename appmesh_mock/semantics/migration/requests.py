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


def boundary(pieces: Pieces, grpc: bool) -> Iterator[Probe]:
    paths = sorted({v for p in pieces.paths for v in path_variants(p)})
    hosts: list[str | None] = [*sorted(pieces.hosts), "unmatched.example"] if pieces.hosts \
        else [None]
    base_headers = (("content-type", "application/grpc"),) if grpc else ()
    methods = ["POST"] if grpc else sorted(pieces.methods)
    for host in hosts:
        for path in paths:
            for header_set in pieces.header_sets:
                yield Probe(path, methods[0] if grpc else "GET", base_headers + header_set,
                            (), host)
    first = paths
    for path in first:
        for method in methods:
            yield Probe(path, method, base_headers, (), hosts[0])
        for header_set in pieces.header_sets:
            present = dict(header_set)
            for name in sorted(pieces.headers):
                for value in pieces.header_values(name):
                    changed = {**present, name: value}
                    yield Probe(path, methods[0], base_headers + tuple(sorted(changed.items())),
                                (), hosts[0])
                if name in present:
                    rest = tuple((k, v) for k, v in header_set if k != name)
                    yield Probe(path, methods[0], base_headers + rest, (), hosts[0])
            for name in sorted(pieces.query):
                for value in sorted(pieces.query[name]):
                    yield Probe(path, methods[0], base_headers + header_set, ((name, value),),
                                hosts[0])
            if pieces.query:
                every = tuple((n, sorted(v)[0]) for n, v in sorted(pieces.query.items()))
                yield Probe(path, methods[0], base_headers + header_set, every, hosts[0])


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
