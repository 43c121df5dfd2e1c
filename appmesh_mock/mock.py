"""`mock_appmesh`: a decorator (bare or with options), class decorator and context manager."""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import unittest
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, TypeVar, overload

from . import semantics
from .backend.kinds import MESH_CHILDREN, NESTED_IN
from .backend.resources import MeshState, Resource
from .entry import botocore_hook
from .entry.runtime import RUNTIME
from .handlers.views import metadata
from .semantics import Resolution
from .semantics.request import QueryInput
from .service import export as state_export
from .service.calls import CallLog
from .service.faults import Fault
from .service.identity import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from .service.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])

# Clients created from here on carry the (idle) hook, even those made before a mock starts.
botocore_hook.install(RUNTIME)


class MockAppMesh:
    """One activation of the mock. Nested activations share state; the outermost one starts
    and ends with empty state."""

    def __init__(
        self,
        *,
        account_id: str | None = None,
        quotas: Mapping[str, int] | None = None,
        strict: bool | None = None,
        pass_mock: bool = False,
    ) -> None:
        # Settings checks the quotas: a misspelt one fails here, at the decorator.
        self._settings = Settings(account_id=account_id, quotas=quotas, strict=strict)
        self._pass_mock = pass_mock
        self._active: Settings | None = None
        self._calls: CallLog | None = None  # the log of this activation, kept after it stops
        self._faults: list[Fault] = []  # added through this activation, removed at its stop

    # Life cycle ---------------------------------------------------------------------------
    def start(self) -> MockAppMesh:
        if self._active is not None:
            raise RuntimeError("this mock is already started")
        # Each activation pushes its own settings object: the runtime pops it by identity.
        self._active = dataclasses.replace(self._settings)
        RUNTIME.push(self._active)
        self._calls = RUNTIME.dispatcher.calls
        return self

    def stop(self) -> None:
        active, self._active = self._active, None
        if active is None:
            raise RuntimeError("this mock is not started")
        for fault in self._faults:
            fault.remove()
        self._faults.clear()
        RUNTIME.pop(active)

    def __enter__(self) -> MockAppMesh:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # Decorating ---------------------------------------------------------------------------
    def __call__(self, target: F) -> F:
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        return self._decorate_function(target)

    def _fresh(self) -> MockAppMesh:
        """A new activation with the same options, one per decorated call."""
        clone = MockAppMesh()
        clone._settings = self._settings
        return clone

    def _decorate_function(self, func: F) -> F:
        pass_mock = self._pass_mock
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self._fresh() as mock:
                    return await func(*args, *((mock,) if pass_mock else ()), **kwargs)

            return _without_last_parameter(run_async, func) if pass_mock else run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self._fresh() as mock:
                return func(*args, *((mock,) if pass_mock else ()), **kwargs)

        return _without_last_parameter(run, func) if pass_mock else run  # type: ignore[return-value]

    def _decorate_class(self, cls: type) -> type:
        if issubclass(cls, unittest.TestCase):
            # Each test, with its setUp and cleanups, runs inside one fresh activation.
            original_setup = cls.setUp
            template = self

            def setUp(test: unittest.TestCase) -> None:
                activation = template._fresh().start()
                test.addCleanup(activation.stop)
                original_setup(test)

            cls.setUp = setUp  # type: ignore[method-assign,assignment]
            return cls
        for name, value in list(vars(cls).items()):
            if name.startswith("test") and callable(value):
                setattr(cls, name, self._decorate_function(value))
        return cls

    # Faults and calls (service/faults.py, service/calls.py) -------------------------------
    def add_fault(
        self,
        operation: str = "*",
        *,
        error: str | None = "TooManyRequestsException",
        message: str | None = None,
        times: int | None = None,
        probability: float = 1.0,
        seed: int | None = None,
        delay: float = 0.0,
        api_version: str | None = None,
        account_id: str | None = None,
        region: str | None = None,
    ) -> Fault:
        """Makes matching App Mesh calls fail with `error` (one the model declares for the
        operation; its status and code come from the model) after waiting `delay` seconds, or
        only wait (`error=None`, `delay > 0`). `times=N`: the next N matching calls, then the
        fault is spent; `probability` (with `seed`, reproducibly) fails some at random. The
        first fault added that fires wins; a failed call changes no state. The fault lasts
        until `Fault.remove()`, `clear_faults()` or the end of this activation."""
        faults = RUNTIME.dispatcher.faults
        fault = faults.add(
            operation, error=error, message=message, times=times, probability=probability,
            seed=seed, delay=delay, api_version=api_version, account_id=account_id,
            region=region,
        )  # fmt: skip
        if self._active is None:
            fault.remove()
            raise RuntimeError("start the mock before adding faults")
        self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Removes every fault (also those an outer activation added)."""
        RUNTIME.dispatcher.faults.clear()
        self._faults.clear()

    @property
    def calls(self) -> CallLog:
        """Every App Mesh call answered while the mock was active (from the botocore hook,
        `requests` or the in-process MockServer), in order; `calls.clear()`,
        `calls.of("CreateRoute")`. Readable after the mock stops."""
        return self._calls if self._calls is not None else RUNTIME.dispatcher.calls

    # Looking at the state -----------------------------------------------------------------
    def snapshot(
        self, account_id: str = DEFAULT_ACCOUNT_ID, region: str = DEFAULT_REGION
    ) -> dict[str, Any]:
        """A deep copy of what one account holds in one region, for assertions.

        `{"meshes": {name: {"arn", "uid", "version", "status", "spec", "tags",
        "createdAt", "lastUpdatedAt", "meshOwner", "resourceOwner",
        "virtualNodes": {...}, "virtualRouters": {name: {..., "routes": {...}}}, ...}}}`.
        Changing it changes nothing in the mock.
        """
        with RUNTIME.store.lock:
            backend = RUNTIME.store.backend(account_id, region)
            return {"meshes": {mesh.name: _mesh_snapshot(mesh) for mesh in backend.meshes}}

    def export(self) -> dict[str, Any]:
        """Every account's and region's resources as the API-shaped state document:
        `{"resources": [{"mesh": {...DescribeMesh output...}, "tags": [...]}, ...]}`, each
        resource as the 2019-01-25 Describe* call returns it, in dependency order (mesh shares,
        if any, under "shares"). A deep copy; `load()` reads it back (docs/state.md)."""
        return state_export.export(RUNTIME.store)

    def share_mesh(
        self,
        mesh_name: str,
        owner_account_id: str,
        consumer_account_id: str,
        region: str = DEFAULT_REGION,
    ) -> None:
        """Shares a mesh as AWS RAM would: the consumer may then name it with `meshOwner`."""
        RUNTIME.store.share(owner_account_id, region, mesh_name, consumer_account_id)

    def unshare_mesh(
        self,
        mesh_name: str,
        owner_account_id: str,
        consumer_account_id: str,
        region: str = DEFAULT_REGION,
    ) -> None:
        RUNTIME.store.unshare(owner_account_id, region, mesh_name, consumer_account_id)

    # What the mesh does with a request (docs/routing.md) ------------------------------------
    def resolve(
        self,
        mesh_name: str,
        *,
        service: str | None = None,
        gateway: str | None = None,
        source: str | None = None,
        path: str = "/",
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        query: QueryInput = None,
        port: int | None = None,
        host: str | None = None,
        scheme: str = "http",
        account_id: str | None = None,
        region: str | None = None,
        mesh_owner: str | None = None,
    ) -> Resolution:
        """Where a request goes in `mesh_name`: `appmesh_mock.resolve` over this mock's state."""
        return semantics.resolve(
            self.export(), mesh_name, service=service, gateway=gateway, source=source,
            path=path, method=method, headers=headers, query=query, port=port, host=host,
            scheme=scheme, account_id=account_id, region=region, mesh_owner=mesh_owner,
        )  # fmt: skip

    def topology(
        self,
        mesh_name: str,
        format: str = "text",
        *,
        account_id: str | None = None,
        region: str | None = None,
        mesh_owner: str | None = None,
    ) -> str:
        """The mesh drawn as "text" (a tree), "mermaid" or "dot"."""
        return semantics.topology(
            self.export(), mesh_name, format,
            account_id=account_id, region=region, mesh_owner=mesh_owner,
        )  # fmt: skip


