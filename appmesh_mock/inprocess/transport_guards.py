"""The guards on botocore's transport classes: the last step before a request leaves
(`Endpoint._send`) answers App Mesh requests of clients which never got the `before-send`
hook, and signing lends fake credentials to a client that has none. Patched on the classes
when the first mock starts (so every client is covered, whenever it was made) and taken out
when the last one stops (`class_patches`)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from botocore.endpoint import Endpoint
from botocore.exceptions import NoCredentialsError
from botocore.signers import RequestSigner

from . import botocore_names as names
from . import class_patches
from .botocore_names import MISSING
from .botocore_transport import SERVED_PREFIXES, FakeCredentials, active, answer, answer_soon
from .class_patches import aio_class

AWS_HOST = re.compile(r"(?:appmesh|tagging)\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?")


def _served_prefix(endpoint: Any) -> bool:
    """Whether an endpoint is App Mesh's or the Tagging API's: by the prefix botocore keeps on
    it or, without that, by its public `host` if an AWS one (an endpoint URL of one's own then
    tells nothing: such a client is answered by the hook alone)."""
    prefix = getattr(endpoint, names.ENDPOINT_PREFIX, MISSING)
    if prefix is MISSING:
        host = urlsplit(str(getattr(endpoint, "host", ""))).hostname or ""
        return AWS_HOST.fullmatch(host) is not None
    return prefix in SERVED_PREFIXES


def _guard_send(original: Callable[..., Any], is_async: bool) -> Callable[..., Any]:
    def send(self: Any, request: Any) -> Any:
        if active() and _served_prefix(self):
            return answer(request)
        return original(self, request)

    async def send_async(self: Any, request: Any) -> Any:
        if active() and _served_prefix(self):
            response = answer_soon(request)
            return await response if inspect.isawaitable(response) else response
        return await original(self, request)

    return send_async if is_async else send


def _needs_credentials(signer: Any) -> bool | None:
    """Whether to lend the fake credentials to a request of `signer`; None where its own
    credentials cannot be read (then only once signing has found none)."""
    if not active() or getattr(signer, "signing_name", None) not in SERVED_PREFIXES:
        return False
    credentials = getattr(signer, names.CREDENTIALS, MISSING)
    return None if credentials is MISSING else credentials is None


def _lend_credentials(request: Any) -> None:
    signing = request.context.setdefault("signing", {})
    signing.setdefault("request_credentials", FakeCredentials())


def _guard_sign(original: Callable[..., Any], is_async: bool) -> Callable[..., Any]:
    """A client resolves its credentials when it is made: one made before any mock started,
    with none configured anywhere, has nothing to sign with and botocore would refuse to send.
    While a mock is active its App Mesh requests are signed with the fake credentials, for
    that request only (the client itself is left unchanged)."""

    def sign(self: Any, operation_name: str, request: Any, *args: Any, **kwargs: Any) -> Any:
        needed = _needs_credentials(self)
        if needed:
            _lend_credentials(request)
        try:
            return original(self, operation_name, request, *args, **kwargs)
        except NoCredentialsError:
            if needed is not None:
                raise
        _lend_credentials(request)
        return original(self, operation_name, request, *args, **kwargs)

    async def sign_async(self: Any, operation_name: str, request: Any, *args: Any,
                         **kwargs: Any) -> Any:  # fmt: skip
        needed = _needs_credentials(self)
        if needed:
            _lend_credentials(request)
        try:
            return await original(self, operation_name, request, *args, **kwargs)
        except NoCredentialsError:
            if needed is not None:
                raise
        _lend_credentials(request)
        return await original(self, operation_name, request, *args, **kwargs)

    return sign_async if is_async else sign


def guard_transport() -> list[str]:
    """The last steps before a request leaves, patched on the classes so that every client is
    covered, whenever and from whichever session it was made (also those whose event emitter
    lacks the hook: made before `appmesh_mock` was imported, from a session that existed
    already). While a mock is active, every botocore (and, once imported, aiobotocore)
    endpoint of App Mesh or the Tagging API answers in-process instead of sending, and its
    signer lends fake credentials to a client that has none. Idle while no mock is on;
    `class_patches.undo_all` takes them out. Returns "Class.name" of those not patched (not
    there, or taking other arguments)."""
    missing = []
    for owner, name, guard, arity, is_async in (
        (Endpoint, names.SEND, _guard_send, 2, False),
        (RequestSigner, names.SIGN, _guard_sign, 3, False),
        (aio_class("aiobotocore.endpoint", "AioEndpoint"), names.SEND, _guard_send, 2, True),
        (aio_class("aiobotocore.signers", "AioRequestSigner"), names.SIGN, _guard_sign, 3, True),
    ):
        if owner is not None and not class_patches.apply(
            owner, name, partial(guard, is_async=is_async), arity
        ):
            missing.append(f"{owner.__name__}.{name}")
    return missing
