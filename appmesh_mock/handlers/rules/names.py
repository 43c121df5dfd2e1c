"""Names, and the small checks every rule is built from."""

from __future__ import annotations

from typing import Any

from ...backend.kinds import Kind
from ...backend.resources import MeshState, Resource, Spec
from ...errors import BadRequestException

Obj = dict[str, Any]


def bad(message: str) -> BadRequestException:
    return BadRequestException(message)


def check_name(kind_title: str, name: str) -> None:
    """[O RM#101: a meshName holding `/` got a 400 from the service] A name is a URI label of
    every later call, so one that cannot be one (`/`, or empty: a virtual service name has no
    length minimum in the model) is refused. Control characters travel percent-encoded, and
    nothing says the service refuses them: accepted."""
    if not name or "/" in name:
        raise bad(f"{kind_title} name {name!r} must not be empty or contain '/'")


def exactly_one(spec: Spec, kinds: tuple[str, ...], what: str) -> str:
    """[M RouteSpec "Specify one route type", GatewayRouteSpec "Specify one gateway route
    type"] - not a union in the model because `priority` sits beside the route types."""
    present = [kind for kind in kinds if kind in spec]
    if len(present) != 1:
        raise bad(f"{what} spec must set exactly one of {', '.join(kinds)}")
    return present[0]


def any_of(obj: Obj, members: tuple[str, ...], path: str) -> None:
    if not any(member in obj for member in members):
        raise bad(f"{path} must set at least one of {', '.join(members)}")


def existing(mesh: MeshState, kind: Kind, name: str) -> Resource | None:
    """Looks a resource up without creating an empty collection on the way."""
    return mesh.children(kind).get(name) if mesh.has_children(kind) else None
