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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..protocol.serializer import HttpResponse
from ..service.dispatch import Dispatcher
from .http_checks import check_request

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


Answer = Callable[..., HttpResponse]  # Dispatcher.handle's signature


def _callback(handle: Answer) -> Callable[[PreparedRequest], tuple[int, dict[str, str], bytes]]:
    def answer(request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        """The `responses` callback: one App Mesh request through the shared dispatcher."""
        url = urlsplit(str(request.url))
        body = _body_bytes(request.body)
        method = str(request.method)
        response = check_request(request.headers, body) or handle(
            method, url.path, url.query, request.headers, body, url.hostname or ""
        )
        return response.status, response.headers, response.body

    return answer


_mock: responses.RequestsMock | None = None


def start(dispatcher: Dispatcher) -> None:
    """Starts answering (the runtime calls this when the first mock starts)."""
    global _mock
    if _mock is not None:
        return
    # Imported here so that `import appmesh_mock` stays light for boto3-only users.
    import responses
    from requests.adapters import HTTPAdapter

    mock = responses.RequestsMock(
        assert_all_requests_are_fired=False,
        passthru_prefixes=(_NOT_APPMESH_URL,),  # type: ignore[arg-type]
        real_adapter_send=HTTPAdapter.send,  # type: ignore[arg-type]
    )
    callback = _callback(dispatcher.handle)
    for method in _METHODS:
        mock.add_callback(method, APPMESH_URL, callback=callback, content_type=None)
    mock.start()
    _mock = mock


def stop() -> None:
    """Stops answering (when the last mock stops)."""
    global _mock
    mock, _mock = _mock, None
    if mock is not None:
        mock.stop(allow_assert=False)
