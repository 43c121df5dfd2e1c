"""App Mesh calls answered in place of botocore's transport (entry/botocore_client.py) give
what the whole transport gives, and the transport still runs wherever a user could tell the
difference: errors (so that botocore retries them as it would AWS's), handlers of a user's on
the transport's events, Stubber, refreshable credentials."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import boto3
import botocore
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import ClientError
from botocore.signers import RequestSigner
from botocore.stub import Stubber

from appmesh_mock import MockAppMesh, mock_appmesh

REGION = "eu-west-1"
SPEC = {
    "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
    "serviceDiscovery": {"dns": {"hostname": "colors.local"}},
    "backends": [{"virtualService": {"virtualServiceName": "tea.local"}}],
}


# botocore emits `before-parse` from 1.35.16 on; before that there is no such event to see.
EMITS_BEFORE_PARSE = tuple(map(int, botocore.__version__.split(".")[:3])) >= (1, 35, 16)


def client(version: str = "2019-01-25", **kwargs: Any) -> Any:
    return boto3.client("appmesh", region_name=REGION, api_version=version, **kwargs)


def through_the_transport(appmesh: Any) -> list[str]:
    """Gives `appmesh` a `before-send` handler of a user's (which only watches), so that
    every call runs the whole transport; returns the names of the calls it saw."""
    seen: list[str] = []
    appmesh.meta.events.register(
        "before-send.app-mesh", lambda event_name, **_: seen.append(event_name.split(".")[-1])
    )
    return seen


@pytest.fixture
def signed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The operations botocore signed (only the transport signs)."""
    names: list[str] = []
    original = RequestSigner.sign

    def sign(self: Any, operation_name: str, *args: Any, **kwargs: Any) -> Any:
        names.append(operation_name)
        return original(self, operation_name, *args, **kwargs)

    monkeypatch.setattr(RequestSigner, "sign", sign)
    return names


def without_request_ids(response: dict[str, Any]) -> dict[str, Any]:
    metadata = dict(response["ResponseMetadata"])
    headers = dict(metadata.pop("HTTPHeaders"))
    assert metadata.pop("RequestId") == headers.pop("x-amzn-requestid")
    return {**response, "ResponseMetadata": {**metadata, "HTTPHeaders": headers}}


@pytest.mark.parametrize("version", ["2019-01-25", "2018-10-01"])
def test_answers_equal_what_the_transport_gives(appmesh_mock: MockAppMesh, version: str) -> None:
    fast, whole = client(version), client(version)
    seen = through_the_transport(whole)
    spec = SPEC if version == "2019-01-25" else {"backends": ["tea.local"]}
    fast.create_mesh(meshName="m")
    fast.create_virtual_node(meshName="m", virtualNodeName="n", spec=spec)
    calls: list[tuple[str, dict[str, Any]]] = [
        ("describe_mesh", {"meshName": "m"}),
        ("describe_virtual_node", {"meshName": "m", "virtualNodeName": "n"}),
        ("list_virtual_nodes", {"meshName": "m", "limit": 5}),
    ]
    for name, params in calls:
        mine, theirs = (getattr(c, name)(**params) for c in (fast, whole))
        assert without_request_ids(mine) == without_request_ids(theirs)
        assert mine["ResponseMetadata"]["RetryAttempts"] == 0
    assert len(seen) == len(calls)
    created = fast.describe_virtual_node(meshName="m", virtualNodeName="n")["virtualNode"]
    stamp = created["metadata"]["createdAt"]
    # botocore's own timestamp parser made it, as from the wire (aware, local zone).
    assert isinstance(stamp, datetime) and stamp.tzinfo is not None


def test_a_success_skips_signing_and_an_error_runs_the_transport(
    appmesh_mock: MockAppMesh, signed: list[str]
) -> None:
    appmesh = client()
    appmesh.create_mesh(meshName="m")
    with pytest.raises(appmesh.exceptions.NotFoundException):
        appmesh.describe_mesh(meshName="missing")
    assert signed == ["DescribeMesh"]
    assert [(c.operation, c.status) for c in appmesh_mock.calls] == [
        ("CreateMesh", 200),
        ("DescribeMesh", 404),
    ]  # each dispatched once: the transport was served the answer already made


