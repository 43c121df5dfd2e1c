"""The store: one backend per (account, region), created lazily, behind one lock.

With a journal attached (`serve --state-file`, backend/journal.py) the store notes what each
request changes (resources, clientToken records, shares, a reset), and `commit()`, called by
the dispatcher before it answers, hands exactly that to the journal in one transaction.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .collection import Collection
from .kinds import MESH
from .resources import MeshState, Resource
from .tokens import TOKEN_TTL, TOKENS_PER_REGION, TokenEntry, TokenKey

__all__ = ["Backend", "Changes", "Clock", "Journal", "Store", "TokenEntry", "wall_clock"]

Clock = Callable[[], float]

# Wall-clock time read once, then advanced by the monotonic clock: a wall clock set backwards
# (NTP, a VM resumed) cannot make a resource's lastUpdatedAt come before its createdAt.
_EPOCH_AT_START = time.time() - time.monotonic()


def wall_clock() -> float:
    """Epoch seconds with the millisecond precision the service reports; never goes back."""
    return round(_EPOCH_AT_START + time.monotonic(), 3)


@dataclass
class Backend:
    """Everything one account owns in one region."""

    account_id: str
    region: str
    meshes: Collection[MeshState] = field(default_factory=Collection)
    # Oldest first. An OrderedDict: a plain dict whose oldest items keep going leaves empty
    # slots at its front, which reading the oldest walks on every create at the limit.
    tokens: OrderedDict[str, TokenEntry] = field(default_factory=OrderedDict)


@dataclass
class Changes:  # what the requests since the last commit changed
    cleared: bool = False  # a reset: everything before it is gone
    resources: dict[str, Resource] = field(default_factory=dict)  # by uid; live or deleted
    tokens: set[TokenKey] = field(default_factory=set)  # recorded or dropped
    shares: bool = False

    def __bool__(self) -> bool:
        return self.cleared or self.shares or bool(self.resources) or bool(self.tokens)


class Journal(Protocol):
    def write(self, store: Store, changes: Changes) -> None:
        """Makes `changes` durable (one transaction) or raises, leaving them to retry."""


class Store:
    """All backends, the ARN index and mesh shares. One re-entrant lock guards everything: a
    request holds it from lookup to response, so each call is atomic, nothing lost or torn."""

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
        self._latest = 0.0  # the latest timestamp handed out or restored
        self._token_arns: dict[str, set[TokenKey]] = {}  # resource ARN -> its tokens
        self._fresh: list[Backend] = []  # created since the last commit
        self.journal: Journal | None = None
        # Bumped by every change (`touch`, shares, reset, restore): caches compare it.
        self.generation = 0
        self._changes = Changes()
        # Called under the lock after a commit or reset that changed something (xds/server.py)
        self.watchers: list[Callable[[], None]] = []
        self._announced = 0

    def reset(self, commit: bool = True) -> None:
        """Empties the store; with a journal, durably unless `commit` is False (a restore
        that commits the reset together with what it loads)."""
        with self.lock:
            self.generation += 1
            self._backends.clear()
            self._by_arn.clear()
            self._shares.clear()
            self._shared_to.clear()
            self._consumers.clear()
            self._token_arns.clear()
            self._fresh.clear()
            self._seq = 0
            self._latest = 0.0  # nothing left whose timestamps a new one must follow
            if self.journal is not None:
                self._changes = Changes(cleared=True)
                if commit:
                    self.commit()
            self._announce()

    def now(self) -> float:
        """The clock's time, never earlier than a timestamp already handed out or restored."""
        found = self.clock()
        if found < self._latest:
            return self._latest
        self._latest = found
        return found

    def advance_clock(self, timestamp: float) -> None:
        self._latest = max(self._latest, timestamp)

    def backend(self, account_id: str, region: str) -> Backend:
        key = (account_id, region)
        found = self._backends.get(key)
        if found is None:
            found = self._backends.setdefault(key, Backend(account_id, region))
            self._fresh.append(found)
        return found

    def existing_backend(self, account_id: str, region: str) -> Backend | None:
        return self._backends.get((account_id, region))

    def commit(self) -> None:
        """Ends a request: drops backends it created but left empty (a read naming an unknown
        account or region leaves nothing), journals what it changed, tells the watchers."""
        with self.lock:
            if self._fresh:
                for backend in self._fresh:
                    if not backend.meshes and not backend.tokens:
                        self._backends.pop((backend.account_id, backend.region), None)
                self._fresh.clear()
            if self.journal is not None and self._changes:
                self.journal.write(self, self._changes)  # on failure, kept for the next try
                self._changes = Changes()
            self._announce()

    def _announce(self) -> None:
        if self.watchers and self.generation != self._announced:
            self._announced = self.generation
            for watcher in list(self.watchers):
                watcher()

    def touch(self, resource: Resource) -> None:
        """Notes a changed resource (created, updated, tagged, deleted) for the journal."""
        self.generation += 1
        if self.journal is not None:
            self._changes.resources[resource.uid] = resource

    def rekey(self, resource: Resource, old_uid: str) -> None:
        """A resource whose uid changed after it was noted (a state load keeps the uid it is
        given): the journal must write it under the new one only."""
        if self.journal is not None:
            self._changes.resources.pop(old_uid, None)
            self._changes.resources[resource.uid] = resource

    def is_live(self, resource: Resource) -> bool:
        return self._by_arn.get(resource.arn) is resource

    # clientToken records: bounded per (account, region) by count and age, and dropped with
    # the resource they answered for (see backend/tokens.py).
    def remember_token(self, backend: Backend, token: str, entry: TokenEntry) -> None:
        tokens = backend.tokens
        tokens[token] = entry
        key = (backend.account_id, backend.region, token)
        if entry.arn:
            self._token_arns.setdefault(entry.arn, set()).add(key)
        self._token_changed(key)
        cutoff = entry.at - TOKEN_TTL
        while len(tokens) > TOKENS_PER_REGION or next(iter(tokens.values())).at < cutoff:
            self._forget_token(backend, next(iter(tokens)))

    def _forget_token(self, backend: Backend, token: str) -> None:
        entry = backend.tokens.pop(token, None)
        key = (backend.account_id, backend.region, token)
        if entry is not None and entry.arn:
            keys = self._token_arns.get(entry.arn)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._token_arns[entry.arn]
        self._token_changed(key)

    def _token_changed(self, key: TokenKey) -> None:
        if self.journal is not None:
            self._changes.tokens.add(key)

    def token_count(self) -> int:
        return sum(len(backend.tokens) for backend in self._backends.values())

    def backends(self) -> list[Backend]:
        return list(self._backends.values())

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    @property  # saving and restoring state (backend/persistence.py) needs these two, `shares`
    def last_seq(self) -> int:
        return self._seq

    def advance_seq(self, seq: int) -> None:
        """Restored resources keep their seq (page tokens hold it); new ones come after."""
        self._seq = max(self._seq, seq)

    def restore(self, resource: Resource) -> None:
        """Puts a resource from saved state back where it lived: a mesh in its owner's backend,
        anything else in its mesh (saved state lists parents first). Its seq and times stay;
        call `rebuild_indexes` once everything is back."""
        self.generation += 1
        backend = self.backend(resource.mesh_owner, resource.region)
        if resource.kind is MESH:
            backend.meshes.add(MeshState(resource))
        else:
            mesh = backend.meshes.get(resource.mesh_name)
            if mesh is None:
                raise ValueError(f"{resource.arn} has no mesh")
            mesh.children(resource.kind, resource.parent_name).add(resource)
        self.advance_seq(resource.seq)
        self.advance_clock(resource.last_updated_at)

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
        self.touch(resource)

    def unindex(self, resource: Resource) -> None:
        """A deleted resource: out of the index, and its clientToken records with it."""
        self._by_arn.pop(resource.arn, None)
        self.touch(resource)
        for account, region, token in list(self._token_arns.get(resource.arn, ())):
            backend = self._backends.get((account, region))
            if backend is not None:
                self._forget_token(backend, token)

    def by_arn(self, arn: str) -> Resource | None:
        return self._by_arn.get(arn)

    def share(self, owner: str, region: str, mesh_name: str, consumer: str) -> None:
        with self.lock:
            self.generation += 1
            self._changes.shares = self.journal is not None
            self._shares.add((owner, region, mesh_name, consumer))
            self._shared_to.setdefault((consumer, region), set()).add((owner, mesh_name))
            self._consumers.setdefault((owner, region, mesh_name), set()).add(consumer)

    def unshare(self, owner: str, region: str, mesh_name: str, consumer: str) -> None:
        with self.lock:
            self.generation += 1
            self._changes.shares = self.journal is not None
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
            self.generation += 1
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
