"""In-process answers in the form botocore and aiobotocore both read (the guards on the
transport's classes that hand requests over to them are in `transport_guards`).

aiobotocore runs the same hooks as botocore but awaits `response.content` (and the signer
awaits `credentials.get_frozen_credentials()`), so the objects handed back here are plain
botocore ones whose values can also be awaited: one answer serves sync and async clients.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Generator
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials, ReadOnlyCredentials

from ..protocol.serializer import HttpResponse
from ..service.identity import Scope

T = TypeVar("T")

# Fake credentials so that signing works with none configured and real ones are never used.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAAPPMESHMOCKTESTS",
    "AWS_SECRET_ACCESS_KEY": "appmesh-mock-secret-access-key",
}


class Answerer(Protocol):
    """What in-process answers come from: the process-wide runtime (`session.Runtime`)."""

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
# Set by the self-test, for its own thread only: what its throw-away client is answered from.
STAND_IN: ContextVar[Answerer | None] = ContextVar("appmesh_mock_stand_in", default=None)


def set_target(answerer: Answerer) -> None:
    global _target
    _target = answerer


def target() -> Answerer | None:
    stand_in = STAND_IN.get()
    return _target if stand_in is None else stand_in


def active() -> bool:
    answerer = target()
    return answerer is not None and answerer.active


# The services this mock answers: App Mesh and the Resource Groups Tagging API (which tags
# App Mesh resources too), by endpoint prefix (which is also their signing name).
SERVED_PREFIXES = frozenset({"appmesh", "tagging"})


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
    """An AWSResponse whose `content` and `text` work with and without `await` (both are
    given here: nothing depends on where AWSResponse keeps what it has read)."""

    def __init__(self, url: str, status: int, headers: Any, body: bytes) -> None:
        super().__init__(url, status, headers, _Raw(body, headers))
        self._body = AwaitableBytes(body)

    @property
    def content(self) -> AwaitableBytes:
        return self._body

    @property
    def text(self) -> AwaitableText:
        return AwaitableText(bytes(self._body).decode("utf-8"))


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
    answerer = target()
    return IN_ASYNC_CALL.get() and answerer is not None and answerer.delaying


def answer_soon(request: Any) -> InProcessResponse | Awaitable[InProcessResponse]:
    """`answer`, or an awaitable of it run on a worker thread (see `off_the_loop`); an answer
    already made (PENDING) is served at once, from this context."""
    if PENDING.get() is None and off_the_loop():
        return asyncio.to_thread(answer, request)
    return answer(request)


def answer(request: Any) -> InProcessResponse:
    """One botocore request answered by the shared dispatcher, whatever its endpoint URL."""
    response = PENDING.get()
    answerer = target()
    if response is not None:
        PENDING.set(None)
    elif answerer is None:
        raise RuntimeError("appmesh-mock: no runtime to answer from")
    else:
        url = urlsplit(request.url)
        response = answerer.answer(
            request.method,
            url.path,
            url.query,
            request.headers,
            body_bytes(request.body),
            host=url.hostname or "",
        )
    return InProcessResponse(request.url, response.status, response.headers, response.body)
