"""The store: one backend per (account, region), created lazily, behind one lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .collection import Collection
from .resources import MeshState, Resource

Clock = Callable[[], float]


def wall_clock() -> float:
    """Epoch seconds with the millisecond precision the service reports."""
    return round(time.time(), 3)


@dataclass
class TokenEntry:
    operation: str
    fingerprint: str  # "" until a replay needs it: then computed from `params`
    output: dict[str, Any]
    # The validated request, kept so that its fingerprint is computed only if the token comes
    # back (almost every token is used once, and hashing a canonical dump costs every create).
    params: dict[str, Any] | None = None


@dataclass
class Backend:
    """Everything one account owns in one region."""

    account_id: str
    region: str
    meshes: Collection[MeshState] = field(default_factory=Collection)
    tokens: dict[str, TokenEntry] = field(default_factory=dict)


class Store:
    """All backends, the ARN index and mesh shares.

    One re-entrant lock guards everything: a request holds it from lookup to response, so
    concurrent clients see each call as atomic and nothing is lost or torn.
    """

    def __init__(self, clock: Clock = wall_clock) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self._backends: dict[tuple[str, str], Backend] = {}
        self._by_arn: dict[str, Resource] = {}
        self._shares: set[tuple[str, str, str, str]] = set()  # owner, region, mesh, consumer
        # (consumer, region) -> {(owner, mesh)}: what a ListMeshes merges in, without a scan.
        self._shared_to: dict[tuple[str, str], set[tuple[str, str]]] = {}
        # (owner, region, mesh) -> {consumer}: what a DeleteMesh drops, without a scan.
        self._consumers: dict[tuple[str, str, str], set[str]] = {}
        self._seq = 0

    def reset(self) -> None:
        with self.lock:
            self._backends.clear()
            self._by_arn.clear()
            self._shares.clear()
            self._shared_to.clear()
            self._consumers.clear()
            self._seq = 0

    def backend(self, account_id: str, region: str) -> Backend:
        key = (account_id, region)
        found = self._backends.get(key)
        if found is None:
            found = self._backends.setdefault(key, Backend(account_id, region))
        return found

    def backends(self) -> list[Backend]:
        return list(self._backends.values())

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    # Saving and restoring state (backend/persistence.py) needs these two and `shares`.
    @property
    def last_seq(self) -> int:
        return self._seq

    def advance_seq(self, seq: int) -> None:
        """Restored resources keep their seq (page tokens hold it); new ones come after."""
        self._seq = max(self._seq, seq)

    def rebuild_indexes(self) -> None:
        """Derives every index (ARNs, each mesh's reverse references) from the stored resources
        again: whatever restores state (backend/persistence.py) calls this once it is done."""
        with self.lock:
            self._by_arn.clear()
            for backend in self._backends.values():
                for mesh in backend.meshes:
                    self.index(mesh.resource)
                    for resource in mesh.members():
                        self.index(resource)
                    mesh.relink()

    # The ARN index serves the tag operations, which name resources by ARN alone.
    def index(self, resource: Resource) -> None:
        self._by_arn[resource.arn] = resource

    def unindex(self, resource: Resource) -> None:
        self._by_arn.pop(resource.arn, None)

    def by_arn(self, arn: str) -> Resource | None:
        return self._by_arn.get(arn)

    def share(self, owner: str, region: str, mesh_name: str, consumer: str) -> None:
        with self.lock:
            self._shares.add((owner, region, mesh_name, consumer))
            self._shared_to.setdefault((consumer, region), set()).add((owner, mesh_name))
            self._consumers.setdefault((owner, region, mesh_name), set()).add(consumer)

    def unshare(self, owner: str, region: str, mesh_name: str, consumer: str) -> None:
        with self.lock:
            self._shares.discard((owner, region, mesh_name, consumer))
            found = self._shared_to.get((consumer, region))
            if found is not None:
                found.discard((owner, mesh_name))
                if not found:
                    del self._shared_to[(consumer, region)]
            consumers = self._consumers.get((owner, region, mesh_name))
            if consumers is not None:
                consumers.discard(consumer)
                if not consumers:
                    del self._consumers[(owner, region, mesh_name)]

    def drop_shares(self, owner: str, region: str, mesh_name: str) -> None:
        """A deleted mesh leaves every share, as RAM drops deleted resources from theirs."""
        with self.lock:
            for consumer in list(self._consumers.get((owner, region, mesh_name), ())):
                self.unshare(owner, region, mesh_name, consumer)

    def is_shared(self, owner: str, region: str, mesh_name: str, consumer: str) -> bool:
        return (owner, region, mesh_name, consumer) in self._shares

    def shares(self) -> list[tuple[str, str, str, str]]:
        """Every share as (owner, region, mesh name, consumer)."""
        return sorted(self._shares)

    def shared_with(self, consumer: str, region: str) -> list[tuple[str, str]]:
        """(owner, mesh name) of every mesh shared with `consumer` in `region`."""
        return sorted(self._shared_to.get((consumer, region), ()))
