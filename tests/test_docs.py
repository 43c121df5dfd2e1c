"""The user-facing docs stay true: the generated operations page, the README's quota table and
commands, and the quickstart example."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

from appmesh_mock import DEFAULT_QUOTAS
from appmesh_mock.protocol.models import LEGACY_VERSION, get_api

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_operations_page_is_what_the_generator_writes() -> None:
    generator = runpy.run_path(str(ROOT / "tools" / "operations_table.py"))
    generated = generator["operations_table"]()
    written = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert written == generated, (
        "docs/operations.md is stale: run "
        "`.venv/bin/python tools/operations_table.py > docs/operations.md`"
    )


def test_operations_page_lists_the_19_legacy_operations() -> None:
    page = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if re.match(r"\| [A-Z]\w+ \| ", line)]
    legacy_rows = {row.split(" | ")[0].strip("| ") for row in rows if "| yes | yes |" in row}
    assert legacy_rows == set(get_api(LEGACY_VERSION).operations)
    assert len(legacy_rows) == 19


def test_readme_quota_table_matches_the_defaults() -> None:
    table = dict(re.findall(r"^\| `([a-z_]+)` \| (\d+) \|", README, flags=re.MULTILINE))
    assert {key: int(value) for key, value in table.items()} == dict(DEFAULT_QUOTAS)


def test_readme_commands_are_the_ones_that_work() -> None:
    quickstart = (
        "python3 -m venv .venv && .venv/bin/pip install -e . && "
        ".venv/bin/python examples/quickstart.py"
    )
    assert quickstart in README
    assert "bash .ci/run" in README
    assert ".venv/bin/python -m pytest" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in ci
    assert "-e '.[test]'" in ci


def test_quickstart_builds_and_prints_a_mesh(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "mesh shop  (arn:aws:appmesh:us-east-1:123456789012:mesh/shop)" in out
    assert "cart-route       / -> cart-v1 90%, cart-v2 10%" in out
    assert "virtual service cart.shop.local  -> router cart-router" in out


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def test_getting_started_examples_run() -> None:
    """Every Python block of docs/getting-started.md, in order, in one namespace; then every
    test function they define, the fixture-based ones with the fixture and marker emulated."""
    import boto3
    from botocore.config import Config

    from appmesh_mock import mock_appmesh

    page = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    blocks = _python_blocks(page)
    assert len(blocks) >= 8
    namespace: dict[str, object] = {"__name__": "getting_started"}
    for block in blocks:
        exec(compile(block, "docs/getting-started.md", "exec"), namespace)
    tests = {name: f for name, f in namespace.items() if name.startswith("test_")}
    assert len(tests) >= 8
    for name, function in tests.items():
        assert callable(function)
        code = function.__code__  # type: ignore[attr-defined]
        if code.co_argcount == 0:
            function()
        else:
            assert code.co_varnames[: code.co_argcount] == ("appmesh_client",), name
            marks = getattr(function, "pytestmark", [])
            options = marks[0].kwargs if marks else {}
            once = Config(retries={"total_max_attempts": 1})  # no throttling backoff
            with mock_appmesh(**options):
                function(boto3.client("appmesh", region_name="us-east-1", config=once))
