"""Answers App Mesh calls made with the `requests` library while a mock is active.

Code that signs App Mesh requests itself (botocore's SigV4Auth, requests-aws4auth...) and
sends them with `requests` never passes through botocore's hook. While any `mock_appmesh`
is active (from the moment `requests` is imported, if that comes later), a
`responses.RequestsMock` answers requests to `appmesh.<region>.amazonaws.com` (and
`.amazonaws.com.cn`) from the same dispatcher and backends as boto3 calls. Every other
request is passed on untouched to whatever `HTTPAdapter.send` was in place when the
interception started, so a `responses` mock of the test's own keeps answering its hosts.
"""

from __future__ import annotations

import importlib.abc
import re
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..protocol.http_checks import check_request
from ..protocol.serializer import HttpResponse
from ..service.dispatch import Dispatcher
from .botocore_transport import body_bytes

if TYPE_CHECKING:
    import responses
    from requests import PreparedRequest

# Scheme and host of an App Mesh endpoint, followed by the end of the authority.
_APPMESH_ENDPOINT = r"https?://appmesh\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::\d+)?(?=[/?#]|$)"
APPMESH_URL = re.compile(_APPMESH_ENDPOINT, re.IGNORECASE)
# Passthrough is decided by `pattern.match(url)`: this one matches any URL that is not App Mesh.
_NOT_APPMESH_URL = re.compile(f"(?!{_APPMESH_ENDPOINT})", re.IGNORECASE)
_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS")


Answer = Callable[..., HttpResponse]  # Dispatcher.handle's signature


def _callback(handle: Answer) -> Callable[[PreparedRequest], tuple[int, dict[str, str], bytes]]:
    def answer(request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        """The `responses` callback: one App Mesh request through the shared dispatcher."""
        url = urlsplit(str(request.url))
        body = body_bytes(request.body)
        method = str(request.method)
        response = check_request(request.headers, body) or handle(
            method, url.path, url.query, request.headers, body, url.hostname or ""
        )
        return response.status, response.headers, response.body

    return answer


_mock: responses.RequestsMock | None = None
_waiting: _OnImport | None = None


_WATCHED = ("requests", "responses")


class _OnImport(importlib.abc.MetaPathFinder):
    """Starts the interception right after `requests` is first imported: most suites never
    import it, and importing `responses` to set it up was a third of the mock's start-up.
    `responses` is watched too: when it is what imports `requests`, the interception (which
    needs all of `responses`) starts once `responses` has finished."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.running: set[str] = set()

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in _WATCHED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _ThenStart(spec.loader, self, fullname)
                return spec
        return None


class _ThenStart(importlib.abc.Loader):
    """A watched module's loader: once no watched module is still running, and `requests`
    has been imported, the interception starts."""

    def __init__(self, loader: importlib.abc.Loader, waiting: _OnImport, name: str) -> None:
        self._loader, self._waiting, self._name = loader, waiting, name

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        waiting = self._waiting
        waiting.running.add(self._name)
        try:
            self._loader.exec_module(module)
        finally:
            waiting.running.discard(self._name)
        if _waiting is waiting and not waiting.running and "requests" in sys.modules:
            _disarm()
            _start_now(waiting.dispatcher)


def _disarm() -> None:
    global _waiting
    waiting, _waiting = _waiting, None
    if waiting is not None and waiting in sys.meta_path:
        sys.meta_path.remove(waiting)


def start(dispatcher: Dispatcher) -> None:
    """Starts answering (the runtime calls this when the first mock starts): now if `requests`
    is already imported, else as soon as it is."""
    global _waiting
    if _mock is not None or _waiting is not None:
        return
    if "requests" in sys.modules:
        _start_now(dispatcher)
        return
    _waiting = _OnImport(dispatcher)
    sys.meta_path.insert(0, _waiting)


def _start_now(dispatcher: Dispatcher) -> None:
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
    _disarm()
    mock, _mock = _mock, None
    if mock is not None:
        mock.stop(allow_assert=False)
