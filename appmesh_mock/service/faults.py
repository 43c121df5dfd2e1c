"""Faults: make chosen App Mesh and Tagging API calls fail (or wait) on purpose, to test retry
and error paths.

`Dispatcher` asks `Faults.pick` once per routed, parsed call, before validation and before
any state is touched, so a failed call changes nothing. Each fault's error must be one the
model declares for the operation: its HTTP status and code then come from the model, and
clients treat it as they would the real one (botocore retries TooManyRequestsException: it is
modelled retryable/throttling, its code is in botocore's throttle list, and its status is 429).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import ALL_ERRORS, TAGGING_ERRORS, ServiceError
from ..protocol.apis import ALL_VERSIONS, api_for

_ERRORS: dict[str, type[ServiceError]] = {cls.code: cls for cls in (*ALL_ERRORS, *TAGGING_ERRORS)}


@cache
def _declaring(error: str) -> frozenset[tuple[str, str]]:
    """(API version, operation) of every operation whose model declares `error`, App Mesh's
    and the Tagging API's (their error names differ, so an error picks its service)."""
    return frozenset(
        (version, name)
        for version in ALL_VERSIONS
        for name, operation in api_for(version).operations.items()
        if any(shape.name == error for shape in operation.error_shapes)
    )


@dataclass(eq=False)
class Fault:
    """One fault. `hits` counts the calls it fired on (failed or delayed)."""

    operation: str
    error: str | None
    message: str | None
    times: int | None
    probability: float
    seed: int | None
    delay: float
    api_version: str | None
    account_id: str | None
    region: str | None
    id: int = 0
    hits: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)
    _owner: Faults | None = field(default=None, repr=False)

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def remove(self) -> None:
        """Takes the fault out; later calls no longer meet it (a no-op if already out)."""
        if self._owner is not None:
            self._owner.remove(self)

    def applies(self, operation: str, api_version: str, account: str, region: str) -> bool:
        return (
            (self.operation == "*" or self.operation == operation)
            and (self.api_version is None or self.api_version == api_version)
            and (self.account_id is None or self.account_id == account)
            and (self.region is None or self.region == region)
            and (self.error is None or (api_version, operation) in _declaring(self.error))
            and not self.spent
        )

    def failure(self, operation: str) -> ServiceError | None:
        """Waits `delay` (with its owner's `sleep`), then the error to answer with (None for a
        latency-only fault)."""
        if self.delay > 0:
            (self._owner.sleep if self._owner is not None else time.sleep)(self.delay)
        if self.error is None:
            return None
        text = self.message or f"{self.error} on {operation}: appmesh-mock fault {self.id}"
        return _ERRORS[self.error](text)


class Faults:
    """The faults of one dispatcher, in the order added: the first that fires wins. `sleep`
    waits out a fault's delay: `time.sleep` unless a test hands in its own clock."""

    def __init__(self, sleep: Callable[[float], object] = time.sleep) -> None:
        self.sleep = sleep
        self._items: list[Fault] = []
        self._lock = threading.Lock()
        self._next_id = 0

    def __bool__(self) -> bool:
        return bool(self._items)  # the per-call check: no lock, no call when there are none

    def __iter__(self) -> Any:
        return iter(list(self._items))

    @property
    def delaying(self) -> bool:
        """Whether a call may wait here (a fault with a delay is set)."""
        return any(fault.delay > 0 for fault in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(
        self,
        operation: str = "*",
        *,
        error: str | None = "TooManyRequestsException",
        message: str | None = None,
        times: int | None = None,
        probability: float = 1.0,
        seed: int | None = None,
        delay: float = 0.0,
        api_version: str | None = None,
        account_id: str | None = None,
        region: str | None = None,
    ) -> Fault:
        """Makes matching App Mesh or Tagging API calls fail with `error` (one the model
        declares for the operation, e.g. `add_fault("GetResources", error="ThrottledException")`;
        its status and code come from the model) after waiting `delay` seconds, or only wait
        (`error=None`, `delay > 0`). `times=N`: the next N matching calls, then the fault is
        spent; `probability` (with `seed`, reproducibly) fails some at random. The
        first fault added that fires wins; a failed call changes no state. The fault lasts
        until `Fault.remove()`, `clear_faults()` or the end of this activation."""
        _check(operation, error, times, probability, delay, api_version)
        fault = Fault(
            operation, error, message, times, float(probability), seed, float(delay),
            api_version, account_id, region, _random=random.Random(seed), _owner=self,
        )  # fmt: skip
        with self._lock:
            self._next_id += 1
            fault.id = self._next_id
            self._items.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        with self._lock:
            if fault in self._items:
                self._items.remove(fault)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def find(self, fault_id: int) -> Fault | None:
        return next((fault for fault in self._items if fault.id == fault_id), None)

    def pick(self, operation: str, api_version: str, account: str, region: str) -> Fault | None:
        """The fault that fires on this call, counted as a hit; None if none does. Each
        matching fault draws from its own seeded generator, in the order added."""
        with self._lock:
            for fault in self._items:
                if not fault.applies(operation, api_version, account, region):
                    continue
                if fault.probability < 1.0 and fault._random.random() >= fault.probability:
                    continue
                fault.hits += 1
                return fault
        return None


def _check(
    operation: str,
    error: str | None,
    times: int | None,
    probability: float,
    delay: float,
    api_version: str | None,
) -> None:
    """A ValueError at once for a fault that could never behave as asked."""
    if api_version is not None and api_version not in ALL_VERSIONS:
        raise ValueError(f"api_version must be one of {', '.join(ALL_VERSIONS)}")
    versions = (api_version,) if api_version else ALL_VERSIONS
    if operation != "*" and not any(operation in api_for(v).operations for v in versions):
        raise ValueError(f"{operation!r} is not an App Mesh operation nor a Tagging API one, or *")
    if error is None:
        if not delay > 0:
            raise ValueError("a fault without an error must have a delay > 0 (latency only)")
    else:
        declared = {
            (v, name) for v, name in _declaring(error) if v in versions and operation in (name, "*")
        }
        if not declared:
            where = "any operation" if operation == "*" else operation
            apis = [api_for(v) for v in versions]
            apis = [api for api in apis if operation == "*" or operation in api.operations]
            known = sorted({shape.name for api in apis for shape in api.model.error_shapes})
            raise ValueError(
                f"{error!r} is not an error the model declares for {where}; "
                f"errors: {', '.join(known)}"
            )
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise ValueError("times must be a positive integer, or None for every matching call")
    if not 0.0 <= probability <= 1.0:
        raise ValueError("probability must be between 0 and 1")
    if delay < 0:
        raise ValueError("delay must be 0 or more seconds")
