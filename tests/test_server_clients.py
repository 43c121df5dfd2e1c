"""Clients nobody here wrote, against the `appmesh-mock serve` command: the AWS CLI v1 (from
PyPI) and the AWS SDK for JavaScript v3 App Mesh client (from npm). `.ci/run` installs both;
elsewhere a missing one skips its test, but under CI (env CI set) it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from server_process import ServerProcess

AWS_CLI = Path(sys.executable).with_name("aws")
JS_DIR = Path(__file__).parent / "js"
JS_ACCOUNT = "444455556666"  # the access key ID smoke.mjs signs with
JS_REGION = "eu-central-1"


def require(available: bool, reason: str) -> None:
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; .ci/run should have installed it")
    pytest.skip(reason)


def aws(server: ServerProcess, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The AWS CLI with fake credentials and nothing read from the user's own config."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "333344445555",
        "AWS_SECRET_ACCESS_KEY": "cli-test-secret",
        "AWS_DEFAULT_REGION": "us-west-2",
        "AWS_CONFIG_FILE": str(home / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
    }
    return subprocess.run(
        [str(AWS_CLI), "--endpoint-url", server.url, "--output", "json", "appmesh", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.slow
def test_aws_cli_v1_creates_lists_and_describes_and_reports_errors(
    server: ServerProcess, tmp_path: Path
) -> None:
    require(AWS_CLI.exists(), f"the AWS CLI is not installed at {AWS_CLI}")

    created = aws(server, tmp_path, "create-mesh", "--mesh-name", "cli-mesh")
    assert created.returncode == 0, created.stderr
    mesh = json.loads(created.stdout)["mesh"]
    assert mesh["metadata"]["arn"] == "arn:aws:appmesh:us-west-2:333344445555:mesh/cli-mesh"

    listed = aws(server, tmp_path, "list-meshes")
    assert listed.returncode == 0, listed.stderr
    assert [ref["meshName"] for ref in json.loads(listed.stdout)["meshes"]] == ["cli-mesh"]

    described = aws(server, tmp_path, "describe-mesh", "--mesh-name", "cli-mesh")
    assert described.returncode == 0, described.stderr
    assert json.loads(described.stdout)["mesh"]["metadata"]["uid"] == mesh["metadata"]["uid"]

    before = server.state()
    missing = aws(server, tmp_path, "delete-mesh", "--mesh-name", "absent")
    assert missing.returncode != 0
    assert "NotFoundException" in missing.stderr
    assert server.state() == before


def test_aws_sdk_for_javascript_v3(server: ServerProcess) -> None:
    node = shutil.which("node")
    require(node is not None, "node is not on PATH")
    require(
        (JS_DIR / "node_modules" / "@aws-sdk" / "client-app-mesh").is_dir(),
        f"@aws-sdk/client-app-mesh is not installed (run npm ci in {JS_DIR})",
    )
    assert node is not None

    result = subprocess.run(
        [node, "smoke.mjs", server.url, "js-mesh"],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen: dict[str, Any] = json.loads(result.stdout)
    assert seen["created"] == {
        "meshName": "js-mesh",
        "arn": f"arn:aws:appmesh:{JS_REGION}:{JS_ACCOUNT}:mesh/js-mesh",
        "version": 1,
        "status": "ACTIVE",
        "createdAtIsDate": True,  # the SDK parsed our epoch-seconds timestamp
    }
    assert seen["listed"] == ["js-mesh"]
    assert seen["notFound"]["name"] == "NotFoundException"
    assert seen["notFound"]["status"] == 404
    assert "js-mesh-absent" in seen["notFound"]["message"]

    # What the JS client created is what boto3 sees in that account and region.
    client = server.client(JS_ACCOUNT, JS_REGION)
    described = client.describe_mesh(meshName="js-mesh")["mesh"]
    assert described["metadata"]["arn"] == seen["created"]["arn"]
