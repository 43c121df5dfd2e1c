"""Server-side input validation compiled from the model's shapes.

botocore checks only minimums, required members and unions on the client, and a client may turn
even that off; the service checks the rest. Each shape compiles once into a checker closure that
raises `BadRequestException` naming the member path. Checkers also drop JSON nulls (an absent
member) so that no null is ever stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from ..errors import BadRequestException

# Where a value sits in the input: "" for the request itself, else (parent path, member name or
# list index). The dotted text form is built only when a check fails, so that a valid request
# (nearly every request) allocates no path strings.
Path = str | tuple["Path", str | int]
Checker = Callable[[Any, Path], None]


def render(path: Path) -> str:
    """`spec.listeners[0].portMapping` from its nested form."""
    if isinstance(path, str):
        return path
    parent, key = path
    head = render(parent)
    if isinstance(key, int):
        return f"{head}[{key}]"
    return f"{head}.{key}" if head else key


def _fail(path: Path, problem: str) -> BadRequestException:
    where = render(path) or "request"
    return BadRequestException(f"1 validation error detected: {where} {problem}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _length_checker(shape: Shape, unit: str) -> Callable[[int, Path], None] | None:
    """A bounds check on a length, or None when the shape sets no bounds."""
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    if low is None and high is None:
        return None

    def check(length: int, path: Path) -> None:
        if low is not None and length < low:
            raise _fail(path, f"must have {unit} greater than or equal to {low}")
        if high is not None and length > high:
            raise _fail(path, f"must have {unit} less than or equal to {high}")

    return check


def _string(shape: Shape) -> Checker:
    length = _length_checker(shape, "length")
    enum = frozenset(shape.enum) if shape.enum else None
    raw_pattern = shape.metadata.get("pattern")
    pattern = re.compile(raw_pattern) if raw_pattern else None

    def check(value: Any, path: Path) -> None:
        if not isinstance(value, str):
            raise _fail(path, "must be a string")
        if length is not None:
            length(len(value), path)
        if enum is not None and value not in enum:
            raise _fail(path, f"must be one of {sorted(enum)}, not {value!r}")
        if pattern is not None and not pattern.search(value):
            raise _fail(path, f"must match the pattern {raw_pattern}")

    return check


def _number(shape: Shape) -> Checker:
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    integral = shape.type_name in ("integer", "long")

    def check(value: Any, path: Path) -> None:
        ok = _is_int(value) if integral else isinstance(value, (int, float))
        if not ok or isinstance(value, bool):
            raise _fail(path, "must be an integer" if integral else "must be a number")
        if low is not None and value < low:
            raise _fail(path, f"must have value greater than or equal to {low}")
        if high is not None and value > high:
            raise _fail(path, f"must have value less than or equal to {high}")

    return check


def _boolean(_: Shape) -> Checker:
    def check(value: Any, path: Path) -> None:
        if not isinstance(value, bool):
            raise _fail(path, "must be a boolean")

    return check


def _list(shape: ListShape) -> Checker:
    length = _length_checker(shape, "length")
    member = checker_for(shape.member)

    def check(value: Any, path: Path) -> None:
        if not isinstance(value, list):
            raise _fail(path, "must be a list")
        if length is not None:
            length(len(value), path)
        for index, item in enumerate(value):
            if item is None:
                raise _fail((path, index), "must not be null")
            member(item, (path, index))

    return check


def _map(shape: MapShape) -> Checker:
    length = _length_checker(shape, "size")
    key = checker_for(shape.key)
    value_check = checker_for(shape.value)

    def check(value: Any, path: Path) -> None:
        if not isinstance(value, dict):
            raise _fail(path, "must be an object")
        if length is not None:
            length(len(value), path)
        for k, v in value.items():
            key(k, (path, k))
            value_check(v, (path, k))

    return check


def _structure(shape: StructureShape) -> Checker:
    members = {name: checker_for(member) for name, member in shape.members.items()}
    required = tuple(shape.required_members)
    union = bool(shape.metadata.get("union"))

    def check(value: Any, path: Path) -> None:
        if not isinstance(value, dict):
            raise _fail(path, "must be an object")
        if None in value.values():
            for name in [k for k, v in value.items() if v is None]:
                del value[name]
        for name, item in value.items():
            member = members.get(name)
            if member is None:
                raise _fail((path, name), "is not a member the API knows")
            member(item, (path, name))
        for name in required:
            if name not in value:
                raise _fail((path, name), "is required")
        if union and len(value) != 1:
            raise _fail(path, f"must set exactly one of {sorted(members)}")

    return check


def _timestamp(_: Shape) -> Checker:
    def check(value: Any, path: Path) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise _fail(path, "must be a number of epoch seconds")

    return check


@cache
def checker_for(shape: Shape) -> Checker:
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        return _structure(shape)
    if isinstance(shape, ListShape):
        return _list(shape)
    if isinstance(shape, MapShape):
        return _map(shape)
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long", "double", "float"):
        return _number(shape)
    if kind == "boolean":
        return _boolean(shape)
    if kind == "timestamp":
        return _timestamp(shape)
    raise TypeError(f"no checker for {kind} shapes ({shape.name})")  # App Mesh models have none


def validate_input(shape: StructureShape | None, params: dict[str, Any]) -> None:
    """Check a whole operation input; raises BadRequestException at the first problem."""
    if shape is not None:
        checker_for(shape)(params, "")
