"""The Resource Groups Tagging API as the second service of the one `Dispatcher`: requests are
recognised by their `X-Amz-Target`, read and answered in JSON 1.1, validated against the
tagging model and handled over the App Mesh store (handlers/tagging.py).

The dispatcher runs the steps every service shares (identity, faults, the lock and commit,
strict mode, the call log), so the botocore hook, the transport guard and the HTTP server all
answer it the way they answer App Mesh.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from botocore.model import OperationModel

from ..errors import (
    BadRequestException,
    InternalServiceException,
    InvalidParameterException,
    ServiceError,
)
from ..handlers.context import RequestContext
from ..handlers.table import call
from ..protocol import json_rpc
from ..protocol.apis import TAGGING_SERVICE as SERVICE_NAME
from ..protocol.serializer import HttpResponse
from ..protocol.validation import validate_input

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


class TaggingFront:
    """The Tagging API's steps (see service/fronts.py): its errors are the tagging model's, so
    a bad input is an InvalidParameterException, an unexpected failure InternalServiceException."""

    service = SERVICE_NAME
    internal_error: type[ServiceError] = InternalServiceException

    def __init__(self, api: json_rpc.JsonRpcApi) -> None:
        self.api = api
        self.version = api.version

    def route(self, headers: Mapping[str, Any]) -> OperationModel:
        """The operation `X-Amz-Target` names; InvalidParameterException if the model has none."""
        name = json_rpc.target(headers)[1]
        operation = self.api.operations.get(name)
        if operation is None:
            raise InvalidParameterException(f"the Tagging API has no operation {name!r}")
        return operation

    def parse(
        self, operation: OperationModel, path_params: dict[str, str], query: str, body: bytes
    ) -> dict[str, Any]:
        return json_rpc.parse_body(operation, body, InvalidParameterException)

    def prepare(self, operation: OperationModel, params: dict[str, Any]) -> dict[str, Any]:
        if operation.name not in ANSWERED:
            # Refused in-process: nothing leaves the process, and the client sees why.
            raise InvalidParameterException(f"appmesh-mock does not implement {operation.name}")
        try:
            validate_input(operation.input_shape, params)
        except BadRequestException as exc:
            raise InvalidParameterException(exc.message) from None
        return params

    def run(self, ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        return call(ctx, params)

    def present(self, operation: OperationModel, output: dict[str, Any]) -> dict[str, Any]:
        return output

    def answer(self, operation: OperationModel, output: dict[str, Any]) -> HttpResponse:
        return json_rpc.serialize_output(output)

    def refuse(self, error: ServiceError) -> HttpResponse:
        return json_rpc.serialize_error(error)


@cache
def front() -> TaggingFront:
    return TaggingFront(json_rpc.get_json_api(SERVICE_NAME))
