"""The order in which a router's routes (or a gateway's gateway routes) are tried.

1. `priority`, 0 the highest [M RouteSpec.priority, UG routes.md]; routes that set one come
   before routes that do not [I: a priority is the only ordering the user states].
2. Then the longest path literal: a route's prefix or exact path, a gRPC route's
   /service/method [UG gateway-routes.md: "a request is matched to the route with the
   longest prefix"; aws-app-mesh-roadmap#77: App Mesh sorts routes "according to length"].
3. Then, at equal length, an exact path before a prefix, and a prefix before a regex or no
   path [I: the more specific literal first].
4. Then more match criteria (method, scheme, port, hostname, each header, query parameter
   and metadata item) before fewer [I: the more specific route first].
5. Then by name [I: the docs give no order; names make the choice stable and visible].

The first route in this order whose criteria accept the request wins. `explain` names the
rule that put the winner ahead of the runner-up, for `Resolution.steps`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .describe import route_body


class Rank(NamedTuple):
    unprioritised: int
    priority: int
    literal: int  # negated length, so that longer sorts first
    literal_kind: int
    criteria: int  # negated count
    name: str


def _literal(match: Mapping[str, Any]) -> tuple[int, int, str]:
    """(length, kind rank, text) of the path literal: exact 0, prefix 1, none or regex 2."""
    path = match.get("path") or {}
    if "exact" in path:
        return len(path["exact"]), 0, str(path["exact"])
    if "prefix" in match:
        return len(match["prefix"]), 1, str(match["prefix"])
    if "serviceName" in match:
        text = f"/{match['serviceName']}/{match.get('methodName', '')}"
        return len(text), 0 if "methodName" in match else 1, text
    return 0, 2, ""


def _criteria(match: Mapping[str, Any]) -> int:
    single = sum(1 for key in ("method", "scheme", "port", "hostname") if key in match)
    lists = sum(len(match.get(key) or []) for key in ("headers", "queryParameters", "metadata"))
    return single + lists


def rank(name: str, spec: Mapping[str, Any], match: Mapping[str, Any]) -> Rank:
    priority = spec.get("priority")
    length, kind, _ = _literal(match)
    return Rank(
        unprioritised=0 if priority is not None else 1,
        priority=int(priority) if priority is not None else 0,
        literal=-length,
        literal_kind=kind,
        criteria=-_criteria(match),
        name=name,
    )


def describe_literal(match: Mapping[str, Any]) -> str:
    _, kind, text = _literal(match)
    if kind == 2:
        return "regex path" if "regex" in (match.get("path") or {}) else "no path"
    return f"{'exact path' if kind == 0 else 'prefix'} {text}"


def explain(
    winner: tuple[str, Rank, Mapping[str, Any]], runner_up: tuple[str, Rank, Mapping[str, Any]]
) -> str:
    """Which ordering rule put `winner` ahead of `runner_up` (both matched the request)."""
    (_, ours, match), (other, theirs, other_match) = winner, runner_up
    if ours.unprioritised != theirs.unprioritised:
        return f"it has a priority and {other!r} has none (prioritised routes first [I])"
    if ours.priority != theirs.priority:
        return (
            f"priority {ours.priority} beats {other!r} at priority {theirs.priority}"
            " (0 is the highest [M RouteSpec.priority])"
        )
    mine, theirs_literal = describe_literal(match), describe_literal(other_match)
    if ours.literal != theirs.literal:
        return (
            f"its {mine} is longer than the {theirs_literal} of {other!r}"
            " (longest prefix first [UG gateway-routes])"
        )
    if ours.literal_kind != theirs.literal_kind:
        return f"its {mine} is more specific than the {theirs_literal} of {other!r} [I]"
    if ours.criteria != theirs.criteria:
        return (
            f"it has {-ours.criteria} match criteria and {other!r} has {-theirs.criteria}"
            " (more criteria first [I])"
        )
    return f"it sorts by name before {other!r}, which matches equally (name order [I])"


def in_precedence(routes: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Routes (or gateway routes) in the order they are tried, for pictures of the mesh."""

    def key(route: Mapping[str, Any]) -> Rank:
        spec = route.get("spec") or {}
        _, body = route_body(spec)
        name = str(route.get("routeName", route.get("gatewayRouteName", "")))
        return rank(name, spec, body.get("match") or {})

    return sorted(routes, key=key)
