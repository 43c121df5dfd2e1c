"""Writes handler output and service errors in rest-json form."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.model import OperationModel

from ..errors import ServiceError
from .models import Api

_standard_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _fast_dumps() -> Callable[[Any], str]:
    """The standard encoder's output from its C core built once: `JSONEncoder.encode` builds
    that core anew on every call. Falls back to the standard encoder where the core is missing
    or does not give the same text."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _standard_dumps
    try:
        core = make(
            None, _not_json, json.encoder.encode_basestring, None, ":", ",", False, False, True
        )
    except TypeError:
        return _standard_dumps

    def dumps(value: Any) -> str:
        return "".join(core(value, 0))

    probe = {"a": [1, 2.5, 1700000000.123, True, None, "é\"x"], "b": {}}
    return dumps if dumps(probe) == _standard_dumps(probe) else _standard_dumps


_dumps = _fast_dumps()


@dataclass
class HttpResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class _RequestIds:
    """Request ids in UUID4 form, unique per response: a random prefix drawn once per process
    and a counter, since a fresh uuid4() per response costs a system call and a few µs."""

    def __init__(self) -> None:
        seed = uuid.uuid4()
        self._prefix = str(seed)[:24]  # 8-4-4-4- with the version and variant bits
        self._counter = itertools.count(seed.int & 0xFFFFFFFFFFFF)

    def next(self) -> str:
        # next() on itertools.count is atomic under the GIL, so threads never share an id.
        return f"{self._prefix}{next(self._counter) & 0xFFFFFFFFFFFF:012x}"


_request_ids = _RequestIds()


def _headers(request_id: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "x-amzn-RequestId": request_id}


def serialize_output(operation: OperationModel, output: dict[str, Any]) -> HttpResponse:
    """A payload member is the whole body (bare resource object); otherwise the dict is."""
    shape = operation.output_shape
    payload = shape.serialization.get("payload") if shape is not None else None
    document = output.get(payload) if payload else output
    body = _dumps(document).encode() if document is not None else b"{}"
    return HttpResponse(200, body, _headers(_request_ids.next()))


def serialize_error(api: Api, error: ServiceError) -> HttpResponse:
    request_id = _request_ids.next()
    headers = _headers(request_id)
    headers["x-amzn-ErrorType"] = error.code
    body = _dumps({"message": error.message}).encode()
    return HttpResponse(api.error_status(error.code), body, headers)
