"""The server's own endpoints under `/_appmesh_mock/`: the request type, the table type, and
the core endpoints (reset, state, export, health).

Each endpoint gets the dispatcher it serves and the request, and returns an HttpResponse. Each
module with endpoints keeps its own `ENDPOINTS` table; `server/endpoints.py` joins them.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..backend import persistence
from ..errors import BadRequestException
from ..protocol.http_checks import error_response
from ..protocol.serializer import HttpResponse
from ..service import export as state_export
from ..service.dispatch import Dispatcher


@dataclass(frozen=True)
class ControlRequest:
    method: str
    name: str  # the path after the prefix, without a trailing slash: "reset", "ui/mesh"...
    query: str
    headers: Mapping[str, str]
    body: bytes


Endpoint = Callable[[Dispatcher, ControlRequest], HttpResponse]


class EndpointTable(dict[tuple[str, str], Endpoint]):
    """(method, name) -> endpoint, filled by the `route` decorator of the module that owns it."""

    def route(self, method: str, name: str) -> Callable[[Endpoint], Endpoint]:
        def register(handler: Endpoint) -> Endpoint:
            self[(method, name)] = handler
            return handler

        return register


ENDPOINTS = EndpointTable()


def json_response(document: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(document, separators=(",", ":")).encode()
    return HttpResponse(status, body, {"Content-Type": "application/json"})


def query_value(request: ControlRequest, name: str) -> str | None:
    """The last value of `name` in the query string, if given."""
    values = urllib.parse.parse_qs(request.query, keep_blank_values=True).get(name)
    return values[-1] if values else None


_YES, _NO = ("1", "true", "yes", ""), ("0", "false", "no")  # a bare `?state_only` is yes


@ENDPOINTS.route("POST", "reset")
def _reset(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    """Clears every account and region, the faults and the call log; `?state_only=1` keeps
    the faults and calls. The settings, quotas included, stay."""
    value = query_value(request, "state_only")
    flag = value.strip().lower() if value is not None else "0"
    if flag not in _YES + _NO:
        message = f"state_only is 1 or 0 (true or false), not {value!r}"
        return error_response(BadRequestException(message))
    state_only = flag in _YES
    dispatcher.reset(state_only=state_only)  # committed to the state file, if there is one
    return json_response({"reset": True})  # as before state_only: the caller knows which


@ENDPOINTS.route("GET", "state")
def _state(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    # Copied under the lock, serialized outside it: other clients wait only for the copy.
    body = persistence.dump_bytes(dispatcher.store)
    return HttpResponse(200, body, {"Content-Type": "application/json"})


@ENDPOINTS.route("GET", "export")
def _export(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    """The API-shaped state document (docs/state.md), as `MockAppMesh.export()` returns it."""
    return json_response(state_export.export(dispatcher.store))


@ENDPOINTS.route("GET", "health")
def _health(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    return json_response({"status": "ok"})
