"""clientToken records: what an idempotent create or update answered, kept for replays.

Bounded, so that a long-lived server or activation does not grow with every call (boto3 sends
a token on every create and update):
- a record goes when the resource it answered for is deleted;
- a record older than TOKEN_TTL goes (checked as new records arrive) [I]: AWS documents no
  window for App Mesh; other services keep tokens for hours, and an SDK retries for seconds;
- at most TOKENS_PER_REGION records per (account, region): past it the oldest goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TOKEN_TTL = 3600.0  # seconds
TOKENS_PER_REGION = 10_000

TokenKey = tuple[str, str, str]  # account, region, token


@dataclass
class TokenEntry:
    operation: str
    fingerprint: str  # "" until a replay needs it: then computed from `params`
    output: dict[str, Any]
    # The validated request, kept so that its fingerprint is computed only if the token comes
    # back (almost every token is used once, and hashing a canonical dump costs every create).
    params: dict[str, Any] | None = None
    arn: str = ""  # the resource the answer is about: the record goes when it is deleted
    at: float = 0.0  # when it was recorded (the store's clock)


def answered_arn(output: dict[str, Any]) -> str:
    """The ARN in a Create*/Update* answer ({"mesh": {"metadata": {"arn": ...}}})."""
    for value in output.values():
        if isinstance(value, dict):
            metadata = value.get("metadata")
            if isinstance(metadata, dict) and isinstance(metadata.get("arn"), str):
                return str(metadata["arn"])
    return ""
