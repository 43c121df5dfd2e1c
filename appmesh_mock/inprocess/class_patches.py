"""Class attributes replaced while a mock is active, and put back when the last one stops.

`apply` is called when the first mock starts, `undo_all` when the last one stops: after it,
each attribute is again the very object it was before (or inherited again, if it was).

Another library may patch the same attribute on top of ours (pytest's `monkeypatch`, say,
wrapping `RequestSigner.sign` inside a test). Its wrapper calls ours, so taking ours out
would mean dropping theirs: `undo_all` then leaves ours where it is, idle (every guard first
asks whether a mock is active, and calls straight through when none is), and keeps the
record. While that record is kept, `apply` never wraps again: ours is still in the chain,
under theirs. Once they put ours back (monkeypatch's undo does), the next `undo_all` restores
the original. If they instead put back what was there before ours, ours has left the chain,
and the next `apply` wraps afresh.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .botocore_names import MISSING

Guard = Callable[[Any], Callable[..., Any]]  # the original attribute -> its replacement


@dataclass
class _Patch:
    before: Any  # the class's own attribute before ours, or MISSING (it was inherited)
    ours: Any


_applied: dict[tuple[type, str], _Patch] = {}


def _own(owner: type, name: str) -> Any:
    return vars(owner).get(name, MISSING)


def fits(owner: type, name: str, arity: int) -> bool:
    """Whether `owner.name` is there and takes the `arity` positional arguments (self first)
    that the guard passes it."""
    try:
        inspect.signature(getattr(owner, name)).bind(*range(arity))
    except (AttributeError, TypeError, ValueError):
        return False
    return True


def apply(owner: type, name: str, guard: Guard, arity: int) -> bool:
    """Replaces `owner.name` by `guard(owner.name)` unless ours is already in its chain.
    False (and nothing changed) if there is no such attribute taking `arity` arguments."""
    key = (owner, name)
    current = _own(owner, name)
    patch = _applied.get(key)
    if patch is not None and current is not patch.before:
        return True  # ours, or another library's wrapper around ours
    if not fits(owner, name, arity):
        return False
    ours = guard(getattr(owner, name))
    _applied[key] = _Patch(current, ours)
    setattr(owner, name, ours)
    return True


def undo(owner: type, name: str) -> bool:
    """Puts back what was there before ours; False (nothing changed) where another library's
    patch is on top of ours (see the module docstring)."""
    key = (owner, name)
    patch = _applied.get(key)
    if patch is None:
        return True
    current = _own(owner, name)
    if current is patch.ours:
        if patch.before is MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, patch.before)
    elif current is not patch.before:
        return False
    del _applied[key]
    return True


def undo_all() -> list[str]:
    """Undoes every patch; returns "Class.name" of those left in place under another's."""
    return [f"{owner.__name__}.{name}" for owner, name in list(_applied) if not undo(owner, name)]


def aio_class(module: str, name: str) -> type | None:
    """An aiobotocore class, if aiobotocore has been imported (it is never imported here)."""
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else None

