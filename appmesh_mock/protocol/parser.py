"""Reads a rest-json request into the operation's input dict, as the model lays it out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qs

from botocore.model import OperationModel, StructureShape

from ..errors import BadRequestException
from .wellformed import check_value, needs_check


def _query_value(name: str, type_name: str, values: list[str]) -> Any:
    if type_name == "list":
        return values
    raw = values[-1]
    if type_name in ("integer", "long"):
        try:
            return int(raw)
        except ValueError:
            raise BadRequestException(f"query parameter {name} must be an integer") from None
    if type_name == "boolean":
        return raw.lower() == "true"
    return raw


@dataclass(frozen=True)
class _Plan:
    """Where each input member travels, read from the model once per operation."""

    # (member, wire name, None for a URI label or the member's type for a query parameter),
    # in the model's member order
    outside_body: tuple[tuple[str, str, str | None], ...]
    body: dict[str, str]  # wire name -> member


@cache
def _plan(operation: OperationModel) -> _Plan | None:
    shape = operation.input_shape
    plan = None
    if isinstance(shape, StructureShape):
        outside: list[tuple[str, str, str | None]] = []
        body: dict[str, str] = {}
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if location == "uri":
                outside.append((name, wire_name, None))
            elif location == "querystring":
                outside.append((name, wire_name, member.type_name))
            elif location is None:
                body[wire_name] = name
        plan = _Plan(tuple(outside), body)
    return plan


def parse_request(
    operation: OperationModel, path_params: dict[str, str], query: str, body: bytes
) -> dict[str, Any]:
    """Builds the input params; type and range checks are left to validation."""
    plan = _plan(operation)
    if plan is None:
        return {}
    params: dict[str, Any] = {}
    body_members = plan.body
    try:
        query_values = parse_qs(query, keep_blank_values=True, errors="strict") if query else {}
    except UnicodeDecodeError:
        raise BadRequestException("the query string is not valid percent-encoded UTF-8") from None
    for name, wire_name, type_name in plan.outside_body:
        if type_name is None:
            if wire_name in path_params:
                params[name] = path_params[wire_name]
        elif wire_name in query_values:
            params[name] = _query_value(wire_name, type_name, query_values[wire_name])
    if body_members and body.strip():
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise BadRequestException("the request body is not valid JSON") from None
        except RecursionError:
            raise BadRequestException("the request body is nested too deeply") from None
        if not isinstance(document, dict):
            raise BadRequestException("the request body must be a JSON object")
        surrogates, deep = needs_check(body)
        if surrogates or deep:
            check_value(document, strings=surrogates)
        for wire_name, value in document.items():
            member = body_members.get(wire_name)
            if member is None:
                raise BadRequestException(f"{wire_name} is not a member the API knows")
            params[member] = value
    return params
