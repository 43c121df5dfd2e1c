"""`m.calls`: every App Mesh call answered while the mock is active, from every entry point,
in order, with what was asked and what was answered."""

from __future__ import annotations

import gc
import json
import tracemalloc
from typing import Any

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from appmesh_mock import MockServer, mock_appmesh

ACCOUNT = "210987654321"


def client(endpoint_url: str | None = None, validate: bool = True) -> Any:
    config = Config(retries={"total_max_attempts": 1}, parameter_validation=validate)
    return boto3.client(
        "appmesh", region_name="eu-west-1", aws_access_key_id=ACCOUNT,
        aws_secret_access_key="s", config=config, endpoint_url=endpoint_url,
    )  # fmt: skip


def test_each_call_says_what_was_asked_and_answered() -> None:
    with mock_appmesh() as m:
        appmesh = client()
        created = appmesh.create_mesh(meshName="shop", clientToken="tok-1")
        with pytest.raises(ClientError):
            appmesh.describe_mesh(meshName="none")
    create, describe = m.calls  # readable after the mock stopped
    assert (create.operation, create.api_version) == ("CreateMesh", "2019-01-25")
    assert (create.account_id, create.region) == (ACCOUNT, "eu-west-1")
    assert create.params == {"meshName": "shop", "clientToken": "tok-1"}
    assert (create.status, create.error, create.fault) == (200, None, None)
    assert create.response is not None
    assert create.response["mesh"]["metadata"]["uid"] == created["mesh"]["metadata"]["uid"]
    assert describe.params == {"meshName": "none"}
    assert (describe.status, describe.error, describe.response) == (404, "NotFoundException", None)


def test_invalid_input_is_logged_with_its_error() -> None:
    with mock_appmesh() as m:
        appmesh = client(validate=False)
        with pytest.raises(ClientError):
            appmesh.create_mesh(meshName="x" * 300)
    (call,) = m.calls
    assert (call.operation, call.status, call.error) == ("CreateMesh", 400, "BadRequestException")


def test_clear_and_of() -> None:
    with mock_appmesh() as m:
        appmesh = client()
        appmesh.create_mesh(meshName="a")
        appmesh.list_meshes()
        appmesh.create_mesh(meshName="b")
        assert m.calls.operations == ["CreateMesh", "ListMeshes", "CreateMesh"]
        assert [c.params["meshName"] for c in m.calls.of("CreateMesh")] == ["a", "b"]
        assert len(m.calls.of("CreateMesh", "ListMeshes")) == 3
        assert m.calls[-1].params["meshName"] == "b" and len(m.calls[:2]) == 2
        m.calls.clear()
        appmesh.list_meshes()
        assert m.calls.operations == ["ListMeshes"]
    with mock_appmesh() as again:
        assert len(again.calls) == 0  # a new activation starts with none
    assert m.calls.operations == ["ListMeshes"]


def test_every_entry_point_lands_in_the_same_list() -> None:
    with mock_appmesh() as m, MockServer() as server:
        client().create_mesh(meshName="hooked")
        client(endpoint_url=server.url).create_mesh(meshName="served")
        url = "https://appmesh.eu-west-1.amazonaws.com/v20190125/meshes"
        body = json.dumps({"meshName": "requested"}).encode()
        request = AWSRequest(method="PUT", url=url, data=body,
                             headers={"Content-Type": "application/json"})  # fmt: skip
        SigV4Auth(Credentials(ACCOUNT, "s"), "appmesh", "eu-west-1").add_auth(request)
        answer = requests.put(url, data=body, headers=dict(request.headers), timeout=5)
        assert answer.status_code == 200
        with mock_appmesh() as inner:  # nested activations share the log
            client().list_meshes()
            assert inner.calls is m.calls
    assert [c.params.get("meshName") for c in m.calls] == ["hooked", "served", "requested", None]
    assert {c.account_id for c in m.calls} == {ACCOUNT}


def test_the_log_holds_each_answer_at_its_own_size() -> None:
    """A suite making thousands of calls keeps every one in the log: each kept answer costs
    what its bytes take, not the buffer the JSON encoder wrote it into (4 KiB and more)."""
    with mock_appmesh() as m:
        appmesh = client()
        appmesh.create_mesh(meshName="shop")
        appmesh.describe_mesh(meshName="shop")
        gc.collect()
        tracemalloc.start()
        try:
            for _ in range(200):
                appmesh.describe_mesh(meshName="shop")
            gc.collect()
            held = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        body = len(json.dumps(m.calls[-1].response))
    assert held / 200 < body + 1024  # the body, the call's own record and little else


