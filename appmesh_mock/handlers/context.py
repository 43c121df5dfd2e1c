"""What a handler knows about the request it serves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..backend.store import Backend, Store


@dataclass
class RequestContext:
    operation: str
    account_id: str
    region: str
    store: Store
    now: float
    quotas: Mapping[str, int]

    @property
    def backend(self) -> Backend:
        return self.store.backend(self.account_id, self.region)
