"""Input that could be stored but never written back out: refused before anything changes.

JSON may carry lone surrogates (`"\\ud800"`, or their raw 3-byte forms, which `json.loads`
lets through), and nesting deep enough to exhaust the recursion limit of whatever walks it
later. A value that cannot be encoded as UTF-8 would break every answer that contains it, so
both are refused at the door. Cheap on the common path: the walk runs only when a byte scan
finds a surrogate escape or an unusual number of brackets.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import BadRequestException

# App Mesh's deepest input (a gateway route's match) is ~12 levels; 64 leaves room for any
# real request while staying far below the interpreter's recursion limit.
MAX_DEPTH = 64
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\xed[\xa0-\xbf]")


def needs_check(body: bytes) -> tuple[bool, bool]:
    """(may hold surrogates, may be deeply nested), from a scan of the raw bytes."""
    return (
        _SURROGATE.search(body) is not None,
        body.count(b"[") + body.count(b"{") > MAX_DEPTH,
    )


def check_value(document: Any, strings: bool = True, what: str = "the request body") -> None:
    """Raises BadRequestException for a string that is not valid Unicode or nesting past
    MAX_DEPTH anywhere in `document` (iterative: deep input cannot overflow this walk)."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if strings and not value.isascii():
                check_text(value, what)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise BadRequestException(f"{what} is nested deeper than {MAX_DEPTH} levels")
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)


def check_text(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequestException(
            f"{what} holds a string that is not valid Unicode (a lone surrogate)"
        ) from None
