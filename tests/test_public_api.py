"""The public names, where the README and docs say they are, and the public API's promises:
MockServer's import paths, `isolated=True`, `snapshot()` for the activation's account,
`share_mesh` by keyword (the positional form warned for one release), `add_fault`'s options."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import urllib.request
import warnings
from pathlib import Path

import boto3
import pytest

import appmesh_mock
from appmesh_mock import MockServer, mock_appmesh
from appmesh_mock.service.faults import Faults

ROOT = Path(__file__).resolve().parent.parent
OWNER, CONSUMER = "111122223333", "444455556666"


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)


def _documented_imports() -> set[tuple[str, str]]:
    """(module, name) of every `from appmesh_mock... import name` in README and docs/."""
    found = set()
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in _python_blocks(page):
            # Read line by line: a block may show a shape with `...` that does not parse.
            for module, names in _IMPORT.findall(block):
                found.update((module, name.strip()) for name in names.split(","))
    return found


_IMPORT = re.compile(r"^\s*from (appmesh_mock[\w.]*) import ([\w, ]+)$", re.MULTILINE)


def test_every_documented_import_works() -> None:
    documented = _documented_imports()
    assert ("appmesh_mock", "mock_appmesh") in documented
    assert ("appmesh_mock", "MockServer") in documented
    for module, name in sorted(documented):
        assert hasattr(importlib.import_module(module), name), f"from {module} import {name}"


def test_documented_imports_name_no_internal_room() -> None:
    internal = ("service", "backend", "handlers", "protocol", "versions", "inprocess", "entry")
    leaking = [
        f"{module}.{name}"
        for module, name in _documented_imports()
        if module.split(".")[1:2] and module.split(".")[1] in internal
    ]
    assert leaking == []


def test_mock_server_has_one_class_under_every_path() -> None:
    from appmesh_mock.server import MockServer as from_server

    assert from_server is MockServer is appmesh_mock.MockServer
    assert "MockServer" in appmesh_mock.__all__


def test_the_old_entry_path_still_works_and_warns() -> None:
    import sys

    sys.modules.pop("appmesh_mock.entry.server", None)
    with pytest.warns(DeprecationWarning, match="appmesh_mock.entry.server is deprecated"):
        old = importlib.import_module("appmesh_mock.entry.server")
    assert old.MockServer is MockServer


def _create_mesh(url: str, name: str) -> None:
    request = urllib.request.Request(
        f"{url}/v20190125/meshes",
        data=json.dumps({"meshName": name}).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read())["meshName"] == name


def test_an_isolated_server_keeps_its_own_state() -> None:
    with mock_appmesh() as mock, MockServer(isolated=True) as server:
        _create_mesh(server.url, "private")
        boto3.client("appmesh", region_name="us-east-1").create_mesh(meshName="shared")
        assert list(mock.snapshot()["meshes"]) == ["shared"]
        with urllib.request.urlopen(f"{server.url}/_appmesh_mock/export", timeout=10) as got:
            names = [item["mesh"]["meshName"] for item in json.loads(got.read())["resources"]]
        assert names == ["private"]


def test_isolated_and_a_dispatcher_together_are_refused() -> None:
    from appmesh_mock.backend.store import Store
    from appmesh_mock.service.dispatch import Dispatcher

    with pytest.raises(TypeError, match="not both"):
        MockServer(isolated=True, dispatcher=Dispatcher(Store()))


@mock_appmesh(account_id=OWNER)
def test_snapshot_shows_the_activations_account() -> None:
    boto3.client("appmesh", region_name="us-east-1").create_mesh(meshName="mine")
    assert list(appmesh_mock_snapshot()["meshes"]) == ["mine"]


def appmesh_mock_snapshot() -> dict[str, object]:
    with mock_appmesh() as inner:  # nested: inherits the outer account
        return inner.snapshot()


def test_snapshot_follows_the_region_a_default_client_uses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_REGION", raising=False)
    with mock_appmesh() as mock:
        boto3.client("appmesh").create_mesh(meshName="irish")
        assert list(mock.snapshot()["meshes"]) == ["irish"]
        assert mock.snapshot(region="us-east-1") == {"meshes": {}}


def test_share_mesh_by_keyword() -> None:
    with mock_appmesh() as mock:
        boto3.client("appmesh", region_name="us-east-1").create_mesh(meshName="m")
        mock.share_mesh("m", owner_account_id=mock_owner(), consumer_account_id=CONSUMER)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            mock.unshare_mesh("m", owner_account_id=mock_owner(), consumer_account_id=CONSUMER)


def mock_owner() -> str:
    return "123456789012"


def test_share_mesh_positional_form_works_with_a_deprecation_warning() -> None:
    consumer = boto3.client(
        "appmesh",
        region_name="us-east-1",
        aws_access_key_id=CONSUMER,
        aws_secret_access_key="x",
    )
    with mock_appmesh() as mock:
        boto3.client("appmesh", region_name="us-east-1").create_mesh(meshName="m")
        with pytest.warns(DeprecationWarning, match="by keyword"):
            mock.share_mesh("m", mock_owner(), CONSUMER)
        described = consumer.describe_mesh(meshName="m", meshOwner=mock_owner())
        assert described["mesh"]["metadata"]["meshOwner"] == mock_owner()


def test_share_mesh_without_both_accounts_is_a_type_error() -> None:
    with mock_appmesh() as mock, pytest.raises(TypeError, match="consumer_account_id"):
        mock.share_mesh("m", owner_account_id=OWNER)


def test_add_fault_offers_exactly_faults_add_options() -> None:
    offered = inspect.signature(appmesh_mock.MockAppMesh.add_fault).parameters
    defined = inspect.signature(Faults.add).parameters
    assert list(offered) == list(defined)
    assert all(offered[name].default == defined[name].default for name in defined)
