"""`mock_appmesh`: a decorator (bare or with options), class decorator and context manager."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from . import decorating
from .analysis.mesh_methods import MeshMethods
from .decorating import MockOptions  # the options' one definition, importable from here
from .iac import loading as iac_loading
from .iac.loading import LoadReport
from .inprocess import botocore_hook
from .service import export as state_export
from .service import sharing
from .service import snapshot as state_snapshot
from .service.calls import DEFAULT_LIMIT, CallLog
from .service.faults import Fault, Faults
from .service.identity import DEFAULT_ACCOUNT_ID, default_region, fixed_account
from .service.settings import Settings
from .session import RUNTIME

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11

F = TypeVar("F", bound=Callable[..., Any])


# Clients created from here on carry the (idle) hook, even those made before a mock starts.
botocore_hook.install(RUNTIME)


class MockAppMesh(MeshMethods):
    """One activation of the mock. Nested activations share state; the outermost one starts
    and ends with empty state."""

    def __init__(self, **options: Unpack[MockOptions]) -> None:
        decorating.check_names(options)
        # Settings checks the quotas: a misspelt one fails here, at the decorator.
        self._settings = Settings(
            account_id=options.get("account_id"),
            quotas=options.get("quotas"),
            strict=options.get("strict"),
            sleep=options.get("sleep"),
            call_log_limit=options.get("call_log_limit", DEFAULT_LIMIT),
        )
        self._pass_mock = decorating.check_pass_mock(options.get("pass_mock", False))
        self._state = options.get("state")  # loaded at each start (see load())
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
        if self._state is not None:
            try:
                self.load(self._state)
            except BaseException:
                self.stop()
                raise
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
        clone = MockAppMesh(state=self._state)
        clone._settings = self._settings
        return clone

    def _decorate_function(self, func: F) -> F:
        return decorating.decorate_function(self._fresh, func, self._pass_mock)

    def _decorate_class(self, cls: type) -> type:
        return decorating.decorate_class(
            self._fresh, cls, self._decorate_function, self._pass_mock
        )

    # Faults and calls (service/faults.py, service/calls.py) -------------------------------
    @decorating.options_of(Faults.add)
    def add_fault(self, operation: str = "*", **options: Any) -> Fault:
        faults = RUNTIME.dispatcher.faults
        fault = faults.add(operation, **options)
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
        """The App Mesh and Tagging API calls answered while the mock was active (from the
        botocore hook, `requests` or the in-process MockServer), in order: the latest
        `call_log_limit` (`calls.dropped` counts the older ones let go); `Call.service` tells
        them apart; `calls.clear()`, `calls.of("CreateRoute")`. Readable after the mock stops."""
        return self._calls if self._calls is not None else RUNTIME.dispatcher.calls

    # Looking at the state -----------------------------------------------------------------
    def snapshot(
        self, account_id: str | None = None, region: str | None = None
    ) -> dict[str, Any]:
        """A deep copy of what one account holds in one region, nested by mesh, for quick
        assertions (`export()` is the whole state in the API's own shapes, for saving).

        `{"meshes": {name: {"arn", "uid", "version", "status", "spec", "tags",
        "createdAt", "lastUpdatedAt", "meshOwner", "resourceOwner",
        "virtualNodes": {...}, "virtualRouters": {name: {..., "routes": {...}}}, ...}}}`.
        By default the account requests speak for (this mock's `account_id`, an outer one's,
        env APPMESH_MOCK_ACCOUNT_ID, else 123456789012) and the region of a client made
        without one (AWS_REGION, AWS_DEFAULT_REGION, else us-east-1). Changing it changes
        nothing in the mock.
        """
        return state_snapshot.snapshot(
            RUNTIME.store, account_id or self._account(), region or default_region()
        )

    def _account(self) -> str:
        """The account this activation's requests speak for when nothing else says."""
        settings = RUNTIME.settings_of(self._active) if self._active else self._settings
        return fixed_account(settings.account_id) or DEFAULT_ACCOUNT_ID

    def export(self) -> dict[str, Any]:
        """Every account's and region's resources as the API-shaped state document:
        `{"resources": [{"mesh": {...DescribeMesh output...}, "tags": [...]}, ...]}`, each
        resource as the 2019-01-25 Describe* call returns it, in dependency order (mesh shares,
        if any, under "shares"). A deep copy; `load()` reads it back (docs/state.md)."""
        return state_export.export(RUNTIME.store)

    def load(
        self, source: Any, *, format: str | None = None, parameters: Mapping[str, Any] | None = None
    ) -> LoadReport:
        """Adds the resources of `source` to the mock's state. `source` is a path, a folder, a
        string or a parsed document, in any `format` (detected when not given): "state" (an
        exported document, a list of Describe* outputs, a folder of saved `aws appmesh
        describe-*` output; each keeps its arn, uid, version, times and owners),
        "cloudformation" (a template, JSON or YAML, or a `cdk.out` folder), "terraform"
        (`terraform show -json` state or plan, `.tf` files) or "kubernetes" (the App Mesh
        controller's resources). `parameters` gives CloudFormation parameters, Terraform
        variables, manifest `${PLACEHOLDERS}` and values only AWS knows (docs/state.md).
        Every resource goes through its Create handler; all or nothing: a bad one loads
        nothing and raises ValueError naming it. Returns the number of resources loaded, an
        int whose `not_loaded` lists what the files held that was left out."""
        if self._active is None:
            raise RuntimeError("start the mock before loading state")
        return iac_loading.load(
            RUNTIME.store, source, RUNTIME.dispatcher.quotas, format=format,
            parameters=parameters, account_id=RUNTIME.dispatcher.settings.account_id,
        )

    def reset(self, *, state_only: bool = False) -> None:
        """Empties every account and region, removes every fault and clears the call log;
        with `state_only=True` the faults and calls stay. The options always stay."""
        RUNTIME.dispatcher.reset(state_only=state_only)
        if not state_only:
            self._faults.clear()

    def share_mesh(
        self,
        mesh_name: str,
        *legacy: str,
        owner_account_id: str | None = None,
        consumer_account_id: str | None = None,
        region: str | None = None,
    ) -> None:
        """Shares a mesh as AWS RAM would: the consumer may then name it with `meshOwner`.
        `region` defaults as in `snapshot()`."""
        owner, consumer, where = sharing.parties(
            legacy,
            owner_account_id=owner_account_id,
            consumer_account_id=consumer_account_id,
            region=region,
        )
        RUNTIME.store.share(owner, where, mesh_name, consumer)
        RUNTIME.store.commit()  # as a request ends: journalled, and watchers told

    @decorating.options_of(share_mesh, doc="Takes a share back (same arguments as share_mesh).")
    def unshare_mesh(self, mesh_name: str, *legacy: str, **parties: str | None) -> None:
        owner, consumer, where = sharing.parties(legacy, **parties)
        RUNTIME.store.unshare(owner, where, mesh_name, consumer)
        RUNTIME.store.commit()


@overload
def mock_appmesh(target: F) -> F: ...
@overload
def mock_appmesh(target: None = None, **options: Unpack[MockOptions]) -> MockAppMesh: ...


def mock_appmesh(target: Any = None, **options: Unpack[MockOptions]) -> Any:
    """`@mock_appmesh`, `@mock_appmesh(account_id=..., quotas=...)` or `with mock_appmesh():`.

    Options (MockOptions): `account_id` fixes the account of every request (otherwise the env
    variable APPMESH_MOCK_ACCOUNT_ID, a 12-digit access key ID, or 123456789012); `quotas`
    overrides service quotas by key (see DEFAULT_QUOTAS); `strict` checks every response
    against the model (default: env APPMESH_MOCK_STRICT); `call_log_limit` is how many calls
    `m.calls` keeps, the latest (default 10,000; None keeps every one); `pass_mock=True`
    hands the active `MockAppMesh` to a decorated function's parameter `appmesh_mock`, and
    `pass_mock="name"` to the parameter `name`; `state` (a document, a list of Describe*
    outputs, a file or a folder: see `MockAppMesh.load`) seeds each activation; `sleep`
    waits out the `delay` of a fault (default `time.sleep`: a test may pass its own clock's,
    or a list's `append` to record the delays asked for).
    """
    mock = MockAppMesh(**options)
    if target is None:
        return mock
    return mock(target)
