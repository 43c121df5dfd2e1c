"""The test-double controls of `appmesh-mock serve`: --seed, the fault, calls, export and load
endpoints and their CLI commands, and a fault met by the AWS SDK for JavaScript v3."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from server_process import COMMAND, ServerProcess, running_server

from appmesh_mock import mock_appmesh

ROOT = Path(__file__).resolve().parent.parent
CAPTURED = ROOT / "examples" / "captured"
JS_DIR = Path(__file__).resolve().parent / "js"
ACCOUNT = "123456789012"  # the account of the captured bookstore mesh


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with running_server(tmp_path_factory.mktemp("toolbox"), "--seed", str(CAPTURED)) as s:
        yield s


def cli(server: ServerProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COMMAND), *args, "--url", server.url], capture_output=True, text=True, timeout=60
    )


def cli_json(server: ServerProcess, *args: str) -> Any:
    done = cli(server, *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_seed_and_export_give_what_loading_in_process_gives(
    server: ServerProcess, tmp_path: Path
) -> None:
    with mock_appmesh(state=CAPTURED) as m:
        expected = m.export()
    out = tmp_path / "exported.json"
    assert cli(server, "export", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text()) == expected
    assert cli_json(server, "export") == expected


@pytest.mark.slow
def test_a_fault_through_the_cli_throttles_boto3_and_the_calls_show_it(
    server: ServerProcess,
) -> None:
    cli_json(server, "calls", "--clear")
    fault = cli_json(server, "fault", "add", "DescribeMesh", "--times", "1")
    assert (fault["error"], fault["times"], fault["hits"]) == ("TooManyRequestsException", 1, 0)
    appmesh = server.client(ACCOUNT)
    with pytest.raises(ClientError) as caught:
        appmesh.describe_mesh(meshName="bookstore")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    appmesh.describe_mesh(meshName="bookstore")
    calls = cli_json(server, "calls", "--operation", "DescribeMesh")["calls"]
    assert [(c["status"], c["error"], c["fault"]) for c in calls] == [
        (429, "TooManyRequestsException", fault["id"]),
        (200, None, None),
    ]
    assert calls[1]["params"] == {"meshName": "bookstore"}
    assert calls[1]["response"]["mesh"]["meshName"] == "bookstore"
    cli_json(server, "fault", "add", "--error", "ServiceUnavailableException")
    with pytest.raises(ClientError):
        appmesh.list_meshes()
    cli_json(server, "fault", "clear")
    appmesh.list_meshes()
    bad = cli(server, "fault", "add", "ListMeshes", "--error", "ConflictException")
    assert bad.returncode == 1 and "ConflictException" in bad.stderr


@pytest.mark.slow
def test_load_adds_all_or_nothing(server: ServerProcess, tmp_path: Path) -> None:
    with mock_appmesh() as m:
        appmesh_client = boto3.client("appmesh", region_name="eu-west-1")
        appmesh_client.create_mesh(meshName="second", tags=[{"key": "k", "value": "v"}])
        appmesh_client.create_virtual_node(meshName="second", virtualNodeName="n", spec={})
        document = m.export()
    state = tmp_path / "second.json"
    broken = json.loads(json.dumps(document))
    broken["resources"][1]["virtualNode"]["meshName"] = "absent"
    state.write_text(json.dumps(broken))
    before = cli_json(server, "export")
    failed = cli(server, "load", str(state))
    assert failed.returncode == 1 and "resources[1]" in failed.stderr, failed.stderr
    assert cli_json(server, "export") == before
    state.write_text(json.dumps(document))
    assert cli_json(server, "load", str(state)) == {"loaded": 2}
    after = cli_json(server, "export")["resources"]
    assert [item for item in after if item not in before["resources"]] == document["resources"]
    cross_origin = {"Content-Type": "text/plain", "Origin": "http://evil.example"}
    status, _, _ = server.request(
        "POST", "/_appmesh_mock/load", body=state.read_bytes(), headers=cross_origin
    )
    assert status == 403  # what a page of another origin could send
    assert cli_json(server, "export")["resources"] == after


def test_the_javascript_sdk_retries_a_fault_and_reads_the_calls(server: ServerProcess) -> None:
    node = shutil.which("node")
    if node is None or not (JS_DIR / "node_modules" / "@aws-sdk" / "client-app-mesh").is_dir():
        pytest.skip("node and @aws-sdk/client-app-mesh are installed by .ci/run")
    done = subprocess.run(
        [node, "faults.mjs", server.url], cwd=JS_DIR, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["meshes"][0] == "bookstore" and seen["attempts"] == 3
    fault = seen["faultId"]
    assert seen["calls"] == [
        ["ListMeshes", 429, "TooManyRequestsException", fault],
        ["ListMeshes", 429, "TooManyRequestsException", fault],
        ["ListMeshes", 200, None, None],
    ]
    assert seen["hits"] == 2


@pytest.mark.slow
def test_a_seed_goes_into_the_state_file_once(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    with running_server(tmp_path, "--state-file", str(state), "--seed", str(CAPTURED)) as s:
        seeded = cli_json(s, "export")
        s.client(ACCOUNT).update_virtual_node(
            meshName="bookstore", virtualNodeName="catalog-v2", spec={}
        )
        updated = cli_json(s, "export")
    assert len(seeded["resources"]) == 8 and updated != seeded
    # A restart keeps what the file holds (loaded uids, the update) and does not seed again.
    with running_server(tmp_path, "--state-file", str(state), "--seed", str(CAPTURED)) as s:
        assert cli_json(s, "export") == updated
    with running_server(tmp_path, "--state-file", str(state)) as s:
        assert cli_json(s, "export") == updated
