"""Shows a value through an older shape: what the shape cannot express is left out."""

from __future__ import annotations

from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

_MISSING = object()


def project(value: Any, shape: Shape) -> Any:
    """The part of `value` that `shape` can express, or `_MISSING` if none of it can.

    Used to show a resource through an older API version: unknown members are dropped, enum
    values the version lacks remove their member, and a structure left without a required
    member is removed from its parent.
    """
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return _MISSING
        out = {}
        for name, item in value.items():
            member = shape.members.get(name)
            if member is not None:
                projected = project(item, member)
                if projected is not _MISSING:
                    out[name] = projected
        if any(name not in out for name in shape.required_members):
            return _MISSING
        return out
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            return _MISSING
        items = [project(item, shape.member) for item in value]
        return [item for item in items if item is not _MISSING]
    if isinstance(shape, MapShape):
        return value if isinstance(value, dict) else _MISSING
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        return _MISSING
    return value


def project_output(value: dict[str, Any], shape: Shape | None) -> dict[str, Any]:
    """The whole output as `shape` (the older version's output shape) can express it."""
    if shape is None:
        return {}
    projected = project(value, shape)
    return projected if isinstance(projected, dict) else {}
