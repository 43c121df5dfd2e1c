"""App Mesh to VPC Lattice: the `vpc-lattice` API calls that make a Lattice service per
virtual service and virtual gateway, a listener per listener port, a target group per
virtual node, and a rule per App Mesh rule, priorities in App Mesh's order (Lattice takes the
lowest priority number first [VL]). Calls name what earlier calls make by `${Create....NAME}`
(targets/vpc_lattice.py); `${vpc}` stands for the VPC of the target groups."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..document import MeshView
from ..targets.common import Entry
from ..targets.vpc_lattice import RULES_PER_LISTENER
from .compose import one_per_name
from .ledger import Ledger
from .naming import k8s_name, node_ref
from .rules import FlatRule

HEADERS_PER_RULE = 5  # [VL HttpMatch.headerMatches] max 5


def _name(text: str, limit: int = 63) -> str:
    return re.sub("-+", "-", k8s_name(text, limit)).strip("-")


def _match(rule: FlatRule, ledger: Ledger, where: str) -> dict[str, Any] | None:
    single = one_per_name(rule.match, ledger, where)
    if single is None:
        return None
    http: dict[str, Any] = {}
    if "prefix" in single and single["prefix"] != "/":
        http["pathMatch"] = {"match": {"prefix": str(single["prefix"])}, "caseSensitive": True}
        ledger.note(where, "match.prefix", "approximated", "Lattice's docs do not say whether a "
                    "prefix matches by character or by segment (unspecified)", "PREFIX_SEMANTICS")
    path = single.get("path") or {}
    if "exact" in path:
        http["pathMatch"] = {"match": {"exact": str(path["exact"])}, "caseSensitive": True}
    elif "regex" in path:
        ledger.note(where, "match.path.regex", "dropped", "no regular expressions in Lattice",
                    "MATCHER_UNSUPPORTED")
    if "method" in single:
        http["method"] = str(single["method"])
    for key in ("queryParameters", "scheme", "hostname"):
        if single.get(key):
            ledger.note(where, f"match.{key}", "dropped", f"Lattice's HttpMatch has no {key}",
                        "MATCHER_UNSUPPORTED")
    for header in single.get("headers") or []:
        method = header.get("match") or {}
        kind = next(iter(method), "")
        if header.get("invert") or kind not in ("exact", "prefix"):
            ledger.note(where, "match.headers[]", "dropped", "Lattice matches a header by "
                        "exact, prefix or contains only, never inverted", "MATCHER_UNSUPPORTED")
            continue
        if len(http.get("headerMatches") or []) == HEADERS_PER_RULE:
            ledger.note(where, "match.headers[]", "dropped", "more than 5 header matches per "
                        "rule", "QUOTA")
            continue
        http.setdefault("headerMatches", []).append(
            {"name": str(header["name"]), "match": {kind: str(method[kind])},
             "caseSensitive": True})
    # A rule matches on something: with nothing left, on every path.
    return http or {"pathMatch": {"match": {"prefix": "/"}, "caseSensitive": True}}


def _forward(rule: FlatRule, names: Mapping[str, str], groups: dict[str, dict[str, Any]],
             ) -> dict[str, Any]:
    if not rule.targets or not sum(w for _, w, _ in rule.targets):
        return {"fixedResponse": {"statusCode": 404}}
    weighted = []
    for node, weight, port in rule.targets:
        name, number = node_ref(names, node, port)
        group = _name(f"{name}-{number or 80}", 128)
        groups.setdefault(group, {"name": group, "type": "IP", "config": {
            "port": number or 80, "protocol": "HTTP", "vpcIdentifier": "${vpc}"}})
        weighted.append({"targetGroupIdentifier": f"${{CreateTargetGroup.{group}}}",
                         "weight": weight})
    return {"forward": {"targetGroups": weighted}}


def manifests(view: MeshView, name: str, kind: str,
              per_port: list[tuple[Entry, list[FlatRule]]], names: Mapping[str, str],
              ledger: Ledger) -> list[dict[str, Any]]:
    service = _name(names.get(name, name), 40)
    groups: dict[str, dict[str, Any]] = {}
    calls: list[dict[str, Any]] = [{"operation": "CreateService", "params": {"name": service}}]
    for entry, rules in per_port:
        listener = f"http-{entry.port}"
        http = [r for r in rules if r.protocol != "tcp"]
        for rule in rules:
            if rule.protocol == "tcp":
                ledger.note(rule.sources[-1], "tcpRoute", "dropped", "a tcp route: Lattice's "
                            "TCP is TLS passthrough, not written here", "NOT_REPRESENTABLE")
        default: dict[str, Any] = {"fixedResponse": {"statusCode": 404}}
        if http and set(http[-1].match) <= {"prefix"} and http[-1].match.get("prefix") == "/":
            default = _forward(http.pop(), names, groups)  # the catch-all: the listener's own
        calls.append({"operation": "CreateListener", "params": {
            "serviceIdentifier": f"${{CreateService.{service}}}", "name": listener,
            "protocol": "HTTP", "port": entry.port, "defaultAction": default}})
        priority = 0
        for rule in http:
            where = rule.sources[-1] if rule.targets else rule.sources[0]
            match = _match(rule, ledger, where)
            if match is None:
                continue
            priority += 1
            if priority > RULES_PER_LISTENER:
                ledger.note(where, "priority", "approximated", f"rule {priority} of a listener: "
                            f"past the default quota of {RULES_PER_LISTENER} (ask for more)",
                            "QUOTA")
            if rule.rewrite.prefix or rule.rewrite.full or rule.rewrite.host:
                ledger.note(rule.sources[0], "action.rewrite", "dropped", "Lattice rewrites "
                            "neither path nor Host", "REWRITE_DEFAULT")
            if rule.retries is not None:
                ledger.note(where, "retryPolicy", "dropped", "the vpc-lattice API has no retry "
                            "setting; whether Lattice retries is not documented",
                            "POLICY_DEFAULT")
            params: dict[str, Any] = {
                "serviceIdentifier": f"${{CreateService.{service}}}",
                "listenerIdentifier": f"${{CreateListener.{service}.{listener}}}",
                "name": _name(f"r{priority}-{where.split(' ', 1)[-1]}"),
                "priority": priority,
                "match": {"httpMatch": match},
                "action": _forward(rule, names, groups),
            }
            calls.append({"operation": "CreateRule", "params": params})
    group_calls = [{"operation": "CreateTargetGroup", "params": g} for g in groups.values()]
    return group_calls + calls
