"""When botocore renames a private name the in-process path reads, App Mesh calls are still
answered in-process (more slowly where the answer in place needs it) and a warning names the
piece; other services' calls are never touched; and when the last mock stops, botocore's
classes are exactly as they were before the first one started.

A botocore release renaming, say, `client._request_signer` looks to appmesh-mock like its
table entry (inprocess/botocore_names.py) naming something that is not there: so these tests
rename the entry, and botocore itself keeps working as it does."""

from __future__ import annotations

import contextlib
import socket
import sys
import warnings
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore import handlers as botocore_handlers
from botocore.client import BaseClient
from botocore.config import Config
from botocore.endpoint import Endpoint
from botocore.exceptions import EndpointConnectionError
from botocore.signers import RequestSigner

from appmesh_mock import AppMeshMockFallbackWarning, mock_appmesh
from appmesh_mock.inprocess import botocore_names, self_test

with contextlib.suppress(ImportError):  # moto's names are checked only where it is imported
    import moto.core.models  # noqa: F401

REGION = "eu-west-1"
ONCE = Config(retries={"total_max_attempts": 1})
NAMES = sorted(
    name for name, value in vars(botocore_names).items() if name.isupper() and type(value) is str
)
# The names the answer in place reads: one missing, and no client class keeps that patch.
IN_PLACE = {"MAKE_REQUEST", "REQUEST_SIGNER", "CREDENTIALS", "ENDPOINT", "PARSER_FACTORY",
            "EMITTER", "LOOKUP_CACHE", "HANDLERS", "PREFIX_SEARCH"}  # fmt: skip
# Read with a fallback that gives the same answer (the signer's region): nothing to say.
SILENT = {"SIGNING_CONTEXT"}
MOTO = {"MOTO_STUBBER", "MOTO_ENABLED"}


def patched_classes() -> list[type]:
    classes: list[type] = [BaseClient, Endpoint, RequestSigner]
    try:
        from aiobotocore.client import AioBaseClient
        from aiobotocore.endpoint import AioEndpoint
        from aiobotocore.signers import AioRequestSigner
    except ImportError:  # the main venv: aiobotocore lives in .venv-async
        return classes
    return [*classes, AioBaseClient, AioEndpoint, AioRequestSigner]


def snapshot() -> list[tuple[str, list[tuple[str, Any]]]]:
    """Each attribute of the classes appmesh-mock patches, and botocore's built-in handlers."""
    taken = [(cls.__qualname__, list(vars(cls).items())) for cls in patched_classes()]
    builtins = list(enumerate(botocore_handlers.BUILTIN_HANDLERS))
    return [*taken, ("BUILTIN_HANDLERS", [(str(i), item) for i, item in builtins])]


def assert_same(before: Any, after: Any) -> None:
    assert [(name, [key for key, _ in items]) for name, items in before] == [
        (name, [key for key, _ in items]) for name, items in after
    ]
    for (_, old), (_, new) in zip(before, after, strict=True):
        for (key, was), (_, now) in zip(old, new, strict=True):
            assert now is was, key


@pytest.fixture
def check_again() -> Iterator[None]:
    """The self-test runs once per process: here at this test's first start, and again at
    the next start after it (with botocore's real names)."""
    self_test.forget()
    yield
    self_test.forget()


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every look-up and connect tried, each refused."""
    tried: list[tuple[Any, ...]] = []

    def refuse(name: str, address: Callable[..., tuple[Any, ...]]) -> Any:
        def record(*args: Any, **_: Any) -> Any:
            tried.append((name, *address(*args)[:2]))
            raise OSError(f"test: no network ({name})")

        return record

    monkeypatch.setattr(socket.socket, "connect", refuse("connect", lambda _, a: a))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex", lambda _, a: a))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection", lambda a, *_: a))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo", lambda *a, **_: a))
    return tried


def app_mesh_answers() -> None:
    appmesh = boto3.client("appmesh", region_name=REGION, aws_access_key_id="210987654321",
                           aws_secret_access_key="s", config=ONCE)  # fmt: skip
    arn = appmesh.create_mesh(meshName="m")["mesh"]["metadata"]["arn"]
    assert arn == f"arn:aws:appmesh:{REGION}:210987654321:mesh/m"
    assert appmesh.describe_mesh(meshName="m")["mesh"]["meshName"] == "m"
    with pytest.raises(appmesh.exceptions.NotFoundException):
        appmesh.describe_mesh(meshName="absent")


def s3_goes_its_way(network: list[tuple[Any, ...]]) -> None:
    """An S3 call goes to its own endpoint, as without the mock (and is refused there)."""
    s3 = boto3.client("s3", region_name=REGION, endpoint_url="http://127.0.0.1:9", config=ONCE)
    with pytest.raises(EndpointConnectionError):
        s3.list_buckets()
    assert network and {entry[1:] for entry in network} == {("127.0.0.1", 9)}


def fallback_warnings(caught: list[Any]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, AppMeshMockFallbackWarning)]


@pytest.mark.parametrize("key", NAMES)
def test_a_renamed_private_name_degrades_safely(
    key: str, check_again: None, network: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed = f"{getattr(botocore_names, key)}_renamed_by_botocore"
    monkeypatch.setattr(botocore_names, key, renamed)
    original_make_request = vars(BaseClient)["_make_request"]
    before = snapshot()
    with warnings.catch_warnings(record=True) as caught, mock_appmesh() as mock:
        warnings.simplefilter("always")
        in_place = vars(BaseClient)["_make_request"] is not original_make_request
        app_mesh_answers()
        assert network == []
        s3_goes_its_way(network)
    assert [c.operation for c in mock.calls] == ["CreateMesh", "DescribeMesh", "DescribeMesh"]
    said = fallback_warnings(caught)
    if key in SILENT or (key in MOTO and "moto.core.models" not in sys.modules):
        assert said == []
    else:
        assert len(said) == 1, said
        pieces = [line for line in said[0].splitlines() if line.startswith("- ")]
        assert pieces and all(renamed in piece for piece in pieces), said  # that one alone
    assert in_place == (key not in IN_PLACE)
    assert_same(before, snapshot())
    with warnings.catch_warnings(record=True) as again, mock_appmesh():  # said once
        warnings.simplefilter("always")
        app_mesh_answers()
    assert fallback_warnings(again) == []


def test_every_private_name_renamed_at_once(
    check_again: None, network: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in NAMES:
        monkeypatch.setattr(botocore_names, key, f"{getattr(botocore_names, key)}_renamed")
    before = snapshot()
    with pytest.warns(AppMeshMockFallbackWarning), mock_appmesh():
        app_mesh_answers()
        assert network == []
        s3_goes_its_way(network)
    assert_same(before, snapshot())


def test_a_name_that_reads_as_something_else_turns_the_answer_in_place_off(
    check_again: None, network: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`_emit_api_params` takes as many arguments as `_make_request` but is another step: the
    self-test's call fails through it, so the patch is taken out again."""
    monkeypatch.setattr(botocore_names, "MAKE_REQUEST", "_emit_api_params")
    before = snapshot()
    with pytest.warns(AppMeshMockFallbackWarning, match="_emit_api_params"), mock_appmesh():
        assert_same(before[:1], snapshot()[:1])  # BaseClient untouched
        app_mesh_answers()
        assert network == []
    assert_same(before, snapshot())


