"""Who may use the server's own endpoints (/_appmesh_mock/*): they reset and reveal all state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ForbiddenException
from ..protocol.http_checks import error_response, header
from ..protocol.serializer import HttpResponse

# The control endpoints (/_appmesh_mock/*) reset and reveal all state, so they answer only a
# caller that names this server as a local one, and never a request a web page from another
# origin could send. A browser always says where a cross-origin request comes from (`Origin`
# on every POST/PUT/DELETE, `Sec-Fetch-Site` in current browsers); curl, the AWS CLI and
# scripts send neither, and their plain POST is answered, as moto's and LocalStack's are.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain"})
CONTROL_HEADER = "x-appmesh-mock"  # accepted, never required (clients of older servers send it)
_OTHER_SITE = frozenset({"cross-site", "same-site"})  # Sec-Fetch-Site from another origin


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
    - An Origin, when sent, must be local: a page of another origin is refused (and so is
      `Origin: null`, a sandboxed or file page). The dashboard's own page is local.
    - A request that changes state (anything but GET/HEAD) marked `Sec-Fetch-Site:
      cross-site` or `same-site` must come with a local Origin: the browser says another
      site sent it. A GET from another site (a link to the dashboard) is a navigation, and
      its answer is not readable by the page that linked it.
    """
    host = _host_name(header(headers, "host"))
    if not host or not is_local_name(host, names):
        return _forbidden(f"Host {header(headers, 'host')!r} is not this server's local name")
    origin = header(headers, "origin")
    local_origin = False
    if origin == "null":
        return _forbidden("requests from Origin 'null' are refused")
    if origin:
        origin_host = _host_name(origin.split("://", 1)[-1].split("/", 1)[0])
        if not is_local_name(origin_host, names):
            return _forbidden(f"requests from Origin {origin!r} are refused")
        local_origin = True
    site = header(headers, "sec-fetch-site").strip().lower()
    if method not in ("GET", "HEAD") and site in _OTHER_SITE and not local_origin:
        return _forbidden(f"{method} from another site (Sec-Fetch-Site: {site}) is refused")
    return None


def _forbidden(message: str) -> HttpResponse:
    return error_response(ForbiddenException(message), 403)
