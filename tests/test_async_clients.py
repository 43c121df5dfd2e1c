"""aiobotocore and aioboto3 clients, answered in-process under every way of switching the mock
on, side by side with boto3 in the same test.

aiobotocore pins botocore below the newest release, so these tests run in the second venv
that `.ci/run` builds for `.[async-test]` (`.venv-async`); elsewhere they are skipped.
"""

from __future__ import annotations

import asyncio
import threading
import types
from collections.abc import AsyncIterator, Awaitable
from typing import Any, TypeVar

import boto3
import pytest

aioboto3 = pytest.importorskip("aioboto3")
aiobotocore_session = pytest.importorskip("aiobotocore.session")
pytest_asyncio = pytest.importorskip("pytest_asyncio")

from appmesh_mock import (  # noqa: E402
    MockAppMesh,
    MockServer,
    mock_appmesh,
)

pytestmark = pytest.mark.asyncio
REGION = "us-east-1"
T = TypeVar("T")


def aio_client(**kwargs: Any) -> Any:
    """An aiobotocore client (an async context manager)."""
    return aiobotocore_session.get_session().create_client(
        "appmesh", region_name=kwargs.pop("region_name", REGION), **kwargs
    )


def aioboto3_client(**kwargs: Any) -> Any:
    return aioboto3.Session().client(
        "appmesh", region_name=kwargs.pop("region_name", REGION), **kwargs
    )


async def names(client: Any) -> list[str]:
    return [m["meshName"] for m in (await client.list_meshes())["meshes"]]


def sync_names() -> list[str]:
    client = boto3.client("appmesh", region_name=REGION)
    return [m["meshName"] for m in client.list_meshes()["meshes"]]


async def exercise(expected_account: str = "123456789012") -> None:
    """Async and sync clients on one state: writes by one are read by the other, errors are
    the model's exception classes, paginators page, and the 2018-10-01 API sees the same."""
    async with aio_client() as core, aioboto3_client() as wrapped:
        created = await core.create_mesh(meshName="from-aiobotocore")
        assert created["mesh"]["metadata"]["meshOwner"] == expected_account
        await wrapped.create_mesh(meshName="from-aioboto3")
        boto3.client("appmesh", region_name=REGION).create_mesh(meshName="from-boto3")
        expected = ["from-aiobotocore", "from-aioboto3", "from-boto3"]
        assert await names(core) == expected
        assert await names(wrapped) == expected
        assert sync_names() == expected

        with pytest.raises(core.exceptions.NotFoundException):
            await core.describe_mesh(meshName="missing")
        with pytest.raises(wrapped.exceptions.ConflictException):
            await wrapped.create_mesh(meshName="from-boto3")
        with pytest.raises(core.exceptions.BadRequestException):
            await core.create_virtual_node(
                meshName="from-boto3", virtualNodeName="x" * 300, spec={}
            )

        pages = [
            [m["meshName"] for m in page["meshes"]]
            async for page in core.get_paginator("list_meshes").paginate(
                PaginationConfig={"PageSize": 2}
            )
        ]
        assert pages == [expected[:2], expected[2:]]

    async with aio_client(api_version="2018-10-01") as legacy:
        await legacy.create_virtual_node(
            meshName="from-boto3",
            virtualNodeName="legacy-node",
            spec={"backends": ["svc.local"]},
        )
        described = await legacy.describe_virtual_node(
            meshName="from-boto3", virtualNodeName="legacy-node"
        )
        assert described["virtualNode"]["spec"]["backends"] == ["svc.local"]
    current = boto3.client("appmesh", region_name=REGION).describe_virtual_node(
        meshName="from-boto3", virtualNodeName="legacy-node"
    )
    assert current["virtualNode"]["spec"]["backends"] == [
        {"virtualService": {"virtualServiceName": "svc.local"}}
    ]


