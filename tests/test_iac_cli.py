"""`appmesh-mock load FILE_OR_DIR --format --parameter` and `serve --seed FILE --seed-parameter`
with configuration files (issue 23): the server makes what they describe in its own account,
prints what was left out, and refuses bad files naming where."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from iac_shop import CALLS, CLOUDFORMATION_YAML, KUBERNETES
from server_process import ServerProcess, running_server
from test_iac_formats import comparable
from test_server_toolbox import cli, cli_json

from appmesh_mock import mock_appmesh


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with running_server(tmp_path_factory.mktemp("iac"), "--account-id", "123456789012") as s:
        yield s


def _in_process(source: Path, **options: object) -> list[object]:
    with mock_appmesh(account_id="123456789012") as m:
        m.load(source, **options)  # type: ignore[arg-type]
        return comparable(m.export())


def test_load_makes_what_the_template_describes(server: ServerProcess, tmp_path: Path) -> None:
    template = tmp_path / "shop.yaml"
    template.write_text(CLOUDFORMATION_YAML)
    assert cli(server, "reset").returncode == 0
    answer = cli_json(server, "load", str(template), "--parameter", "MeshName=shop")
    assert answer["loaded"] == len(CALLS)
    assert any("AWS::Logs::LogGroup" in line for line in answer["notLoaded"])
    expected = _in_process(template, parameters={"MeshName": "shop"})
    assert comparable(cli_json(server, "export")) == expected


def test_load_names_a_bad_file_and_keeps_the_state(server: ServerProcess, tmp_path: Path) -> None:
    manifests = tmp_path / "k8s"
    manifests.mkdir()
    (manifests / "shop.yaml").write_text(KUBERNETES)
    assert cli(server, "reset").returncode == 0
    before = cli_json(server, "export")
    done = cli(server, "load", str(manifests), "--format", "kubernetes")
    assert done.returncode == 1
    assert "placeholder ${DOMAIN} has no value" in done.stderr
    assert cli_json(server, "export") == before
    bad = cli(server, "load", str(manifests), "--parameter", "DOMAIN")
    assert bad.returncode == 1 and "--parameter takes NAME=VALUE" in bad.stderr
    answer = cli_json(server, "load", str(manifests), "--parameter", "DOMAIN=shop.local")
    assert answer["loaded"] == len(CALLS)


def test_serve_seeds_from_a_template(tmp_path: Path) -> None:
    template = tmp_path / "shop.yaml"
    template.write_text(CLOUDFORMATION_YAML)
    with running_server(tmp_path, "--account-id", "123456789012", "--seed", str(template),
                        "--seed-parameter", "MeshName=shop") as seeded:
        document = cli_json(seeded, "export")
    assert comparable(document) == _in_process(template, parameters={"MeshName": "shop"})
    assert len(document["resources"]) == len(CALLS)
