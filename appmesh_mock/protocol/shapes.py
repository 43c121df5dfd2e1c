"""The strict check: walks an output value against the model's output shape."""

from __future__ import annotations

from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from ..errors import StrictModeViolation


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
