"""The App Mesh API over real HTTP, for clients outside this process (AWS CLI, other SDKs...).

`MockServer` serves a `Dispatcher` over HTTP/1.1 (server/listener.py, connection.py), so
every client gets the same routing, validation, errors and strict checks as the in-process
hook. With no dispatcher given it serves the process-wide one and holds an activation of the
mock while it runs: a mock already active in the process and the server then see the
same resources, and boto3 clients in this process are still answered in-process by the hook.

Besides the API, the paths of its own under `/_appmesh_mock/` (see server/control.py):
- `POST /_appmesh_mock/reset` clears every account and region (quotas stay as configured);
- `GET /_appmesh_mock/state` returns the state as backend/persistence.py saves it;
- `GET /_appmesh_mock/health` answers 200 once the server is ready.

With `xds_port` it also serves Envoy's aggregated discovery service on that port (appmesh_mock/
xds/: the `envoy` extra), so that Envoys get their configuration live, as from App Mesh.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Sequence
from types import TracebackType

from ..backend.store import Store
from ..errors import InternalServerErrorException
from ..protocol.http_checks import check_request, error_response
from ..service.dispatch import Dispatcher
from ..service.settings import Settings
from ..session import RUNTIME
from ..xds.server import XdsServer
from . import CONTROL_PREFIX, DEFAULT_HOST, endpoints
from .checks import LOOPBACK_NAMES, control_refusal
from .connection import Request, encode
from .control import ControlRequest
from .listener import IDLE_TIMEOUT, MAX_CONNECTIONS, Listener

LOG = logging.getLogger("appmesh_mock.server")



def local_names(host: str, allowed: Sequence[str] = ()) -> frozenset[str]:
    """Loopback names, the bound address, `allowed`; on a wildcard bind the machine's name."""
    names = {*LOOPBACK_NAMES, host.lower(), *(name.lower() for name in allowed)}
    if host in ("", "0.0.0.0", "::"):
        names.add(socket.gethostname().lower())
    return frozenset(names)


class _Answerer:
    """Turns one request into the bytes of its answer: control endpoints or the API."""

    def __init__(self, dispatcher: Dispatcher, names: frozenset[str]) -> None:
        self.dispatcher = dispatcher
        self.names = names  # the Host names the control endpoints answer

    def answer(self, request: Request) -> bytes:
        started = time.perf_counter()
        raw_path, _, query = request.target.partition("?")
        query = query.partition("#")[0]
        operation = "-"
        try:
            if raw_path.startswith(CONTROL_PREFIX):
                name = raw_path[len(CONTROL_PREFIX) :].rstrip("/")
                operation = name
                control_request = ControlRequest(
                    request.method, name, query, request.headers, request.body
                )
                response = control_refusal(
                    request.method, request.headers, self.names
                ) or endpoints.answer(self.dispatcher, control_request)
            else:
                response = check_request(request.headers, request.body) or (
                    self.dispatcher.handle(
                        request.method,
                        raw_path,
                        query,
                        request.headers,
                        request.body,
                        request.headers.get("host", ""),
                    )
                )
                operation = response.operation or "-"
        except Exception as exc:  # StrictModeViolation or a bug: answer, never drop the client
            LOG.exception("appmesh-mock failed on %s %s", request.method, raw_path)
            failure = InternalServerErrorException(f"appmesh-mock failed: {exc!r}")
            response = error_response(failure)
        if LOG.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - started) * 1000
            LOG.info(
                "%s %s %s %d %.1fms", request.method, raw_path, operation, response.status, elapsed
            )
        return encode(response, head_only=request.method == "HEAD", close=not request.keep_alive)


class MockServer:
    """An App Mesh endpoint on `http://host:port` for the life of a `with` block.

    `MockServer()` serves the process-wide backends (see the module doc); `isolated=True`
    serves a private, empty state of its own instead, which no mock in the process sees
    (`dispatcher=` serves a given one, as the console command does). `port=0` picks a free
    port; read `.url` or `.port` after start. Binds to loopback unless `host` says otherwise.
    The control endpoints answer only Host names that are loopback, `host`, or in
    `allowed_hosts`. `xds_port` (0: a free one, read `.xds_port`) serves xDS (module doc).
    """

    def __init__(
        self,
        port: int = 0,
        host: str = DEFAULT_HOST,
        *,
        isolated: bool = False,
        dispatcher: Dispatcher | None = None,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = IDLE_TIMEOUT,
        allowed_hosts: Sequence[str] = (),
        xds_port: int | None = None,
    ) -> None:
        self.host = host
        self.allowed_hosts = tuple(allowed_hosts)
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self._requested_port = port
        if isolated and dispatcher is not None:
            raise TypeError("pass isolated=True or a dispatcher, not both")
        self._dispatcher = Dispatcher(Store()) if isolated else dispatcher
        self._httpd: Listener | None = None
        self._thread: threading.Thread | None = None
        self._activation: Settings | None = None
        self._xds_port = xds_port
        self._xds: XdsServer | None = None

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
    def xds_port(self) -> int:
        """The port the xDS server listens on (on `host`), with `xds_port=` given."""
        if self._xds is None:
            raise RuntimeError("the server is not started with an xds_port")
        return self._xds.port

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
            answerer = _Answerer(self.dispatcher, local_names(self.host, self.allowed_hosts))
            self._httpd = Listener(
                (self.host, self._requested_port),
                answerer.answer,
                self.max_connections,
                self.idle_timeout,
            )
            if self._xds_port is not None:
                self._xds = XdsServer(self.dispatcher.store, self._xds_port, self.host).start()
        except BaseException:
            if self._httpd is not None:
                self._httpd.server_close()
                self._httpd = None
            self._stop_activation()
            raise
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            name=f"appmesh-mock-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            raise RuntimeError("this server is not started")
        xds, self._xds = self._xds, None
        if xds is not None:
            xds.stop()
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
