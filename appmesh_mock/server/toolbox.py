"""The test-double endpoints: faults, the call log and state loading (docs/testing-failure.md,
docs/state.md). Joined with the others in endpoints.py.

    POST   /_appmesh_mock/faults   {"operation": "CreateRoute", "error": ..., "times": 2, ...}
    GET    /_appmesh_mock/faults   every fault with its hits
    DELETE /_appmesh_mock/faults   all of them, or one with ?id=N
    GET    /_appmesh_mock/calls    the latest calls answered, oldest first (?operation=NAME
                                   filters), and how many older ones were dropped
    DELETE /_appmesh_mock/calls    forgets them
    POST   /_appmesh_mock/load     a state document or a list of Describe* outputs
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import BadRequestException, NotFoundException
from ..iac import loading as iac_loading
from ..protocol.http_checks import error_response
from ..protocol.serializer import HttpResponse
from ..service import fault_options
from ..service import load as state_load
from ..service.dispatch import Dispatcher
from .control import ControlRequest, EndpointTable, json_response, query_value


def _body(request: ControlRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError as exc:
        raise BadRequestException(f"the body is not JSON: {exc}") from None


def _bad(message: str) -> HttpResponse:
    return error_response(BadRequestException(message))


ENDPOINTS = EndpointTable()


@ENDPOINTS.route("POST", "faults")
def _add_fault(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    try:
        body = _body(request)
    except BadRequestException as exc:
        return error_response(exc)
    if not isinstance(body, dict):
        return _bad("a fault is a JSON object: {\"operation\": ..., \"error\": ..., ...}")
    try:
        fault = dispatcher.faults.add(**fault_options.from_members(body))
    except (TypeError, ValueError) as exc:
        return _bad(str(exc))
    return json_response(fault_options.to_members(fault))


@ENDPOINTS.route("GET", "faults")
def _list_faults(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    faults = [fault_options.to_members(fault) for fault in dispatcher.faults]
    return json_response({"faults": faults})


@ENDPOINTS.route("DELETE", "faults")
def _clear_faults(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    wanted = query_value(request, "id")
    if wanted is None:
        dispatcher.faults.clear()
        return json_response({"cleared": True})
    fault = dispatcher.faults.find(int(wanted)) if wanted.isdigit() else None
    if fault is None:
        return error_response(NotFoundException(f"no fault has the id {wanted!r}"))
    fault.remove()
    return json_response({"removed": fault.id})


@ENDPOINTS.route("GET", "calls")
def _calls(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    operation = query_value(request, "operation")
    calls = dispatcher.calls.of(operation) if operation else list(dispatcher.calls)
    body = {"calls": [call.to_json() for call in calls], "dropped": dispatcher.calls.dropped}
    return json_response(body)


@ENDPOINTS.route("DELETE", "calls")
def _clear_calls(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    dispatcher.calls.clear()
    return json_response({"cleared": True})


@ENDPOINTS.route("POST", "load")
def _load(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    """Adds a state document (or a list of Describe* outputs) to the state, all or nothing."""
    try:
        body = _body(request)
    except BadRequestException as exc:
        return error_response(exc)
    if not isinstance(body, dict | list):
        return _bad('load takes a state document {"resources": [...]} or a list of them')
    try:
        if isinstance(body, dict) and "documents" in body:
            report = _load_documents(dispatcher, body)
            return json_response({"loaded": int(report), "notLoaded": list(report.not_loaded)})
        loaded = state_load.load(dispatcher.store, body, dispatcher.quotas)
    except ValueError as exc:
        return _bad(str(exc))
    return json_response({"loaded": loaded})


def _load_documents(dispatcher: Dispatcher, body: dict[str, Any]) -> iac_loading.LoadReport:
    """Configuration files `appmesh-mock load` read: {"documents": [[where, document,
    format], ...], "format", "parameters"}."""
    documents = body["documents"]
    if not isinstance(documents, list) or not all(
        isinstance(d, list) and len(d) == 3 and isinstance(d[0], str) and isinstance(d[2], str)
        for d in documents
    ):
        raise ValueError("documents must be a list of [where, document, format]")
    return iac_loading.load_documents(
        dispatcher.store, [(d[0], d[1], d[2]) for d in documents], dispatcher.quotas,
        format=body.get("format"), parameters=body.get("parameters"),
        account_id=dispatcher.settings.account_id,
    )