def test_errors_are_retried_as_botocore_retries_aws_errors(slept: list[float]) -> None:
    """botocore's standard retry mode counts LimitExceededException as throttling."""
    with mock_appmesh(quotas={"meshes_per_account": 1}) as m:
        appmesh = client(config=Config(retries={"mode": "standard", "total_max_attempts": 3}))
        appmesh.create_mesh(meshName="a")
        with pytest.raises(ClientError) as caught:
            appmesh.create_mesh(meshName="b")
        assert caught.value.response["Error"]["Code"] == "LimitExceededException"
        assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 2
        assert len(slept) == 2
        errors = [c.error for c in m.calls.of("CreateMesh")]
        assert errors == [None, *["LimitExceededException"] * 3]


@pytest.mark.parametrize(
    "event",
    [
        "request-created",
        "before-sign",
        "before-send",
        "response-received",
        pytest.param(
            "before-parse",
            marks=pytest.mark.skipif(not EMITS_BEFORE_PARSE, reason="botocore < 1.35.16"),
        ),
    ],
)
def test_a_users_handler_on_a_transport_event_sees_every_call(
    appmesh_mock: MockAppMesh, event: str
) -> None:
    appmesh = client()
    seen: list[str] = []
    appmesh.meta.events.register(f"{event}.app-mesh", lambda **_: seen.append(event))
    appmesh.create_mesh(meshName="m")
    assert appmesh.describe_mesh(meshName="m")["mesh"]["meshName"] == "m"
    assert seen == [event, event]


def test_a_users_handler_can_still_rewrite_the_request(appmesh_mock: MockAppMesh) -> None:
    appmesh = client()

    def add_member(request: Any, **_: Any) -> None:
        body = json.loads(request.data)
        request.data = json.dumps({**body, "colour": "red"}).encode()

    appmesh.meta.events.register("before-sign.app-mesh.CreateMesh", add_member)
    with pytest.raises(appmesh.exceptions.BadRequestException, match="colour"):
        appmesh.create_mesh(meshName="m")
    assert client().list_meshes()["meshes"] == []


def test_stubber_answers_first(appmesh_mock: MockAppMesh) -> None:
    appmesh = client()
    with Stubber(appmesh) as stub:
        stub.add_response("list_meshes", {"meshes": []})
        assert appmesh.list_meshes()["meshes"] == []
    assert list(appmesh_mock.calls) == []


def test_account_and_region_are_those_signing_gives(appmesh_mock: MockAppMesh) -> None:
    keyed = client(aws_access_key_id="210987654321", aws_secret_access_key="s")
    arn = keyed.create_mesh(meshName="m")["mesh"]["metadata"]["arn"]
    assert arn == f"arn:aws:appmesh:{REGION}:210987654321:mesh/m"
    unsigned = boto3.client(
        "appmesh", region_name="ap-south-1", config=Config(signature_version=UNSIGNED)
    )
    arn = unsigned.create_mesh(meshName="m")["mesh"]["metadata"]["arn"]
    assert arn == "arn:aws:appmesh:ap-south-1:123456789012:mesh/m"  # the region of its host


def test_refreshable_credentials_are_read_by_signing_alone(
    appmesh_mock: MockAppMesh, signed: list[str]
) -> None:
    refreshed: list[int] = []

    def refresh() -> dict[str, str]:
        refreshed.append(1)
        expiry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        return {"access_key": "333344445555", "secret_key": "s", "token": "t",
                "expiry_time": expiry}  # fmt: skip

    appmesh = client()
    appmesh._request_signer._credentials = RefreshableCredentials.create_from_metadata(
        refresh(), refresh, "test"
    )
    arn = appmesh.create_mesh(meshName="m")["mesh"]["metadata"]["arn"]
    assert arn == f"arn:aws:appmesh:{REGION}:333344445555:mesh/m"
    assert signed == ["CreateMesh"] and refreshed == [1]
