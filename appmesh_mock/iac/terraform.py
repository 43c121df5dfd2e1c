"""Terraform's `aws_appmesh_*` resources (hashicorp/aws provider) into Create* requests: from
`terraform show -json` (state: `values`; a plan: `planned_values`, refused where a value the
request needs is still unknown) and from `.tf` files (hcl.py evaluates them into the same
attribute values).

The provider's attributes are the API's in snake_case (shapes.py matches them): `name` is the
kind's name member, nested blocks are lists (one element for a structure), repeated blocks are
singular (`weighted_target`), maps stand for key/value lists (`tags`, Cloud Map
`attributes`). Unset attributes appear in state as "" / 0 / [] and the provider sends none of
them, so neither does the load. Computed attributes (id, arn, dates, resource_owner, tags_all)
are the service's to give."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..backend.kinds import Kind
from ..service.load import CreateRequest
from ..service.state_input import ORDER, StateError
from . import hcl
from .hcl import TYPES
from .shapes import Style, convert, create_input

COMPUTED = ("id", "arn", "created_date", "last_updated_date", "resource_owner", "tags_all")
STYLE = Style(blocks=True, unset_is_absent=True)


def requests(
    documents: Iterable[tuple[str, Any]], parameters: Mapping[str, Any], account: str,
    region: str, not_loaded: list[str],
) -> list[CreateRequest]:
    made: list[CreateRequest] = []
    for where, document in documents:
        if "__hcl__" in document:
            resources = hcl.evaluate(document["__hcl__"], parameters, account, region,
                                     not_loaded)
        else:
            resources = list(_shown(document, where or "the document", not_loaded))
        for label, kind, values in resources:
            made.append(request(label, kind, values))
    made.sort(key=lambda r: ORDER.index(r.kind))  # stable: as given within a kind
    return made


def request(where: str, kind: Kind, values: Mapping[str, Any]) -> CreateRequest:
    """One resource's attribute values as its Create* input."""
    attributes = {k: v for k, v in values.items() if k not in COMPUTED}
    if kind.key == "mesh":
        attributes.pop("mesh_owner", None)  # a mesh's is computed: its owner's account
    if "name" not in attributes:
        raise StateError(f"{where}: no name")
    attributes[kind.name_member] = attributes.pop("name")
    params = convert(attributes, create_input(kind.title), where, STYLE)
    if kind.key != "mesh":
        params.setdefault("spec", {})
    return CreateRequest(where, kind.key, params)


def _shown(document: Mapping[str, Any], where: str,
           not_loaded: list[str]) -> Iterator[tuple[str, Kind, Mapping[str, Any]]]:
    """(label, kind, values) of each App Mesh resource of a `terraform show -json` document."""
    plan = "planned_values" in document
    values = document.get("planned_values" if plan else "values") or {}
    unknown = {}
    if plan:
        for change in document.get("resource_changes") or ():
            unknown[change.get("address")] = (change.get("change") or {}).get("after_unknown")
    for resource in _module_resources(values.get("root_module") or {}):
        address = str(resource.get("address"))
        label = f"{where}: {address}"
        kind = TYPES.get(str(resource.get("type")))
        if resource.get("mode", "managed") != "managed" or kind is None:
            not_loaded.append(f"{label}: not an App Mesh resource")
            continue
        pending = [p for p in _unknown_paths(unknown.get(address), "")
                   if p.split(".")[0].split("[")[0] not in (*COMPUTED, "mesh_owner")]
        if pending:
            raise StateError(f"{label}: {', '.join(pending)} is unknown until apply; "
                             "load the state after `terraform apply` instead")
        yield label, kind, resource.get("values") or {}


def _module_resources(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from module.get("resources") or ()
    for child in module.get("child_modules") or ():
        yield from _module_resources(child)


def _unknown_paths(marks: Any, path: str) -> list[str]:
    if marks is True:
        return [path]
    found: list[str] = []
    if isinstance(marks, Mapping):
        for key, value in marks.items():
            found += _unknown_paths(value, f"{path}.{key}" if path else str(key))
    elif isinstance(marks, list):
        for index, value in enumerate(marks):
            found += _unknown_paths(value, f"{path}[{index}]")
    return found
