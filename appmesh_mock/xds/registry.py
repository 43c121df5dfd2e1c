"""The Envoys connected to each store's xDS servers, for the dashboard and the control
endpoint `GET /_appmesh_mock/xds`: what each was sent and what it answered."""

from __future__ import annotations

import dataclasses
import threading
import weakref
from dataclasses import dataclass, field

from ..backend.store import Store


@dataclass
class ProxyStatus:
    """One connected Envoy (one ADS stream)."""

    node_id: str
    peer: str
    mesh: str | None = None  # None: the node id names no virtual node or gateway
    version_sent: str | None = None  # the latest version pushed, of any resource type
    last_ack: str | None = None  # the latest version it applied
    last_nack: str | None = None  # the latest version it refused...
    nack_error: str | None = None  # ...and why (Envoy's error_detail)
    nacks: int = 0
    waiting: str | None = None  # why nothing (more) can be rendered for it, if so
    connected_at: float = 0.0
    types: dict[str, str] = field(default_factory=dict)  # type_url -> last version it ACKed

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


_LOCK = threading.Lock()
_PORTS: weakref.WeakKeyDictionary[Store, list[int]] = weakref.WeakKeyDictionary()
_NACKS = [0]  # every NACK of every stream in the process: a test asserts it stays put
_PROXIES: weakref.WeakKeyDictionary[Store, list[ProxyStatus]] = weakref.WeakKeyDictionary()


def register(store: Store, status: ProxyStatus) -> None:
    with _LOCK:
        _PROXIES.setdefault(store, []).append(status)


def unregister(store: Store, status: ProxyStatus) -> None:
    with _LOCK:
        found = _PROXIES.get(store, [])
        found[:] = [s for s in found if s is not status]  # by identity: equal ones may differ


def proxies_of(store: Store) -> list[ProxyStatus]:
    """Copies of the statuses of the Envoys connected to `store`, oldest connection first."""
    with _LOCK:
        return [dataclasses.replace(s, types=dict(s.types)) for s in _PROXIES.get(store, [])]


def count_nack() -> None:
    with _LOCK:
        _NACKS[0] += 1


def nack_count() -> int:
    """How many configurations Envoys refused (NACKed) in this process so far."""
    return _NACKS[0]


def serving(store: Store, port: int, on: bool) -> None:
    """Notes that an xDS server for `store` listens on `port` (or no longer does)."""
    with _LOCK:
        ports = _PORTS.setdefault(store, [])
        if on:
            ports.append(port)
        elif port in ports:
            ports.remove(port)


def ports_of(store: Store) -> list[int]:
    with _LOCK:
        return list(_PORTS.get(store, []))
