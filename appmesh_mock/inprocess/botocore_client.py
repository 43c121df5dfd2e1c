"""App Mesh calls answered in place of botocore's transport.

Most of what botocore spends on a call comes after the request is built: signing it, the
`before-send` round, the retry handler and the HTTP plumbing around the parse (about 60% of
a describe). While a mock is active, `_make_request` (patched on the client classes, so every
client has it, whenever it was made) gives the built request to the dispatcher and parses a
successful answer with the client's own parser, as the transport would have. Everything
before it has run as usual (parameter validation, endpoint rules, serialization, `before-call`
handlers such as botocore's Stubber, which answer first), and `after-call` runs after.

The whole transport still runs, so that what a user can observe stays the same, for:
- an error answer: the transport's first attempt is served the answer already computed, and
  botocore retries exactly what it would retry from the wire (429, 5xx, and
  LimitExceededException, which its retry modes count as throttling), each retry dispatched
  anew;
- a client with a handler on one of the transport's events that is neither botocore's nor
  this mock's (a user's `before-sign` or `before-send`, say): it sees every request, as
  before;
- credentials that only signing may read (refreshable ones: reading them could refresh them).
Skipped for an answered success: signing and the `request-created`, `before-sign`,
`before-send`, `response-received` and `before-parse` events of that call.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from botocore import UNSIGNED
from botocore.client import BaseClient

from ..protocol.serializer import HttpResponse
from ..service.identity import Scope
from . import botocore_names as names
from . import botocore_transport, class_patches
from .botocore_transport import FAKE_CREDENTIALS, InProcessResponse, body_bytes

__all__ = ["guard_clients"]

SERVICE_ID = "App Mesh"
# The transport's events of one call. A handler on any of them other than botocore's own
# (signing, retry headers, the user agent) and this mock's sees every request, as before: a
# user's, say, that rewrites the body in `before-sign` or records it in `before-send`.
_TRANSPORT_EVENTS = tuple(
    f"{event}.app-mesh."
    for event in ("request-created", "before-sign", "before-send", "response-received",
                  "before-parse")
)  # fmt: skip
_BOTOCORE_MODULES = ("botocore.", "aiobotocore.")
# This mock's `before-send` hooks (set by guard_clients), and the self-test's.
_own_handlers: tuple[Any, ...] = ()


class _NotReadable(Exception):
    """What only signing may read: refreshable credentials, or a signer of another make."""


def _moto_stubber() -> Any:
    return getattr(sys.modules.get("moto.core.models"), names.MOTO_STUBBER, None)


def emitter_of(client: Any) -> Any:
    return getattr(client.meta.events, names.EMITTER)


def handlers(emitter: Any, name: str) -> Any:
    """The handlers botocore would call for `name`, from the emitter's own lookup cache (which
    it clears whenever a handler comes or goes)."""
    cache = getattr(emitter, names.LOOKUP_CACHE)
    found = cache.get(name)
    if found is None:
        trie = getattr(emitter, names.HANDLERS)
        found = cache[name] = getattr(trie, names.PREFIX_SEARCH)(name)
    return found


def _botocores(handler: Any) -> bool:
    return str(getattr(handler, "__module__", "")).startswith(_BOTOCORE_MODULES)


def _transport_untouched(client: Any, operation_name: str) -> bool:
    """Whether nothing but botocore and this mock handles this call's transport events.
    moto's stubber counts only behind this mock's hook, which hides answered calls from it:
    a client without the hook is moto's while moto is on, until `patch_client`."""
    moto = _moto_stubber()
    hooked = moto_seen = False
    # The self-test checks the lookup itself: other libraries' built-in handlers in its
    # throw-away client do not count.
    testing = botocore_transport.STAND_IN.get() is not None
    try:
        emitter = emitter_of(client)
        for prefix in _TRANSPORT_EVENTS:
            for handler in handlers(emitter, prefix + operation_name):
                if handler in _own_handlers:
                    hooked = True
                elif handler is moto:
                    moto_seen = True
                elif not testing and not _botocores(handler):
                    return False
    except AttributeError:  # an emitter of another make: let it run as it would
        return False
    return hooked or not moto_seen


def _credential_scope(client: Any, context: dict[str, Any]) -> Scope | None:
    """The (access key, region) that signing would put in the credential scope; None for an
    unsigned client (botocore.UNSIGNED)."""
    try:
        signer = getattr(client, names.REQUEST_SIGNER)
        credentials = getattr(signer, names.CREDENTIALS)
    except AttributeError:  # a client of another make: signing knows
        raise _NotReadable from None
    if signer.signature_version is UNSIGNED:
        return None
    if credentials is None:
        key = FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]  # lent by the transport guard's signer
    else:
        key = vars(credentials).get("access_key")  # a refreshable kind has only a property
        if not isinstance(key, str):
            raise _NotReadable
    region = (context.get(names.SIGNING_CONTEXT) or {}).get("region") or signer.region_name
    return key, region


