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
    if shape is None:
        return
    twin = _twin(shape.name)
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        prefix = f"{path}." if path else ""
        if isinstance(twin, StructureShape):
            for current_name in twin.required_members:
                name = RENAMED_MEMBERS.get((shape.name, current_name), current_name)
                if name in shape.members and name not in value:
                    raise _fail(f"{prefix}{name}", "is required")
            if twin.metadata.get("union") and len(value) != 1:
                raise _fail(path, f"must set exactly one of {sorted(shape.members)}")
        for name, item in value.items():
            member = shape.members.get(name)
            if member is not None:
                check_legacy_input(member, item, f"{prefix}{name}")
    elif isinstance(shape, ListShape) and isinstance(value, list):
        low = twin.metadata.get("min") if isinstance(twin, ListShape) else None
        if low is not None and len(value) < low:
            raise _fail(path, f"must have length greater than or equal to {low}")
        for index, item in enumerate(value):
            check_legacy_input(shape.member, item, f"{path}[{index}]")


def check_legacy_names(spec: dict[str, Any]) -> None:
    """[I from appmesh-behaviour §9.1] The legacy ServiceName members have no length limit in
    the model, so botocore sends ""; no service has that name. Checked here, before translation,
    so that the message names the member as the caller wrote it."""
    named = [
        *(
            f"spec.serviceNames[{i}]"
            for i, n in enumerate(spec.get("serviceNames") or ())
            if n == ""
        ),
        *(f"spec.backends[{i}]" for i, n in enumerate(spec.get("backends") or ()) if n == ""),
    ]
    if ((spec.get("serviceDiscovery") or {}).get("dns") or {}).get("serviceName") == "":
        named.append("spec.serviceDiscovery.dns.serviceName")
    if named:
        raise BadRequestException(f"{named[0]} must not be empty")
