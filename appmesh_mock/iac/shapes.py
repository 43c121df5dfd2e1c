"""A configuration file's resource tree onto the API's Create* input, guided by botocore's
model (the one source of member names): CloudFormation's PascalCase, Terraform's snake_case
and the controller's camelCase all match a member once case and underscores are ignored
(`DNS`->`dns`, `AWSCloudMap`->`awsCloudMap`, `port_mapping`->`portMapping`), or its plural
(Terraform's repeated blocks: `weighted_target`->`weightedTargets`, `listener`->`listeners`).

What a `Style` says about its format: whether a one-element list stands for a structure
(Terraform blocks), whether unset values ("" / 0 / []) stand for absent members (Terraform
state: the provider sends none of them), and what to do with a member the API lacks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from ..protocol.models import CURRENT_VERSION, get_api
from ..service.state_input import StateError

# (path to the unknown member, its value) -> a replacement value, or None to leave it out
Unknown = Callable[[str, str, Any, StructureShape], "tuple[str, Any] | None"]


@dataclass(frozen=True)
class Style:
    blocks: bool = False  # a structure may come as a list of one (Terraform's blocks)
    unset_is_absent: bool = False  # "" / 0 / [] / {} mean "not set" (Terraform state)
    on_unknown: Unknown | None = None  # None: an unknown member is an error


def create_input(kind_title: str) -> StructureShape:
    shape = get_api(CURRENT_VERSION).operations[f"Create{kind_title}"].input_shape
    assert isinstance(shape, StructureShape)
    return shape


def _key(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


@cache
def _members(shape: StructureShape) -> dict[str, str]:
    """Normalised spelling -> member name, plurals of list members included."""
    found: dict[str, str] = {}
    for name, member in shape.members.items():
        found[_key(name)] = name
        if isinstance(member, ListShape) and name.endswith("s"):
            found.setdefault(_key(name[:-1]), name)
    return found


def member_name(shape: StructureShape, name: str) -> str | None:
    return _members(shape).get(_key(name))


def convert(value: Any, shape: Shape, path: str, style: Style) -> Any:
    """`value` in the API's spelling of `shape`; `path` names it in errors."""
    if isinstance(shape, StructureShape):
        if style.blocks and isinstance(value, list):
            if len(value) != 1:
                raise StateError(f"{path}: one block expected, found {len(value)}")
            value = value[0]
        if not isinstance(value, Mapping):
            raise StateError(f"{path}: expected an object, found {value!r}")
        return _structure(value, shape, path, style)
    if isinstance(shape, ListShape):
        if isinstance(value, Mapping) and isinstance(shape.member, StructureShape):
            pairs = _pair_members(shape.member)
            if pairs:  # a map for a list of {key, value} (tags, Cloud Map attributes)
                return [{pairs[0]: k, pairs[1]: v} for k, v in value.items()]
        if not isinstance(value, list):
            raise StateError(f"{path}: expected a list, found {value!r}")
        return [convert(v, shape.member, f"{path}[{i}]", style) for i, v in enumerate(value)]
    if isinstance(shape, MapShape):
        return value
    return _scalar(value, shape, path)


def _scalar(value: Any, shape: Shape, path: str) -> Any:
    """CloudFormation and YAML hand numbers and booleans over as text and names as
    numbers; the API's type decides, as CloudFormation's own coercion does."""
    kind = shape.type_name
    if kind in ("integer", "long") and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise StateError(f"{path}: {value!r} is not a whole number") from None
    if kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if kind == "string" and type(value) in (int, float):
        return str(value)
    if isinstance(value, Mapping | list):
        raise StateError(f"{path}: expected a {kind}, found {value!r}")
    return value


def _pair_members(shape: StructureShape) -> tuple[str, str] | None:
    names = set(shape.members)
    return ("key", "value") if names == {"key", "value"} else None


def _unset(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _structure(value: Mapping[str, Any], shape: StructureShape, path: str,
               style: Style) -> dict[str, Any]:
    out: dict[str, Any] = {}
    required = set(shape.required_members)
    for key, item in value.items():
        where = f"{path}.{key}" if path else str(key)
        if item is None:
            continue
        name = member_name(shape, str(key))
        if name is None:
            if style.on_unknown is None:
                known = ", ".join(shape.members)
                raise StateError(f"{where}: not a member of {shape.name} ({known})")
            replaced = style.on_unknown(where, str(key), item, shape)
            if replaced is None:
                continue
            name, item = replaced
        zero = type(item) in (int, float) and item == 0
        if style.unset_is_absent and (_unset(item) or (zero and name not in required)):
            continue
        out[name] = convert(item, shape.members[name], where, style)
    return out
