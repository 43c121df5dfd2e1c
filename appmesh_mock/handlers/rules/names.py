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
    """`/` cannot travel in a URI label, and control characters have no place in a name."""
    if not name or "/" in name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise bad(
            f"{kind_title} name {name!r} must not be empty or contain '/' or control characters"
        )


def check_not_empty(value: Any, path: str) -> None:
    """[I from appmesh-behaviour §9.1] `ServiceName` and `Hostname` have no length limits in the
    model, so botocore sends "" even with validation on; no service or host has that name."""
    if value == "":
        raise bad(f"{path} must not be empty")


def exactly_one(spec: Spec, kinds: tuple[str, ...], what: str) -> str:
    """[M RouteSpec, GatewayRouteSpec "Specify one route type"; K8S] - not a union in the model
    because `priority` sits beside the route types."""
    present = [kind for kind in kinds if kind in spec]
    if len(present) != 1:
        raise bad(f"{what} spec must set exactly one of {', '.join(kinds)}")
    return present[0]


def one_of(obj: Obj, members: tuple[str, ...], path: str) -> None:
    """For the few structures that mean "one of these" without the model marking a union
    [K8S: path exact|regex, hostname exact|suffix]."""
    if sum(member in obj for member in members) != 1:
        raise bad(f"{path} must set exactly one of {', '.join(members)}")


def any_of(obj: Obj, members: tuple[str, ...], path: str) -> None:
    if not any(member in obj for member in members):
        raise bad(f"{path} must set at least one of {', '.join(members)}")


def not_both(obj: Obj, first: str, second: str, path: str) -> None:
    if first in obj and second in obj:
        raise bad(f"{path} must not set both {first} and {second}")


def existing(mesh: MeshState, kind: Kind, name: str) -> Resource | None:
    """Looks a resource up without creating an empty collection on the way."""
    return mesh.children(kind).get(name) if mesh.has_children(kind) else None
