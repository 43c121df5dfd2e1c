"""One request in, one response out: route, parse, validate, translate, handle, present,
serialize.

Every entry point (the botocore hook, the HTTP server, `requests` interception) calls
`Dispatcher.handle`, so they all share the same rules and the same store. It answers two
services: App Mesh (rest-json, routed by method and path) and the Resource Groups Tagging API
(JSON 1.1, `POST /` routed by `X-Amz-Target`); what differs between them is a `Front`
(service/fronts.py), and identity, faults, the lock and commit, strict mode and the call log
are the same for both.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from botocore.model import OperationModel

from .. import handlers as _handlers  # noqa: F401  (registers every operation)
from ..backend.quotas import merge_quotas
from ..backend.store import Store
from ..errors import BadRequestException, ServiceError, StrictModeViolation
from ..handlers.context import RequestContext
from ..protocol.models import CURRENT_VERSION, get_api
from ..protocol.router import Router, default_router
from ..protocol.serializer import HttpResponse, serialize_error
from ..protocol.shapes import check_output
from . import fronts, tagging
from .calls import Call, CallLog
from .faults import Fault, Faults
from .fronts import Front
from .identity import Scope, identify
from .settings import Settings


class Dispatcher:
    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self._router: Router | None = None
        self.faults = Faults()  # see service/faults.py: consulted once per call
        self.calls = CallLog()  # the latest calls answered (both services), in order
        self.configure(settings or Settings())

    def configure(self, settings: Settings) -> None:
        """Applies `settings` from the next request on (quotas merged, strict decided once)."""
        self.settings = settings
        self.quotas = merge_quotas(settings.quotas)
        self.strict = settings.resolved_strict()
        self.faults.sleep = settings.sleep or time.sleep

    def reset(self, *, state_only: bool = False) -> None:
        """Empties every account and region and, unless `state_only`, removes the faults and
        clears the call log: the one reset of `m.reset()` and the server's reset endpoint."""
        self.store.reset()
        if not state_only:
            self.faults.clear()
            self.calls.clear()

    @property
    def router(self) -> Router:
        """Built on the first request rather than at import: by then boto3 has usually loaded
        the model for its client, and `get_api` reuses that load (see protocol/models.py)."""
        found = self._router
        if found is None:
            found = self._router = default_router()  # two threads racing build equal routers
        return found

    def handle(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, Any],
        body: bytes,
        host: str = "",
        scope: Scope | None = None,
    ) -> HttpResponse:
        """The answer; its `operation` names the operation routed to ("" if none was).
        `scope` is the credential scope of a request answered before it was signed."""
        if path in ("", "/") and tagging.is_tagging_request(method, path, headers):
            tagging_front = tagging.front()
            try:
                operation = tagging_front.route(headers)
            except ServiceError as exc:
                return tagging_front.refuse(exc)  # not routed: not logged, as an unknown path
            front: Front = tagging_front
            path_params: dict[str, str] = {}
        else:
            try:
                match = self.router.match(method, path)
            except UnicodeDecodeError:
                error = BadRequestException("the path is not valid percent-encoded UTF-8")
                return serialize_error(get_api(CURRENT_VERSION), error)
            if match is None:
                error = BadRequestException(f"no App Mesh operation answers {method} {path}")
                return serialize_error(get_api(CURRENT_VERSION), error)
            front = fronts.app_mesh(match.api.version)
            operation = match.api.operations[match.operation]
            path_params = match.path_params
        response = self._answer(front, operation, path_params, headers, host, query, body, scope)
        response.operation = operation.name
        return response

    def _answer(
        self,
        front: Front,
        operation: OperationModel,
        path_params: dict[str, str],
        headers: Mapping[str, Any],
        host: str,
        query: str,
        body: bytes,
        scope: Scope | None,
    ) -> HttpResponse:
        """The steps every service shares, in order, around the steps its `front` supplies."""
        name = operation.name
        account, region = identify(headers, host, self.settings.account_id, scope)
        params: dict[str, Any] = {}
        fault: Fault | None = None
        try:
            params = front.parse(operation, path_params, query, body)
            if self.faults:
                # Before validation (a throttle answers whatever was sent) and before any state
                # is touched (a failed call changes nothing).
                fault = self.faults.pick(name, front.version, account, region)
                failure = fault.failure(name) if fault is not None else None
                if failure is not None:
                    raise failure
            current = front.prepare(operation, params)
            with self.store.lock:
                ctx = RequestContext(
                    name, account, region, self.store, self.store.now(), self.quotas,
                    _appmesh_status,
                )  # fmt: skip
                try:
                    output = front.run(ctx, current)
                finally:
                    self.store.commit()  # durable (with a journal) before the answer is sent
        except ServiceError as exc:
            response = front.refuse(exc)
            self._record(front, name, account, region, params, response, exc.code, fault)
            return response
        except StrictModeViolation:
            raise
        except Exception as exc:
            if self.strict:
                raise
            failure = front.internal_error(f"appmesh-mock failed: {exc!r}")
            response = front.refuse(failure)
            self._record(front, name, account, region, params, response, failure.code, fault)
            return response
        output = front.present(operation, output)
        if self.strict:
            check_output(output, operation.output_shape)
        response = front.answer(operation, output)
        self._record(front, name, account, region, params, response, None, fault)
        return response

    def _record(
        self,
        front: Front,
        operation: str,
        account: str,
        region: str,
        params: dict[str, Any],
        response: HttpResponse,
        error: str | None,
        fault: Fault | None,
    ) -> None:
        """One entry of the call log; an answered call keeps its body (decoded when read)."""
        # A copy of its own size: orjson's bytes keep the whole buffer it wrote into, which
        # the log would otherwise hold for every call of the activation.
        body = bytes(memoryview(response.body)) if error is None else None
        self.calls.record(
            Call(operation, front.version, account, region, params, response.status, error,
                 body, fault, front.service)
        )  # fmt: skip


def _appmesh_status(code: str) -> int:
    """The HTTP status of an App Mesh error (the Tagging API reports it per failed resource)."""
    return get_api(CURRENT_VERSION).error_status(code)
