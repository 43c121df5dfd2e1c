"""What only raw HTTP clients can get wrong, checked before a request reaches the dispatcher.

botocore always sends a well-formed request; the HTTP server and the `requests` interception
also serve hand-built ones, so both share these checks and answer them as App Mesh errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import BadRequestException, ServiceError
from .models import CURRENT_VERSION, get_api
from .serializer import HttpResponse, serialize_error

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