def _answer_first(
    client: Any, operation_model: Any, request_dict: dict[str, Any]
) -> HttpResponse | None:
    """The dispatcher's answer to the built request; None where the transport must run.
    Of a client of another service, only its public service model is read."""
    target = botocore_transport.target()
    if target is None or not target.active:
        return None
    if client.meta.service_model.service_id != SERVICE_ID:
        return None
    if not _transport_untouched(client, operation_model.name):
        return None
    try:
        scope = _credential_scope(client, request_dict["context"])
    except _NotReadable:
        return None
    url = urlsplit(request_dict["url"])
    return target.answer(
        request_dict["method"],
        url.path,
        url.query,
        request_dict["headers"],
        body_bytes(request_dict["body"]),
        url.hostname or "",
        scope,
    )


def _parsed(
    client: Any, operation_model: Any, request_dict: dict[str, Any], answer: HttpResponse
) -> tuple[InProcessResponse, Any]:
    """The HTTP response and what the transport's parse gives for a successful answer (the
    parse possibly awaitable: aiobotocore's parsers are)."""
    http = InProcessResponse(request_dict["url"], answer.status, answer.headers, answer.body)
    service_model = operation_model.service_model
    protocol = getattr(service_model, "resolved_protocol", None) or service_model.protocol
    factory = getattr(getattr(client, names.ENDPOINT), names.PARSER_FACTORY)
    parser = factory.create_parser(protocol)
    response_dict = {
        "headers": http.headers,
        "status_code": http.status_code,
        "context": {"operation_name": operation_model.name},
        "body": answer.body,
    }
    return http, parser.parse(response_dict, operation_model.output_shape)


def _finished(parsed: dict[str, Any]) -> dict[str, Any]:
    metadata = parsed.get("ResponseMetadata")
    if metadata is not None:
        metadata["RetryAttempts"] = 0  # as the transport records it: no retries
    return parsed


@contextmanager
def _served_first(answer: HttpResponse) -> Iterator[None]:
    """While the transport runs, its first attempt is served `answer` (see PENDING)."""
    token = botocore_transport.PENDING.set(answer)
    try:
        yield
    finally:
        botocore_transport.PENDING.reset(token)


def _unparsed() -> None:
    """A success the client's parser could not be reached for (a client of another make):
    the transport is served the answer and parses it. The self-test wants to know."""
    if botocore_transport.STAND_IN.get() is not None:
        raise


def _guard_sync(original: Callable[..., Any]) -> Callable[..., Any]:
    def make_request(
        self: Any, operation_model: Any, request_dict: dict[str, Any], request_context: Any
    ) -> Any:
        answer = _answer_first(self, operation_model, request_dict)
        if answer is None:
            return original(self, operation_model, request_dict, request_context)
        if answer.status >= 300:
            with _served_first(answer):
                return original(self, operation_model, request_dict, request_context)
        try:
            http, parsed = _parsed(self, operation_model, request_dict, answer)
        except Exception:
            _unparsed()
            with _served_first(answer):  # the transport parses it
                return original(self, operation_model, request_dict, request_context)
        return http, _finished(parsed)

    return make_request


def _guard_async(original: Callable[..., Any]) -> Callable[..., Any]:
    async def make_request(
        self: Any, operation_model: Any, request_dict: dict[str, Any], request_context: Any
    ) -> Any:
        inside = botocore_transport.IN_ASYNC_CALL.set(True)
        try:
            if botocore_transport.off_the_loop():  # a latency fault may make it wait
                answer = await asyncio.to_thread(_answer_first, self, operation_model, request_dict)
            else:
                answer = _answer_first(self, operation_model, request_dict)
            if answer is None:
                return await original(self, operation_model, request_dict, request_context)
            if answer.status >= 300:
                with _served_first(answer):
                    return await original(self, operation_model, request_dict, request_context)
            try:
                http, parsed = _parsed(self, operation_model, request_dict, answer)
                if inspect.isawaitable(parsed):
                    parsed = await parsed
            except Exception:
                _unparsed()
                with _served_first(answer):  # the transport parses it
                    return await original(self, operation_model, request_dict, request_context)
            return http, _finished(parsed)
        finally:
            botocore_transport.IN_ASYNC_CALL.reset(inside)

    return make_request


def guard_clients(own_handlers: tuple[Any, ...]) -> list[str]:
    """Patches `_make_request` of botocore's client class (and aiobotocore's, once imported);
    `class_patches.undo_all` takes them out. Idle while no mock is on. `own_handlers` are this
    mock's `before-send` hooks. Returns "Class.name" of those not there or taking other
    arguments: then none is patched (answering in place is all or nothing)."""
    global _own_handlers
    _own_handlers = own_handlers
    classes = [(BaseClient, _guard_sync)]
    aio_client = class_patches.aio_class("aiobotocore.client", "AioBaseClient")
    if aio_client is not None:
        classes.append((aio_client, _guard_async))
    missing = [
        f"{owner.__name__}.{names.MAKE_REQUEST}"
        for owner, _ in classes
        if not class_patches.fits(owner, names.MAKE_REQUEST, 4)
    ]
    if not missing:
        for owner, guard in classes:
            class_patches.apply(owner, names.MAKE_REQUEST, guard, 4)
    return missing


def unguard_clients() -> None:
    """Takes the answer in place out again (the self-test found that it does not work)."""
    for owner in (BaseClient, class_patches.aio_class("aiobotocore.client", "AioBaseClient")):
        if owner is not None:
            class_patches.undo(owner, names.MAKE_REQUEST)
