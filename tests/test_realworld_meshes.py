"""Real configurations are the spec (issue 20): every App Mesh configuration in
../shared/realworld-meshes was deployed on AWS, so the mock accepts each of its 465 calls,
answers and describes back what was sent, and routes each documented request where its source
says. Once through boto3 in process, once through the AWS CLI v1 against `appmesh-mock serve`,
each in the file's API version. The replay is in realworld_meshes.py."""

from __future__ import annotations

import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_cli_session import AwsCli
from botocore import xform_name
from botocore.exceptions import ClientError
from realworld_meshes import CURRENT, FOLDER, Failed, MeshFile, read_files, replay
from server_process import ServerProcess
from test_server_clients import AWS_CLI, require

from appmesh_mock import mock_appmesh

FILES = read_files() if FOLDER.is_dir() else []
ACCOUNT = "123456789012"


def cases() -> list[Any]:
    if not FILES:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{FOLDER} is absent"))]
    return [pytest.param(mesh_file, id=mesh_file.name) for mesh_file in FILES]


class Boto3:
    def __init__(self, api_version: str, client: Any = None) -> None:
        self.client = client or boto3.client(
            "appmesh", region_name="us-east-1", api_version=api_version
        )

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = getattr(self.client, xform_name(operation))(**params)
        except ClientError as error:
            raise Failed(f"{error.response['Error']['Code']}: {error}") from None
        return answer


class Cli:
    """`aws appmesh <operation> --cli-input-json <params>`, as a user pastes a spec file."""

    def __init__(self, session: AwsCli, region: str) -> None:
        self.session = session
        self.region = region

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        answer = self.session.run(
            "--region", self.region, "appmesh", xform_name(operation, "-"),
            "--cli-input-json", json.dumps(params),
        )
        if answer["rc"] != 0:
            raise Failed(answer["stderr"].strip())
        parsed: dict[str, Any] = json.loads(answer["stdout"])
        return parsed


@pytest.mark.parametrize("mesh_file", cases())
def test_a_real_configuration_replays_through_boto3(mesh_file: MeshFile) -> None:
    with mock_appmesh(account_id=ACCOUNT) as mock:
        assert replay(mesh_file, Boto3(mesh_file.api_version), mock.export) == []


def _cli_session(server: ServerProcess, version: str, home: Path) -> AwsCli:
    """The AWS CLI in `version` of the API: it takes an older one from its config file's
    `api_versions`, as a user pins it."""
    if version != CURRENT:
        (home / "no-config").write_text(f"[default]\napi_versions =\n    appmesh = {version}\n")
    return AwsCli(server.url, home, ACCOUNT)


def _replay_through_cli(
    server: ServerProcess, files: list[tuple[str, MeshFile]], home: Path
) -> dict[str, list[str]]:
    """Each file in a region of its own (so that files run side by side without a reset),
    its calls through the CLI, each result read back by boto3 over the same HTTP endpoint."""

    def document() -> dict[str, Any]:
        status, _, body = server.request("GET", "/_appmesh_mock/export")
        assert status == 200
        exported: dict[str, Any] = json.loads(body)
        return exported

    problems: dict[str, list[str]] = {}
    sessions: dict[str, AwsCli] = {}
    try:
        for region, mesh_file in files:
            version = mesh_file.api_version
            if version not in sessions:
                sessions[version] = _cli_session(server, version, Path(tempfile.mkdtemp(dir=home)))
            reader = Boto3(version, server.client(ACCOUNT, region, api_version=version))
            cli = Cli(sessions[version], region)
            problems[mesh_file.name] = replay(mesh_file, cli, document, reader, region)
    finally:
        for session in sessions.values():
            session.close()
    return problems


@pytest.fixture(scope="module")
def cli_replays(
    session_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """The CLI replay of every file, on two workers: a CLI command costs 40-150 ms, nearly all
    of it in the CLI's own process, so two of them nearly halve the wait."""
    require(AWS_CLI.exists(), f"the AWS CLI is not installed at {AWS_CLI}")
    session_server.reset()
    halves: list[list[tuple[str, MeshFile]]] = [[], []]
    regions = [f"rw-replay-{index}" for index in range(len(FILES))]
    for pair in sorted(zip(regions, FILES, strict=True), key=lambda p: -len(p[1].calls)):
        min(halves, key=lambda half: sum(len(f.calls) for _, f in half)).append(pair)
    home = tmp_path_factory.mktemp("cli")
    with ThreadPoolExecutor(max_workers=2) as workers:
        done = workers.map(lambda half: _replay_through_cli(session_server, half, home), halves)
        return {name: found for result in done for name, found in result.items()}


@pytest.mark.parametrize("mesh_file", cases())
def test_a_real_configuration_replays_through_the_aws_cli(
    mesh_file: MeshFile, cli_replays: dict[str, list[str]]
) -> None:
    assert cli_replays[mesh_file.name] == []


def test_every_call_and_outcome_was_read() -> None:
    """The README's totals: a file that stopped being read would pass its replay quietly."""
    if not FILES:
        pytest.skip(f"{FOLDER} is absent")
    assert len(FILES) == 35
    assert sum(len(f.calls) for f in FILES) == 465
    assert sum(len(f.expect) for f in FILES) == 22
    assert {f.api_version for f in FILES} == {CURRENT, "2018-10-01"}
