"""Answers App Mesh calls made with the `requests` library while a mock is active.

Code that signs App Mesh requests itself (botocore's SigV4Auth, requests-aws4auth...) and
sends them with `requests` never passes through botocore's hook. While any `mock_appmesh`
is active, a `responses.RequestsMock` answers requests to `appmesh.<region>.amazonaws.com`
(and `.amazonaws.com.cn`) from the same dispatcher and backends as boto3 calls. Every other
request is passed on untouched to whatever `HTTPAdapter.send` was in place when the first
mock started, so a `responses` mock of the test's own keeps answering its hosts.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import rawhttp

if TYPE_CHECKING:
    import responses
    from requests import PreparedRequest

# Scheme and host of an App Mesh endpoint, followed by the end of the authority.
_APPMESH_ENDPOINT = r"https?://appmesh\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::\d+)?(?=[/?#]|$)"
APPMESH_URL = re.compile(_APPMESH_ENDPOINT, re.IGNORECASE)
# Passthrough is decided by `pattern.match(url)`: this one matches any URL that is not App Mesh.
_NOT_APPMESH_URL = re.compile(f"(?!{_APPMESH_ENDPOINT})", re.IGNORECASE)
_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS")


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    return bytes(body)


def answer(request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    """The `responses` callback: one App Mesh request through the shared dispatcher."""
    from .runtime import RUNTIME

    url = urlsplit(str(request.url))
    body = _body_bytes(request.body)
    method = str(request.method)
    response = rawhttp.check_request(request.headers, body) or RUNTIME.dispatcher.handle(
        method, url.path, url.query, request.headers, body, url.hostname or ""
    )
    return response.status, response.headers, response.body


class RequestsInterception:
    """Counts activations: the first starts the interception, the last one out stops it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._mock: responses.RequestsMock | None = None

    @property
    def active(self) -> bool:
        return self._mock is not None

    def activate(self) -> None:
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self._mock = self._start()

    def deactivate(self) -> None:
        with self._lock:
            if self._depth == 0:
                return
            self._depth -= 1
            if self._depth == 0 and self._mock is not None:
                self._mock.stop(allow_assert=False)
                self._mock = None

    @staticmethod
    def _start() -> responses.RequestsMock:
        # Imported here so that `import appmesh_mock` stays light for boto3-only users.
        import responses
        from requests.adapters import HTTPAdapter

        mock = responses.RequestsMock(
            assert_all_requests_are_fired=False,
            passthru_prefixes=(_NOT_APPMESH_URL,),  # type: ignore[arg-type]
            real_adapter_send=HTTPAdapter.send,  # type: ignore[arg-type]
        )
        for method in _METHODS:
            mock.add_callback(method, APPMESH_URL, callback=answer, content_type=None)
        mock.start()
        return mock


INTERCEPTION = RequestsInterception()
