"""Two App Mesh matches as one: a gateway route's match with the match of a route behind it
(seen through the gateway's rewrite), and the conjunction of two matches (for targets that
rank rules by specificity instead of App Mesh's order)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..matching import full_match, value_matches
from .ledger import Ledger
from .rules import FlatRule, Rewrite

Match = Mapping[str, Any]
_SINGLE = ("method", "scheme", "hostname", "port")


def _path_of(match: Match) -> tuple[str, str] | None:
    """("prefix" | "exact" | "regex", value), or None for any path."""
    if "prefix" in match:
        return "prefix", str(match["prefix"])
    path = match.get("path") or {}
    for kind in ("exact", "regex"):
        if kind in path:
            return kind, str(path[kind])
    return None


def _with_path(match: Match, path: tuple[str, str] | None) -> dict[str, Any]:
    out = {k: v for k, v in match.items() if k not in ("prefix", "path")}
    if path is not None:
        out.update({"prefix": path[1]} if path[0] == "prefix" else {"path": {path[0]: path[1]}})
    return out


def _path_and(left: tuple[str, str] | None, right: tuple[str, str] | None) -> Any:
    """The path condition both hold for; False when none can; "regex" when a regular
    expression would have to be intersected (not done)."""
    if left is None or left == ("prefix", "/"):
        return right
    if right is None or right == ("prefix", "/"):
        return left
    if "regex" in (left[0], right[0]):
        if left == right:
            return left
        pattern, other = (left, right) if left[0] == "regex" else (right, left)
        if other[0] == "exact" and full_match(pattern[1], other[1]):
            return other
        return "regex"
    if left[0] == right[0] == "exact":
        return left if left == right else False
    if left[0] == "exact" or right[0] == "exact":
        exact, prefix = (left, right) if left[0] == "exact" else (right, left)
        return exact if exact[1].startswith(prefix[1]) else False
    longer, shorter = (left, right) if len(left[1]) >= len(right[1]) else (right, left)
    return longer if longer[1].startswith(shorter[1]) else False


def _items_and(left: list[Any], right: list[Any]) -> list[Any] | None:
    """Header (or query) rules of both; None when one name has two different rules (a
    conjunction that targets reading only the first rule of a name cannot state)."""
    merged = list(left)
    for item in right:
        same = [m for m in merged if str(m.get("name")).lower() == str(item.get("name")).lower()]
        if same and item not in same:
            return None
        if not same:
            merged.append(item)
    return merged


def conjunction(left: Match, right: Match) -> dict[str, Any] | None:
    """The match that holds exactly when both do, or None when that cannot be stated (or
    nothing satisfies it)."""
    path = _path_and(_path_of(left), _path_of(right))
    if path is False or path == "regex":
        return None
    out = _with_path({**left, **right}, path)
    for key in _SINGLE:
        if key in left and key in right and left[key] != right[key]:
            return None
    for key in ("headers", "queryParameters"):
        merged = _items_and(list(left.get(key) or []), list(right.get(key) or []))
        if merged is None:
            return None
        if merged:
            out[key] = merged
    return out


def compose(
    gateway_match: Match,
    rules: Mapping[str, Any],
    service: str,
    inner: FlatRule,
    grpc: bool,
    ledger: Ledger,
    source: str,
) -> list[FlatRule]:
    """`inner` (a route of `service`) as seen from the gateway: its path condition moved
    back through the gateway's rewrite [UG gateway-routes.md], the two matches joined, and
    the rewrite the target must do to send the path App Mesh sends."""
    host_rule = (rules.get("hostname") or {}).get("defaultTargetHostname", "ENABLED")
    host = service if host_rule == "ENABLED" else None
    gpath = _path_of(gateway_match)
    ipath = _path_of(inner.match)
    prefix_rule = rules.get("prefix") or {}
    exact_rewrite = (rules.get("path") or {}).get("exact")
    alternatives: list[tuple[Any, Rewrite]] = []
    if grpc or gpath is None or (gpath[0] != "prefix" and exact_rewrite is None):
        alternatives.append((_path_and(gpath, ipath), Rewrite(host=host)))
    elif exact_rewrite is not None:
        # The path becomes a constant: the inner route matches it or not, whatever was sent.
        fits = _path_and(("exact", str(exact_rewrite)), ipath) not in (False, "regex")
        if fits:
            alternatives.append((gpath, Rewrite(full=str(exact_rewrite), host=host)))
    elif "value" in prefix_rule or prefix_rule.get("defaultPrefix", "ENABLED") == "ENABLED":
        gp = gpath[1]
        # The client's path is gp + lead + rest, and App Mesh sends head + rest. With a value,
        # head is the value and lead is empty. By default the prefix goes and the rest keeps
        # one leading slash [UG]: a rest that starts with "/" is sent as it is (lead "/"),
        # any other rest gets "/" in front (lead "").
        head = str(prefix_rule["value"]) if "value" in prefix_rule else "/"
        leads = [""] if "value" in prefix_rule else ["/", ""]
        kind, value = ipath or ("prefix", "/")
        if kind == "regex":
            ledger.note(source, "match.prefix", "approximated", "a regular expression route "
                        "behind a prefix rewrite cannot be moved back through it: left out",
                        "NOT_REPRESENTABLE")
            leads = []
        for lead in leads:
            if kind == "exact":
                if value.startswith(head):
                    original = gp + lead + value[len(head):]
                    alternatives.append((("exact", original), Rewrite(full=value, host=host)))
            elif value.startswith(head):
                original = gp + lead + value[len(head):]
                alternatives.append((("prefix", original), Rewrite(original, value, host=host)))
            elif head.startswith(value):
                original = gp + lead
                alternatives.append((("prefix", original), Rewrite(original, head, host=host)))
    else:  # prefix rewrite DISABLED: the path goes on as it came
        alternatives.append((_path_and(gpath, ipath), Rewrite(host=host)))
    out = []
    for path, rewrite in alternatives:
        if path is False or path == "regex":
            continue
        merged = conjunction(_with_path(gateway_match, path), _with_path(inner.match, path))
        if merged is None:
            continue
        out.append(FlatRule(inner.protocol, merged, list(inner.targets), inner.retries,
                            list(inner.sources), rewrite))
    return out


def one_per_name(match: Match, ledger: Ledger, where: str) -> dict[str, Any] | None:
    """The match with one header rule per name, as both targets read them (Istio keys
    headers by name; the Gateway API reads the first entry of a name [GW HTTPHeaderMatch]).
    Several rules on one name with an exact value among them hold for that value or for
    nothing: the exact rule alone, or None (the match can never hold). Otherwise the first
    is kept and the ledger says so."""
    headers = list(match.get("headers") or [])
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for rule in headers:
        grouped.setdefault(str(rule["name"]).lower(), []).append(rule)
    if all(len(group) == 1 for group in grouped.values()):
        return dict(match)
    kept = []
    for name, group in grouped.items():
        exact = next((r for r in group if not r.get("invert") and "exact" in (r.get("match")
                                                                             or {})), None)
        if len(group) == 1:
            kept.append(group[0])
        elif exact is not None:
            value = str(exact["match"]["exact"])
            if any(value_matches(r.get("match") or {}, value) == bool(r.get("invert"))
                   for r in group):
                ledger.note(where, "match.headers", "mapped", f"the rules on header {name} "
                            "hold for no value: the route never matches and is left out")
                return None
            kept.append(exact)
        else:
            kept.append(group[0])
            ledger.note(where, "match.headers", "approximated", f"only the first of the rules "
                        f"on header {name} is kept (one per name)", "MATCHER_UNSUPPORTED")
    return {**match, "headers": kept}
