"""What a handler knows about the request it serves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    # The HTTP status of an App Mesh error code, from the model (the service layer supplies
    # it): the Tagging API reports it per failed resource.
    error_status: Callable[[str], int] = lambda _code: 400

    @property
    def backend(self) -> Backend:
        return self.store.backend(self.account_id, self.region)
