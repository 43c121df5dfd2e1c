"""docs/server.md stays true: its Python blocks run, and the options and paths it names exist."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from appmesh_mock import MockServer, cli
from appmesh_mock.protocol import http_checks

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "server.md").read_text("utf-8")


def test_python_blocks_run_in_order(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first block makes a client outside any mock: with no credentials configured (this
    # test run alone), botocore would ask the instance metadata service, past loopback.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    blocks = re.findall(r"```python\n(.*?)```", PAGE, flags=re.DOTALL)
    assert len(blocks) == 3
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "docs/server.md", "exec"), namespace)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+\n", capsys.readouterr().out)


def test_every_documented_option_is_one_the_command_takes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    documented = set(re.findall(r"^\| `(--[a-z-]+)", PAGE, flags=re.MULTILINE))
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    accepted = set(re.findall(r"(--[a-z-]+)", capsys.readouterr().out)) - {"--help"}
    assert documented == accepted


def test_the_documented_body_limit_is_the_real_one() -> None:
    assert http_checks.MAX_BODY_BYTES == 1 << 20
    assert "body over 1 MiB" in PAGE


def test_readme_server_snippet_works_on_a_clean_machine(tmp_path: Path) -> None:
    """The README's shell lines, after the server start, run with nothing configured: no AWS
    variables, no ~/.aws (HOME is an empty folder). The AWS CLI v1 comes from .ci/run."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", readme, re.DOTALL) if "serve" in b)
    lines = block.splitlines()
    assert lines[0].startswith("appmesh-mock serve")
    aws = Path(sys.executable).with_name("aws")
    if not aws.exists():
        pytest.skip("the AWS CLI v1 is installed by .ci/run")
    with MockServer(isolated=True) as server:
        script = "\n".join(lines[1:]).replace("http://127.0.0.1:4566", server.url)
        env = {
            "PATH": f"{aws.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(tmp_path),
        }
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    listed, _, reset = done.stdout.partition("\n}\n")
    assert json.loads(listed + "}") == {"meshes": []}  # list-meshes, then the reset's answer
    assert json.loads(reset) == {"reset": True}