def test_the_log_keeps_the_latest_calls_and_counts_the_dropped() -> None:
    with mock_appmesh(call_log_limit=3) as m:
        appmesh = client()
        for name in "abcde":
            appmesh.create_mesh(meshName=name)
        assert [c.params["meshName"] for c in m.calls] == ["c", "d", "e"]
        assert (m.calls.limit, m.calls.dropped) == (3, 2)
        assert "dropped=2" in repr(m.calls)
        with mock_appmesh(call_log_limit=None):  # nested: the outermost's log and limit
            appmesh.list_meshes()
        assert m.calls.operations == ["CreateMesh", "CreateMesh", "ListMeshes"]
        assert m.calls.dropped == 3
        m.calls.clear()
        assert (len(m.calls), m.calls.dropped) == (0, 0)


def test_the_default_limit_and_none_for_every_call() -> None:
    with mock_appmesh() as m:
        assert m.calls.limit == 10_000
    with mock_appmesh(call_log_limit=None) as m:
        appmesh = client()
        for name in "abc":
            appmesh.create_mesh(meshName=name)
        assert (m.calls.limit, m.calls.dropped, len(m.calls)) == (None, 0, 3)


@pytest.mark.parametrize(
    ("limit", "error", "message"),
    [
        (-1, ValueError, "must be 0 or more"),
        ("10", TypeError, "a number of calls or None"),
        (True, TypeError, "a number of calls or None"),
    ],
)
def test_a_bad_limit_fails_when_decorating(
    limit: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        mock_appmesh(call_log_limit=limit)


def test_an_unknown_option_fails_when_decorating() -> None:
    with pytest.raises(TypeError, match=r"unknown option\(s\) call_limit; the options are"):
        mock_appmesh(call_limit=10)  # type: ignore[call-overload]


def test_reset_clears_faults_and_calls_unless_state_only() -> None:
    with mock_appmesh() as m:
        appmesh = client()
        appmesh.create_mesh(meshName="a")
        m.add_fault("DescribeMesh", error="NotFoundException")
        m.reset(state_only=True)
        assert appmesh.list_meshes()["meshes"] == []
        assert m.calls.operations == ["CreateMesh", "ListMeshes"]
        with pytest.raises(ClientError):
            appmesh.describe_mesh(meshName="a")
        assert m.calls[-1].fault is not None  # the fault outlived the reset
        appmesh.create_mesh(meshName="b")
        m.reset()
        assert len(m.calls) == 0
        assert appmesh.list_meshes()["meshes"] == []
        appmesh.create_mesh(meshName="c")
        assert appmesh.describe_mesh(meshName="c")["mesh"]["meshName"] == "c"  # no fault


def test_a_full_log_stays_within_its_memory_bound() -> None:
    """20,000 create+delete cycles at the default limit must grow memory by under 15 MiB: the
    log keeps 10,000 calls at under 1 KiB each, and a call it drops is freed."""
    appmesh = client()  # one client throughout: its own first-call caches are not the log's
    cycles = 60

    def growth(limit: int | None, traced: bool = True) -> int:
        with mock_appmesh(call_log_limit=limit) as m:
            gc.collect()
            if traced:
                tracemalloc.start()
            try:
                for i in range(cycles):
                    appmesh.create_mesh(meshName=f"m{i}")
                    appmesh.delete_mesh(meshName=f"m{i}")
                gc.collect()
                held: int = tracemalloc.get_traced_memory()[0]
            finally:
                tracemalloc.stop()
            assert len(m.calls) == min(2 * cycles, limit if limit is not None else 2 * cycles)
        return held

    growth(0, traced=False)  # the same paths and names: the process-wide caches are warm
    none_kept, ten_kept, all_kept = growth(0), growth(10), growth(None)
    per_call = (all_kept - none_kept) / (2 * cycles)
    assert per_call < 1024, per_call  # measured 580-730 B: the answer's bytes, params, the Call
    assert 10_000 * per_call < 15 * 2**20
    assert ten_kept - none_kept < (all_kept - none_kept) / 4  # the dropped calls were freed
