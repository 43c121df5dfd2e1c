"""Choosing a listener by port, and a route among a router's or gateway's routes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .ordering import Rank, explain, rank
from .request import Request

Matcher = Callable[[Mapping[str, Any], Request], "str | None"]


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


def choose_route(
    what: str,
    routes: Sequence[tuple[str, Mapping[str, Any]]],
    kind: str,
    request: Request,
    matcher: Matcher,
) -> tuple[str, Mapping[str, Any], str] | str:
    """(name, route body, rule) of the route that takes the request, or why none does.

    `routes` are (name, spec) pairs; only those of `kind` (the listener's protocol) count."""
    tried: list[tuple[str, Rank, Mapping[str, Any], Mapping[str, Any]]] = []
    misses: list[str] = []
    others = 0
    for name, spec in routes:
        body = spec.get(kind)
        if body is None:
            others += 1
            continue
        match = body.get("match") or {}
        failed = matcher(match, request)
        if failed:
            misses.append(f"{name!r}: {failed}")
        else:
            tried.append((name, rank(name, spec, match), match, body))
    if not tried:
        if not misses:
            extra = f" ({others} route(s) of other protocols)" if others else ""
            return f"{what} has no {kind} for its listener's protocol{extra}"
        return f"no {kind} of {what} matches the request ({'; '.join(misses)})"
    tried.sort(key=lambda entry: entry[1])
    name, ours, match, body = tried[0]
    if len(tried) == 1:
        rule = "the only route that matches" + (
            f" (the others: {'; '.join(misses)})" if misses else ""
        )
    else:
        runner_name, theirs, runner_match, _ = tried[1]
        rule = explain((name, ours, match), (runner_name, theirs, runner_match))
    return name, body, rule
