"""The options of `mock_appmesh(...)` and `MockAppMesh(...)`: one definition, read by both
signatures (as `**options: Unpack[MockOptions]`), by the check of option names and by the
pytest marker. Light on purpose: the pytest plugin reads it without loading botocore."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict


class MockOptions(TypedDict, total=False):
    """All keyword, all optional; the pytest marker takes them all but `pass_mock`."""

    account_id: str | None  # every request's account (else: env, access key ID, default)
    quotas: Mapping[str, int] | None  # service quotas by key (see DEFAULT_QUOTAS)
    strict: bool | None  # check every response against the model (default: env)
    call_log_limit: int | None  # calls `m.calls` keeps, the latest (default 10,000; None: all)
    pass_mock: bool | str  # hand the mock to a decorated function: see decorating.py
    state: Any  # seeds each activation: see MockAppMesh.load


NAMES = tuple(MockOptions.__annotations__)


def check_names(options: Mapping[str, Any]) -> None:
    unknown = sorted(set(options) - set(NAMES))
    if unknown:
        raise TypeError(
            f"mock_appmesh got unknown option(s) {', '.join(unknown)}; "
            f"the options are {', '.join(NAMES)}"
        )
