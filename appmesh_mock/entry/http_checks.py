"""What only raw HTTP clients can get wrong, checked before a request reaches the dispatcher.

botocore always sends a well-formed request; the HTTP server and the `requests` interception
also serve hand-built ones, so both share these checks and answer them as App Mesh errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import BadRequestException, ForbiddenException, ServiceError
from ..protocol.models import CURRENT_VERSION, get_api
from ..protocol.serializer import HttpResponse, serialize_error

# App Mesh bodies are specs of a few kilobytes; 1 MiB leaves room for any real one and keeps a
# runaway client from filling memory.
MAX_BODY_BYTES = 1 << 20
TOO_LARGE_STATUS = 413


def error_response(error: ServiceError, status: int | None = None) -> HttpResponse:
    """The error in App Mesh's wire form; `status` overrides the model's (413 for size)."""
    response = serialize_error(get_api(CURRENT_VERSION), error)
    if status is not None:
        response.status = status
    return response


def too_large(size: int | None = None) -> HttpResponse:
    told = f" ({size} bytes)" if size is not None else ""
    error = BadRequestException(f"the request body{told} exceeds the {MAX_BODY_BYTES}-byte limit")
    return error_response(error, TOO_LARGE_STATUS)


def header(headers: Mapping[str, Any], name: str) -> str:
    """A header value by case-insensitive name, for plain dicts as well as header maps."""
    for key, value in headers.items():
        if key.lower() == name:
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return ""


def is_json_media_type(content_type: str) -> bool:
    """application/json, application/x-amz-json-1.1, text/json, anything+json."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media.endswith(("/json", "+json")) or media.startswith("application/x-amz-json")


def check_request(headers: Mapping[str, Any], body: bytes) -> HttpResponse | None:
    """An error response when the body cannot be an App Mesh request, else None.

    A body with no Content-Type is read as JSON (hand-written clients often omit it); a body
    declared as anything but JSON is refused rather than guessed at.
    """
    if len(body) > MAX_BODY_BYTES:
        return too_large(len(body))
    content_type = header(headers, "content-type")
    if body.strip() and content_type and not is_json_media_type(content_type):
        return error_response(
            BadRequestException(
                f"unsupported Content-Type {content_type!r}: App Mesh bodies are application/json"
            )
        )
    return None


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
