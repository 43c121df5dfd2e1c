"""Every endpoint under `/_appmesh_mock/`, joined from the modules that own them."""

from __future__ import annotations

from ..errors import BadRequestException
from ..protocol.http_checks import error_response
from ..protocol.serializer import HttpResponse
from ..service.dispatch import Dispatcher
from . import CONTROL_PREFIX, control, dashboard, proxies, toolbox
from .control import ControlRequest, Endpoint

ENDPOINTS: dict[tuple[str, str], Endpoint] = {
    **control.ENDPOINTS,
    **toolbox.ENDPOINTS,
    **dashboard.ENDPOINTS,
    **proxies.ENDPOINTS,
}


def answer(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    handler = ENDPOINTS.get((request.method, request.name))
    if handler is None:
        known = ", ".join(f"{method} {name}" for method, name in sorted(ENDPOINTS))
        asked = f"{request.method} {CONTROL_PREFIX}{request.name}"
        error = BadRequestException(f"no appmesh-mock endpoint answers {asked}; try {known}")
        return error_response(error)
    return handler(dispatcher, request)
