"""The one settings object: what an activation (or the server) sets, and what applies."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..backend.quotas import merge_quotas
from .calls import DEFAULT_LIMIT

STRICT_ENV = "APPMESH_MOCK_STRICT"


def strict_from_env() -> bool:
    return os.environ.get(STRICT_ENV, "").lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    """`None` means "not set here": an inner activation inherits it from the outer ones.

    account_id fixes the account of every request (else it is derived per request); quotas
    overrides service quotas by key; strict checks every response against the output shape
    (default: env APPMESH_MOCK_STRICT); sleep waits out fault delays (default: time.sleep).
    call_log_limit is the number of calls the log keeps (None: every one); it is not
    inherited: only the outermost activation's applies, since nested activations share its log.
    """

    account_id: str | None = None
    quotas: Mapping[str, int] | None = None
    strict: bool | None = None
    sleep: Callable[[float], object] | None = None
    call_log_limit: int | None = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        merge_quotas(self.quotas)  # fail where the settings are made, on a misspelt quota
        limit = self.call_log_limit
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
            raise TypeError(f"call_log_limit is a number of calls or None, not {limit!r}")
        if limit is not None and limit < 0:
            raise ValueError(f"call_log_limit must be 0 or more (None keeps every call): {limit}")

    def under(self, outer: Settings) -> Settings:
        """These settings inside `outer`: what this one leaves unset comes from `outer`."""
        return Settings(
            account_id=self.account_id or outer.account_id,
            quotas=self.quotas if self.quotas is not None else outer.quotas,
            strict=self.strict if self.strict is not None else outer.strict,
            sleep=self.sleep or outer.sleep,
            call_log_limit=self.call_log_limit,
        )

    def resolved_strict(self) -> bool:
        return self.strict if self.strict is not None else strict_from_env()