async def test_context_manager() -> None:
    with mock_appmesh():
        await exercise()
    with mock_appmesh():
        assert sync_names() == []  # the outermost activation discarded the state


@mock_appmesh(account_id="111122223333")
async def test_async_decorator() -> None:
    await exercise("111122223333")


async def test_start_stop() -> None:
    mock = mock_appmesh().start()
    try:
        await exercise()
    finally:
        mock.stop()


async def test_fixture(appmesh_mock: MockAppMesh) -> None:
    await exercise()
    assert set(appmesh_mock.snapshot()["meshes"]) == {
        "from-aiobotocore",
        "from-aioboto3",
        "from-boto3",
    }


@pytest.mark.appmesh_mock(account_id="444455556666")
async def test_marker_alone() -> None:
    await exercise("444455556666")


async def test_in_process_server() -> None:
    """`MockServer()` holds an activation: async clients pointed at it are answered from the
    same state, in-process."""
    with MockServer() as server:
        async with aio_client(endpoint_url=server.url) as client:
            await client.create_mesh(meshName="served")
        assert sync_names() == ["served"]
        await exercise_server_free()


async def exercise_server_free() -> None:
    async with aioboto3_client() as client:
        assert await names(client) == ["served"]


async def test_private_server_over_http() -> None:
    """With no mock active, a private `MockServer` is reached over a real loopback socket by
    aiobotocore's own HTTP session (aiohttp)."""
    with MockServer(isolated=True) as server:
        async with aio_client(
            endpoint_url=server.url, aws_access_key_id="222233334444", aws_secret_access_key="s"
        ) as client:
            created = await client.create_mesh(meshName="over-http")
            assert created["mesh"]["metadata"]["meshOwner"] == "222233334444"
            assert await names(client) == ["over-http"]


@pytest_asyncio.fixture
async def early_client() -> AsyncIterator[Any]:
    """An async client made before any mock starts, with credentials of its own."""
    async with aio_client(aws_access_key_id="AKIDEARLY", aws_secret_access_key="s") as client:
        yield client


async def test_client_made_before_start(early_client: Any) -> None:
    with mock_appmesh():
        await early_client.create_mesh(meshName="early")
        assert await names(early_client) == ["early"]


@pytest.fixture
def aio_slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off delays aiobotocore asks for between attempts, recorded instead of slept."""
    delays: list[float] = []

    async def record(delay: float) -> None:
        delays.append(delay)

    monkeypatch.setattr("aiobotocore.endpoint.asyncio", types.SimpleNamespace(sleep=record))
    return delays


async def test_answers_in_place_equal_the_transport_and_errors_still_retry(
    aio_slept: list[float],
) -> None:
    """An async success is parsed by aiobotocore's own parser without the transport (see
    entry/botocore_client.py); it equals the transport's answer, and an error still goes
    through aiobotocore's retries."""
    with mock_appmesh() as mock:
        async with aio_client() as fast, aio_client() as whole:
            whole.meta.events.register("before-send.app-mesh", lambda **_: None)
            await fast.create_mesh(meshName="m")
            mine, theirs = [await c.describe_mesh(meshName="m") for c in (fast, whole)]
            for response in (mine, theirs):
                response["ResponseMetadata"].pop("RequestId")
                response["ResponseMetadata"]["HTTPHeaders"].pop("x-amzn-requestid")
            assert mine == theirs and mine["ResponseMetadata"]["RetryAttempts"] == 0
            mock.add_fault("DescribeMesh", times=1)
            retried = await fast.describe_mesh(meshName="m")
            assert retried["ResponseMetadata"]["RetryAttempts"] == 1 and len(aio_slept) == 1


