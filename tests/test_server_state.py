"""Saving and restoring the whole state (what `serve --state-file` relies on), in-process."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import boto3
import pytest

from appmesh_mock import MockServer, mock_appmesh
from appmesh_mock.backend.persistence import StateFileError, dump, load, load_file, save_file
from appmesh_mock.backend.store import Store
from appmesh_mock.service.dispatch import Dispatcher
from appmesh_mock.session import RUNTIME

OWNER = "111111111111"
CONSUMER = "222222222222"


def client(account: str, endpoint_url: str | None = None) -> Any:
    return boto3.client(
        "appmesh",
        region_name="us-east-1",
        aws_access_key_id=account,
        aws_secret_access_key="state-secret",
        endpoint_url=endpoint_url,
    )


def test_a_restored_registry_serves_shares_tokens_and_children_as_before() -> None:
    with mock_appmesh() as mock:
        owner = client(OWNER)
        owner.create_mesh(meshName="shared")
        owner.create_virtual_node(meshName="shared", virtualNodeName="node", spec={})
        mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
        client(CONSUMER).create_virtual_node(
            meshName="shared", meshOwner=OWNER, virtualNodeName="guest", spec={},
            clientToken="guest-token",
        )
        saved = dump(RUNTIME.store)
        expected = mock.snapshot(OWNER)

    restored = Store()
    load(restored, saved)
    assert dump(restored) == saved
    with MockServer(dispatcher=Dispatcher(restored)) as server:
        consumer = client(CONSUMER, server.url)
        listed = consumer.list_virtual_nodes(meshName="shared", meshOwner=OWNER)["virtualNodes"]
        assert [ref["virtualNodeName"] for ref in listed] == ["node", "guest"]
        guest = consumer.create_virtual_node(
            meshName="shared", meshOwner=OWNER, virtualNodeName="guest", spec={},
            clientToken="guest-token",
        )["virtualNode"]  # a replay, not a conflict
        assert guest["metadata"]["uid"] == (
            expected["meshes"]["shared"]["virtualNodes"]["guest"]["uid"]
        )
        with pytest.raises(consumer.exceptions.ForbiddenException):
            consumer.delete_virtual_node(meshName="shared", meshOwner=OWNER,
                                         virtualNodeName="node")


def test_a_damaged_document_is_refused_and_leaves_the_registry_empty() -> None:
    registry = Store()
    with mock_appmesh():
        client(OWNER).create_mesh(meshName="m")
        good = dump(RUNTIME.store)
    load(registry, good)
    damaged = json.loads(json.dumps(good))
    del damaged["backends"][0]["meshes"][0]["mesh"]["uid"]
    with pytest.raises(StateFileError):
        load(registry, damaged)
    assert dump(registry)["backends"] == []
    with pytest.raises(StateFileError):
        load(registry, {"format": "something else"})


def test_a_failed_save_leaves_the_previous_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = Store()
    state_file = tmp_path / "state.json"
    save_file(registry, state_file)
    before = state_file.read_bytes()

    with mock_appmesh():
        client(OWNER).create_mesh(meshName="unsaved")
        load(registry, dump(RUNTIME.store))

    def disk_full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        save_file(registry, state_file)
    assert state_file.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
    monkeypatch.undo()

    save_file(registry, state_file)
    reloaded = Store()
    assert load_file(reloaded, state_file)
    assert dump(reloaded) == dump(registry)
    assert not load_file(Store(), tmp_path / "absent.json")
