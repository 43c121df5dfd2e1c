"""The botocore `before-send` hook that answers App Mesh requests in-process, ahead of other
stubbers (the transport guard in `botocore_transport` covers clients that lack it)."""

from __future__ import annotations

import sys
from collections.abc import Awaitable
from typing import Any
from urllib.parse import urlsplit

from botocore import handlers as botocore_handlers
from botocore.awsrequest import AWSResponse

from ..service.tagging import concerns_app_mesh_only
from . import botocore_names as names
from . import botocore_transport, class_patches, self_test
from .botocore_transport import FAKE_CREDENTIALS, Answerer, body_bytes

__all__ = [
    "EVENT", "FAKE_CREDENTIALS", "UNIQUE_ID", "install", "patch_client", "start", "stop"
]  # fmt: skip

EVENT = "before-send.app-mesh"
UNIQUE_ID = "appmesh-mock-before-send"
TAGGING_EVENT = "before-send.resource-groups-tagging-api"
TAGGING_UNIQUE_ID = "appmesh-mock-before-send-tagging"
ANSWERED_SCHEME = "appmesh-mock-answered"


def before_send(request: Any, **_: Any) -> AWSResponse | Awaitable[AWSResponse] | None:
    """Answers while a mock is active; otherwise lets botocore send the request as usual.
    Inside an aiobotocore call that may wait for a latency fault, the answer is an awaitable
    (aiobotocore awaits what a handler returns)."""
    if not botocore_transport.active() or request.url.startswith(ANSWERED_SCHEME):
        return None  # idle, or already answered by this hook registered twice
    response = botocore_transport.answer_soon(request)
    _hide_from_later_handlers(request)
    return response


def before_send_tagging(request: Any, **_: Any) -> AWSResponse | Awaitable[AWSResponse] | None:
    """Answers Tagging API calls while a mock is active, except, with moto active too, those
    that are not about App Mesh alone: moto answers those from its own resources. (Faults
    apply to them too: an async call may wait on a worker thread, as in `before_send`.)"""
    if not botocore_transport.active() or request.url.startswith(ANSWERED_SCHEME):
        return None
    if _moto_active() and not concerns_app_mesh_only(request.headers, body_bytes(request.body)):
        return None
    response = botocore_transport.answer_soon(request)
    _hide_from_later_handlers(request)
    return response


def _moto_active() -> bool:
    """Whether moto's `mock_aws` is on: its botocore stubber, if moto was imported at all."""
    models = sys.modules.get("moto.core.models")
    return bool(getattr(getattr(models, names.MOTO_STUBBER, None), names.MOTO_ENABLED, False))


def _hide_from_later_handlers(request: Any) -> None:
    """botocore calls every `before-send` handler, even after one has answered, and keeps the
    first answer. This hook's service-specific event runs before catch-all ones such as
    moto's, which would otherwise run the same call against moto's own App Mesh backend. So
    the answered request's URL is moved off AWS: handlers that match AWS hosts pass it by.
    Nothing reads it afterwards (a retry builds and signs a new request)."""
    url = urlsplit(request.url)
    request.url = f"{ANSWERED_SCHEME}://{url.hostname}{url.path}"


def _register(events: Any) -> None:
    events.register(EVENT, before_send, unique_id=UNIQUE_ID)
    events.register(TAGGING_EVENT, before_send_tagging, unique_id=TAGGING_UNIQUE_ID)


def install(target: Answerer) -> None:
    """At import (mock.py): every botocore session created from now on carries the hook, and
    boto3's default session, if it already exists, gets it too. These registrations stay: the
    hook is idle until a mock starts (it returns None at once while none is active, and
    botocore then sends as if it were not there).

    Only the first call registers anything: sessions made since then already carry the hook
    as a built-in, and registering it again would make each request run the dispatcher twice
    (botocore emits before-send to every handler). Without botocore's list of built-in
    handlers, nothing is registered (the self-test says so at the first start)."""
    botocore_transport.set_target(target)
    builtins = getattr(botocore_handlers, names.BUILTIN_HANDLERS, None)
    if not isinstance(builtins, list) or (EVENT, before_send) in builtins:
        return
    builtins.append((EVENT, before_send))
    builtins.append((TAGGING_EVENT, before_send_tagging))
    import boto3

    if boto3.DEFAULT_SESSION is not None:
        _register(boto3.DEFAULT_SESSION.events)


def start(target: Answerer) -> None:
    """When the first mock starts: the class patches (transport_guards, botocore_client), the
    answer in place only where the self-test finds it works. Clients made before are covered:
    the patches are on their classes."""
    botocore_transport.set_target(target)
    self_test.start((before_send, before_send_tagging))


def stop() -> None:
    """When the last mock stops: every class patch is taken out (class_patches)."""
    class_patches.undo_all()


def patch_client(client: Any) -> Any:
    """Gives a client made before `appmesh_mock` was imported the hook itself. Such a client
    is answered anyway while a mock is active (by the transport guard), but only a patched one
    is answered ahead of other `before-send` stubbers such as moto's. Returns the client."""
    _register(client.meta.events)
    return client
