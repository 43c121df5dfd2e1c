"""The call log: the latest calls a dispatcher answered (App Mesh and Tagging API), in order.

Recording is one small object and one append per call: `params` is the very dict the call
parsed (treat it as read-only) and the answer is kept as the bytes already sent, decoded
only when a test reads `response`. The log keeps the latest `limit` calls (a suite that makes
millions would otherwise hold every one) and counts those it let go.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any, overload

from ..protocol.apis import operation_model
from .faults import Fault

DEFAULT_LIMIT = 10_000  # calls kept, in-process and by the server: a few MiB at most


class Call:
    """One answered call. `response` is decoded from the answered body on first access: a
    bytes object is all a call keeps of its answer, since the cyclic garbage collector would
    otherwise walk every kept output dict on every collection."""

    __slots__ = (
        "_body", "_response", "account_id", "api_version", "error", "fault", "operation",
        "params", "region", "service", "status",
    )  # fmt: skip

    def __init__(
        self,
        operation: str,
        api_version: str,
        account_id: str,
        region: str,
        params: dict[str, Any],
        status: int,
        error: str | None,
        body: bytes | None,
        fault: Fault | None,
        service: str = "appmesh",
    ) -> None:
        self.operation = operation  # the model's operation name, e.g. "CreateRoute"
        self.api_version = api_version
        self.account_id = account_id
        self.region = region
        self.params = params  # the parsed input, model member names, in the caller's version
        self.status = status  # the HTTP status answered
        self.error = error  # the error code, or None
        self.fault = fault  # the fault that fired on this call, or None
        self.service = service  # "appmesh" or "resourcegroupstaggingapi" (botocore's names)
        self._body = body  # the answered JSON body (None for an error)
        self._response: dict[str, Any] | None = None

    @property
    def response(self) -> dict[str, Any] | None:
        """The output dict in the caller's version (None on an error)."""
        if self._response is None and self._body is not None:
            document = json.loads(self._body)
            shape = operation_model(self.api_version, self.operation).output_shape
            payload = shape.serialization.get("payload") if shape is not None else None
            self._response = {payload: document} if payload else document
        return self._response

    def __repr__(self) -> str:
        return f"Call({self.operation} {self.status} {self.error or ''})".replace(" )", ")")

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
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
    """A read-only sequence of the latest `Call`s plus `clear()`, `of(...)` and `dropped`.

    `limit` is how many calls it keeps (None: every one); past it the oldest go, and
    `dropped` counts them.
    """

    def __init__(self, limit: int | None = DEFAULT_LIMIT) -> None:
        self._calls: deque[Call] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._dropped = 0

    def record(self, call: Call) -> None:
        calls = self._calls
        with self._lock:  # the count and the append together, whichever thread answered
            if len(calls) == calls.maxlen:
                self._dropped += 1
            calls.append(call)

    @property
    def limit(self) -> int | None:
        """How many calls the log keeps (None: every one)."""
        return self._calls.maxlen

    @property
    def dropped(self) -> int:
        """How many older calls the limit has pushed out since the log began or was cleared."""
        return self._dropped

    def clear(self) -> None:
        """Forgets every call, and the count of dropped ones."""
        with self._lock:
            self._calls.clear()
            self._dropped = 0

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
        dropped = f", dropped={self._dropped}" if self._dropped else ""
        return f"CallLog({self.operations!r}{dropped})"
