"""CloudFormation templates (hand-written, or a CDK stack's synthesized template) into the
Create* requests of their `AWS::AppMesh::*` resources, in dependency order.

Each resource's Properties are its Create* input in PascalCase (`MeshName`, `Spec`, `Tags`
as Key/Value) once intrinsics are resolved (intrinsics.py). The order is CloudFormation's:
a resource after every resource it names (Ref, GetAtt, Sub, DependsOn); among those ready, the
API's kind order (mesh, nodes, routers, routes, services, gateways, gateway routes), then file
order, so a template that names its mesh by a literal still loads. Several templates in one
load (a folder, a cdk.out) are ordered together, and an `Fn::ImportValue` of an export one of
them declares is resolved from it."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..backend.kinds import ALL_KINDS, Kind
from ..service.load import CreateRequest, arn
from ..service.state_input import ORDER, StateError
from .intrinsics import Scope
from .memo import Memo
from .shapes import Style, convert, create_input

TYPES = {f"AWS::AppMesh::{kind.title}": kind for kind in ALL_KINDS}
_SUB_NAMES = re.compile(r"\$\{([^!}][^}.]*)")


@dataclass
class _Template:
    where: str
    document: Mapping[str, Any]
    scope: Scope = field(init=False)
    resolved: Memo = field(init=False)  # (Properties, ARN) by logical id

    def __post_init__(self) -> None:
        self.resolved = Memo(self.where)


def is_template(document: Any) -> bool:
    if not isinstance(document, Mapping):
        return False
    resources = document.get("Resources")
    return "AWSTemplateFormatVersion" in document or (
        isinstance(resources, Mapping)
        and any(isinstance(r, Mapping) and "Type" in r for r in resources.values())
    )


def requests(
    templates: Iterable[tuple[str, Mapping[str, Any]]],
    parameters: Mapping[str, Any],
    account: str,
    region: str,
    not_loaded: list[str],
) -> list[CreateRequest]:
    loaded = [_Template(where or "the document", document) for where, document in templates]
    for template in loaded:
        template.scope = _scope(template, loaded, parameters, account, region)
    nodes: list[tuple[_Template, str]] = []
    for template in loaded:
        resources = template.document.get("Resources")
        if not isinstance(resources, Mapping):
            raise StateError(f"{template.where}: Resources must be a mapping")
        for logical, resource in resources.items():
            kind = TYPES.get(str(resource.get("Type"))) if isinstance(resource, Mapping) else None
            if kind is None:
                kind_name = resource.get("Type") if isinstance(resource, Mapping) else resource
                not_loaded.append(f"{template.where}: {logical} ({kind_name}): not App Mesh")
                continue
            condition = resource.get("Condition")
            if condition is not None and not template.scope.condition(
                str(condition), f"{template.where}: {logical}.Condition"
            ):
                not_loaded.append(f"{template.where}: {logical}: condition {condition} is false")
                continue
            nodes.append((template, str(logical)))
    made = []
    for template, logical in _ordered(nodes):
        kind = TYPES[template.document["Resources"][logical]["Type"]]
        properties, _ = _resolve(template, logical)
        where = f"{template.where}: {logical}"
        params = convert(properties, create_input(kind.title), f"{where}: Properties", Style())
        made.append(CreateRequest(where, kind.key, params))
    return made


def _scope(
    template: _Template, everything: list[_Template], parameters: Mapping[str, Any],
    account: str, region: str,
) -> Scope:
    def appmesh(logical: str) -> tuple[dict[str, Any], str]:
        return _resolve(template, logical)

    def imports(name: str) -> Any:
        for other in everything:
            outputs = other.document.get("Outputs") or {}
            for key, output in outputs.items() if isinstance(outputs, Mapping) else ():
                export = output.get("Export") if isinstance(output, Mapping) else None
                if not isinstance(export, Mapping) or "Name" not in export:
                    continue
                path = f"{other.where}: Outputs.{key}"
                if other.scope.resolve(export["Name"], f"{path}.Export.Name") == name:
                    return other.scope.resolve(output.get("Value"), f"{path}.Value")
        return None

    return Scope(template.document, template.where, parameters, account, region,
                 appmesh, imports)


def _resolve(template: _Template, logical: str) -> tuple[dict[str, Any], str]:
    """(resolved Properties, ARN) of one App Mesh resource, each resolved once."""
    return template.resolved.once(logical, lambda: _resolved(template, logical))


def _resolved(template: _Template, logical: str) -> tuple[dict[str, Any], str]:
    resource = template.document["Resources"][logical]
    properties = template.scope.resolve(resource.get("Properties") or {},
                                        f"{template.where}: {logical}.Properties")
    if not isinstance(properties, dict):
        raise StateError(f"{template.where}: {logical}.Properties must be a mapping")
    kind = TYPES[resource["Type"]]
    return properties, _arn(kind, properties, template.scope)


def _arn(kind: Kind, properties: Mapping[str, Any], scope: Scope) -> str:
    names = {member: properties.get(member[0].upper() + member[1:])
             for member in ("meshName", kind.name_member, *_parent(kind))}
    return arn(kind, names, scope.account, scope.region)


def _parent(kind: Kind) -> tuple[str, ...]:
    return (kind.parent.name_member,) if kind.parent is not None else ()


def _names(value: Any) -> set[str]:
    """Logical ids (and parameters) a property value refers to."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _names(item)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.add(item)
            elif key == "Fn::GetAtt":
                first = item.split(".")[0] if isinstance(item, str) else (item or [None])[0]
                found.add(str(first))
            elif key == "Fn::Sub":
                text = item[0] if isinstance(item, list) and item else item
                if isinstance(text, str):
                    found |= set(_SUB_NAMES.findall(text))
            found |= _names(item)
    return found


def _ordered(nodes: list[tuple[_Template, str]]) -> list[tuple[_Template, str]]:
    index = {(id(t), logical): n for n, (t, logical) in enumerate(nodes)}
    waits: dict[int, set[int]] = {}
    for n, (template, logical) in enumerate(nodes):
        resource = template.document["Resources"][logical]
        depends = resource.get("DependsOn") or []
        names = _names(resource.get("Properties")) | set(
            [depends] if isinstance(depends, str) else depends
        )
        waits[n] = {index[(id(template), name)] for name in names
                    if (id(template), name) in index and name != logical}
    rank = {n: (ORDER.index(TYPES[t.document["Resources"][lg]["Type"]].key), n)
            for n, (t, lg) in enumerate(nodes)}
    dependents: dict[int, list[int]] = {n: [] for n in waits}
    for n, needs in waits.items():
        for need in needs:
            dependents[need].append(n)
    ready = [rank[n] for n in waits if not waits[n]]
    heapq.heapify(ready)
    order: list[int] = []
    done: set[int] = set()
    while ready:
        _, n = heapq.heappop(ready)
        order.append(n)
        done.add(n)
        for other in dependents[n]:
            waits[other].discard(n)
            if not waits[other]:
                heapq.heappush(ready, rank[other])
    if len(order) < len(nodes):
        stuck = [f"{nodes[n][0].where}: {nodes[n][1]}" for n in waits if n not in done]
        raise StateError(f"dependency cycle among {', '.join(stuck)}")
    return [nodes[n] for n in order]
