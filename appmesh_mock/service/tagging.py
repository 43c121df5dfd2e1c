"""One Resource Groups Tagging API request: route by `X-Amz-Target`, parse, validate against
the tagging model, handle over the App Mesh store, serialize in JSON 1.1.

The Dispatcher sends here every request whose target names the Tagging API, so the botocore
hook, the transport guard and the HTTP server all answer it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..backend.store import Store
from ..errors import (
    BadRequestException,
    InternalServiceException,
    InvalidParameterException,
    ServiceError,
    StrictModeViolation,
)
from ..handlers.context import RequestContext
from ..handlers.table import call
from ..protocol import json_rpc
from ..protocol.models import CURRENT_VERSION, get_api
from ..protocol.serializer import HttpResponse
from ..protocol.shapes import check_output
from ..protocol.validation import validate_input
from .identity import identify

SERVICE_NAME = "resourcegroupstaggingapi"
TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126"
ANSWERED = frozenset(
    {"GetResources", "TagResources", "UntagResources", "GetTagKeys", "GetTagValues"}
)


def is_tagging_request(method: str, path: str, headers: Mapping[str, Any]) -> bool:
    """A JSON-1.1 call to the Tagging API: POST / with its target prefix (App Mesh, rest-json,
    has no operation at POST /, so its requests never get here)."""
    if method != "POST" or path not in ("", "/"):
        return False
    return json_rpc.target(headers)[0] == TARGET_PREFIX


def concerns_app_mesh_only(headers: Mapping[str, Any], body: bytes) -> bool:
    """Whether a Tagging API call is about App Mesh resources alone: a GetResources whose
    type filters are all App Mesh types, or whose ARN list holds App Mesh ARNs only, and a
    TagResources / UntagResources of App Mesh ARNs only. Next to moto, only these are answered
    here (docs/moto.md); anything unreadable is left to whoever answers the rest."""
    operation = json_rpc.target(headers)[1]
    api = json_rpc.get_json_api(SERVICE_NAME)
    if operation not in ("GetResources", "TagResources", "UntagResources"):
        return False
    try:
        params = json_rpc.parse_body(api.operations[operation], body, InvalidParameterException)
    except ServiceError:
        return False
    arns = params.get("ResourceARNList")
    if isinstance(arns, list) and arns:
        return all(isinstance(a, str) and a.split(":")[2:3] == ["appmesh"] for a in arns)
    types = params.get("ResourceTypeFilters")
    if operation == "GetResources" and isinstance(types, list) and types:
        return all(isinstance(t, str) and t.split(":")[0] == "appmesh" for t in types)
    return False


def handle(
    store: Store,
    account_id: str | None,
    quotas: Mapping[str, int],
    strict: bool,
    headers: Mapping[str, Any],
    body: bytes,
    host: str,
) -> HttpResponse:
    api = json_rpc.get_json_api(SERVICE_NAME)
    name = json_rpc.target(headers)[1]
    operation = api.operations.get(name)
    try:
        if operation is None:
            raise InvalidParameterException(f"the Tagging API has no operation {name!r}")
        if name not in ANSWERED:
            # Refused in-process: nothing leaves the process, and the client sees why.
            raise InvalidParameterException(f"appmesh-mock does not implement {name}")
        params = json_rpc.parse_body(operation, body, InvalidParameterException)
        try:
            validate_input(operation.input_shape, params)
        except BadRequestException as exc:
            raise InvalidParameterException(exc.message) from None
        account, region = identify(headers, host, account_id)
        with store.lock:
            ctx = RequestContext(name, account, region, store, store.now(), quotas, _appmesh_status)
            try:
                output = call(ctx, params)
            finally:
                store.commit()  # durable (with a journal) before the answer is sent
    except ServiceError as exc:
        return json_rpc.serialize_error(exc)
    except StrictModeViolation:
        raise
    except Exception as exc:
        if strict:
            raise
        return json_rpc.serialize_error(InternalServiceException(f"appmesh-mock failed: {exc!r}"))
    if strict:
        check_output(output, operation.output_shape)
    return json_rpc.serialize_output(output)


def _appmesh_status(code: str) -> int:
    return get_api(CURRENT_VERSION).error_status(code)
