"""The AWS JSON 1.1 protocol (`X-Amz-Target` routing, a JSON object in and out), read from a
botocore model: what the Resource Groups Tagging API speaks.

App Mesh itself is rest-json (router, parser, serializer beside this module); validation and
the strict output check are shared, since they work on shapes, whatever the protocol.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel

from ..errors import ServiceError
from .serializer import HttpResponse, request_id

CONTENT_TYPE = "application/x-amz-json-1.1"
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


@dataclass(frozen=True)
class JsonRpcApi:
    """One JSON-protocol service: its model and its operations by name."""

    service_name: str
    model: ServiceModel
    target_prefix: str
    operations: dict[str, OperationModel] = field(repr=False)

    @property
    def version(self) -> str:
        return str(self.model.api_version)


@cache
def get_json_api(service_name: str) -> JsonRpcApi:
    raw = Loader().load_service_model(service_name, "service-2")
    model = ServiceModel(raw, service_name=service_name)
    operations = {name: model.operation_model(name) for name in model.operation_names}
    return JsonRpcApi(service_name, model, str(model.metadata["targetPrefix"]), operations)


def header(headers: Mapping[str, Any], name: str) -> str:
    """A header by case-insensitive name, for plain dicts as well as header maps."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), "")
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def target(headers: Mapping[str, Any]) -> tuple[str, str]:
    """(target prefix, operation) from `X-Amz-Target: Prefix.Operation`, or ("", "")."""
    prefix, _, operation = header(headers, "X-Amz-Target").strip().rpartition(".")
    return prefix, operation


def parse_body(operation: OperationModel, body: bytes, error: type[ServiceError]) -> dict[str, Any]:
    """The input members: the body is the input structure itself (an empty body, no members).
    Type and range checks are left to validation."""
    if not body.strip():
        return {}
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise error("the request body is not valid JSON") from None
    if not isinstance(document, dict):
        raise error("the request body must be a JSON object")
    members = operation.input_shape.members if operation.input_shape is not None else {}
    unknown = sorted(set(document) - set(members))
    if unknown:
        raise error(f"{', '.join(unknown)} is not a member of {operation.name}'s input")
    return document


def _headers() -> dict[str, str]:
    return {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": request_id()}


def serialize_output(output: dict[str, Any]) -> HttpResponse:
    return HttpResponse(200, _dumps(output).encode(), _headers())


def serialize_error(error: ServiceError) -> HttpResponse:
    """`__type` names the error shape, as JSON-1.1 services write it; its member is `Message`."""
    headers = _headers()
    headers["x-amzn-ErrorType"] = error.code
    body = _dumps({"__type": error.code, "Message": error.message}).encode()
    return HttpResponse(error.status or 400, body, headers)
