"""What the 2018-10-01 model leaves unsaid but the one service behind both versions requires.

The 2018-10-01 model is a preview: it marks almost no nested member required, so a route target
without a node or a listener without a port mapping passes its shapes. The 2019-01-25 model
describes the same structures under the same shape names and says what they need. Both versions
share one store, and a resource must read back through either, so a legacy request is also held
to the current model's twin shapes: their required members (where the legacy shape has them),
unions and list minimums. Maxima are left alone: in 2018 they are quotas (LimitExceeded), not
shape limits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.model import ListShape, NoShapeFoundError, Shape, StructureShape

from ..errors import BadRequestException
from ..protocol.models import CURRENT_VERSION, get_api
from .translate import RENAMED_MEMBERS


def _fail(path: str, problem: str) -> BadRequestException:
    return BadRequestException(f"1 validation error detected: {path} {problem}")


@cache
def _twin(name: str) -> Shape | None:
    try:
        return get_api(CURRENT_VERSION).shape(name)
    except NoShapeFoundError:
        return None


def check_legacy_input(shape: Shape | None, value: Any, path: str = "") -> None:
    """Walks an already validated legacy input against the current model's twin shapes."""
    if shape is not None:
        check = _checker(shape)
        if check is not None:
            check(value, path)


Checker = Callable[[Any, str], None]


@cache
def _checker(shape: Shape) -> Checker | None:
    """The check of one legacy shape, compiled once; None where neither the shape nor anything
    below it has a requirement to check (most of a spec), so that part is not walked at all."""
    twin = _twin(shape.name)
    if isinstance(shape, StructureShape):
        return _structure(shape, twin)
    if isinstance(shape, ListShape):
        return _list(shape, twin)
    return None


def _structure(shape: StructureShape, twin: Shape | None) -> Checker | None:
    required: list[str] = []
    union = False
    if isinstance(twin, StructureShape):
        for current_name in twin.required_members:
            name = RENAMED_MEMBERS.get((shape.name, current_name), current_name)
            if name in shape.members:
                required.append(name)
        union = bool(twin.metadata.get("union"))
    members = {
        name: found for name, member in shape.members.items()
        if (found := _checker(member)) is not None
    }
    if not (required or union or members):
        return None

    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            return
        prefix = f"{path}." if path else ""
        for name in required:
            if name not in value:
                raise _fail(f"{prefix}{name}", "is required")
        if union and len(value) != 1:
            raise _fail(path, f"must set exactly one of {sorted(shape.members)}")
        for name, item in value.items():
            member = members.get(name)
            if member is not None:
                member(item, f"{prefix}{name}")

    return check


def _list(shape: ListShape, twin: Shape | None) -> Checker | None:
    low = twin.metadata.get("min") if isinstance(twin, ListShape) else None
    member = _checker(shape.member)
    if low is None and member is None:
        return None

    def check(value: Any, path: str) -> None:
        if not isinstance(value, list):
            return
        if low is not None and len(value) < low:
            raise _fail(path, f"must have length greater than or equal to {low}")
        if member is not None:
            for index, item in enumerate(value):
                member(item, f"{path}[{index}]")

    return check
