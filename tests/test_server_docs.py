"""docs/server.md stays true: its Python blocks run, and the options and paths it names exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from appmesh_mock.entry import cli, http_checks

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "server.md").read_text("utf-8")


def test_python_blocks_run_in_order(capsys: pytest.CaptureFixture[str]) -> None:
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
