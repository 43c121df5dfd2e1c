"""The steps that differ between the services one `Dispatcher` answers: how a request's input
is read, validated and made current, how the handler runs, and how the answer is written.

Everything else (identity, faults, the store's lock and commit, strict mode, the call log) is
the dispatcher's, the same for every service. App Mesh's front is here; the Resource Groups
Tagging API's is `tagging.TaggingFront`.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

from botocore.model import OperationModel

from .. import versions
from ..errors import InternalServerErrorException, ServiceError
from ..handlers.context import RequestContext
from ..handlers.table import call
from ..protocol.models import SERVICE_NAME, Api, get_api
from ..protocol.parser import parse_request
from ..protocol.serializer import HttpResponse, serialize_error, serialize_output
from ..protocol.validation import validate_input
from .idempotency import run_once


class Front(Protocol):
    """One API version of one service, as the dispatcher drives it."""

    service: str  # the botocore service name, e.g. "appmesh"
    version: str  # the API version, e.g. "2019-01-25"
    internal_error: type[ServiceError]  # what an unexpected failure is answered as

    def parse(
        self, operation: OperationModel, path_params: dict[str, str], query: str, body: bytes
    ) -> dict[str, Any]:
        """The input members as sent (what the call log keeps)."""

    def prepare(self, operation: OperationModel, params: dict[str, Any]) -> dict[str, Any]:
        """The input validated and in the form handlers take; a ServiceError if it is bad."""

    def run(self, ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        """The handler's output, under the store's lock."""

    def present(self, operation: OperationModel, output: dict[str, Any]) -> dict[str, Any]:
        """The output as this version shows it (what strict mode checks)."""

    def answer(self, operation: OperationModel, output: dict[str, Any]) -> HttpResponse: ...

    def refuse(self, error: ServiceError) -> HttpResponse: ...


class AppMeshFront:
    """App Mesh in rest-json: a legacy request is checked and translated to the current form,
    a repeated clientToken replays (service/idempotency.py)."""

    service = SERVICE_NAME
    internal_error: type[ServiceError] = InternalServerErrorException

    def __init__(self, api: Api) -> None:
        self.api = api
        self.version = api.version

    def parse(
        self, operation: OperationModel, path_params: dict[str, str], query: str, body: bytes
    ) -> dict[str, Any]:
        return parse_request(operation, path_params, query, body)

    def prepare(self, operation: OperationModel, params: dict[str, Any]) -> dict[str, Any]:
        validate_input(operation.input_shape, params)
        return versions.to_current(self.api, operation, params)

    def run(self, ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        return run_once(ctx, self.version, params, call)

    def present(self, operation: OperationModel, output: dict[str, Any]) -> dict[str, Any]:
        return versions.present(self.api, operation, output)

    def answer(self, operation: OperationModel, output: dict[str, Any]) -> HttpResponse:
        return serialize_output(operation, output)

    def refuse(self, error: ServiceError) -> HttpResponse:
        return serialize_error(self.api, error)


@cache
def app_mesh(version: str) -> AppMeshFront:
    return AppMeshFront(get_api(version))
