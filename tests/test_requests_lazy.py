"""`requests` interception is set up only once `requests` is imported: a suite that never
imports it never pays for importing `responses`. Each case runs in a fresh interpreter, the
only place where `requests` is not imported yet."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

CALL = """
import json
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

def create_mesh(name):
    url = f"https://appmesh.eu-west-1.amazonaws.com/v20190125/meshes"
    body = json.dumps({"meshName": name}).encode()
    request = AWSRequest(method="PUT", url=url, data=body,
                         headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("210987654321", "s"), "appmesh", "eu-west-1").add_auth(request)
    return requests.put(url, headers=dict(request.headers), data=body, timeout=5)

def names():
    client = boto3.client("appmesh", region_name="eu-west-1", aws_access_key_id="210987654321",
                          aws_secret_access_key="s")
    return [m["meshName"] for m in client.list_meshes()["meshes"]]
"""


def run(script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("first", ["requests", "responses"])
def test_requests_imported_after_the_mock_started_is_answered(first: str) -> None:
    script = CALL + textwrap.dedent(
        f"""
        import sys, boto3
        from appmesh_mock import mock_appmesh
        with mock_appmesh():
            assert "requests" not in sys.modules and "responses" not in sys.modules
            import {first}
            import requests
            answer = create_mesh("by-requests")
            assert answer.status_code == 200, answer.text
            print(names())
        """
    )
    assert run(script) == "['by-requests']"


def test_a_test_of_its_own_with_responses_keeps_working_after_a_late_import() -> None:
    out = run(
        """
        import sys
        from appmesh_mock import mock_appmesh
        with mock_appmesh():
            import responses, requests
            with responses.RequestsMock() as own:
                own.add(responses.GET, "https://api.example.test/x", json={"own": True})
                print(requests.get("https://api.example.test/x", timeout=5).json())
        """
    )
    assert out == "{'own': True}"


def test_nothing_is_patched_when_requests_comes_after_the_mock_stopped() -> None:
    out = run(
        """
        import sys
        from appmesh_mock import mock_appmesh
        with mock_appmesh():
            pass
        finders = [type(f).__name__ for f in sys.meta_path]
        import requests
        from requests.adapters import HTTPAdapter
        print("responses" in sys.modules, "_OnImport" in finders,
              HTTPAdapter.send.__module__)
        """
    )
    assert out == "False False requests.adapters"
