"""Who may use the server's own endpoints (/_appmesh_mock/*): they reset and reveal all state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ForbiddenException
from ..protocol.http_checks import error_response, header, is_json_media_type
from ..protocol.serializer import HttpResponse

# The control endpoints (/_appmesh_mock/*) reset and reveal all state, so they answer only a
# caller that names this server as a local one, and never a request a web page could send.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain"})
CONTROL_HEADER = "x-appmesh-mock"  # a custom header: browsers send it cross-origin only
# after a CORS preflight, which this server never grants


def _host_name(authority: str) -> str:
    """The name in a Host header or an Origin's authority, without port or brackets."""
    authority = authority.strip().lower()
    if authority.startswith("["):
        return authority[1 : authority.find("]")] if "]" in authority else authority
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def is_local_name(name: str, names: frozenset[str]) -> bool:
    return name in names or name.startswith("127.")


def control_refusal(
    method: str, headers: Mapping[str, Any], names: frozenset[str]
) -> HttpResponse | None:
    """Why a control request is refused (403), or None when it may be answered.

    - Host must be one of `names` (loopback, the bound address...): a DNS-rebound
      name (evil.example resolving to 127.0.0.1) is refused, so a page cannot read /state.
    - A browser's Origin, when sent, must be local too.
    - Anything but GET/HEAD must carry a JSON Content-Type or the X-Appmesh-Mock header:
      a cross-origin page can send neither without a preflight (a plain form or
      `fetch(..., {mode: "no-cors"})` sends text/plain at most).
    """
    host = _host_name(header(headers, "host"))
    if not host or not is_local_name(host, names):
        return _forbidden(f"Host {header(headers, 'host')!r} is not this server's local name")
    origin = header(headers, "origin")
    if origin and origin != "null":
        origin_host = _host_name(origin.split("://", 1)[-1].split("/", 1)[0])
        if not is_local_name(origin_host, names):
            return _forbidden(f"requests from Origin {origin!r} are refused")
    elif origin == "null":
        return _forbidden("requests from Origin 'null' are refused")
    if method not in ("GET", "HEAD"):
        content_type = header(headers, "content-type")
        if not is_json_media_type(content_type) and not header(headers, CONTROL_HEADER):
            return _forbidden(
                f"{method} to an appmesh-mock endpoint needs Content-Type: application/json "
                f"or an {CONTROL_HEADER} header"
            )
    return None


def _forbidden(message: str) -> HttpResponse:
    return error_response(ForbiddenException(message), 403)
