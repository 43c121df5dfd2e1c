"""One request in, one response out: route, parse, validate, handle, serialize.

Every entry point (the botocore hook, the HTTP server, `requests` interception) calls
`Dispatcher.handle`, so they all share the same rules and the same backends.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import handlers as _handlers  # noqa: F401  (registers every operation)
from .backend.store import Registry, TokenEntry
from .errors import (
    BadRequestException,
    ConflictException,
    InternalServerErrorException,
    ServiceError,
    StrictModeViolation,
)
from .handlers.context import RequestContext
from .handlers.registry import call
from .protocol.legacy_rules import check_legacy_input
from .protocol.models import CURRENT_VERSION, get_api
from .protocol.parser import parse_request
from .protocol.router import Router, default_router
from .protocol.serializer import HttpResponse, serialize_error, serialize_output
from .protocol.shapes import check_output, project_output
from .protocol.validation import validate_input

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
ACCOUNT_ENV = "APPMESH_MOCK_ACCOUNT_ID"

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/([^/]+)/")
_HOST_REGION = re.compile(r"appmesh\.([a-z0-9-]+)\.amazonaws")
_ACCOUNT = re.compile(r"\d{12}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,36}")
_ACCOUNT_ENV_KEY = os.environ.encodekey(ACCOUNT_ENV)


@dataclass
class Settings:
    account_id: str | None = None  # fixed account for every request, else derived per request
    strict: bool = False  # check every response against the output shape before sending


def _account_from_env() -> str | None:
    """os.environ.get(ACCOUNT_ENV), read on every request (a test may set it at any time).
    `os.environ.get` raises and catches a KeyError when the variable is unset, the usual case,
    which costs a microsecond per request; the mapping's own store is read directly instead
    where it is the plain dict CPython keeps."""
    store = getattr(os.environ, "_data", None)
    if not isinstance(store, dict):
        return os.environ.get(ACCOUNT_ENV)
    raw = store.get(_ACCOUNT_ENV_KEY)
    return None if raw is None else str(os.environ.decodevalue(raw))


def identify(headers: Mapping[str, Any], host: str, settings: Settings) -> tuple[str, str]:
    """(account, region) of a request: the option, the env, a 12-digit access key, a default;
    the region from the SigV4 credential scope, else the host name."""
    authorization = headers.get("Authorization") or headers.get("authorization") or ""
    if isinstance(authorization, bytes):
        authorization = authorization.decode("latin-1")
    scope = _CREDENTIAL.search(authorization)
    account = settings.account_id or _account_from_env()
    if not account:
        key = scope.group(1) if scope else ""
        account = key if _ACCOUNT.fullmatch(key) else DEFAULT_ACCOUNT_ID
    if scope:
        region = scope.group(2)
    else:
        from_host = _HOST_REGION.search(host)
        region = from_host.group(1) if from_host else DEFAULT_REGION
    return account, region


def _fingerprint(operation: str, params: dict[str, Any]) -> str:
    body = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha1(f"{operation}\n{body}".encode()).hexdigest()


class Dispatcher:
    def __init__(self, registry: Registry, settings: Settings | None = None) -> None:
        self.registry = registry
        self.settings = settings or Settings()
        self._router: Router | None = None

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
    ) -> HttpResponse:
        try:
            match = self.router.match(method, path)
        except UnicodeDecodeError:
            error = BadRequestException("the path is not valid percent-encoded UTF-8")
            return serialize_error(get_api(CURRENT_VERSION), error)
        if match is None:
            error = BadRequestException(f"no App Mesh operation answers {method} {path}")
            return serialize_error(get_api(CURRENT_VERSION), error)
        api = match.api
        api_op = api.operations[match.operation]
        account, region = identify(headers, host, self.settings)
        try:
            params = parse_request(api_op, match.path_params, query, body)
            validate_input(api_op.input_shape, params)
            if api.is_legacy:
                check_legacy_input(api_op.input_shape, params)
            with self.registry.lock:
                ctx = RequestContext(
                    api, match.operation, account, region, self.registry, self.registry.clock()
                )
                output = self._run(ctx, params)
        except ServiceError as exc:
            return serialize_error(api, exc)
        except StrictModeViolation:
            raise
        except Exception as exc:
            if self.settings.strict:
                raise
            failure = InternalServerErrorException(f"appmesh-mock failed: {exc!r}")
            return serialize_error(api, failure)
        if api.is_legacy:
            output = project_output(output, api_op.output_shape)
        if self.settings.strict:
            check_output(output, api_op.output_shape)
        return serialize_output(api_op, output)

    def _run(self, ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        """Runs the handler; a repeated clientToken replays or conflicts (model-marked members)."""
        token_member = _token_member(ctx)
        token = params.pop(token_member, None) if token_member else None
        if token is None:
            return call(ctx, params)
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
        output = call(ctx, params)
        # Handlers never change their input in place (they store it or copy it), so the
        # fingerprint computed later, on a replay, is the one of this request.
        tokens[token] = TokenEntry(ctx.operation, "", output, params)
        return output


def _token_member(ctx: RequestContext) -> str | None:
    return _token_member_of(ctx.api.version, ctx.operation)


@cache
def _token_member_of(version: str, operation: str) -> str | None:
    shape = get_api(version).operations[operation].input_shape
    if shape is None:
        return None
    for name, member in shape.members.items():
        if member.metadata.get("idempotencyToken"):
            return str(name)
    return None
