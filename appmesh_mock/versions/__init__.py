"""Everything that differs between the two API versions, in one place.

Both versions read and write one store, which holds specs in the current (2019-01-25) form.
A legacy request is held to the current model's requirements and translated to that form right
after validation (`to_current`), so handlers and rules see one form only; the answer is
presented in the reader's version on the way out (`present`). Members the current version
cannot express (a 2018 router's `serviceNames`) are kept in the stored spec for legacy readers
and left out of current ones; what the legacy version cannot express is left out of its view.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.model import OperationModel, StructureShape

from ..protocol.models import CURRENT_VERSION, LEGACY_VERSION, Api, get_api
from .legacy_input import check_legacy_input
from .projection import project_output
from .translate import to_current as _spec_to_current
from .translate import to_legacy as _spec_to_legacy

__all__ = ["present", "to_current"]


def _kind_of_shape(name: str) -> str:
    """ "VirtualNodeSpec" -> "virtualNode", the kind key the output members also use."""
    stem = name.removesuffix("Spec")
    return stem[:1].lower() + stem[1:]


def _shape_of_kind(kind: str) -> str:
    return f"{kind[:1].upper()}{kind[1:]}Spec"


def to_current(api: Api, operation: OperationModel, params: dict[str, Any]) -> dict[str, Any]:
    """Validated input in the current form: legacy input is checked and translated."""
    if api.version != LEGACY_VERSION:
        return params
    check_legacy_input(operation.input_shape, params)
    spec = params.get("spec")
    if isinstance(spec, dict) and isinstance(operation.input_shape, StructureShape):
        kind = _kind_of_shape(operation.input_shape.members["spec"].name)
        params = {**params, "spec": _spec_to_current(kind, spec)}
    return params


def present(api: Api, operation: OperationModel, output: dict[str, Any]) -> dict[str, Any]:
    """A handler's (current-form) output as the calling version shows it."""
    if api.version == LEGACY_VERSION:
        translated = {
            key: _legacy_view(key, value) if isinstance(value, dict) else value
            for key, value in output.items()
        }
        return project_output(translated, operation.output_shape)
    for key, value in output.items():
        spec = value.get("spec") if isinstance(value, dict) else None
        if isinstance(spec, dict):
            known = _current_members(key)
            if not known.issuperset(spec):
                clean = {k: v for k, v in spec.items() if k in known}
                output = {**output, key: {**value, "spec": clean}}
    return output


def _legacy_view(kind: str, resource: dict[str, Any]) -> dict[str, Any]:
    spec = resource.get("spec")
    if not isinstance(spec, dict):
        return resource
    return {**resource, "spec": _spec_to_legacy(kind, spec)}


@cache
def _current_members(kind: str) -> frozenset[str]:
    """The top-level members of `kind`'s current spec shape; a stored spec holds more only
    when a legacy request wrote it."""
    shape = get_api(CURRENT_VERSION).shape(_shape_of_kind(kind))
    return frozenset(shape.members) if isinstance(shape, StructureShape) else frozenset()
