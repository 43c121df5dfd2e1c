"""The App Mesh API over real HTTP, for clients outside this process (AWS CLI, other SDKs...).

`MockServer` serves a `Dispatcher` with the standard library's threading HTTP server, so
every client gets the same routing, validation, errors and strict checks as the in-process
hook. With no dispatcher given it serves the process-wide one and holds an activation of the
mock while it runs: a mock already active in the process and the server then see the
same resources, and boto3 clients in this process are still answered in-process by the hook.

Besides the API, the paths of its own under `/_appmesh_mock/` (see entry/control.py):
- `POST /_appmesh_mock/reset` clears every account and region (quotas stay as configured);
- `GET /_appmesh_mock/state` returns the state as backend/persistence.py saves it;
- `GET /_appmesh_mock/health` answers 200 once the server is ready.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from ..errors import BadRequestException, InternalServerErrorException
from ..protocol.serializer import HttpResponse
from ..service.dispatch import Dispatcher
from ..service.settings import Settings
from . import control
from .http_body import DRAIN_LIMIT, BodyError, bad_request, read_chunked
from .http_checks import MAX_BODY_BYTES, check_request, error_response, too_large
from .runtime import RUNTIME

LOG = logging.getLogger("appmesh_mock.server")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566
CONTROL_PREFIX = control.PREFIX


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is routine; anything else is worth a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            LOG.debug("client %s went away: %r", client_address, error)
        else:
            LOG.exception("appmesh-mock failed serving %s", client_address)

    def close_connections(self) -> None:
        """Ends kept-alive connections, so nothing is served after stop()."""
        with self.connections_lock:
            for connection in list(self.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: SDKs reuse their connections
    # Headers and body leave in separate writes; with Nagle's algorithm on, the body waits for
    # the client's delayed ACK of the headers (about 40 ms per answer on loopback).
    disable_nagle_algorithm = True
    server_version = "appmesh-mock"
    server: _HttpServer

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def __getattr__(self, name: str) -> Callable[[], None]:
        # http.server looks up do_<METHOD>; every method, known or not, is served here so that
        # an unknown one gets an App Mesh error from the dispatcher instead of an HTML 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _serve(self) -> None:
        started = time.perf_counter()
        dispatcher = self.server.dispatcher
        raw_path, _, query = self.path.partition("?")
        query = query.partition("#")[0]
        operation = "-"
        try:
            body = self._read_body()
            if raw_path.startswith(CONTROL_PREFIX):
                operation, response = self._control(raw_path[len(CONTROL_PREFIX) :], query, body)
            else:
                operation = _operation_name(dispatcher, self.command, raw_path)
                headers = {name.lower(): value for name, value in self.headers.items()}
                response = check_request(headers, body) or dispatcher.handle(
                    self.command, raw_path, query, headers, body, self.headers.get("Host", "")
                )
        except BodyError as exc:
            response = exc.response
            self.close_connection = True  # what is left of the body would be read as a request
        except (ConnectionError, TimeoutError):
            raise  # the client went away mid-request: nobody to answer (see handle_error)
        except Exception as exc:  # StrictModeViolation or a bug: answer, never drop the client
            LOG.exception("appmesh-mock failed on %s %s", self.command, raw_path)
            failure = InternalServerErrorException(f"appmesh-mock failed: {exc!r}")
            response = error_response(failure)
        self._send(response)
        elapsed = (time.perf_counter() - started) * 1000
        LOG.info("%s %s %s %d %.1fms", self.command, raw_path, operation, response.status, elapsed)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return read_chunked(self.rfile, MAX_BODY_BYTES)
        declared = self.headers.get("Content-Length")
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
                self._discard(length)
            raise BodyError(too_large(length))
        body = self.rfile.read(length)
        if len(body) != length:
            raise bad_request("the request body is shorter than its Content-Length")
        return body

    def _discard(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                return
            length -= len(chunk)

    def _control(self, name: str, query: str, body: bytes) -> tuple[str, HttpResponse]:
        request = control.ControlRequest(
            self.command, name.rstrip("/"), query, dict(self.headers.items()), body
        )
        return request.name, control.answer(self.server.dispatcher, request)

    def _send(self, response: HttpResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (bad request line, too many headers...) in App Mesh form."""
        if code >= 500:
            error: Any = InternalServerErrorException(message or explain or str(code))
        else:
            error = BadRequestException(message or explain or str(code))
        response = error_response(error, code)
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # a garbled request line: still send a status
            self.request_version = "HTTP/1.1"
        try:
            self._send(response)
        except OSError:
            return
        LOG.info("%s %s - %d", getattr(self, "command", "-"), getattr(self, "path", "-"), code)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: `_serve` logs one line per request with the operation and the time."""

    def log_message(self, format: str, *args: Any) -> None:
        LOG.debug(format, *args)


def _operation_name(dispatcher: Dispatcher, method: str, raw_path: str) -> str:
    try:
        match = dispatcher.router.match(method, raw_path)
    except UnicodeDecodeError:
        return "-"
    return match.operation if match else "-"


class MockServer:
    """An App Mesh endpoint on `http://host:port` for the life of a `with` block.

    `MockServer()` serves the process-wide backends (see the module doc); pass `dispatcher` to
    serve a private one instead (the console command does). `port=0` picks a free port; read
    `.url` or `.port` after start. Binds to loopback unless `host` says otherwise.
    """

    def __init__(
        self,
        port: int = 0,
        host: str = DEFAULT_HOST,
        *,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.host = host
        self._requested_port = port
        self._dispatcher = dispatcher
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._activation: Settings | None = None

    @property
    def dispatcher(self) -> Dispatcher:
        if self._dispatcher is not None:
            return self._dispatcher
        return RUNTIME.dispatcher

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> MockServer:
        if self._httpd is not None:
            raise RuntimeError("this server is already started")
        if self._dispatcher is None:
            self._activation = Settings()
            RUNTIME.push(self._activation)
        try:
            self._httpd = _HttpServer((self.host, self._requested_port), self.dispatcher)
        except BaseException:
            self._stop_activation()
            raise
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"appmesh-mock-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            raise RuntimeError("this server is not started")
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._stop_activation()

    def _stop_activation(self) -> None:
        activation, self._activation = self._activation, None
        if activation is not None:
            RUNTIME.pop(activation)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
