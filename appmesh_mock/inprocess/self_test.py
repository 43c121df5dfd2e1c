"""Checked when the first mock starts: the private botocore names the fast path reads are
there and behave (botocore_names), else the slower path that needs none of them, said once.

The check runs once per process, on a throw-away App Mesh client whose calls are answered by
a stand-in, for this thread only: it never reaches the network nor the mock's state.
Answering in place of the transport (botocore_client) is all or nothing: one missing piece
and no client class keeps that patch, so App Mesh calls run botocore's whole transport and
are answered by the public `before-send` hook (slower, the same answers). Each other piece
falls back on its own (`_consequences` says how).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from datetime import datetime
from typing import Any

import botocore.session
from botocore import handlers as botocore_handlers
from botocore.awsrequest import AWSRequest
from botocore.config import Config

from ..errors import AppMeshMockFallbackWarning
from ..protocol.serializer import HttpResponse
from ..service.identity import Scope
from . import botocore_client, botocore_transport, transport_guards
from . import botocore_names as names
from .botocore_transport import FAKE_CREDENTIALS

REGION = "us-east-1"
_KEY = FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]
_BODY = b'{"meshes":[{"meshName":"self-test","createdAt":1.5E9}]}'
_SLOW = (
    "App Mesh calls run botocore's whole transport and are answered by the `before-send` "
    "hook: the same answers, more slowly"
)


def _consequences() -> dict[str, str]:
    """What changes where a piece other than those of the answer in place is missing, by the
    name it is looked up by."""
    return {
        names.SEND: "a client made before appmesh_mock was imported needs patch_client() to "
        "be answered; other clients are not affected",
        names.SIGN: "a client made before the mock started, with no credentials anywhere, may "
        "fail with NoCredentialsError where botocore signs (nothing is sent)",
        names.ENDPOINT_PREFIX: "a client made before appmesh_mock was imported, with an "
        "endpoint_url of its own, needs patch_client() to be answered",
        names.BUILTIN_HANDLERS: "botocore sessions made from now on lack the `before-send` "
        "hook: with moto active, hand their App Mesh clients to patch_client()",
        names.MOTO_STUBBER: "next to moto's mock_aws, Tagging API calls about other services' "
        "resources are answered by appmesh-mock instead of moto",
    }


_fast: bool | None = None  # the verdict on answering in place, once per process
_warned: set[str] = set()


class _Refused(Exception):
    """The throw-away client's request was about to leave: the check stops it."""


def _refuse(request: Any, **_: Any) -> None:
    if not str(request.url).startswith("appmesh-mock-answered"):
        raise _Refused(request.url)


class _StandIn:
    """Answers the throw-away client, and records the scope each answer was asked with (the
    answer in place passes one; the `before-send` hook does not)."""

    active = True
    delaying = False

    def __init__(self) -> None:
        self.scopes: list[Scope | None] = []

    def answer(
        self,
        method: str,
        path: str,
        query: str,
        headers: Any,
        body: bytes,
        host: str,
        scope: Scope | None = None,
    ) -> HttpResponse:
        self.scopes.append(scope)
        headers = {"content-type": "application/json", "x-amzn-requestid": "self-test"}
        return HttpResponse(200, _BODY, headers)


def _client() -> Any:
    """A throw-away App Mesh client of boto3's default session, created if there is none yet
    (as the first `boto3.client()` would): its files are read once for this client and the
    test's own (a fresh session would read botocore's endpoint and model files again, about
    0.3 s). Its own endpoint URL, credentials and region: nothing of the session's is read."""
    import boto3

    options: dict[str, Any] = {
        "region_name": REGION,
        "endpoint_url": "http://appmesh-mock-self-test.invalid",
        "aws_access_key_id": _KEY,
        "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "config": Config(retries={"total_max_attempts": 1}),
    }
    try:
        if boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        return boto3.DEFAULT_SESSION.client("appmesh", **options)
    except Exception:  # a default session whose configuration cannot make one
        return botocore.session.Session().create_client("appmesh", **options)


def _probes(client: Any) -> list[tuple[str, Callable[[], bool]]]:
    """Each private name the answer in place reads, read on the throw-away client, in order:
    a name read through one found missing before it is not probed (not reported twice)."""
    signer: Any = getattr(client, names.REQUEST_SIGNER, None)
    emitter = _emitter_of(client)

    def finds_refuse() -> bool:
        if emitter is None:
            return True
        return _refuse in botocore_client.handlers(emitter, "before-send.app-mesh.ListMeshes")

    return [
        (f"client.{names.REQUEST_SIGNER}", lambda: signer.signature_version is not None),
        (f"RequestSigner.{names.CREDENTIALS}",
         lambda: signer is None or getattr(signer, names.CREDENTIALS).access_key == _KEY),
        (f"client.{names.ENDPOINT}.{names.PARSER_FACTORY}",
         lambda: callable(getattr(getattr(client, names.ENDPOINT), names.PARSER_FACTORY)
                          .create_parser)),
        (f"client.meta.events.{names.EMITTER}", lambda: emitter is not None),
        (f"HierarchicalEmitter.{names.LOOKUP_CACHE}/{names.HANDLERS}.{names.PREFIX_SEARCH}",
         finds_refuse),
    ]  # fmt: skip


