"""A rule of an entry point in App Mesh's terms, made ready for a target: its match (in the
path the client sent), where it sends, its retries and the rewrite the target must do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Rewrite:
    """What the target must do to the path and Host: replace the matched `prefix` with
    `replacement`, or set the whole path to `full`; `host` replaces the Host."""

    prefix: str | None = None
    replacement: str | None = None
    full: str | None = None
    host: str | None = None


@dataclass
class FlatRule:
    protocol: str
    match: dict[str, Any]
    targets: list[tuple[str, int, int | None]]  # (virtual node, weight, port)
    retries: int | None
    sources: list[str]
    rewrite: Rewrite = field(default_factory=Rewrite)
    order: int = 0
    # Made once per check: App Mesh's match compiled, the same without what the target lacks,
    # and where the rule sends (a Destination, or False for nowhere).
    check: Any = field(default=None, repr=False, compare=False)
    relaxed: Any = field(default=None, repr=False, compare=False)
    shares: Any = field(default=None, repr=False, compare=False)
