"""The server's reset: a plain `curl -X POST` resets state, faults and the call log (with
`?state_only=1` or `appmesh-mock reset --state-only`, the state only); what a page of another
origin makes a browser send is refused and changes nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from typing import Any

import pytest
from server_process import COMMAND, ServerProcess


def plain_post(url: str) -> tuple[int, Any]:
    """POST with no body and no header of ours: the real curl if there is one."""
    curl = shutil.which("curl")
    if curl is not None:
        done = subprocess.run(
            [curl, "-s", "-X", "POST", "-w", "\n%{http_code}", url],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        body, _, status = done.stdout.rpartition("\n")
        return int(status), json.loads(body)
    request = urllib.request.Request(url, method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, json.loads(answer.read())


def toolbox(server: ServerProcess) -> tuple[list[str], int, int]:
    """The mesh names, the number of faults and the number of calls the server holds."""
    meshes = [m["meshName"] for m in server.client().list_meshes()["meshes"]]
    _, _, faults = server.request("GET", "/_appmesh_mock/faults")
    _, _, calls = server.request("GET", "/_appmesh_mock/calls")
    return meshes, len(json.loads(faults)["faults"]), len(json.loads(calls)["calls"])


@pytest.fixture
def busy(server: ServerProcess) -> ServerProcess:
    """A server holding a mesh, a fault (on an operation these tests never call) and calls."""
    server.client().create_mesh(meshName="before")
    fault = json.dumps({"operation": "DeleteVirtualGateway", "times": 1}).encode()
    status, _, _ = server.request("POST", "/_appmesh_mock/faults", body=fault)
    assert status == 200
    assert toolbox(server) == (["before"], 1, 2)  # CreateMesh, ListMeshes
    return server


def test_a_plain_post_resets_state_faults_and_calls(busy: ServerProcess) -> None:
    status, answer = plain_post(f"{busy.url}/_appmesh_mock/reset")
    assert (status, answer) == (200, {"reset": True})
    assert toolbox(busy) == ([], 0, 1)  # only the ListMeshes that looked


def test_state_only_keeps_the_faults_and_calls(busy: ServerProcess) -> None:
    status, answer = plain_post(f"{busy.url}/_appmesh_mock/reset?state_only=1")
    assert (status, answer) == (200, {"reset": True})
    assert toolbox(busy) == ([], 1, 3)


def test_the_cli_resets_with_or_without_state_only(busy: ServerProcess) -> None:
    command = [str(COMMAND), "reset", "--url", busy.url]
    done = subprocess.run([*command, "--state-only"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert toolbox(busy) == ([], 1, 3)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert toolbox(busy) == ([], 0, 1)


def test_a_bad_state_only_is_refused_and_changes_nothing(busy: ServerProcess) -> None:
    status, _, body = busy.request("POST", "/_appmesh_mock/reset?state_only=maybe")
    assert status == 400 and b"state_only is 1 or 0" in body
    assert toolbox(busy) == (["before"], 1, 3)


def test_a_cross_origin_post_is_refused_and_changes_nothing(busy: ServerProcess) -> None:
    """What a form or `fetch(..., {mode: "no-cors"})` on http://evil.example sends."""
    headers = {"Origin": "http://evil.example", "Content-Type": "text/plain"}
    request = urllib.request.Request(
        f"{busy.url}/_appmesh_mock/reset", data=b"x", method="POST", headers=headers
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    assert b"Origin 'http://evil.example' are refused" in refused.value.read()
    assert toolbox(busy) == (["before"], 1, 3)