class Gate:
    """A fault's wait that ends only once another task has run on the event loop: a sleep for
    `mock_appmesh(sleep=...)`, on the worker thread that answers the call, opened by a ticker
    task. A stopped loop never opens it, and the wait reports that after `limit` seconds
    instead of hanging the test; no assertion depends on how long anything took."""

    def __init__(self, limit: float = 30.0) -> None:
        self.limit = limit
        self.ticked = threading.Event()
        self.waits: list[tuple[float, bool]] = []  # (delay asked for, loop ran meanwhile)

    def sleep(self, delay: float) -> None:
        self.ticked.clear()
        self.waits.append((delay, self.ticked.wait(self.limit)))

    async def ticking(self, call: Awaitable[T]) -> T:
        """`call`'s result, with a task ticking beside it until it is done."""
        done = asyncio.Event()

        async def ticker() -> None:
            while not done.is_set():
                await asyncio.sleep(0.001)
                self.ticked.set()

        running = asyncio.create_task(ticker())
        try:
            return await call
        finally:
            done.set()
            await running


@pytest.mark.parametrize("transport", ["in place", "whole transport"])
async def test_a_latency_fault_does_not_stop_the_event_loop(transport: str) -> None:
    """Waiting for a latency fault leaves other tasks running, and `asyncio.wait_for` times
    the call out, as it would while AWS is slow."""
    gate = Gate()
    with mock_appmesh(sleep=gate.sleep) as mock:
        async with aio_client() as client:
            if transport == "whole transport":  # a handler of one's own: every call goes there
                client.meta.events.register("before-send.app-mesh", lambda **_: None)
            await client.create_mesh(meshName="m")
            mock.add_fault("DescribeMesh", error=None, delay=0.3)
            described = await gate.ticking(client.describe_mesh(meshName="m"))
            assert described["mesh"]["meshName"] == "m"
            assert gate.waits == [(0.3, True)]  # the loop ran while the call waited
            # Nothing ticks now: the call waits (on its thread) until after the timeout.
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.describe_mesh(meshName="m"), timeout=0.05)
            gate.ticked.set()  # let the abandoned wait end


async def test_a_real_latency_fault_waits_off_the_loop() -> None:
    """The default sleep: a real `time.sleep` on the worker thread; a task started beside the
    call finishes first."""
    finished: list[str] = []

    async def beside() -> None:
        await asyncio.sleep(0)
        finished.append("task beside")

    async def call(client: Any) -> None:
        await client.describe_mesh(meshName="m")
        finished.append("call")

    with mock_appmesh() as mock:
        async with aio_client() as client:
            await client.create_mesh(meshName="m")
            mock.add_fault("DescribeMesh", error=None, delay=0.2, times=1)
            await asyncio.gather(call(client), beside())
    assert finished == ["task beside", "call"]


async def test_a_latency_fault_on_a_tagging_call_does_not_stop_the_event_loop() -> None:
    """Faults cover the Tagging API: its wait leaves the loop running too."""
    gate = Gate()
    with mock_appmesh(sleep=gate.sleep) as mock:
        session = aiobotocore_session.get_session()
        async with session.create_client("resourcegroupstaggingapi", region_name=REGION) as tags:
            fault = mock.add_fault("GetTagKeys", error=None, delay=0.3)
            keys = await gate.ticking(tags.get_tag_keys())
            assert keys["TagKeys"] == [] and fault.hits == 1
            assert gate.waits == [(0.3, True)]  # the loop ran while the call waited


async def test_a_slow_throttle_is_retried_without_stopping_the_event_loop(
    aio_slept: list[float],
) -> None:
    gate = Gate()
    with mock_appmesh(sleep=gate.sleep) as mock:
        async with aio_client() as client:
            await client.create_mesh(meshName="m")
            fault = mock.add_fault("DescribeMesh", delay=0.15, times=2)
            described = await gate.ticking(client.describe_mesh(meshName="m"))
            assert described["ResponseMetadata"]["RetryAttempts"] == 2 and fault.hits == 2
            assert gate.waits == [(0.15, True), (0.15, True)]  # the loop ran during both
            assert [c.status for c in mock.calls.of("DescribeMesh")] == [429, 429, 200]