def _without_last_parameter(wrapper: Any, func: Callable[..., Any]) -> Any:
    """With `pass_mock`, the decorator supplies the last positional parameter: the wrapper's
    signature leaves it out, so pytest does not look for a fixture of that name."""
    signature = inspect.signature(func)
    positional = [
        p
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if not positional:
        raise TypeError(f"{func.__qualname__} takes no positional parameter for pass_mock")
    parameters = [p for p in signature.parameters.values() if p is not positional[-1]]
    wrapper.__signature__ = signature.replace(parameters=parameters)
    return wrapper


def _resource_snapshot(resource: Resource) -> dict[str, Any]:
    out = metadata(resource)
    out["status"] = resource.status
    out["spec"] = copy.deepcopy(resource.spec)
    out["tags"] = dict(resource.tags)
    return out


def _mesh_snapshot(mesh: MeshState) -> dict[str, Any]:
    """The mesh's envelope with every kind inside it, routes (gateway routes) under their
    router (gateway)."""
    out = _resource_snapshot(mesh.resource)
    for kind in MESH_CHILDREN:
        out[kind.list_member] = {}
    for resource in mesh.members():
        entry = _resource_snapshot(resource)
        if resource.kind.parent is None:
            nested = NESTED_IN.get(resource.kind.key)
            if nested is not None:
                entry[nested.list_member] = {}
            out[resource.kind.list_member][resource.name] = entry
        else:
            parent = out[resource.kind.parent.list_member][resource.parent_name]
            parent[resource.kind.list_member][resource.name] = entry
    return out


@overload
def mock_appmesh(target: F) -> F: ...
@overload
def mock_appmesh(
    target: None = None,
    *,
    account_id: str | None = None,
    quotas: Mapping[str, int] | None = None,
    strict: bool | None = None,
    pass_mock: bool = False,
) -> MockAppMesh: ...


def mock_appmesh(
    target: Any = None,
    *,
    account_id: str | None = None,
    quotas: Mapping[str, int] | None = None,
    strict: bool | None = None,
    pass_mock: bool = False,
) -> Any:
    """`@mock_appmesh`, `@mock_appmesh(account_id=..., quotas=...)` or `with mock_appmesh():`.

    Options: `account_id` fixes the account of every request (otherwise the env variable
    APPMESH_MOCK_ACCOUNT_ID, a 12-digit access key ID, or 123456789012); `quotas` overrides
    service quotas by key (see DEFAULT_QUOTAS); `strict` checks every response against the
    model (default: env APPMESH_MOCK_STRICT); `pass_mock=True` hands the active `MockAppMesh`
    to a decorated function as its last positional argument.
    """
    mock = MockAppMesh(account_id=account_id, quotas=quotas, strict=strict, pass_mock=pass_mock)
    if target is None:
        return mock
    return mock(target)
