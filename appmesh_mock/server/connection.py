"""One HTTP/1.1 connection: read requests off the socket, answer each with one write.

A lean reader instead of `http.server`: the standard library parses headers with `email.parser`
(most of the server's own time: benchmarks/README.md), writes headers and body in separate
sends, and has no idle timeout. Here a request's head is split on CRLF once, the answer goes out
in one `sendall` with TCP_NODELAY on, and a kept-alive connection that stays idle past its
timeout (or at once when new connections are waiting for a slot) is closed.
"""

from __future__ import annotations

import select
import socket
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from ..errors import BadRequestException
from ..protocol.http_checks import MAX_BODY_BYTES, error_response, too_large
from ..protocol.serializer import HttpResponse
from .body import DRAIN_LIMIT, BodyError, bad_request, read_chunked

MAX_HEADERS = 100
MAX_LINE = 65536
HEADERS_TOO_LARGE = 431
IDLE_SLICE = 0.25  # how often an idle connection checks whether it should give way


class Headers(dict[str, str]):
    """Header values by lower-case name; lookups ignore case, as HTTP does."""

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def get(self, name: str, default: Any = None) -> Any:
        return super().get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())


@dataclass
class Request:
    method: str
    target: str  # path and query as sent
    version: str
    headers: Headers
    body: bytes
    keep_alive: bool


class Reader:
    """A buffered reader over a socket whose buffer can be inspected (to tell pipelined
    bytes from an idle connection) and that offers what read_chunked needs."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buffer += data
        return True

    def readline(self, limit: int = MAX_LINE) -> bytes:
        while True:
            end = self.buffer.find(b"\n", 0, limit)
            if end >= 0:
                return self._take(end + 1)
            if len(self.buffer) >= limit or not self._fill():
                return self._take(min(limit, len(self.buffer)))

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size and self._fill():
            pass
        return self._take(min(size, len(self.buffer)))

    def _take(self, size: int) -> bytes:
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data


class HeadError(Exception):
    """A request head that cannot be read: answered, then the connection is closed."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status)
        self.response = response


def _head_error(message: str, status: int = 400) -> HeadError:
    return HeadError(error_response(BadRequestException(message), status))


def read_request(reader: Reader, send_continue: Callable[[], None]) -> Request | None:
    """The next request, or None when the client closed the connection between requests."""
    line = reader.readline()
    while line in (b"\r\n", b"\n"):  # RFC 9112 2.2: ignore empty lines before a request
        line = reader.readline()
    if not line:
        return None
    if len(line) >= MAX_LINE:
        raise _head_error("the request line is too long", HEADERS_TOO_LARGE)
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _head_error(f"bad request line {line[:100]!r}")
    method, target, version = parts
    if not target.isascii():  # RFC 3986: anything else must be percent-encoded
        raise _head_error("the request target holds bytes that are not percent-encoded")
    headers = Headers()
    count = 0
    while True:
        raw = reader.readline()
        if raw in (b"\r\n", b"\n"):
            break
        if not raw or not raw.endswith(b"\n"):
            raise _head_error("the request head ended early or has a line that is too long")
        count += 1
        if count > MAX_HEADERS:
            raise _head_error(f"more than {MAX_HEADERS} headers", HEADERS_TOO_LARGE)
        name, colon, value = raw.decode("latin-1").partition(":")
        if not colon or not name or name != name.strip():
            raise _head_error(f"malformed header line {raw[:100]!r}")
        key = name.lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    connection = headers.get("connection", "").lower()
    keep_alive = "close" not in connection
    if version == "HTTP/1.0":
        keep_alive = "keep-alive" in connection
    if headers.get("expect", "").lower() == "100-continue":
        send_continue()
    body = read_body(reader, headers)
    return Request(method, target, version, headers, body, keep_alive)


def read_body(reader: Reader, headers: Mapping[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return read_chunked(reader, MAX_BODY_BYTES)  # type: ignore[arg-type]
    declared = headers.get("content-length")
    if declared is None:
        return b""
    try:
        length = int(declared)
    except ValueError:
        length = -1
    if length < 0:
        raise bad_request(f"invalid Content-Length {declared!r}")
    if length > MAX_BODY_BYTES:
        if length <= DRAIN_LIMIT:
            while length > 0:  # read on, so the client sees the 413 and not a reset
                chunk = reader.read(min(length, 1 << 16))
                if not chunk:
                    break
                length -= len(chunk)
        raise BodyError(too_large(length))
    body = reader.read(length)
    if len(body) != length:
        raise bad_request("the request body is shorter than its Content-Length")
    return body


_REASONS = {status.value: status.phrase for status in HTTPStatus}


def encode(response: HttpResponse, *, head_only: bool = False, close: bool = False) -> bytes:
    """Status line, headers and body as the one buffer that is written."""
    status = response.status
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}", "Server: appmesh-mock"]
    lines += [f"{name}: {value}" for name, value in response.headers.items()]
    lines.append(f"Content-Length: {len(response.body)}")
    if close:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + response.body


def wait_for_request(
    reader: Reader, idle_timeout: float, should_yield: Callable[[], bool]
) -> bool:
    """Whether a request is coming: bytes buffered or arriving within the idle timeout.
    False when the timeout passes, or sooner when `should_yield()` says others are waiting."""
    if reader.buffer:
        return True
    waited = 0.0
    while waited < idle_timeout:
        step = min(IDLE_SLICE, idle_timeout - waited)
        try:
            ready, _, _ = select.select([reader.sock], [], [], step)
        except (OSError, ValueError):  # closed under us by stop()
            return False
        if ready:
            return True
        waited += step
        if should_yield():
            return False
    return False


def requests(
    reader: Reader, idle_timeout: float, read_timeout: float, should_yield: Callable[[], bool]
) -> Iterator[Request | HttpResponse]:
    """Each request on the connection, or the error answer that ends it."""
    sock = reader.sock

    def send_continue() -> None:
        sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    while wait_for_request(reader, idle_timeout, should_yield):
        sock.settimeout(read_timeout)
        try:
            request = read_request(reader, send_continue)
        except (HeadError, BodyError) as exc:
            yield exc.response
            return
        if request is None:
            return
        yield request
        if not request.keep_alive:
            return
