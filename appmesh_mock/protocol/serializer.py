"""Writes handler output and service errors in rest-json form."""

from __future__ import annotations

import itertools
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from botocore.model import OperationModel

from ..errors import ServiceError
from .models import Api

# One encoder, made once: compact separators and UTF-8 text, as the service writes.
_stdlib_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; this keeps a broken install up
    orjson = None  # type: ignore[assignment]


def _encode(document: Any) -> bytes:
    """Compact UTF-8 JSON. orjson writes the bytes the standard encoder writes for what
    handlers return (strings, 64-bit integers, shortest round-trip floats), many times
    faster (benchmarks/README.md); what orjson refuses (integers past 64 bits, lone
    surrogates) goes through the standard encoder."""
    if orjson is not None:
        try:
            return orjson.dumps(document)
        except (TypeError, orjson.JSONEncodeError):
            pass
    return _stdlib_dumps(document).encode()


@dataclass
class HttpResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    operation: str = ""  # the operation answered, for the server's log line (no second match)


class _RequestIds:
    """Request ids in UUID4 form, unique per response: a random prefix drawn once per process
    and a counter, since a fresh uuid4() per response costs a system call."""

    def __init__(self) -> None:
        seed = uuid.uuid4()
        self._prefix = str(seed)[:24]  # 8-4-4-4- with the version and variant bits
        self._counter = itertools.count(seed.int & 0xFFFFFFFFFFFF)

    def next(self) -> str:
        # next() on itertools.count is atomic under the GIL, so threads never share an id.
        return f"{self._prefix}{next(self._counter) & 0xFFFFFFFFFFFF:012x}"


_request_ids = _RequestIds()


def request_id() -> str:
    """A fresh request id (the JSON-protocol serializer uses the same sequence)."""
    return _request_ids.next()


def _headers(request_id: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "x-amzn-RequestId": request_id}


def serialize_output(operation: OperationModel, output: dict[str, Any]) -> HttpResponse:
    """A payload member is the whole body (bare resource object); otherwise the dict is."""
    shape = operation.output_shape
    payload = shape.serialization.get("payload") if shape is not None else None
    document = output.get(payload) if payload else output
    body = _encode(document) if document is not None else b"{}"
    return HttpResponse(200, body, _headers(_request_ids.next()))


def serialize_error(api: Api, error: ServiceError) -> HttpResponse:
    request_id = _request_ids.next()
    headers = _headers(request_id)
    headers["x-amzn-ErrorType"] = error.code
    body = _encode({"message": error.message})
    return HttpResponse(error.status or api.error_status(error.code), body, headers)
