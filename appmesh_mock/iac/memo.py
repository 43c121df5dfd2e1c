"""Values worked out once each, by name, where one value may refer to others (CloudFormation
logical ids, Terraform variables, locals and resources): a reference back to a value still
being worked out is a cycle, refused by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..service.state_input import StateError

T = TypeVar("T")


class Memo:
    def __init__(self, where: str = "") -> None:
        self.where = where  # the file, for the cycle's error
        self.values: dict[str, Any] = {}
        self._open: list[str] = []

    def once(self, key: str, compute: Callable[[], T]) -> T:
        if key in self.values:
            found: T = self.values[key]
            return found
        if key in self._open:
            cycle = " -> ".join([*self._open[self._open.index(key):], key])
            raise StateError(f"{self.where}: circular reference: {cycle}" if self.where
                             else f"circular reference: {cycle}")  # fmt: skip
        self._open.append(key)
        try:
            value = compute()
        finally:
            self._open.pop()
        self.values[key] = value
        return value
