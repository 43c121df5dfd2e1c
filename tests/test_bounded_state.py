"""State that must not grow without bound or go backwards: clientToken records (dropped with
their resource, after a time window, past a count), backends for unknown accounts and
regions (a read creates none), and timestamps (a clock set back cannot reorder them)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from appmesh_mock import mock_appmesh
from appmesh_mock.backend import store as store_module
from appmesh_mock.backend.store import Store
from appmesh_mock.backend.tokens import TOKEN_TTL
from appmesh_mock.service.dispatch import Dispatcher
from appmesh_mock.session import RUNTIME

JSON = {"content-type": "application/json"}


def call(dispatcher: Dispatcher, method: str, path: str, document: Any = None) -> Any:
    body = json.dumps(document).encode() if document is not None else b""
    response = dispatcher.handle(method, path, "", JSON, body)
    assert response.status == 200, response.body
    return json.loads(response.body)


def test_create_delete_cycles_leave_no_token_records_behind() -> None:
    dispatcher = Dispatcher(Store())
    call(dispatcher, "PUT", "/v20190125/meshes", {"meshName": "m", "clientToken": "mesh"})
    nodes = "/v20190125/meshes/m/virtualNodes"
    for n in range(3000):
        token = uuid.uuid4().hex
        call(dispatcher, "PUT", nodes, {"virtualNodeName": f"n{n}", "spec": {},
                                        "clientToken": token})
        call(dispatcher, "PUT", f"{nodes}/n{n}", {"spec": {}, "clientToken": token[:20]})
        call(dispatcher, "DELETE", f"{nodes}/n{n}")
    store = dispatcher.store
    assert store.token_count() == 1  # the mesh's, which still stands
    assert len(store._token_arns) == 1
    call(dispatcher, "DELETE", "/v20190125/meshes/m")
    assert store.token_count() == 0
    assert store._token_arns == {}


def test_a_token_still_replays_while_its_resource_lives() -> None:
    with mock_appmesh():
        client = boto3.client("appmesh", region_name="us-east-1")
        first = client.create_mesh(meshName="m", clientToken="t-1")["mesh"]
        assert client.create_mesh(meshName="m", clientToken="t-1")["mesh"] == first
        client.delete_mesh(meshName="m")
        # The record went with the mesh: the same token now makes a new mesh.
        again = client.create_mesh(meshName="m", clientToken="t-1")["mesh"]
        assert again["metadata"]["uid"] != first["metadata"]["uid"]


def test_token_records_expire_after_the_window() -> None:
    now = [1_000_000.0]
    dispatcher = Dispatcher(Store(clock=lambda: now[0]))
    call(dispatcher, "PUT", "/v20190125/meshes", {"meshName": "m", "clientToken": "old"})
    now[0] += TOKEN_TTL + 1
    call(dispatcher, "PUT", "/v20190125/meshes/m", {"spec": {}, "clientToken": "new"})
    tokens = dispatcher.store.backend("123456789012", "us-east-1").tokens
    assert list(tokens) == ["new"]


def test_token_records_are_capped_per_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "TOKENS_PER_REGION", 20)
    dispatcher = Dispatcher(Store())
    call(dispatcher, "PUT", "/v20190125/meshes", {"meshName": "m"})
    answers = [
        call(dispatcher, "PUT", "/v20190125/meshes/m", {"spec": {}, "clientToken": f"t{n}"})
        for n in range(50)
    ]
    tokens = dispatcher.store.backend("123456789012", "us-east-1").tokens
    assert list(tokens) == [f"t{n}" for n in range(30, 50)]  # the newest 20
    replay = call(dispatcher, "PUT", "/v20190125/meshes/m", {"spec": {}, "clientToken": "t49"})
    assert replay == answers[-1]


def test_reads_naming_unknown_accounts_and_regions_create_nothing() -> None:
    with mock_appmesh():
        for n in range(20):
            client = boto3.client(
                "appmesh", region_name=f"xx-test-{n}", aws_access_key_id=f"{n:012d}",
                aws_secret_access_key="x")
            assert client.list_meshes()["meshes"] == []
            with pytest.raises(client.exceptions.NotFoundException):
                client.describe_mesh(meshName="absent")
            with pytest.raises(client.exceptions.NotFoundException):
                client.list_virtual_nodes(meshName="absent")
        assert RUNTIME.store.backends() == []
        boto3.client("appmesh", region_name="us-west-2").create_mesh(meshName="m")
        assert [(b.region, len(b.meshes)) for b in RUNTIME.store.backends()] == [("us-west-2", 1)]


def test_a_clock_set_back_never_puts_an_update_before_the_create() -> None:
    readings = iter([2_000_000.0, 1_000_000.0, 1_500_000.0, 900_000.0])
    dispatcher = Dispatcher(Store(clock=lambda: next(readings)))
    created = call(dispatcher, "PUT", "/v20190125/meshes", {"meshName": "m"})["metadata"]
    updated = call(dispatcher, "PUT", "/v20190125/meshes/m", {"spec": {}})["metadata"]
    assert updated["lastUpdatedAt"] >= created["createdAt"] == 2_000_000.0
    deleted = call(dispatcher, "DELETE", "/v20190125/meshes/m")["metadata"]
    assert deleted["lastUpdatedAt"] >= updated["lastUpdatedAt"]


def test_the_default_clock_does_not_go_back() -> None:
    readings = [store_module.wall_clock() for _ in range(1000)]
    assert readings == sorted(readings)