def test_class_patches_are_undone_when_the_last_mock_stops(network: list[Any]) -> None:
    before = snapshot()
    with mock_appmesh():
        with mock_appmesh():
            assert vars(BaseClient)["_make_request"] is not dict(before[0][1])["_make_request"]
        app_mesh_answers()  # the outer one still answers in place
        assert vars(Endpoint)["_send"] is not dict(before[1][1])["_send"]
    assert_same(before, snapshot())
    assert network == []


def test_a_patch_of_another_library_on_top_of_ours_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed: list[str] = []
    original = RequestSigner.sign
    mock = mock_appmesh().start()
    ours = RequestSigner.sign

    def theirs(self: Any, operation_name: str, *args: Any, **kwargs: Any) -> Any:
        signed.append(operation_name)
        return ours(self, operation_name, *args, **kwargs)

    monkeypatch.setattr(RequestSigner, "sign", theirs)
    mock.stop()
    assert RequestSigner.sign is theirs  # not dropped: ours stays under it, idle
    with mock_appmesh():
        assert RequestSigner.sign is theirs  # and is not wrapped a second time
        appmesh = boto3.client("appmesh", region_name=REGION, config=ONCE)
        with pytest.raises(appmesh.exceptions.NotFoundException):
            appmesh.describe_mesh(meshName="absent")  # an error runs the transport
    assert signed == ["DescribeMesh"]
    monkeypatch.undo()  # they put ours back...
    assert RequestSigner.sign is ours
    with mock_appmesh():
        pass
    assert RequestSigner.sign is original  # ...and the next last stop restores botocore's


def test_a_client_of_another_service_is_read_only_through_its_public_service_model() -> None:
    """While a mock is active, the patched `_make_request` of an S3 client reads its public
    `meta.service_model` and nothing else (a client with nothing more passes untouched)."""
    from appmesh_mock.inprocess import botocore_client

    s3_model = boto3.client("s3", region_name=REGION).meta.service_model
    only_public = SimpleNamespace(meta=SimpleNamespace(service_model=s3_model))
    with mock_appmesh():
        answered = botocore_client._answer_first(only_public, None, {})
    assert answered is None


def test_a_success_the_fast_path_cannot_parse_is_parsed_by_the_transport_once_dispatched(
    network: list[Any],
) -> None:
    """A client whose parser the answer in place cannot reach (here: its factory fails once)
    still gets its answer, parsed by botocore's transport from the answer already made."""
    with mock_appmesh() as mock:
        appmesh = boto3.client("appmesh", region_name=REGION)
        factory = appmesh._endpoint._response_parser_factory
        failed: list[str] = []

        class FailsOnce:
            def create_parser(self, protocol: str) -> Any:
                if not failed:
                    failed.append(protocol)
                    raise RuntimeError("a parser factory of another make")
                return factory.create_parser(protocol)

        appmesh._endpoint._response_parser_factory = FailsOnce()
        assert appmesh.create_mesh(meshName="m")["mesh"]["meshName"] == "m"
    assert failed == ["rest-json"]
    assert [c.operation for c in mock.calls] == ["CreateMesh"]  # dispatched once
    assert network == []
