"""Opaque, listing-bound page tokens over creation-ordered collections."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TypeVar

from ..backend.collection import Pageable, Sequenced
from ..errors import BadRequestException

T = TypeVar("T", bound=Sequenced)

DEFAULT_LIMIT = 100


def _encode(scope: str, after_seq: int) -> str:
    raw = json.dumps([scope, after_seq], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode(scope: str, token: str) -> int:
    """[M nextToken: "returned from a previous paginated ... request"]: another value names no
    page, so there is nothing to answer with but BadRequest."""
    try:
        found_scope, after_seq = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError, binascii.Error, RecursionError):
        raise BadRequestException("nextToken is not a token this API issued") from None
    if found_scope != scope or not isinstance(after_seq, int):
        raise BadRequestException("nextToken was issued for a different listing")
    return after_seq


def page(
    items: Pageable[T], scope: str, limit: int | None, next_token: str | None
) -> tuple[list[T], str | None]:
    """One page of `items`; `scope` names the listing so that its tokens fit no other."""
    after_seq = _decode(scope, next_token) if next_token else 0
    found, more = items.page(after_seq, limit or DEFAULT_LIMIT)
    token = _encode(scope, found[-1].seq) if more and found else None
    return found, token
