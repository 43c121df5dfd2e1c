"""The one settings object: what an activation (or the server) sets, and what applies."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..backend.quotas import merge_quotas

STRICT_ENV = "APPMESH_MOCK_STRICT"


def strict_from_env() -> bool:
    return os.environ.get(STRICT_ENV, "").lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    """`None` means "not set here": an inner activation inherits it from the outer ones.

    account_id fixes the account of every request (else it is derived per request); quotas
    overrides service quotas by key; strict checks every response against the output shape
    (default: env APPMESH_MOCK_STRICT); sleep waits out fault delays (default: time.sleep).
    """

    account_id: str | None = None
    quotas: Mapping[str, int] | None = None
    strict: bool | None = None
    sleep: Callable[[float], object] | None = None

    def __post_init__(self) -> None:
        merge_quotas(self.quotas)  # fail where the settings are made, on a misspelt quota

    def under(self, outer: Settings) -> Settings:
        """These settings inside `outer`: what this one leaves unset comes from `outer`."""
        return Settings(
            account_id=self.account_id or outer.account_id,
            quotas=self.quotas if self.quotas is not None else outer.quotas,
            strict=self.strict if self.strict is not None else outer.strict,
            sleep=self.sleep or outer.sleep,
        )

    def resolved_strict(self) -> bool:
        return self.strict if self.strict is not None else strict_from_env()
