"""In-process answers in the form botocore and aiobotocore both read, and the transport guard
that answers App Mesh requests of clients which never got the `before-send` hook.

aiobotocore runs the same hooks as botocore but awaits `response.content` (and the signer
awaits `credentials.get_frozen_credentials()`), so the objects handed back here are plain
botocore ones whose values can also be awaited: one answer serves sync and async clients.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import sys
from collections.abc import Awaitable, Callable, Generator
from contextvars import ContextVar
from functools import partial
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials, ReadOnlyCredentials
from botocore.endpoint import Endpoint
from botocore.signers import RequestSigner

from ..protocol.serializer import HttpResponse
from ..service.identity import Scope

T = TypeVar("T")

# Fake credentials so that signing works with none configured and real ones are never used.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAAPPMESHMOCKTESTS",
    "AWS_SECRET_ACCESS_KEY": "appmesh-mock-secret-access-key",
}


class Answerer(Protocol):
    """What in-process answers come from: the process-wide runtime (see entry/runtime.py)."""

    @property
    def active(self) -> bool: ...

    @property
    def delaying(self) -> bool: ...

    def answer(
        self,
        method: str,
        path: str,
        query: str,
        headers: Any,
        body: bytes,
        host: str,
        scope: Scope | None = None,
    ) -> HttpResponse: ...


_target: Answerer | None = None


def target() -> Answerer | None:
    return _target


def active() -> bool:
    return _target is not None and _target.active


# The services this mock answers: App Mesh and the Resource Groups Tagging API (which tags
# App Mesh resources too), by endpoint prefix and by hyphenized service id.
SERVED_PREFIXES = frozenset({"appmesh", "tagging"})
SERVED_SERVICE_IDS = frozenset({"app-mesh", "resource-groups-tagging-api"})


def _ready(value: T) -> Generator[Any, None, T]:
    return value
    yield  # a generator that finishes at once: `await` gives the value back


class AwaitableBytes(bytes):
    """bytes that `await` also accepts (aiobotocore awaits `response.content`)."""

    def __await__(self) -> Generator[Any, None, bytes]:
        return _ready(bytes(self))


class AwaitableText(str):
    """str that `await` also accepts (aiobotocore awaits `response.text`)."""

    def __await__(self) -> Generator[Any, None, str]:
        return _ready(str(self))


class _Raw:
    """The raw stream: botocore streams it, aiobotocore reads it (and before 2.21 takes the
    headers from it, as aiohttp's `raw_headers`)."""

    def __init__(self, data: bytes, headers: Any) -> None:
        self._data, self._headers = data, headers

    @property
    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        return [(k.encode(), v.encode()) for k, v in self._headers.items()]

    def stream(self, **_: Any) -> Generator[bytes, None, None]:
        yield self._data

    def read(self, *_: Any) -> AwaitableBytes:
        return AwaitableBytes(self._data)


class InProcessResponse(AWSResponse):  # type: ignore[misc]
    """An AWSResponse whose `content` and `text` work with and without `await`."""

    def __init__(self, url: str, status: int, headers: Any, body: bytes) -> None:
        super().__init__(url, status, headers, _Raw(body, headers))
        self._content = AwaitableBytes(body)

    @property
    def text(self) -> AwaitableText:
        return AwaitableText(bytes(self._content).decode("utf-8"))


class _FrozenCredentials(ReadOnlyCredentials):  # type: ignore[misc]
    def __await__(self) -> Generator[Any, None, ReadOnlyCredentials]:
        return _ready(ReadOnlyCredentials(*self))


class FakeCredentials(Credentials):  # type: ignore[misc]
    """The fake credentials, frozen with or without `await` (aiobotocore's signer awaits)."""

    def __init__(self) -> None:
        super().__init__(
            FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"], FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
        )

    def get_frozen_credentials(self) -> _FrozenCredentials:
        return _FrozenCredentials(self.access_key, self.secret_key, self.token)


def body_bytes(body: Any) -> bytes:
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


# An answer computed before botocore's transport ran (see botocore_client): the transport's
# first attempt is served it instead of running the same call again.
PENDING: ContextVar[HttpResponse | None] = ContextVar("appmesh_mock_pending", default=None)


# Set for the length of an aiobotocore call (by botocore_client's async guard).
IN_ASYNC_CALL: ContextVar[bool] = ContextVar("appmesh_mock_in_async_call", default=False)


def off_the_loop() -> bool:
    """Whether a dispatch should run on a worker thread: inside an async call while a latency
    fault is set, so that its wait does not stop the event loop (other tasks, and timeouts
    such as `asyncio.wait_for`, go on as they would while AWS is slow)."""
    return IN_ASYNC_CALL.get() and _target is not None and _target.delaying


def answer_soon(request: Any) -> InProcessResponse | Awaitable[InProcessResponse]:
    """`answer`, or an awaitable of it run on a worker thread (see `off_the_loop`); an answer
    already made (PENDING) is served at once, from this context."""
    if PENDING.get() is None and off_the_loop():
        return asyncio.to_thread(answer, request)
    return answer(request)


def answer(request: Any) -> InProcessResponse:
    """One botocore request answered by the shared dispatcher, whatever its endpoint URL."""
    response = PENDING.get()
    if response is not None:
        PENDING.set(None)
    elif _target is None:
        raise RuntimeError("appmesh-mock: no runtime to answer from")
    else:
        url = urlsplit(request.url)
        response = _target.answer(
            request.method,
            url.path,
            url.query,
            request.headers,
            body_bytes(request.body),
            host=url.hostname or "",
        )
    return InProcessResponse(request.url, response.status, response.headers, response.body)


def _serves(endpoint: Any) -> bool:
    return active() and getattr(endpoint, "_endpoint_prefix", None) in SERVED_PREFIXES


_GUARDED = "_appmesh_mock_guarded"


def _guard_send(endpoint_class: Any, is_async: bool) -> Callable[..., Any]:
    original = endpoint_class._send

    def send(self: Any, request: Any) -> Any:
        if _serves(self):
            return answer(request)
        return original(self, request)

    async def send_async(self: Any, request: Any) -> Any:
        if _serves(self):
            response = answer_soon(request)
            return await response if inspect.isawaitable(response) else response
        return await original(self, request)

    return send_async if is_async else send


def _needs_credentials(signer: Any) -> bool:
    if not active() or getattr(signer, "_credentials", None) is not None:
        return False
    service_id = getattr(signer, "_service_id", None)
    return service_id is not None and service_id.hyphenize() in SERVED_SERVICE_IDS


def _lender(signer: Any) -> Any:
    """`signer`, or where it has no credentials a copy of it that holds the fake ones. A copy
    for one request rather than `context["signing"]["request_credentials"]`, which signers
    read only from botocore 1.34.70 on: every signer reads its own `_credentials`."""
    if not _needs_credentials(signer):
        return signer
    lender = copy.copy(signer)
    lender._credentials = FakeCredentials()
    return lender


def _guard_sign(signer_class: Any, is_async: bool) -> Callable[..., Any]:
    """A client resolves its credentials when it is made: one made before any mock started,
    with none configured anywhere, has nothing to sign with and botocore would refuse to send.
    While a mock is active its App Mesh requests are signed with the fake credentials, for
    that request only (the client itself and its signer are left unchanged)."""
    original = signer_class.sign

    def sign(self: Any, operation_name: str, request: Any, *args: Any, **kwargs: Any) -> Any:
        return original(_lender(self), operation_name, request, *args, **kwargs)

    async def sign_async(
        self: Any, operation_name: str, request: Any, *args: Any, **kwargs: Any
    ) -> Any:
        return await original(_lender(self), operation_name, request, *args, **kwargs)

    return sign_async if is_async else sign


def patch_once(owner: Any, method: str, guard: Callable[[Any], Callable[..., Any]]) -> None:
    """Replaces `owner.method` by `guard(owner)` unless already guarded (or no owner)."""
    if owner is not None and not getattr(getattr(owner, method), _GUARDED, False):
        guarded = guard(owner)
        setattr(guarded, _GUARDED, True)
        setattr(owner, method, guarded)


def guard_transport(target: Answerer) -> None:
    """The last steps before a request leaves, patched on the classes so that every client is
    covered, whenever and from whichever session it was made (also those whose event emitter
    lacks the hook: made before `appmesh_mock` was imported, from a session that existed
    already). While a mock is active, every botocore (and, once imported, aiobotocore)
    endpoint of App Mesh or the Tagging API answers in-process instead of sending, and its
    signer lends fake credentials to a client that has none. Idempotent; idle while no mock
    is on."""
    global _target
    _target = target
    patch_once(Endpoint, "_send", partial(_guard_send, is_async=False))
    patch_once(RequestSigner, "sign", partial(_guard_sign, is_async=False))
    aio_endpoint = getattr(sys.modules.get("aiobotocore.endpoint"), "AioEndpoint", None)
    patch_once(aio_endpoint, "_send", partial(_guard_send, is_async=True))
    aio_signer = getattr(sys.modules.get("aiobotocore.signers"), "AioRequestSigner", None)
    patch_once(aio_signer, "sign", partial(_guard_sign, is_async=True))
