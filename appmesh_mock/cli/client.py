"""The one HTTP client of the command line: calls to a running server's own endpoints."""

from __future__ import annotations

import argparse
import contextlib
import json
import urllib.error
import urllib.request
from typing import Any

from ..server import CONTROL_PREFIX, DEFAULT_HOST, DEFAULT_PORT
from ..server.checks import CONTROL_HEADER

DEFAULT_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
TIMEOUT = 30.0  # seconds: an export of a large state takes a while to serialize


class ControlError(Exception):
    """The server answered an error, or could not be reached; the text says which."""


def url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the server (default {DEFAULT_URL})")


def call(url: str, method: str, path: str, body: Any = None) -> Any:
    """`method` on `url`/_appmesh_mock/`path` with a JSON body; the JSON answer."""
    data = json.dumps(body).encode() if body is not None else None
    # The control header is needed by nothing today, but older servers refused a change
    # that carried neither it nor a JSON body; the Content-Type goes with a body only.
    headers = {CONTROL_HEADER: "1"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    target = f"{url.rstrip('/')}{CONTROL_PREFIX}{path}"
    request = urllib.request.Request(target, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.loads(detail).get("message", detail)
        raise ControlError(f"{exc.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ControlError(f"cannot reach {url}: {exc}") from None
