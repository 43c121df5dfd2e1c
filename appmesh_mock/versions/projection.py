"""Shows a value through an older shape: what the shape cannot express is left out.

Each shape compiles once into a projector closure (as protocol/validation.py compiles its
checkers): walking the botocore shape objects on every legacy answer was some 40% of a legacy
describe's time in the dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

_MISSING = object()

# A projector returns the part of a value its shape can express, or `_MISSING` if none of it;
# None stands for "the value as it is" (a scalar with no enum), so no call is made for it.
Projector = Callable[[Any], Any]


def _structure(shape: StructureShape) -> Projector:
    members = {name: projector(member) for name, member in shape.members.items()}
    required = tuple(shape.required_members)

    def project(value: Any) -> Any:
        if not isinstance(value, dict):
            return _MISSING
        out = {}
        for name, item in value.items():
            if name not in members:
                continue
            member = members[name]
            if member is None:
                out[name] = item
                continue
            projected = member(item)
            if projected is not _MISSING:
                out[name] = projected
        for name in required:
            if name not in out:
                return _MISSING
        return out

    return project


def _list(shape: ListShape) -> Projector:
    member = projector(shape.member)

    def project(value: Any) -> Any:
        if not isinstance(value, list):
            return _MISSING
        if member is None:
            return list(value)
        items = [member(item) for item in value]
        return [item for item in items if item is not _MISSING]

    return project


def _map(value: Any) -> Any:
    return value if isinstance(value, dict) else _MISSING


def _enum(values: list[str]) -> Projector:
    known = tuple(values)

    def project(value: Any) -> Any:
        return value if value in known else _MISSING

    return project


@cache
def projector(shape: Shape) -> Projector | None:
    """Unknown members are dropped, enum values the version lacks remove their member, and a
    structure left without a required member is removed from its parent."""
    if isinstance(shape, StructureShape):
        return _structure(shape)
    if isinstance(shape, ListShape):
        return _list(shape)
    if isinstance(shape, MapShape):
        return _map
    enum = getattr(shape, "enum", None)
    return _enum(enum) if enum else None


def project_output(value: dict[str, Any], shape: Shape | None) -> dict[str, Any]:
    """The whole output as `shape` (the older version's output shape) can express it."""
    if shape is None:
        return {}
    project = projector(shape)
    projected = project(value) if project is not None else value
    return projected if isinstance(projected, dict) else {}
