"""`XdsServer`: Envoy's aggregated discovery service (gRPC, state of the world) over a store.

Each ADS stream gets a queue: a thread reads the Envoy's requests into it, and the store's
change hook (called after each write commits, backend/store.py) puts a mark in every stream's
queue; the stream's own thread answers both in order (xds/stream.py). A write therefore
reaches every connected Envoy as soon as it is answered, without polling: every change to the
store ends in a commit or a reset (requests, loads, restores, `share_mesh`)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from concurrent import futures
from typing import Any

from ..backend.store import Store
from . import registry

LOG = logging.getLogger("appmesh_mock.xds")
_CHANGED = object()  # a mark in a stream's queue: the store changed
_ENDED = object()  # the Envoy closed its side (or went away)
MAX_STREAMS = 64  # gRPC worker threads: one per connected Envoy


class XdsPortError(OSError):
    """The xDS server cannot listen on the address asked for."""


class XdsServer:
    """Serves ADS for `store` on `host:port` (0: a free port; read `.port` after start)."""

    def __init__(self, store: Store, port: int = 0, host: str = "127.0.0.1") -> None:
        self.store = store
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._server: Any = None
        self._queues: list[queue.Queue[Any]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the xDS server is not started")
        return self._port

    def start(self) -> XdsServer:
        try:
            import grpc

            from . import protos
        except ImportError as error:
            raise RuntimeError(
                "the xDS server needs grpcio and xds-protos: pip install 'appmesh-mock[envoy]'"
            ) from error
        if self._server is not None:
            raise RuntimeError("this xDS server is already started")
        server = grpc.server(
            futures.ThreadPoolExecutor(MAX_STREAMS, thread_name_prefix="appmesh-mock-xds")
        )
        protos.add_servicer(_Servicer(self), server)
        address = (
            f"[{self.host}]:{self._requested_port}"
            if ":" in self.host
            else (f"{self.host}:{self._requested_port}")
        )
        try:
            port = server.add_insecure_port(address)
        except RuntimeError as error:  # grpcio raises this when it cannot bind
            raise XdsPortError(str(error)) from None
        server.start()
        self._server, self._port = server, port
        self._stopping.clear()
        with self.store.lock:
            self.store.watchers.append(self._changed)
        registry.serving(self.store, port, True)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            raise RuntimeError("this xDS server is not started")
        registry.serving(self.store, self.port, False)
        with self.store.lock:
            if self._changed in self.store.watchers:
                self.store.watchers.remove(self._changed)
        self._stopping.set()
        with self._lock:
            for stream in self._queues:
                stream.put(_ENDED)
        server.stop(grace=1).wait()
        self._port = None

    def __enter__(self) -> XdsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def proxies(self) -> list[registry.ProxyStatus]:
        return registry.proxies_of(self.store)

    def _changed(self) -> None:
        with self._lock:
            for stream in self._queues:
                stream.put(_CHANGED)

    def serve_stream(self, requests: Iterator[Any], peer: str) -> Iterator[Any]:
        from .stream import ProxyStream

        inbox: queue.Queue[Any] = queue.Queue()
        stream = ProxyStream(self.store, peer)
        with self._lock:
            self._queues.append(inbox)
        registry.register(self.store, stream.status)
        reader = threading.Thread(target=_read, args=(requests, inbox), daemon=True,
                                  name="appmesh-mock-xds-read")  # fmt: skip
        reader.start()
        try:
            while not self._stopping.is_set():
                item = inbox.get()
                if item is _ENDED:
                    break
                if item is _CHANGED:
                    while _pending_change(inbox):  # a burst of writes: render once
                        pass
                    yield from stream.on_change()
                else:
                    yield from stream.on_request(item)
        finally:
            with self._lock:
                self._queues.remove(inbox)
            registry.unregister(self.store, stream.status)
            LOG.info("xds: %s disconnected (%s)", stream.status.node_id or "an Envoy", peer)


def _pending_change(inbox: queue.Queue[Any]) -> bool:
    """Takes the next item if it is another change mark; True if it did."""
    with inbox.mutex:
        if inbox.queue and inbox.queue[0] is _CHANGED:
            inbox.queue.popleft()
            return True
    return False


def _read(requests: Iterator[Any], inbox: queue.Queue[Any]) -> None:
    try:
        for request in requests:
            inbox.put(request)
    except Exception as error:  # the stream broke (the Envoy died, the server stops)
        LOG.debug("xds: a stream ended: %r", error)
    finally:
        inbox.put(_ENDED)


class _Servicer:
    """The generated servicer's one method, bound to the server (grpc calls it per stream)."""

    def __init__(self, server: XdsServer) -> None:
        self.server = server

    def StreamAggregatedResources(self, requests: Iterator[Any], context: Any) -> Iterator[Any]:
        yield from self.server.serve_stream(requests, str(context.peer()))

    def DeltaAggregatedResources(self, requests: Iterator[Any], context: Any) -> Iterator[Any]:
        import grpc

        context.abort(grpc.StatusCode.UNIMPLEMENTED, "appmesh-mock serves state-of-the-world ADS")
        yield from ()
