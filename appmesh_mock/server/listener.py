"""Listening for HTTP connections: a deep backlog, a bounded number of connection threads.

Past the bound a new connection waits (in the kernel's queue, then for a slot), and kept-alive
connections that sit idle give way at once; one that still finds no slot gets a 503. Running
out of descriptors pauses accepting instead of spinning on the error.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import resource
import selectors
import socket
import threading
import time
from collections.abc import Callable

from ..errors import ServiceUnavailableException
from ..protocol.http_checks import error_response
from ..protocol.serializer import HttpResponse
from .connection import Reader, Request, encode, requests

LOG = logging.getLogger("appmesh_mock.server")

BACKLOG = 512  # the kernel caps it at net.core.somaxconn
MAX_CONNECTIONS = 128  # connection threads; past it new connections wait for a slot
SLOT_WAIT = 5.0  # how long a new connection waits for a slot before it is answered 503
IDLE_TIMEOUT = 20.0  # a kept-alive connection with no request for this long is closed
READ_TIMEOUT = 10.0  # the longest pause allowed inside one request's head or body
_FD_HEADROOM = 32  # descriptors kept for the listener, the state file, logging...


def connection_limit(requested: int = MAX_CONNECTIONS) -> int:
    """`requested`, lowered to what the process's descriptor limit can hold."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return requested
    return max(4, min(requested, soft - _FD_HEADROOM))


class Listener:
    """Accepts on one thread and serves each connection on its own thread, up to a bound;
    `answer` turns each request into the bytes written back."""

    def __init__(
        self,
        address: tuple[str, int],
        answer: Callable[[Request], bytes],
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        self.answer = answer
        self.idle_timeout = idle_timeout
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(BACKLOG)
        except BaseException:
            self.socket.close()
            raise
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]
        self.slots = threading.Semaphore(connection_limit(max_connections))
        self.waiting = False  # a new connection waits for a slot: idle ones give way
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self._stopping = threading.Event()
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            while not self._stopping.is_set():
                if selector.select(0.05):
                    self._accept()
        self._stopped.set()

    def _accept(self) -> None:
        try:
            connection, _ = self.socket.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            # Out of descriptors: the connection stays queued; pause instead of spinning.
            if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                LOG.warning("appmesh-mock cannot accept a connection: %s", exc)
                time.sleep(0.05)
            return
        if not self.slots.acquire(blocking=False):
            self.waiting = True
            try:
                got = self.slots.acquire(timeout=SLOT_WAIT)
            finally:
                self.waiting = False
            if not got:
                _refuse_busy(connection)
                return
        with self.connections_lock:
            self.connections.add(connection)
        thread = threading.Thread(
            target=self._serve, args=(connection,), name="appmesh-mock-conn", daemon=True
        )
        try:
            thread.start()
        except RuntimeError:  # no thread to be had: answer rather than crash the acceptor
            self._forget(connection)
            _refuse_busy(connection)

    def _forget(self, connection: socket.socket) -> None:
        with self.connections_lock:
            self.connections.discard(connection)
        self.slots.release()

    def _serve(self, connection: socket.socket) -> None:
        try:
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            reader = Reader(connection)
            for item in requests(reader, self.idle_timeout, READ_TIMEOUT, self._should_yield):
                if isinstance(item, HttpResponse):  # the head or body could not be read
                    connection.sendall(encode(item, close=True))
                    break
                connection.sendall(self.answer(item))
        except (OSError, ValueError) as exc:  # the client went away, or stop() closed it
            LOG.debug("connection ended: %r", exc)
        finally:
            self._forget(connection)
            with contextlib.suppress(OSError):
                connection.close()

    def _should_yield(self) -> bool:
        return self.waiting or self._stopping.is_set()

    def shutdown(self) -> None:
        self._stopping.set()
        self._stopped.wait(5)

    def close_connections(self) -> None:
        """Ends kept-alive connections, so nothing is served after stop()."""
        with self.connections_lock:
            for connection in list(self.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    def server_close(self) -> None:
        self.socket.close()


def _refuse_busy(connection: socket.socket) -> None:
    error = ServiceUnavailableException("appmesh-mock is at its connection limit; retry")
    response = error_response(error, 503)
    try:
        connection.settimeout(1.0)
        connection.sendall(encode(response, close=True))
    except OSError:
        pass
    finally:
        connection.close()