def _emitter_of(client: Any) -> Any:
    try:
        return botocore_client.emitter_of(client)
    except AttributeError:
        return None


def _passes(probe: Callable[[], bool]) -> bool:
    try:
        return bool(probe())
    except Exception:  # a name that is missing or reads as something else
        return False


def _answered_in_place(client: Any, stand_in: _StandIn) -> bool:
    """One call of the throw-away client: answered in place, with the scope signing would
    give, and parsed by the client's own parser."""
    try:
        parsed = client.list_meshes()
    except Exception:
        return False
    stamp = parsed.get("meshes", [{}])[0].get("createdAt")
    return stand_in.scopes == [(_KEY, REGION)] and isinstance(stamp, datetime)


def _hook_answers(client: Any, hooks: tuple[Any, ...]) -> bool:
    """Whether a new session carries the `before-send` hook and it answers (public API)."""
    request = AWSRequest("GET", "https://appmesh.us-east-1.amazonaws.com/v20190125/meshes")
    try:
        answers = client.meta.events.emit("before-send.app-mesh.ListMeshes", request=request)
    except _Refused:
        return False
    return any(handler in hooks and response is not None for handler, response in answers)


def _check(hooks: tuple[Any, ...], patched: bool) -> tuple[bool, list[str]]:
    """(whether answering in place works, the pieces missing) on a throw-away client, the
    class patches in place (`patched`: also `_make_request`)."""
    missing: list[str] = []
    if not isinstance(getattr(botocore_handlers, names.BUILTIN_HANDLERS, None), list):
        missing.append(f"botocore.handlers.{names.BUILTIN_HANDLERS}")
    client = _client()
    client.meta.events.register("before-send", _refuse)
    stand_in = _StandIn()
    token = botocore_transport.STAND_IN.set(stand_in)
    try:
        broken = [piece for piece, probe in _probes(client) if not _passes(probe)]
        fast = patched and not broken and _answered_in_place(client, stand_in)
        if patched and not broken and not fast:
            broken.append(f"BaseClient.{names.MAKE_REQUEST} (a call was not answered in place)")
        if not _hook_answers(client, hooks) and not missing:
            missing.append(f"botocore.handlers.{names.BUILTIN_HANDLERS}")
        endpoint = getattr(client, names.ENDPOINT, None)  # None: reported above already
        if endpoint is not None and getattr(endpoint, names.ENDPOINT_PREFIX, None) != "appmesh":
            missing.append(f"Endpoint.{names.ENDPOINT_PREFIX}")
    finally:
        botocore_transport.STAND_IN.reset(token)
        client.close()
    return fast, [*(f"{piece}: {_SLOW}" for piece in broken), *missing]


def _moto_missing() -> list[str]:
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, names.MOTO_STUBBER, None)
    if models is None or hasattr(stubber, names.MOTO_ENABLED):
        return []
    return [f"moto.core.models.{names.MOTO_STUBBER}.{names.MOTO_ENABLED}"]


def _explained(piece: str) -> str:
    if ": " in piece:
        return piece
    consequences = _consequences()
    name = next((part for part in piece.split(".") if part in consequences), "")
    return f"{piece}: {consequences.get(name, 'see docs/interception.md')}"


def _stacklevel() -> int:
    """The level of the first caller outside appmesh_mock: the code that started the mock."""
    package = os.path.dirname(os.path.dirname(__file__))
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def _warn(pieces: list[str]) -> None:
    """Once per missing piece and process."""
    new = [piece for piece in pieces if piece not in _warned]
    if not new:
        return
    _warned.update(new)
    lines = "\n".join(f"- {_explained(piece)}" for piece in new)
    warnings.warn(
        "appmesh-mock: botocore has changed under a name the in-process path reads; App Mesh "
        f"calls are still answered in-process, nothing is sent:\n{lines}",
        AppMeshMockFallbackWarning,
        stacklevel=_stacklevel(),
    )


def start(hooks: tuple[Any, ...]) -> None:
    """Called when the first mock starts: puts the class patches in place, the answer in place
    only if the check (at the first start in the process) found that it works."""
    global _fast
    own = (*hooks, _refuse)
    pieces = transport_guards.guard_transport()
    if _fast is None:
        absent = botocore_client.guard_clients(own)
        fast, found = _check(hooks, patched=not absent)
        _fast = fast
        if not fast:
            botocore_client.unguard_clients()
        pieces += [f"{piece}: {_SLOW}" for piece in absent] + found
    elif _fast:
        pieces += [f"{piece}: {_SLOW}" for piece in botocore_client.guard_clients(own)]
    _warn(pieces + _moto_missing())


def forget() -> None:
    """Runs the check again at the next start, and warns again (for tests)."""
    global _fast
    _fast = None
    _warned.clear()
