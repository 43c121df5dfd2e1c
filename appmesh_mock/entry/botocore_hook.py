"""The botocore `before-send` hook that answers App Mesh requests in-process, and the
`before-sign` hook that lets clients with no credentials sign while a mock is active."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol
from urllib.parse import urlsplit

from botocore import handlers as botocore_handlers
from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials

from ..protocol.serializer import HttpResponse

# Fake credentials so that signing works with none configured and real ones are never used.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAAPPMESHMOCKTESTS",
    "AWS_SECRET_ACCESS_KEY": "appmesh-mock-secret-access-key",
}

EVENT = "before-send.app-mesh"
UNIQUE_ID = "appmesh-mock-before-send"
SIGN_EVENT = "before-sign.app-mesh"
SIGN_UNIQUE_ID = "appmesh-mock-before-sign"


class Answerer(Protocol):
    """What the hook answers from: the process-wide runtime (see entry/runtime.py)."""

    @property
    def active(self) -> bool: ...

    def answer(
        self, method: str, path: str, query: str, headers: Any, body: bytes, host: str
    ) -> HttpResponse: ...


_target: Answerer | None = None


class _Body:
    """The raw stream AWSResponse reads its content from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):
        position = body.tell() if hasattr(body, "tell") else None
        data = body.read()
        if position is not None:
            body.seek(position)
        return data if isinstance(data, bytes) else str(data).encode()
    return bytes(body)


def before_send(request: Any, **_: Any) -> AWSResponse | None:
    """Answers while a mock is active; otherwise lets botocore send the request as usual."""
    target = _target
    if target is None or not target.active:
        return None
    url = urlsplit(request.url)
    response = target.answer(
        request.method,
        url.path,
        url.query,
        request.headers,
        _body_bytes(request.body),
        host=url.hostname or "",
    )
    return AWSResponse(request.url, response.status, response.headers, _Body(response.body))


def before_sign(request: Any, request_signer: Any = None, **_: Any) -> None:
    """A client resolves its credentials when it is made: one made before any mock started,
    with none configured anywhere, has nothing to sign with and botocore would refuse to send.
    While a mock is active such a request is signed with the fake credentials, for this request
    only (the client itself is left unchanged)."""
    if _target is None or not _target.active or request_signer is None:
        return
    if getattr(request_signer, "_credentials", None) is not None:
        return
    signing = request.context.setdefault("signing", {})
    signing.setdefault(
        "request_credentials",
        Credentials(
            FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"], FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
        ),
    )


def install(target: Answerer) -> None:
    """Every botocore session created from now on carries the hook (it is idle until a mock
    starts); boto3's default session, if it already exists, gets it too.

    Only the first call does anything: sessions made since then already carry the hook as a
    built-in, and registering it again would make each request run the dispatcher twice
    (botocore emits before-send to every handler)."""
    global _target
    _target = target
    if (EVENT, before_send) in botocore_handlers.BUILTIN_HANDLERS:
        return
    botocore_handlers.BUILTIN_HANDLERS.append((EVENT, before_send))
    botocore_handlers.BUILTIN_HANDLERS.append((SIGN_EVENT, before_sign))
    import boto3

    if boto3.DEFAULT_SESSION is not None:
        events = boto3.DEFAULT_SESSION._session.get_component("event_emitter")
        events.register(EVENT, before_send, unique_id=UNIQUE_ID)
        events.register(SIGN_EVENT, before_sign, unique_id=SIGN_UNIQUE_ID)
