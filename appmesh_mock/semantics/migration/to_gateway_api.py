"""App Mesh to the Gateway API: an HTTPRoute per virtual service listener (attached to the
Service, GAMMA) and per virtual gateway listener (attached to a Gateway).

The Gateway API has no priority: it ranks matches by specificity [GW]. To keep App Mesh's
order, a rule that App Mesh tries first but the Gateway API would rank lower gets a copy joined
with each more specific rule that overlaps it (the conjunction is at least as specific as both,
and is listed first on ties), until a cap; past the cap the ledger says so."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..document import MeshView
from ..targets import gateway_api as rules_of
from ..targets.common import Entry
from .compose import conjunction, one_per_name
from .ledger import Ledger
from .naming import k8s_name, node_ref
from .rules import FlatRule, Rewrite

API = "gateway.networking.k8s.io/v1"
CLOSURE_CAP = 2000  # conjunctions per entry
RULES_PER_ROUTE = 16  # [GW HTTPRouteSpec.Rules] +kubebuilder:validation:MaxItems=16
# [GW PreciseHostname] the pattern a URLRewrite hostname must match.
_HOSTNAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def _segment_safe(prefix: str) -> bool:
    """Whether PathPrefix (whole segments, a trailing "/" ignored [GW]) takes the same paths
    as App Mesh's character prefix: only "/" does in general; a prefix ending in "/" differs
    on the path without it ("/a/" vs "/a"), any other on "/a-b" for "/a"."""
    return prefix == "/"


def _header(rule: Mapping[str, Any]) -> dict[str, str] | None:
    method = rule.get("match") or {}
    name = str(rule["name"])
    if "exact" in method:
        return {"type": "Exact", "name": name, "value": str(method["exact"])}
    patterns = {"prefix": "{}.*", "suffix": ".*{}", "regex": "{}"}
    for key, pattern in patterns.items():
        if key in method:
            value = str(method[key])
            value = value if key == "regex" else re.escape(value)
            return {"type": "RegularExpression", "name": name, "value": pattern.format(value)}
    if not method:
        return {"type": "RegularExpression", "name": name, "value": ".*"}
    return None


def translate(match: Mapping[str, Any], ledger: Ledger, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    path = match.get("path") or {}
    if "exact" in path:
        out["path"] = {"type": "Exact", "value": str(path["exact"])}
    elif "regex" in path:
        out["path"] = {"type": "RegularExpression", "value": str(path["regex"])}
        ledger.note(where, "match.path.regex", "approximated", "RegularExpression path "
                    "(implementation-specific dialect and precedence)", "PRECEDENCE")
    else:
        prefix = str(match.get("prefix", "/"))
        out["path"] = {"type": "PathPrefix", "value": prefix}
        if not _segment_safe(prefix):
            ledger.note(where, "match.prefix", "approximated",
                        f"PathPrefix {prefix} matches whole segments, App Mesh characters",
                        "PREFIX_SEMANTICS")
    if "method" in match:
        out["method"] = str(match["method"])
    for key in ("scheme",):
        if key in match:
            ledger.note(where, f"match.{key}", "dropped", "HTTPRouteMatch has no scheme",
                        "MATCHER_UNSUPPORTED")
    for rule in match.get("headers") or []:
        header = _header(rule)
        if rule.get("invert") or header is None or str(rule["name"]).startswith(":"):
            ledger.note(where, "match.headers[]", "dropped", "no inverted, range or "
                        "pseudo-header match in HTTPHeaderMatch", "MATCHER_UNSUPPORTED")
            continue
        if header["type"] != "Exact":
            ledger.note(where, "match.headers[].match", "approximated",
                        "RegularExpression header match (implementation-specific)")
        out.setdefault("headers", []).append(header)
    for rule in match.get("queryParameters") or []:
        exact = (rule.get("match") or {}).get("exact")
        out.setdefault("queryParams", []).append(
            {"type": "Exact", "name": str(rule["name"]), "value": str(exact)} if exact is not None
            else {"type": "RegularExpression", "name": str(rule["name"]), "value": ".*"})
    return out


def _rewrite_for(rewrite: Rewrite, path: Mapping[str, Any]) -> Rewrite:
    """A prefix rewrite moved onto a longer matched prefix (or an exact path) that a
    conjunction gave the rule."""
    if rewrite.prefix is None or rewrite.replacement is None:
        return rewrite
    value = str(path.get("value", ""))
    if path.get("type") == "PathPrefix" and value.startswith(rewrite.prefix):
        return Rewrite(value, rewrite.replacement + value[len(rewrite.prefix):], host=rewrite.host)
    if path.get("type") == "Exact" and value.startswith(rewrite.prefix):
        return Rewrite(full=rewrite.replacement + value[len(rewrite.prefix):], host=rewrite.host)
    return rewrite


def ordered(rules: list[FlatRule], ledger: Ledger,
            where: str) -> list[tuple[FlatRule, dict[str, Any]]]:
    """(owner rule, App Mesh match) pairs: the rules and their needed conjunctions, listed
    by App Mesh order of the owner (the rule App Mesh would pick)."""
    scratch = Ledger()
    rank = {id(r): rules_of.rank(translate(r.match, scratch, "")) for r in rules}
    items: list[tuple[frozenset[int], dict[str, Any], int]] = [
        (frozenset({i}), dict(r.match), i) for i, r in enumerate(rules)]
    seen = {s for s, _, _ in items}
    queue = list(items)
    while queue:
        members, match, owner = queue.pop()
        for j, other in enumerate(rules):
            grown = members | {j}
            if j in members or grown in seen:
                continue
            seen.add(grown)
            joined = conjunction(match, other.match)
            first = min(owner, j)
            best = max(rank[id(rules[k])] for k in grown)
            if joined is None or joined == rules[first].match or best <= rank[id(rules[first])]:
                continue
            if len(items) >= CLOSURE_CAP:
                ledger.note(where, "routes", "approximated", "too many overlapping routes to "
                            "keep App Mesh's order everywhere", "PRECEDENCE")
                queue = []
                break
            items.append((grown, joined, first))
            queue.append((grown, joined, first))
    items.sort(key=lambda item: (item[2], -len(item[0])))
    return [(rules[owner], match) for _, match, owner in items]


def _rule(owner: FlatRule, match: Mapping[str, Any], names: Mapping[str, str],
          ledger: Ledger) -> dict[str, Any] | None:
    where = owner.sources[-1] if owner.targets else owner.sources[0]
    single = one_per_name(match, ledger, where)
    if single is None:
        return None
    translated = translate(single, ledger, where)
    value = str(translated["path"]["value"])
    if "//" in value:
        for cause in ("REWRITE_DEFAULT", "NOT_REPRESENTABLE"):
            ledger.note(owner.sources[0], "match.prefix", "approximated", "a path with '//' "
                        "after the gateway prefix: PathPrefix may not contain '//' [GW], so "
                        "such paths are routed or rewritten differently", cause)
        return None
    rule: dict[str, Any] = {"matches": [translated]}
    refs = []
    for node, weight, port in owner.targets:
        name, number = node_ref(names, node, port)
        ref: dict[str, Any] = {"name": name, "weight": weight}
        if number is not None:
            ref["port"] = number
        refs.append(ref)
    if refs:
        rule["backendRefs"] = refs
    rewrite = _rewrite_for(owner.rewrite, translated["path"])
    url: dict[str, Any] = {}
    if rewrite.host is not None and _HOSTNAME.fullmatch(rewrite.host):
        url["hostname"] = rewrite.host
    elif rewrite.host is not None:
        ledger.note(owner.sources[0], "action.rewrite.hostname", "dropped", f"{rewrite.host} "
                    "is not a hostname the Gateway API takes (RFC 1123)", "REWRITE_DEFAULT")
    if rewrite.full is not None:
        url["path"] = {"type": "ReplaceFullPath", "replaceFullPath": rewrite.full}
    elif rewrite.prefix is not None and rewrite.replacement != rewrite.prefix:
        url["path"] = {"type": "ReplacePrefixMatch", "replacePrefixMatch": rewrite.replacement}
    if url:
        rule["filters"] = [{"type": "URLRewrite", "urlRewrite": url}]
    if owner.retries is not None:
        ledger.note(where, "retryPolicy" if owner.retries != 2 else "(default retry policy)",
                    "dropped", "retries are implementation-specific unless rules[].retry "
                    "(experimental channel) is set", "POLICY_DEFAULT")
    return rule


def manifests(view: MeshView, name: str, kind: str,
              per_port: list[tuple[Entry, list[FlatRule]]], names: Mapping[str, str],
              ledger: Ledger) -> list[dict[str, Any]]:
    namespace = k8s_name(view.name)
    base = names.get(name, k8s_name(name))
    out: list[dict[str, Any]] = []
    if kind == "gateway":
        listeners = [{"name": f"http-{e.port}", "port": e.port, "protocol": "HTTP"}
                     for e, _ in per_port]
        out.append({"apiVersion": API, "kind": "Gateway",
                    "metadata": {"name": base, "namespace": namespace},
                    "spec": {"gatewayClassName": "migrated-from-app-mesh",
                             "listeners": listeners}})
    for entry, rules in per_port:
        parent: dict[str, Any] = {"name": base, "port": entry.port}
        if kind == "service":
            parent = {"group": "", "kind": "Service", **parent}
        else:
            parent["sectionName"] = f"http-{entry.port}"
        route_name = k8s_name(f"{base}-{entry.port}", 56)
        if rules and rules[0].protocol == "tcp":
            out.append({"apiVersion": "gateway.networking.k8s.io/v1alpha2", "kind": "TCPRoute",
                        "metadata": {"name": route_name, "namespace": namespace},
                        "spec": {"parentRefs": [parent], "rules": [
                            {"backendRefs": [{"name": n, "port": p, "weight": w} for n, p, w in (
                                (*node_ref(names, node, port), weight)
                                for node, weight, port in rules[0].targets)]}]}})
            continue
        by_host: dict[str, list[dict[str, Any]]] = {}
        for owner, match in ordered(rules, ledger, f"{kind} {name}"):
            host = match.pop("hostname", None)
            rule = _rule(owner, match, names, ledger)
            if rule is not None:
                by_host.setdefault(_hostname(host, ledger, owner), []).append(rule)
        for index, (host, all_rules) in enumerate(sorted(by_host.items())):
            for part in range(0, len(all_rules), RULES_PER_ROUTE):
                suffix = f"-{index}-{part // RULES_PER_ROUTE:02d}"
                spec: dict[str, Any] = {"parentRefs": [parent],
                                        "rules": all_rules[part:part + RULES_PER_ROUTE]}
                if host:
                    spec["hostnames"] = [host]
                out.append({"apiVersion": API, "kind": "HTTPRoute",
                            "metadata": {"name": route_name + suffix, "namespace": namespace},
                            "spec": spec})
    return out


def _hostname(host: Mapping[str, Any] | None, ledger: Ledger, owner: FlatRule) -> str:
    if not host:
        return ""
    if "exact" in host:
        return str(host["exact"]).lower()
    ledger.note(owner.sources[0], "match.hostname.suffix", "approximated", "a wildcard "
                "hostname matches whole labels, App Mesh's suffix characters", "NOT_REPRESENTABLE")
    return "*." + str(host["suffix"]).lstrip(".").lower()
