"""Every way of switching the mock on, and what holds whichever way it is on.

Decorators (bare, with options, async, class), context manager, start/stop, nesting, the pytest
fixtures and marker, no credentials, account and region resolution, no sockets, threads, quota
keys and `snapshot()`.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import unittest
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError

from appmesh_mock import MockAppMesh, mock_appmesh

REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"
# botocore retries LimitExceededException as throttling, with backoff; one attempt keeps the
# quota tests fast.
NO_RETRY = Config(retries={"total_max_attempts": 1})


NETWORK = "ReachedTheNetwork"


class _Raw:
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield b'{"message": "no mock answered this request"}'


def client(region: str = REGION, **kwargs: Any) -> Any:
    return boto3.client("appmesh", region_name=region, **kwargs)


def guarded_client(region: str = REGION, **kwargs: Any) -> Any:
    """A client that answers a request no mock answered with a `ReachedTheNetwork` error, so a
    test can tell "inactive" without any request trying to leave the process.

    botocore calls every `before-send` handler and uses the first response; this one is
    registered last, so an active mock's answer always wins over it.
    """
    appmesh = client(region, **kwargs)

    def fallback(request: Any, **_: Any) -> AWSResponse:
        headers = {"x-amzn-ErrorType": NETWORK, "Content-Type": "application/json"}
        return AWSResponse(request.url, 418, headers, _Raw())

    appmesh.meta.events.register_last("before-send.app-mesh", fallback)
    return appmesh


def mesh_names(appmesh: Any) -> list[str]:
    return [m["meshName"] for m in appmesh.list_meshes()["meshes"]]


def error_code(error: Exception) -> tuple[str, int]:
    response: Any = getattr(error, "response", {})
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def assert_inactive() -> None:
    with pytest.raises(ClientError) as caught:
        guarded_client().list_meshes()
    assert caught.value.response["Error"]["Code"] == NETWORK


# Decorators ---------------------------------------------------------------------------------


@mock_appmesh
def _bare(name: str) -> list[str]:
    appmesh = guarded_client()
    appmesh.create_mesh(meshName=name)
    return mesh_names(appmesh)


def test_bare_decorator_answers_in_process_and_starts_empty_each_call() -> None:
    assert _bare("first") == ["first"]
    assert _bare("second") == ["second"]  # nothing left over from the first call
    assert_inactive()


def test_decorator_with_options() -> None:
    @mock_appmesh(account_id="111122223333", quotas={"meshes_per_account": 1})
    def run() -> None:
        appmesh = client(config=NO_RETRY)
        arn = appmesh.create_mesh(meshName="only")["mesh"]["metadata"]["arn"]
        assert arn == f"arn:aws:appmesh:{REGION}:111122223333:mesh/only"
        with pytest.raises(appmesh.exceptions.LimitExceededException) as caught:
            appmesh.create_mesh(meshName="one-too-many")
        assert error_code(caught.value) == ("LimitExceededException", 400)
        assert mesh_names(appmesh) == ["only"]

    run()
    assert_inactive()


def test_decorated_function_keeps_its_name_result_and_exceptions() -> None:
    @mock_appmesh
    def named(value: int) -> int:
        client().create_mesh(meshName="m")
        return value * 2

    @mock_appmesh
    def failing() -> None:
        client().create_mesh(meshName="m")
        raise KeyError("boom")

    assert named.__name__ == "named"
    assert named(21) == 42
    with pytest.raises(KeyError):
        failing()
    assert_inactive()  # the mock stopped although the function raised
    assert named(1) == 2  # and the next call starts empty (no ConflictException on "m")


def test_async_function() -> None:
    @mock_appmesh
    async def run() -> list[str]:
        appmesh = guarded_client()
        appmesh.create_mesh(meshName="async-mesh")
        await asyncio.sleep(0)
        return mesh_names(appmesh)

    assert asyncio.iscoroutinefunction(run)
    assert asyncio.run(run()) == ["async-mesh"]
    assert asyncio.run(run()) == ["async-mesh"]
    assert_inactive()


def test_class_decorator_on_testcase_gives_each_test_fresh_state_with_its_setup() -> None:
    seen: dict[str, list[str]] = {}

    @mock_appmesh
    class MeshTests(unittest.TestCase):
        def setUp(self) -> None:
            self.appmesh = guarded_client()
            self.appmesh.create_mesh(meshName="from-setup")

        def test_adds_one(self) -> None:
            self.appmesh.create_mesh(meshName="added")
            seen["test_adds_one"] = mesh_names(self.appmesh)

        def test_sees_only_setup(self) -> None:
            seen["test_sees_only_setup"] = mesh_names(self.appmesh)

        def test_another(self) -> None:
            seen["test_another"] = mesh_names(self.appmesh)

    suite = unittest.defaultTestLoader.loadTestsFromTestCase(MeshTests)
    result = unittest.TestResult()
    suite.run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    assert result.testsRun == 3
    assert seen == {
        "test_adds_one": ["from-setup", "added"],
        "test_another": ["from-setup"],
        "test_sees_only_setup": ["from-setup"],
    }
    assert_inactive()


def test_class_decorator_on_plain_class_wraps_each_test_method() -> None:
    @mock_appmesh(account_id="444455556666")
    class Plain:
        def test_one(self) -> list[str]:
            appmesh = client()
            appmesh.create_mesh(meshName="one")
            return [m["arn"] for m in appmesh.list_meshes()["meshes"]]

        def test_two(self) -> list[str]:
            appmesh = client()
            appmesh.create_mesh(meshName="two")
            return mesh_names(appmesh)

        def helper(self) -> str:
            return "not wrapped"

    plain = Plain()
    assert plain.test_one() == [f"arn:aws:appmesh:{REGION}:444455556666:mesh/one"]
    assert plain.test_two() == ["two"]
    assert plain.helper() == "not wrapped"
    assert_inactive()


# Context manager, start/stop, nesting -------------------------------------------------------


def test_context_manager_yields_the_mock() -> None:
    with mock_appmesh() as m:
        assert isinstance(m, MockAppMesh)
        appmesh = guarded_client()
        appmesh.create_mesh(meshName="ctx")
        assert list(m.snapshot()["meshes"]) == ["ctx"]
    assert m.snapshot() == {"meshes": {}}  # the outermost mock discards its state
    assert_inactive()


def test_start_and_stop() -> None:
    m = mock_appmesh()
    assert m.start() is m
    try:
        appmesh = guarded_client()
        appmesh.create_mesh(meshName="started")
        assert mesh_names(appmesh) == ["started"]
        with pytest.raises(RuntimeError):
            m.start()
    finally:
        m.stop()
    with pytest.raises(RuntimeError):
        m.stop()
    assert_inactive()
    m.start()  # a stopped mock can start again, empty
    try:
        assert mesh_names(client()) == []
    finally:
        m.stop()


def test_nesting_shares_state_and_inner_options_apply_while_active() -> None:
    with mock_appmesh() as outer:
        appmesh = client()
        appmesh.create_mesh(meshName="outer")
        with mock_appmesh(account_id="111122223333", quotas={"meshes_per_account": 1}):
            inner_client = client(config=NO_RETRY)
            arn = inner_client.create_mesh(meshName="inner")["mesh"]["metadata"]["arn"]
            assert ":111122223333:" in arn
            with pytest.raises(inner_client.exceptions.LimitExceededException):
                inner_client.create_mesh(meshName="second")
            assert list(outer.snapshot()["meshes"]) == ["outer"]  # state is shared
        # The outer options are back: default account, default quotas.
        assert mesh_names(appmesh) == ["outer"]
        appmesh.create_mesh(meshName="second")
        assert mesh_names(appmesh) == ["outer", "second"]
        assert list(outer.snapshot("111122223333")["meshes"]) == ["inner"]
    assert outer.snapshot() == {"meshes": {}}
    assert outer.snapshot("111122223333") == {"meshes": {}}
    with mock_appmesh():
        assert mesh_names(client()) == []  # a new outermost mock starts empty


# pytest fixtures and marker -----------------------------------------------------------------


def test_fixtures(appmesh_mock: MockAppMesh, appmesh_client: Any) -> None:
    assert isinstance(appmesh_mock, MockAppMesh)
    assert appmesh_client.meta.region_name == "us-east-1"
    assert appmesh_client.meta.service_model.api_version == "2019-01-25"
    appmesh_client.create_mesh(meshName="fixture")
    assert list(appmesh_mock.snapshot()["meshes"]) == ["fixture"]


def test_fixture_state_does_not_leak_between_tests(appmesh_client: Any) -> None:
    # Same name as in test_fixtures: a leak would answer ConflictException.
    appmesh_client.create_mesh(meshName="fixture")
    assert mesh_names(appmesh_client) == ["fixture"]


@pytest.mark.appmesh_mock(account_id="210987654321", quotas={"meshes_per_account": 1})
def test_marker_configures_the_fixture(appmesh_mock: MockAppMesh, appmesh_client: Any) -> None:
    arn = appmesh_client.create_mesh(meshName="marked")["mesh"]["metadata"]["arn"]
    assert arn == "arn:aws:appmesh:us-east-1:210987654321:mesh/marked"
    with pytest.raises(appmesh_client.exceptions.LimitExceededException):
        client(config=NO_RETRY).create_mesh(meshName="over")
    assert list(appmesh_mock.snapshot("210987654321")["meshes"]) == ["marked"]


# Credentials and environment ----------------------------------------------------------------


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No AWS_* variables, config and credentials files that do not exist, and a fresh boto3
    default session, so that nothing cached from another test can supply credentials. The
    instance metadata service is off, as on any machine outside EC2: botocore would otherwise
    ask 169.254.169.254 for credentials (the suite's network guard refuses that)."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing-credentials"))
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    yield


def test_works_with_no_credentials_anywhere(no_credentials: None) -> None:
    assert botocore.session.get_session().get_credentials() is None  # truly none configured
    before = dict(os.environ)
    with mock_appmesh():
        appmesh = client()
        appmesh.create_mesh(meshName="no-creds")
        assert mesh_names(appmesh) == ["no-creds"]
    assert dict(os.environ) == before


def test_restores_existing_credentials(
    no_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    before = dict(os.environ)
    with mock_appmesh():
        # Real credentials are neither used nor visible while the mock is active.
        assert os.environ["AWS_ACCESS_KEY_ID"] != "AKIAREALKEY"
        assert "AWS_SESSION_TOKEN" not in os.environ
        client().create_mesh(meshName="m")
    assert dict(os.environ) == before


def test_a_client_made_before_the_mock_starts_with_no_credentials_is_answered(
    no_credentials: None,
) -> None:
    """Code under test often makes its client at import time, before any mock starts and with
    no credentials anywhere; the mock must still answer it (and it must not sign real
    requests with fake credentials afterwards)."""
    early = guarded_client()
    default = boto3.client("appmesh", region_name="eu-west-1")
    with mock_appmesh() as m:
        early.create_mesh(meshName="early")
        default.create_mesh(meshName="default-session")
        assert mesh_names(early) == ["early"]
        assert list(m.snapshot(region="eu-west-1")["meshes"]) == ["default-session"]
    with pytest.raises(botocore.exceptions.NoCredentialsError):
        early.list_meshes()


def test_a_client_made_before_the_mock_starts_with_credentials_is_answered(
    no_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    early = guarded_client()
    with mock_appmesh():
        early.create_mesh(meshName="early")
        assert mesh_names(early) == ["early"]
    assert_inactive()


# Account and region -------------------------------------------------------------------------


def _mesh_account(**client_kwargs: Any) -> str:
    arn = client(**client_kwargs).create_mesh(meshName="whose")["mesh"]["metadata"]["arn"]
    return str(arn.split(":")[4])


KEY = {"aws_access_key_id": "999988887777", "aws_secret_access_key": "secret"}


def test_account_defaults_to_123456789012(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APPMESH_MOCK_ACCOUNT_ID", raising=False)
    with mock_appmesh():
        assert _mesh_account() == DEFAULT_ACCOUNT


def test_account_from_a_12_digit_access_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APPMESH_MOCK_ACCOUNT_ID", raising=False)
    with mock_appmesh():
        assert _mesh_account(**KEY) == "999988887777"
    with mock_appmesh():  # a key that is not 12 digits names no account
        assert _mesh_account(aws_access_key_id="AKIA1234", aws_secret_access_key="s") == (
            DEFAULT_ACCOUNT
        )


def test_account_env_beats_the_access_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPMESH_MOCK_ACCOUNT_ID", "555566667777")
    with mock_appmesh():
        assert _mesh_account(**KEY) == "555566667777"


def test_account_option_beats_env_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPMESH_MOCK_ACCOUNT_ID", "555566667777")
    with mock_appmesh(account_id="111122223333"):
        assert _mesh_account(**KEY) == "111122223333"


def test_each_account_has_its_own_state() -> None:
    with mock_appmesh() as m:
        client(**KEY).create_mesh(meshName="mine")
        client().create_mesh(meshName="mine")  # same name, another account: no conflict
        other = client(aws_access_key_id="111122223333", aws_secret_access_key="s")
        assert mesh_names(other) == []
        assert list(m.snapshot("999988887777")["meshes"]) == ["mine"]
        assert list(m.snapshot(DEFAULT_ACCOUNT)["meshes"]) == ["mine"]


def test_region_comes_from_the_signature_and_regions_are_isolated() -> None:
    with mock_appmesh() as m:
        east, west = client("us-east-1"), client("eu-west-1")
        created = west.create_mesh(meshName="west-only")["mesh"]
        assert created["metadata"]["arn"] == (
            f"arn:aws:appmesh:eu-west-1:{DEFAULT_ACCOUNT}:mesh/west-only"
        )
        assert mesh_names(east) == []
        with pytest.raises(east.exceptions.NotFoundException):
            east.describe_mesh(meshName="west-only")
        east.create_mesh(meshName="west-only")  # the name is free in another region
        assert list(m.snapshot(region="eu-west-1")["meshes"]) == ["west-only"]
        assert (
            m.snapshot(region="eu-west-1")["meshes"]["west-only"]["uid"]
            == (created["metadata"]["uid"])
        )


# Nothing leaves the process -----------------------------------------------------------------


def test_no_socket_is_opened_while_the_mock_is_active(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"appmesh-mock test: {name} was called")

        return record

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))

    with mock_appmesh():
        current = client()
        legacy = client(api_version="2018-10-01")
        current.create_mesh(meshName="m", tags=[{"key": "team", "value": "a"}])
        current.update_mesh(meshName="m", spec={"egressFilter": {"type": "ALLOW_ALL"}})
        current.create_virtual_node(meshName="m", virtualNodeName="n", spec={})
        current.create_virtual_router(
            meshName="m",
            virtualRouterName="r",
            spec={"listeners": [{"portMapping": {"port": 80, "protocol": "http"}}]},
        )
        spec = {
            "httpRoute": {
                "match": {"prefix": "/"},
                "action": {"weightedTargets": [{"virtualNode": "n", "weight": 1}]},
            }
        }
        current.create_route(meshName="m", virtualRouterName="r", routeName="rt", spec=spec)
        current.create_virtual_service(
            meshName="m",
            virtualServiceName="svc.local",
            spec={"provider": {"virtualRouter": {"virtualRouterName": "r"}}},
        )
        arn = current.describe_mesh(meshName="m")["mesh"]["metadata"]["arn"]
        current.list_tags_for_resource(resourceArn=arn)
        legacy.create_mesh(meshName="legacy")
        legacy.create_virtual_node(meshName="legacy", virtualNodeName="n", spec={})
        legacy.list_virtual_nodes(meshName="legacy")
        for page in current.get_paginator("list_meshes").paginate(PaginationConfig={"PageSize": 1}):
            assert len(page["meshes"]) == 1
        with pytest.raises(current.exceptions.NotFoundException):
            current.describe_mesh(meshName="absent")
        with pytest.raises(current.exceptions.ResourceInUseException):
            current.delete_mesh(meshName="m")
    assert attempts == []


# Threads ------------------------------------------------------------------------------------


def test_threads_creating_in_one_mesh_lose_nothing() -> None:
    threads_count, per_thread = 8, 20
    errors: list[BaseException] = []
    with mock_appmesh() as m:
        client().create_mesh(meshName="busy")
        start = threading.Barrier(threads_count)

        def work(index: int) -> None:
            try:
                own = boto3.session.Session().client("appmesh", region_name=REGION)
                start.wait()
                for n in range(per_thread):
                    own.create_virtual_node(
                        meshName="busy", virtualNodeName=f"t{index}-n{n}", spec={}
                    )
            except BaseException as exc:  # reported below; a thread cannot fail the test
                errors.append(exc)

        workers = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert errors == []
        listed = [
            ref["virtualNodeName"]
            for page in client().get_paginator("list_virtual_nodes").paginate(meshName="busy")
            for ref in page["virtualNodes"]
        ]
        expected = {f"t{i}-n{n}" for i in range(threads_count) for n in range(per_thread)}
        assert len(listed) == len(expected) and set(listed) == expected
        nodes = m.snapshot()["meshes"]["busy"]["virtualNodes"]
        assert set(nodes) == expected
        assert len({node["uid"] for node in nodes.values()}) == len(expected)


# Options and snapshot -----------------------------------------------------------------------


def test_a_misspelt_quota_key_fails_at_decoration() -> None:
    with pytest.raises(ValueError, match="meshes_per_acount"):

        @mock_appmesh(quotas={"meshes_per_acount": 1})
        def never_run() -> None:
            raise AssertionError("must not run")

    with pytest.raises(ValueError):
        mock_appmesh(quotas={"meshes_per_account": -1})


def test_snapshot_is_a_copy() -> None:
    with mock_appmesh() as m:
        appmesh = client()
        appmesh.create_mesh(meshName="m", spec={"egressFilter": {"type": "ALLOW_ALL"}})
        appmesh.create_virtual_node(meshName="m", virtualNodeName="n", spec={})
        first = m.snapshot()
        mesh = first["meshes"]["m"]
        mesh["spec"]["egressFilter"]["type"] = "DROP_ALL"
        mesh["version"] = 99
        mesh["tags"]["added"] = "x"
        mesh["virtualNodes"].clear()
        first["meshes"]["ghost"] = {}
        again = m.snapshot()
        assert list(again["meshes"]) == ["m"]
        assert again["meshes"]["m"]["spec"] == {"egressFilter": {"type": "ALLOW_ALL"}}
        assert again["meshes"]["m"]["version"] == 1
        assert again["meshes"]["m"]["tags"] == {}
        assert list(again["meshes"]["m"]["virtualNodes"]) == ["n"]
        described = appmesh.describe_mesh(meshName="m")["mesh"]
        assert described["spec"] == {"egressFilter": {"type": "ALLOW_ALL"}}
        assert described["metadata"]["version"] == 1
        assert mesh_names(appmesh) == ["m"]


def test_share_mesh_lets_the_consumer_name_the_mesh_with_mesh_owner() -> None:
    owner, consumer = "111111111111", "222222222222"
    with mock_appmesh() as m:
        owner_client = client(aws_access_key_id=owner, aws_secret_access_key="s")
        consumer_client = client(aws_access_key_id=consumer, aws_secret_access_key="s")
        owner_client.create_mesh(meshName="shared")
        with pytest.raises(consumer_client.exceptions.NotFoundException):
            consumer_client.describe_mesh(meshName="shared", meshOwner=owner)
        m.share_mesh("shared", owner_account_id=owner, consumer_account_id=consumer)
        found = consumer_client.describe_mesh(meshName="shared", meshOwner=owner)["mesh"]
        assert found["metadata"]["meshOwner"] == owner
        assert mesh_names(consumer_client) == ["shared"]
        m.unshare_mesh("shared", owner_account_id=owner, consumer_account_id=consumer)
        with pytest.raises(consumer_client.exceptions.NotFoundException):
            consumer_client.describe_mesh(meshName="shared", meshOwner=owner)
