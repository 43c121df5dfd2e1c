"""The call log: every App Mesh call a dispatcher answered, in order.

Recording is one small object and one list append per call: `params` and `response` are the
very dicts the call parsed and answered (nothing is copied or serialized until someone asks
for JSON), so treat them as read-only.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from .faults import Fault


@dataclass(slots=True)  # not frozen: a frozen dataclass costs ~1.5 µs more to make
class Call:
    operation: str  # the model's operation name, e.g. "CreateRoute"
    api_version: str
    account_id: str
    region: str
    params: dict[str, Any]  # the parsed input, model member names, as the caller's version has it
    status: int  # the HTTP status answered
    error: str | None  # the error code, or None
    response: dict[str, Any] | None  # the output (caller's version), or None on an error
    fault: Fault | None  # the fault that fired on this call, or None

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "apiVersion": self.api_version,
            "accountId": self.account_id,
            "region": self.region,
            "params": self.params,
            "status": self.status,
            "error": self.error,
            "response": self.response,
            "fault": self.fault.id if self.fault is not None else None,
        }


class CallLog(Sequence[Call]):
    """A read-only sequence of `Call`s plus `clear()` and `of(...)`.

    `limit` keeps only the latest calls (the long-running server uses it); in-process mocks
    keep every call of the activation.
    """

    def __init__(self, limit: int | None = None) -> None:
        self._calls: deque[Call] = deque(maxlen=limit)
        self._lock = threading.Lock()
        # The per-call path: deque.append itself (atomic, so no lock, and no Python frame).
        self.record: Callable[[Call], None] = self._calls.append

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    def of(self, *operations: str) -> list[Call]:
        """The calls of these operations, in order: `m.calls.of("CreateRoute")`."""
        wanted = set(operations)
        return [call for call in self._snapshot() if call.operation in wanted]

    def _snapshot(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    @property
    def operations(self) -> list[str]:
        """Each call's operation name, in order (handy in assertions)."""
        return [call.operation for call in self._snapshot()]

    def __len__(self) -> int:
        return len(self._calls)

    @overload
    def __getitem__(self, index: int) -> Call: ...
    @overload
    def __getitem__(self, index: slice) -> list[Call]: ...
    def __getitem__(self, index: int | slice) -> Call | list[Call]:
        return self._snapshot()[index]

    def __iter__(self) -> Iterator[Call]:
        return iter(self._snapshot())

    def __repr__(self) -> str:
        return f"CallLog({self.operations!r})"
