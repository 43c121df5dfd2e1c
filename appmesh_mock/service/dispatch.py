"""One request in, one response out: route, parse, validate, translate, handle, present,
serialize.

Every entry point (the botocore hook, the HTTP server, `requests` interception) calls
`Dispatcher.handle`, so they all share the same rules and the same store.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from .. import handlers as _handlers  # noqa: F401  (registers every operation)
from .. import versions
from ..backend.quotas import merge_quotas
from ..backend.store import Store
from ..errors import (
    BadRequestException,
    InternalServerErrorException,
    ServiceError,
    StrictModeViolation,
)
from ..handlers.context import RequestContext
from ..handlers.table import call
from ..protocol.models import CURRENT_VERSION, get_api
from ..protocol.parser import parse_request
from ..protocol.router import Match, Router, default_router
from ..protocol.serializer import HttpResponse, serialize_error, serialize_output
from ..protocol.shapes import check_output
from ..protocol.validation import validate_input
from . import tagging
from .calls import Call, CallLog
from .faults import Fault, Faults
from .idempotency import run_once
from .identity import Scope, identify
from .settings import Settings


class Dispatcher:
    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self._router: Router | None = None
        self.faults = Faults()  # see service/faults.py: consulted once per call
        self.calls = CallLog()  # every App Mesh call answered, in order
        self.configure(settings or Settings())

    def configure(self, settings: Settings) -> None:
        """Applies `settings` from the next request on (quotas merged, strict decided once)."""
        self.settings = settings
        self.quotas = merge_quotas(settings.quotas)
        self.strict = settings.resolved_strict()
        self.faults.sleep = settings.sleep or time.sleep

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
            return tagging.handle(
                self.store, self.settings.account_id, self.quotas, self.strict, headers, body,
                host,
            )
        try:
            match = self.router.match(method, path)
        except UnicodeDecodeError:
            error = BadRequestException("the path is not valid percent-encoded UTF-8")
            return serialize_error(get_api(CURRENT_VERSION), error)
        if match is None:
            error = BadRequestException(f"no App Mesh operation answers {method} {path}")
            return serialize_error(get_api(CURRENT_VERSION), error)
        response = self._answer(match, headers, host, query, body, scope)
        response.operation = match.operation
        return response

    def _answer(
        self,
        match: Match,
        headers: Mapping[str, Any],
        host: str,
        query: str,
        body: bytes,
        scope: Scope | None,
    ) -> HttpResponse:
        api = match.api
        api_op = api.operations[match.operation]
        account, region = identify(headers, host, self.settings.account_id, scope)
        params: dict[str, Any] = {}
        fault: Fault | None = None
        try:
            params = parse_request(api_op, match.path_params, query, body)
            if self.faults:
                # Before validation (a throttle answers whatever was sent) and before any state
                # is touched (a failed call changes nothing).
                fault = self.faults.pick(match.operation, api.version, account, region)
                failure = fault.failure(match.operation) if fault is not None else None
                if failure is not None:
                    raise failure
            validate_input(api_op.input_shape, params)
            current = versions.to_current(api, api_op, params)
            with self.store.lock:
                ctx = RequestContext(
                    match.operation, account, region, self.store, self.store.now(), self.quotas
                )
                try:
                    output = run_once(ctx, api.version, current, call)
                finally:
                    self.store.commit()  # durable (with a journal) before the answer is sent
        except ServiceError as exc:
            response = serialize_error(api, exc)
            self._record(match, account, region, params, response, exc.code, fault)
            return response
        except StrictModeViolation:
            raise
        except Exception as exc:
            if self.strict:
                raise
            failure = InternalServerErrorException(f"appmesh-mock failed: {exc!r}")
            response = serialize_error(api, failure)
            self._record(match, account, region, params, response, failure.code, fault)
            return response
        output = versions.present(api, api_op, output)
        if self.strict:
            check_output(output, api_op.output_shape)
        response = serialize_output(api_op, output)
        self._record(match, account, region, params, response, None, fault)
        return response

    def _record(
        self,
        match: Match,
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
            Call(match.operation, match.api.version, account, region, params, response.status,
                 error, body, fault)
        )  # fmt: skip
