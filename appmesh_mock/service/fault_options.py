"""The options of a fault, read once from `Faults.add`'s signature: the Python API
(`MockAppMesh.add_fault`), the server's `POST /_appmesh_mock/faults` members and the
`appmesh-mock fault add` flags all come from this one list, so none can drift from another.
"""

from __future__ import annotations

import inspect
import types
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args, get_type_hints

from .faults import Fault, Faults

_HELP = {
    "error": "an error the operation declares; none (with a delay) only waits",
    "message": "the error message (default: names the fault)",
    "times": "fail the next N matching calls only",
    "probability": "the share of matching calls that fail, 0 to 1",
    "seed": "makes the probability reproducible",
    "delay": "seconds to wait before answering",
    "api_version": "only calls of this API version",
    "account_id": "only calls of this account",
    "region": "only calls in this region",
}


@dataclass(frozen=True)
class FaultOption:
    keyword: str  # add_fault's keyword argument
    member: str  # the JSON member (camelCase, as App Mesh spells its members)
    kind: type  # str, int or float; None is allowed where the default is None
    default: Any
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.keyword.replace("_", "-")


def _camel(keyword: str) -> str:
    head, *rest = keyword.split("_")
    return head + "".join(word.title() for word in rest)


def _base(hint: Any) -> type:
    if isinstance(hint, types.UnionType):
        return next(arg for arg in get_args(hint) if arg is not type(None))  # type: ignore[no-any-return]
    return hint  # type: ignore[no-any-return]


@cache
def fault_options() -> tuple[FaultOption, ...]:
    """Every keyword-only option of `Faults.add`, in its order."""
    hints = get_type_hints(Faults.add)
    return tuple(
        FaultOption(name, _camel(name), _base(hints[name]), parameter.default, _HELP[name])
        for name, parameter in inspect.signature(Faults.add).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    )


def from_members(document: dict[str, Any]) -> dict[str, Any]:
    """`Faults.add` keywords from a fault's JSON members; ValueError names an unknown one."""
    by_member = {option.member: option.keyword for option in fault_options()}
    by_member["operation"] = "operation"
    unknown = sorted(set(document) - set(by_member))
    if unknown:
        raise ValueError(f"unknown fault members {unknown}; known: {', '.join(by_member)}")
    return {by_member[member]: value for member, value in document.items()}


def to_members(fault: Fault) -> dict[str, Any]:
    """A fault as the server lists it: its id, operation, options and hits."""
    options = {option.member: getattr(fault, option.keyword) for option in fault_options()}
    return {"id": fault.id, "operation": fault.operation, **options, "hits": fault.hits}
