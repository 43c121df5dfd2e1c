"""Walks output values against the model's shapes: the strict check and the legacy projection."""

from __future__ import annotations

from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from ..errors import StrictModeViolation

_MISSING = object()


def check_output(value: Any, shape: Shape | None) -> None:
    """Raises StrictModeViolation listing every way `value` departs from `shape`.

    Checked: no unknown members, no nulls, required members present, right JSON types,
    enum values valid, timestamps as epoch numbers.
    """
    problems: list[str] = []
    if shape is not None:
        _check(value, shape, "output", problems)
    if problems:
        raise StrictModeViolation("; ".join(problems[:20]))


def _check(value: Any, shape: Shape, path: str, problems: list[str]) -> None:
    if value is None:
        problems.append(f"{path} is null")
        return
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            problems.append(f"{path} is {type(value).__name__}, not an object")
            return
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                problems.append(f"{path}.{name} is not a member of {shape.name}")
            else:
                _check(item, member, f"{path}.{name}", problems)
        problems.extend(
            f"{path}.{name} is required by {shape.name}"
            for name in shape.required_members
            if name not in value
        )
    elif isinstance(shape, ListShape):
        if not isinstance(value, list):
            problems.append(f"{path} is {type(value).__name__}, not a list")
            return
        for index, item in enumerate(value):
            _check(item, shape.member, f"{path}[{index}]", problems)
    elif isinstance(shape, MapShape):
        if not isinstance(value, dict):
            problems.append(f"{path} is {type(value).__name__}, not an object")
            return
        for item in value.values():
            _check(item, shape.value, f"{path}.<value>", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path} is {type(value).__name__}, not a string")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path} = {value!r} is not in the enum {shape.name}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path} is {type(value).__name__}, not an integer")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path} is {type(value).__name__}, not a boolean")
    elif kind in ("timestamp", "double", "float") and (
        not isinstance(value, (int, float)) or isinstance(value, bool)
    ):
        problems.append(f"{path} is {type(value).__name__}, not epoch seconds")


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
    if shape is None:
        return {}
    projected = project(value, shape)
    return projected if isinstance(projected, dict) else {}
