"""The Resource Groups Tagging API is a second service of the one dispatcher: faults, the call
log and strict mode apply to its calls as to App Mesh's, in-process (boto3's
`resourcegroupstaggingapi` client) and through the server's control endpoints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from server_process import control

from appmesh_mock import MockAppMesh, MockServer, StrictModeViolation, mock_appmesh
from appmesh_mock.backend.store import Store
from appmesh_mock.errors import TAGGING_ERRORS
from appmesh_mock.protocol.apis import TAGGING_SERVICE, TAGGING_VERSION, api_for
from appmesh_mock.service.dispatch import Dispatcher

REGION = "eu-west-1"
ACCOUNT = "210987654321"
SHOP = f"arn:aws:appmesh:{REGION}:{ACCOUNT}:mesh/shop"


def clients(endpoint_url: str | None = None, **config: Any) -> tuple[Any, Any]:
    """An App Mesh and a Tagging API client of one account; no retries unless asked."""
    options: dict[str, Any] = {
        "region_name": REGION,
        "aws_access_key_id": ACCOUNT,
        "aws_secret_access_key": "s",
        "endpoint_url": endpoint_url,
        "config": Config(**{"retries": {"total_max_attempts": 1}, **config}),
    }
    return boto3.client("appmesh", **options), boto3.client("resourcegroupstaggingapi", **options)


@pytest.fixture
def mock() -> Iterator[MockAppMesh]:
    with mock_appmesh() as active:
        yield active


def code_of(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    error = caught.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]


def test_the_tagging_model_is_the_one_named_here_with_its_errors() -> None:
    model = api_for(TAGGING_VERSION).model
    assert model.api_version == TAGGING_VERSION
    assert sorted(cls.code for cls in TAGGING_ERRORS) == sorted(s.name for s in model.error_shapes)


def test_a_fault_on_get_resources_fails_it_with_the_tagging_models_error(
    mock: MockAppMesh,
) -> None:
    appmesh, tagging = clients()
    appmesh.create_mesh(meshName="shop", tags=[{"key": "env", "value": "prod"}])
    fault = mock.add_fault("GetResources", error="InvalidParameterException", times=1)
    with pytest.raises(tagging.exceptions.InvalidParameterException) as caught:
        tagging.get_resources()
    assert code_of(caught) == ("InvalidParameterException", 400)
    assert f"fault {fault.id}" in caught.value.response["Error"]["Message"]
    assert fault.spent and [m["ResourceARN"] for m in tagging.get_resources()[
        "ResourceTagMappingList"]] == [SHOP]  # fmt: skip
    appmesh.list_meshes()  # an App Mesh call never meets a Tagging fault


def test_botocore_retries_a_throttled_tagging_call(mock: MockAppMesh, slept: list[float]) -> None:
    _, tagging = clients(retries={"mode": "standard", "total_max_attempts": 3})
    mock.add_fault("GetTagKeys", error="ThrottledException", times=2)
    assert tagging.get_tag_keys()["TagKeys"] == []
    assert [(c.status, c.error) for c in mock.calls] == [
        (400, "ThrottledException"), (400, "ThrottledException"), (200, None),
    ]  # fmt: skip
    assert len(slept) == 2  # botocore backed off twice, as from a real throttle


def test_a_failed_tag_resources_changes_nothing(mock: MockAppMesh) -> None:
    appmesh, tagging = clients()
    appmesh.create_mesh(meshName="shop", tags=[{"key": "env", "value": "prod"}])
    before = mock.snapshot()
    mock.add_fault("TagResources", error="ThrottledException", times=1)
    with pytest.raises(tagging.exceptions.ThrottledException):
        tagging.tag_resources(ResourceARNList=[SHOP], Tags={"env": "dev"})
    _, lax = clients(parameter_validation=False)
    with pytest.raises(lax.exceptions.InvalidParameterException):
        lax.tag_resources(ResourceARNList=[SHOP], Tags={"k" * 129: "v"})  # the model's max: 128
    with pytest.raises(lax.exceptions.InvalidParameterException):
        lax.untag_resources(ResourceARNList=[SHOP], TagKeys=[])  # the model's minimum: 1
    assert mock.snapshot() == before
    assert [(c.operation, c.error) for c in mock.calls.of("TagResources", "UntagResources")] == [
        ("TagResources", "ThrottledException"),
        ("TagResources", "InvalidParameterException"),
        ("UntagResources", "InvalidParameterException"),
    ]


def test_a_wildcard_fault_meets_the_service_whose_model_declares_its_error(
    mock: MockAppMesh,
) -> None:
    appmesh, tagging = clients()
    mock.add_fault("*", error="ThrottledException")  # the Tagging API's operations only
    appmesh.create_mesh(meshName="shop")
    with pytest.raises(tagging.exceptions.ThrottledException):
        tagging.get_tag_values(Key="env")
    mock.clear_faults()
    mock.add_fault()  # the default, TooManyRequestsException: App Mesh's operations only
    assert tagging.get_tag_keys()["TagKeys"] == []
    with pytest.raises(appmesh.exceptions.TooManyRequestsException):
        appmesh.list_meshes()
    mock.clear_faults()
    mock.add_fault(api_version=TAGGING_VERSION, error="InternalServiceException", times=1)
    with pytest.raises(ClientError) as caught:
        tagging.get_tag_keys()
    assert code_of(caught) == ("InternalServiceException", 500)
    mock.clear_faults()
    waits = mock.add_fault(error=None, delay=0.01)  # latency only: the calls of both APIs
    tagging.get_tag_keys()
    appmesh.list_meshes()
    assert waits.hits == 2 and [c.fault for c in mock.calls[-2:]] == [waits, waits]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"operation": "GetResources", "error": "TooManyRequestsException"}, "ThrottledException"),
        ({"operation": "CreateMesh", "error": "ThrottledException"}, "TooManyRequestsException"),
        ({"operation": "GetResource"}, "nor a Tagging API one"),
        ({"operation": "GetResources", "api_version": "2019-01-25"}, "not an App Mesh"),
    ],
)
def test_a_tagging_fault_that_cannot_be_is_a_value_error(
    mock: MockAppMesh, kwargs: dict[str, Any], words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        mock.add_fault(**kwargs)


def test_the_call_log_lists_tagging_calls_beside_app_mesh_ones(mock: MockAppMesh) -> None:
    appmesh, tagging = clients()
    appmesh.create_mesh(meshName="shop")
    tagging.tag_resources(ResourceARNList=[SHOP], Tags={"env": "prod"})
    with pytest.raises(tagging.exceptions.InvalidParameterException):
        tagging.get_resources(ResourcesPerPage=101)
    create, tag, refused = mock.calls
    assert (create.service, create.operation) == ("appmesh", "CreateMesh")
    assert (tag.service, tag.operation, tag.api_version) == (
        TAGGING_SERVICE, "TagResources", TAGGING_VERSION,
    )  # fmt: skip
    assert (tag.account_id, tag.region, tag.status, tag.error) == (ACCOUNT, REGION, 200, None)
    assert tag.params == {"ResourceARNList": [SHOP], "Tags": {"env": "prod"}}
    assert tag.response == {"FailedResourcesMap": {}}
    assert (refused.status, refused.error, refused.response) == (
        400, "InvalidParameterException", None,
    )  # fmt: skip
    assert mock.calls.operations == ["CreateMesh", "TagResources", "GetResources"]


def test_strict_mode_checks_tagging_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from appmesh_mock.handlers.table import HANDLERS

    monkeypatch.setitem(HANDLERS, "GetTagKeys", lambda ctx, **_: {"TagKeys": ["k"], "Keys": 1})
    with mock_appmesh(strict=True), pytest.raises(StrictModeViolation, match="Keys is not a"):
        clients()[1].get_tag_keys()
    with mock_appmesh(strict=False):  # the departure is answered as is (botocore drops it)
        assert clients()[1].get_tag_keys()["TagKeys"] == ["k"]


def test_through_the_server_faults_and_calls_cover_the_tagging_api() -> None:
    with MockServer(dispatcher=Dispatcher(Store())) as server:
        appmesh, tagging = clients(server.url)
        appmesh.create_mesh(meshName="shop", tags=[{"key": "env", "value": "prod"}])
        fault = control(server.url, "POST", "faults", {
            "operation": "GetResources", "error": "ThrottledException", "times": 1,
        })  # fmt: skip
        with pytest.raises(tagging.exceptions.ThrottledException):
            tagging.get_resources()
        assert len(tagging.get_resources()["ResourceTagMappingList"]) == 1
        calls = control(server.url, "GET", "calls?operation=GetResources")["calls"]
    assert [(c["service"], c["status"], c["error"], c["fault"]) for c in calls] == [
        (TAGGING_SERVICE, 400, "ThrottledException", fault["id"]),
        (TAGGING_SERVICE, 200, None, None),
    ]
    assert (calls[1]["apiVersion"], calls[1]["accountId"]) == (TAGGING_VERSION, ACCOUNT)
    assert calls[1]["response"]["ResourceTagMappingList"][0]["ResourceARN"] == SHOP
