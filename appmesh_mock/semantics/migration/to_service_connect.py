"""App Mesh to ECS Service Connect: for each virtual node, the `serviceConnectConfiguration`
of its ECS service, publishing the virtual services it provides as client aliases. A virtual
service with a router can point its alias at one ECS service only: the one its catch-all
route sends most of the traffic to; the rest of the routing is in the ledger."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..document import MeshView
from ..targets.common import Entry
from .ledger import Ledger
from .naming import k8s_name, node_ref
from .rules import FlatRule


def _chosen(rules: list[FlatRule], ledger: Ledger) -> tuple[str, int, Any] | None:
    """The node of the last rule that takes any request (App Mesh's catch-all), else of the
    first rule, by the largest weight."""
    if not rules:
        return None
    catch = [r for r in rules if set(r.match) <= {"prefix"} and r.match.get("prefix") == "/"]
    rule = (catch or rules)[-1] if catch else rules[0]
    for other in rules:
        where = other.sources[-1]
        if other is not rule or len([t for t in other.targets if t[1]]) > 1:
            ledger.note(where, "action.weightedTargets", "dropped", "Service Connect sends an "
                        "alias to one ECS service: no weights, no routes", "NOT_REPRESENTABLE")
        if other is not rule and other.match:
            ledger.note(where, "match", "dropped", "Service Connect does not route on the "
                        "request", "MATCHER_UNSUPPORTED")
    targets = [t for t in rule.targets if t[1]]
    return max(targets, key=lambda t: t[1]) if targets else None


def manifests(view: MeshView, name: str, kind: str,
              per_port: list[tuple[Entry, list[FlatRule]]], names: Mapping[str, str],
              ledger: Ledger) -> list[dict[str, Any]]:
    """A document for the ECS service each listener of this entry reaches (`merge` makes
    one per ECS service of them)."""
    if kind == "gateway":
        for _, rules in per_port:
            for source in {s for rule in rules for s in rule.sources if " " in s}:
                ledger.note(source, "(through the gateway)", "dropped", "Service Connect has "
                            "no ingress gateway: put a load balancer in front",
                            "NOT_REPRESENTABLE")
        return []
    out = []
    for entry, rules in per_port:
        chosen = _chosen(rules, ledger)
        if chosen is None:
            continue
        node, _, port = chosen
        service, number = node_ref(names, node, port)
        out.append({"service": service, "containerPort": number,
                    "serviceConnectConfiguration": {
                        "enabled": True, "namespace": k8s_name(view.name),
                        "services": [{"portName": k8s_name(f"{service}-{number}"),
                                      "discoveryName": k8s_name(f"{name}-{entry.port}"),
                                      "clientAliases": [{"port": entry.port, "dnsName": name}]}],
                    }})
    return out


def merge(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One document per ECS service, publishing every alias it serves."""
    merged: dict[str, dict[str, Any]] = {}
    for document in documents:
        found = merged.setdefault(str(document["service"]), document)
        if found is not document:
            found["serviceConnectConfiguration"]["services"] += (
                document["serviceConnectConfiguration"]["services"])
    return list(merged.values())
