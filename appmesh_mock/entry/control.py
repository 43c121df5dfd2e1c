"""The server's own endpoints under `/_appmesh_mock/`, as a table that features add to.

Each endpoint gets the dispatcher it serves and the request, and returns an HttpResponse.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..backend import persistence
from ..errors import BadRequestException
from ..protocol.serializer import HttpResponse
from ..service import export as state_export
from ..service.dispatch import Dispatcher
from .http_checks import error_response

PREFIX = "/_appmesh_mock/"


@dataclass(frozen=True)
class ControlRequest:
    method: str
    name: str  # the path after the prefix, without a trailing slash: "reset", "ui/mesh"...
    query: str
    headers: Mapping[str, str]
    body: bytes


Endpoint = Callable[[Dispatcher, ControlRequest], HttpResponse]
ENDPOINTS: dict[tuple[str, str], Endpoint] = {}


def endpoint(method: str, name: str) -> Callable[[Endpoint], Endpoint]:
    def register(handler: Endpoint) -> Endpoint:
        ENDPOINTS[(method, name)] = handler
        return handler

    return register


def json_response(document: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(document, separators=(",", ":")).encode()
    return HttpResponse(status, body, {"Content-Type": "application/json"})


def answer(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    handler = ENDPOINTS.get((request.method, request.name))
    if handler is None:
        known = ", ".join(f"{method} {name}" for method, name in sorted(ENDPOINTS))
        error = BadRequestException(
            f"no appmesh-mock endpoint answers {request.method} {PREFIX}{request.name}; try {known}"
        )
        return error_response(error)
    return handler(dispatcher, request)


@endpoint("POST", "reset")
def _reset(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    """Clears every account and region (the settings, quotas included, stay)."""
    dispatcher.store.reset()  # committed to the state file, if there is one
    return json_response({"reset": True})


@endpoint("GET", "state")
def _state(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    # Copied under the lock, serialized outside it: other clients wait only for the copy.
    body = persistence.dump_bytes(dispatcher.store)
    return HttpResponse(200, body, {"Content-Type": "application/json"})


@endpoint("GET", "export")
def _export(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    """The API-shaped state document (docs/state.md), as `MockAppMesh.export()` returns it."""
    return json_response(state_export.export(dispatcher.store))


@endpoint("GET", "health")
def _health(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    return json_response({"status": "ok"})


# Features with endpoints of their own register them when imported.
from . import control_toolbox, dashboard  # noqa: E402, F401
