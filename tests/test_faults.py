"""Faults through boto3: `m.add_fault(...)` makes calls fail (or wait) as the real service
would, boto3's retries treat them as AWS's, and a failed call changes nothing."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from appmesh_mock import MockAppMesh, mock_appmesh


def client(retries: dict[str, Any] | None = None, key: str = "123456789012", **kw: Any) -> Any:
    config = Config(retries=retries or {"total_max_attempts": 1})
    return boto3.client(
        "appmesh", config=config, aws_access_key_id=key, aws_secret_access_key="s",
        region_name=kw.pop("region", "us-east-1"), **kw,
    )  # fmt: skip


def code_of(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_two_throttles_are_retried_and_the_third_attempt_answers(
    mock: MockAppMesh, slept: list[float], mode: str
) -> None:
    first = mock.add_fault("CreateMesh", times=1)
    second = mock.add_fault("CreateMesh", times=1)
    appmesh = client({"mode": mode, "total_max_attempts": 3})
    created = appmesh.create_mesh(meshName="retried")
    assert created["ResponseMetadata"]["RetryAttempts"] == 2
    assert len(slept) == 2  # botocore backed off twice, as it would for AWS
    attempts = mock.calls.of("CreateMesh")
    assert [(c.status, c.error, c.fault) for c in attempts] == [
        (429, "TooManyRequestsException", first),
        (429, "TooManyRequestsException", second),
        (200, None, None),
    ]
    assert (first.hits, second.hits, first.spent) == (1, 1, True)
    assert [m["meshName"] for m in appmesh.list_meshes()["meshes"]] == ["retried"]


def test_a_throttle_that_outlasts_the_retries_reaches_the_caller(
    mock: MockAppMesh, slept: list[float]
) -> None:
    fault = mock.add_fault(message="Rate exceeded")
    appmesh = client({"mode": "standard", "total_max_attempts": 2})
    with pytest.raises(ClientError) as caught:
        appmesh.list_meshes()
    assert code_of(caught) == ("TooManyRequestsException", 429)
    assert caught.value.response["Error"]["Message"] == "Rate exceeded"
    assert fault.hits == 2 and len(mock.calls) == 2 and not fault.spent


def test_probability_with_a_seed_gives_the_same_sequence_on_every_run() -> None:
    def run() -> list[bool]:
        with mock_appmesh() as m:
            m.add_fault("ListMeshes", probability=0.5, seed=7)
            appmesh = client()
            outcomes = []
            for _ in range(20):
                try:
                    appmesh.list_meshes()
                    outcomes.append(True)
                except ClientError:
                    outcomes.append(False)
            assert [c.error is None for c in m.calls] == outcomes
            return outcomes

    first = run()
    assert run() == first
    assert 3 < first.count(False) < 17  # some fail and some pass


def test_a_failed_call_leaves_the_state_unchanged(mock: MockAppMesh) -> None:
    appmesh = client()
    appmesh.create_mesh(meshName="shop")
    appmesh.create_virtual_node(meshName="shop", virtualNodeName="web", spec={})
    before = mock.export()
    mock.add_fault("UpdateVirtualNode", error="ConflictException", times=1)
    mock.add_fault("DeleteMesh", error="InternalServerErrorException", times=1)
    spec = {"backends": [{"virtualService": {"virtualServiceName": "db.local"}}]}
    with pytest.raises(ClientError) as caught:
        appmesh.update_virtual_node(meshName="shop", virtualNodeName="web", spec=spec)
    assert code_of(caught) == ("ConflictException", 409)
    with pytest.raises(ClientError) as caught:
        appmesh.delete_mesh(meshName="shop")
    assert code_of(caught) == ("InternalServerErrorException", 500)
    assert mock.export() == before
    # Spent: the same calls now go through (and the delete meets its real guard).
    appmesh.update_virtual_node(meshName="shop", virtualNodeName="web", spec=spec)
    with pytest.raises(ClientError) as caught:
        appmesh.delete_mesh(meshName="shop")
    assert code_of(caught) == ("ResourceInUseException", 409)


def test_status_and_code_come_from_the_model(mock: MockAppMesh) -> None:
    appmesh = client()
    for error, status in [
        ("NotFoundException", 404),
        ("ForbiddenException", 403),
        ("ServiceUnavailableException", 503),
        ("LimitExceededException", 400),
        ("BadRequestException", 400),
    ]:
        fault = mock.add_fault("CreateMesh", error=error, times=1)
        with pytest.raises(ClientError) as caught:
            appmesh.create_mesh(meshName="m")
        assert code_of(caught) == (error, status)
        assert f"fault {fault.id}" in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"operation": "DescribeMesh", "error": "ConflictException"}, "declares for DescribeMesh"),
        ({"operation": "*", "error": "NoSuchException"}, "any operation"),
        ({"operation": "CreateMeshes"}, "not an App Mesh operation"),
        ({"operation": "CreateVirtualGateway", "api_version": "2018-10-01"}, "not an App Mesh"),
        ({"api_version": "2020-01-01"}, "api_version"),
        ({"error": None}, "delay > 0"),
        ({"times": 0}, "positive integer"),
        ({"probability": 1.5}, "between 0 and 1"),
        ({"delay": -1}, "0 or more"),
    ],
)
def test_a_fault_that_cannot_be_is_a_value_error_at_once(
    mock: MockAppMesh, kwargs: dict[str, Any], words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        mock.add_fault(**kwargs)
    assert not list(mock.calls) and client().list_meshes()["meshes"] == []


def test_a_wildcard_fault_fails_only_operations_that_declare_its_error(mock: MockAppMesh) -> None:
    mock.add_fault("*", error="ConflictException")
    appmesh = client()
    assert appmesh.list_meshes()["meshes"] == []  # ListMeshes declares no ConflictException
    with pytest.raises(ClientError) as caught:
        appmesh.create_mesh(meshName="m")
    assert code_of(caught) == ("ConflictException", 409)


def test_filters_first_added_wins_remove_and_clear(mock: MockAppMesh) -> None:
    other = client(key="999988887777")
    eu = client(region="eu-west-1")
    appmesh = client()
    by_account = mock.add_fault(account_id="999988887777", error="ForbiddenException")
    by_region = mock.add_fault(region="eu-west-1", error="ServiceUnavailableException")
    everything = mock.add_fault("ListMeshes", error="NotFoundException")
    for who, expected in [(other, "ForbiddenException"), (eu, "ServiceUnavailableException"),
                          (appmesh, "NotFoundException")]:  # fmt: skip
        with pytest.raises(ClientError) as caught:
            who.list_meshes()
        assert code_of(caught)[0] == expected
    assert (by_account.hits, by_region.hits, everything.hits) == (1, 1, 1)
    everything.remove()
    everything.remove()  # already out: nothing happens
    appmesh.list_meshes()
    mock.clear_faults()
    other.list_meshes()
    eu.list_meshes()


def test_a_legacy_only_fault_leaves_current_clients_alone(mock: MockAppMesh) -> None:
    mock.add_fault("ListMeshes", api_version="2018-10-01")
    client().list_meshes()
    legacy = client(api_version="2018-10-01")
    with pytest.raises(ClientError) as caught:
        legacy.list_meshes()
    assert code_of(caught) == ("TooManyRequestsException", 429)
    assert [c.api_version for c in mock.calls] == ["2019-01-25", "2018-10-01"]


def test_a_latency_fault_waits_its_delay_once_and_then_answers() -> None:
    waits: list[float] = []
    with mock_appmesh(sleep=waits.append) as mock:
        fault = mock.add_fault("ListMeshes", error=None, delay=0.2, times=1)
        appmesh = client()
        assert appmesh.list_meshes()["meshes"] == []
        assert waits == [0.2]
        assert mock.calls[0].fault is fault and mock.calls[0].error is None
        appmesh.list_meshes()
        assert waits == [0.2]  # spent: the next call does not wait


def test_a_slow_error_waits_before_it_fails() -> None:
    events: list[str] = []
    with mock_appmesh(sleep=lambda delay: events.append(f"waited {delay}")) as mock:
        mock.add_fault("CreateMesh", error="ServiceUnavailableException", delay=2.5)
        with pytest.raises(ClientError) as caught:
            client().create_mesh(meshName="m")
        events.append(code_of(caught)[0])
    assert events == ["waited 2.5", "ServiceUnavailableException"]


def test_an_inner_mock_waits_with_the_closest_sleep_given() -> None:
    outer_waits: list[float] = []
    inner_waits: list[float] = []
    with mock_appmesh(sleep=outer_waits.append) as outer:
        outer.add_fault("ListMeshes", error=None, delay=1.0)
        with mock_appmesh():
            client().list_meshes()  # inherited from the outer mock
        with mock_appmesh(sleep=inner_waits.append):
            client().list_meshes()
        client().list_meshes()
    assert (outer_waits, inner_waits) == ([1.0, 1.0], [1.0])


ASKED: list[float] = []


@pytest.mark.appmesh_mock(sleep=ASKED.append)
def test_the_marker_takes_a_sleep_too(appmesh_mock: MockAppMesh) -> None:
    ASKED.clear()
    appmesh_mock.add_fault("DescribeMesh", error="NotFoundException", delay=3)
    with pytest.raises(ClientError):
        client().describe_mesh(meshName="absent")
    assert ASKED == [3.0]


def test_without_a_sleep_given_the_delay_is_really_waited(mock: MockAppMesh) -> None:
    mock.add_fault("ListMeshes", error=None, delay=0.05, times=1)
    started = time.monotonic()
    client().list_meshes()
    assert time.monotonic() - started >= 0.05  # a lower bound only: never flaky


def test_faults_end_with_their_activation() -> None:
    outer = mock_appmesh()
    with pytest.raises(RuntimeError, match="start the mock"):
        outer.add_fault()
    with outer:
        outer.add_fault("CreateMesh", error="ForbiddenException")
        with mock_appmesh() as inner:
            inner.add_fault("ListMeshes")
            with pytest.raises(ClientError):
                client().list_meshes()
        client().list_meshes()  # the inner fault went with the inner mock
        with pytest.raises(ClientError):
            client().create_mesh(meshName="m")
    with mock_appmesh():
        client().create_mesh(meshName="m")  # and the outer one with the outer mock
