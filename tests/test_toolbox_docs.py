"""docs/testing-failure.md and docs/state.md stay true: their Python blocks run, and the
endpoints and commands they name are the ones the server and CLI have."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from appmesh_mock.cli import commands as cli
from appmesh_mock.server import endpoints as control

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = ("testing-failure.md", "state.md")


@pytest.mark.parametrize("page", PAGES)
def test_python_blocks_run(page: str) -> None:
    text = (DOCS / page).read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, page, "exec"), {})


@pytest.mark.parametrize("page", PAGES)
def test_every_documented_endpoint_exists(page: str) -> None:
    text = (DOCS / page).read_text("utf-8")
    named = set(re.findall(r"`(GET|POST|DELETE) /_appmesh_mock/([a-z]+)", text))
    assert named
    assert named <= set(control.ENDPOINTS)


def test_the_documented_commands_parse() -> None:
    text = (DOCS / "testing-failure.md").read_text("utf-8")
    commands = re.findall(r"^appmesh-mock (.+?)(?:\s{2,}#.*)?$", text, flags=re.MULTILINE)
    assert len(commands) == 6
    parser = cli._parser()
    for command in commands:
        parser.parse_args(shlex.split(command))
