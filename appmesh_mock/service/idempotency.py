"""clientToken idempotency: a repeated token replays its answer or conflicts.

Generic over operations: the token member is the one the model marks `idempotencyToken`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from ..backend.tokens import TokenEntry, answered_arn
from ..errors import BadRequestException, ConflictException
from ..handlers.context import RequestContext
from ..protocol.models import get_api

_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,36}")

Run = Callable[[RequestContext, dict[str, Any]], dict[str, Any]]


def _fingerprint(operation: str, params: dict[str, Any]) -> str:
    body = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha1(f"{operation}\n{body}".encode()).hexdigest()


@cache
def token_member(version: str, operation: str) -> str | None:
    shape = get_api(version).operations[operation].input_shape
    if shape is None:
        return None
    for name, member in shape.members.items():
        if member.metadata.get("idempotencyToken"):
            return str(name)
    return None


def run_once(
    ctx: RequestContext, api_version: str, params: dict[str, Any], run: Run
) -> dict[str, Any]:
    """`run(ctx, params)`, unless the request's clientToken was seen: then the first answer
    (same operation and input) or a ConflictException (anything else)."""
    member = token_member(api_version, ctx.operation)
    token = params.get(member) if member else None
    if token is None:
        return run(ctx, params)
    # The call log keeps the parsed input as sent: take the token off a copy.
    params = {key: value for key, value in params.items() if key != member}
    if not _TOKEN.fullmatch(token):
        raise BadRequestException(
            "clientToken must be up to 36 letters, numbers, hyphens and underscores"
        )
    tokens = ctx.backend.tokens
    seen = tokens.get(token)
    if seen is not None:
        if not seen.fingerprint:
            seen.fingerprint = _fingerprint(seen.operation, seen.params or {})
        if seen.operation == ctx.operation and seen.fingerprint == _fingerprint(
            ctx.operation, params
        ):
            return seen.output
        raise ConflictException(
            f"clientToken {token} was already used for a different {seen.operation} request"
        )
    output = run(ctx, params)
    # Handlers never change their input in place (they store it or copy it), so the
    # fingerprint computed later, on a replay, is the one of this request.
    entry = TokenEntry(ctx.operation, "", output, params, answered_arn(output), ctx.now)
    ctx.store.remember_token(ctx.backend, token, entry)
    return output
