"""Which requests a Gateway API match takes [GW HTTPRouteMatch], compiled once per match, and
what an App Mesh match sets that the Gateway API cannot say (gateway_api.py ranks and
resolves; sources as there)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..request import Request
from .common import full_match


def path_ok(path: Mapping[str, Any], request_path: str) -> bool:
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
    if not path_ok(match.get("path") or {}, request.path):
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


def compile_match(match: Mapping[str, Any]) -> Callable[[Request], bool]:
    """`matches` for one match, made once: a PathPrefix or Exact test first."""
    path = match.get("path") or {}
    kind, value = path.get("type", "PathPrefix"), str(path.get("value", "/"))
    simple = set(match) <= {"path"}
    if kind == "PathPrefix":
        trimmed = value.rstrip("/")
        if not trimmed:
            return (lambda r: True) if simple else (lambda r: matches(match, r))
        below = trimmed + "/"

        def prefix(r: Request) -> bool:
            ok = r.path == trimmed or r.path.startswith(below)
            return ok and (simple or matches(match, r))

        return prefix
    if kind == "Exact":
        return lambda r: r.path == value and matches(match, r)
    return lambda r: matches(match, r)


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


def _lacking(rule: Mapping[str, Any]) -> str:
    method = rule.get("match") or {}
    if rule.get("invert"):
        return f"inverted header {rule['name']}"
    if "range" in method:
        return f"range on header {rule['name']}"
    if str(rule["name"]).startswith(":"):
        return f"pseudo-header {rule['name']}"
    if method and "exact" not in method:
        # [GW HeaderMatchType] Exact is Core; RegularExpression, which could say a prefix
        # or a suffix, is implementation-specific.
        return (f"{next(iter(method))} on header {rule['name']} (only as an "
                "implementation-specific RegularExpression)")
    return ""


def unsupported(match: Mapping[str, Any]) -> str:
    """What an App Mesh match sets that HTTPRouteMatch cannot say ("" when nothing): no
    scheme, no inverted or range header match, no pseudo-header [GW HTTPHeaderName]."""
    found = ["scheme"] if "scheme" in match else []
    found += [why for rule in match.get("headers") or [] if (why := _lacking(rule))]
    return ", ".join(dict.fromkeys(found))


def relax(match: Mapping[str, Any]) -> dict[str, Any]:
    """The match without what HTTPRouteMatch cannot say: what a conversion that drops it
    would match."""
    headers = [rule for rule in match.get("headers") or [] if not _lacking(rule)]
    return {**{k: v for k, v in match.items() if k != "scheme"}, "headers": headers}
