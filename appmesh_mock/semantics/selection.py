"""Choosing a listener by port, and a route among a router's or gateway's routes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .document import MeshView
from .matching import Check, compile_with
from .ordering import Rank, explain, rank
from .request import Request

Matcher = Callable[[Mapping[str, Any], Request], "str | None"]
Compiler = Callable[[Mapping[str, Any]], Check]


def pick_listener(
    what: str, listeners: Sequence[Mapping[str, Any]], port: int | None
) -> tuple[Mapping[str, Any] | None, str]:
    """(port mapping, rule) or (None, reason). A port picks the listener on that port; with
    no port, a single listener is the one [UG multiple-listeners.md: with several listeners,
    routes name a match port and a target port]."""
    mappings = [listener["portMapping"] for listener in listeners if "portMapping" in listener]
    ports = ", ".join(f"{m['protocol']}:{m['port']}" for m in mappings) or "none"
    if port is not None:
        for mapping in mappings:
            if mapping["port"] == port:
                return mapping, f"listener {mapping['protocol']}:{port} chosen by port {port}"
        return None, f"{what} has no listener on port {port} (its listeners: {ports})"
    if len(mappings) == 1:
        only = mappings[0]
        return only, f"its only listener, {only['protocol']}:{only['port']}"
    if not mappings:
        return None, f"{what} has no listener, so nothing can reach it"
    return None, f"{what} has several listeners ({ports}); give the port to choose one"


Entry = tuple[int, str, Rank, Mapping[str, Any], Mapping[str, Any], Check]


@dataclass
class Ranked:
    """A router's routes (or a gateway's gateway routes) of one kind, made ready to choose
    from: `entries` in precedence order, `by_position` in document order (for explanations),
    and how many routes are of other kinds."""

    entries: list[Entry]
    by_position: list[Entry]
    others: int


def ranked_routes(
    routes: Sequence[tuple[str, Mapping[str, Any]]], kind: str, compile: Compiler
) -> Ranked:
    """The routes of `kind` as (document position, name, rank, match, body, check). Made
    once per mesh view."""
    entries: list[Entry] = []
    others = 0
    for position, (name, spec) in enumerate(routes):
        body = spec.get(kind)
        if body is None:
            others += 1
            continue
        match = body.get("match") or {}
        entries.append((position, name, rank(name, spec, match), match, body, compile(match)))
    return Ranked(sorted(entries, key=lambda entry: entry[2]), entries, others)


def compiled_routes(
    view: MeshView, child: str, parent: str, kind: str, compile: Compiler
) -> Ranked:
    """`ranked_routes` of a router's routes or a gateway's gateway routes, kept in the view."""
    key = ("ranked", child, parent, kind)
    found: Ranked | None = view.compiled.get(key)
    if found is None:
        member = "routeName" if child == "route" else "gatewayRouteName"
        routes = [(str(r[member]), r.get("spec") or {}) for r in view.children(child, parent)]
        found = view.compiled[key] = ranked_routes(routes, kind, compile)
    return found


def choose_route(
    what: str,
    routes: Sequence[tuple[str, Mapping[str, Any]]],
    kind: str,
    request: Request,
    matcher: Matcher,
) -> tuple[str, Mapping[str, Any], str] | str:
    """(name, route body, rule) of the route that takes the request, or why none does.

    `routes` are (name, spec) pairs; only those of `kind` (the listener's protocol) count."""
    return choose_ranked(what, ranked_routes(routes, kind, compile_with(matcher)), kind, request)


def choose_ranked(
    what: str, ranked: Ranked, kind: str, request: Request, explain_rule: bool = True
) -> tuple[str, Mapping[str, Any], str] | str:
    """`choose_route` over routes already in precedence order: they are tried in that order
    until two match (the winner, and the runner-up its rule is explained against); when
    fewer match, every route was tried and the others all missed. Without `explain_rule`
    (a caller that reads only where the request goes), the first match ends the search."""
    tried: list[Entry] = []
    for entry in ranked.entries:
        if entry[5].accepts(request):
            tried.append(entry)
            if len(tried) == 2 or not explain_rule:
                break
    if tried and not explain_rule:
        return tried[0][1], tried[0][4], "the first route that matches"
    missed = len(ranked.entries) - len(tried)
    if not tried:
        if not missed:
            extra = f" ({ranked.others} route(s) of other protocols)" if ranked.others else ""
            return f"{what} has no {kind} for its listener's protocol{extra}"
        return f"no {kind} of {what} matches the request ({_misses(ranked, tried, request)})"
    _, name, ours, match, body, _ = tried[0]
    if len(tried) == 1:
        rule = "the only route that matches" + (
            f" (the others: {_misses(ranked, tried, request)})" if missed else ""
        )
    else:
        _, runner_name, theirs, runner_match, _, _ = tried[1]
        rule = explain((name, ours, match), (runner_name, theirs, runner_match))
    return name, body, rule


MISSES_SHOWN = 10


def _misses(ranked: Ranked, tried: list[Entry], request: Request) -> str:
    """Why the routes that missed did, in document order: the first ten, then a count (a
    phrase is made only for those shown)."""
    missed = [entry for entry in ranked.by_position if entry not in tried]
    shown = [f"{e[1]!r}: {e[5].fail(request)}" for e in missed[:MISSES_SHOWN]]
    if len(missed) > MISSES_SHOWN:
        shown.append(f"and {len(missed) - MISSES_SHOWN} more")
    return "; ".join(shown)
