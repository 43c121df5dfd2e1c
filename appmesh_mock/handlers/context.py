"""What a handler knows about the request it serves."""

from __future__ import annotations

from dataclasses import dataclass

from ..backend.store import Backend, Registry
from ..protocol.models import Api, snake_case


@dataclass
class RequestContext:
    api: Api
    operation: str
    account_id: str
    region: str
    registry: Registry
    now: float

    @property
    def backend(self) -> Backend:
        return self.registry.backend(self.account_id, self.region)

    @property
    def quotas(self) -> dict[str, int]:
        return self.registry.quotas

    @staticmethod
    def keyword(member: str) -> str:
        return _KEYWORDS.get(member) or _KEYWORDS.setdefault(member, snake_case(member))


_KEYWORDS: dict[str, str] = {}
