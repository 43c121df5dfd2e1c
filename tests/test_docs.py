"""The user-facing docs stay true: the generated operations page, the quota table, the README's
commands and Python blocks, and the quickstart example."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
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


def test_quota_table_matches_the_defaults() -> None:
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z_]+)` \| (\d+) \|", usage, flags=re.MULTILINE))
    assert {key: int(value) for key, value in table.items()} == dict(DEFAULT_QUOTAS)


def test_readme_commands_are_the_ones_that_work() -> None:
    quickstart = (
        "python3 -m venv .venv && .venv/bin/pip install -e . && "
        ".venv/bin/python examples/quickstart.py"
    )
    assert quickstart in README
    assert "bash .ci/run" in README
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in contributing
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


# Pages whose Python blocks no other test runs; each block becomes a test module of its own.
BLOCK_PAGES = ("README.md", "docs/usage.md", "docs/moto.md", "docs/routing.md")
# Async examples run as pytest-asyncio runs them in auto mode (the pages say "with
# pytest-asyncio").
ASYNC = ("-o", "asyncio_mode=auto", "-o", "asyncio_default_fixture_loop_scope=function")
_HEADER = "import boto3\nimport pytest\nfrom appmesh_mock import mock_appmesh\n"


def _block_module(block: str) -> str:
    """A block as a module: the imports every page assumes, and a skip where the block needs
    a library this venv lacks (aiobotocore and moto live in venvs of their own)."""
    skips = "".join(
        f'pytest.importorskip("{name}")\n'
        for name in ("aiobotocore", "aioboto3", "moto")
        if f"import {name}" in block or f"from {name}" in block
    )
    return _HEADER + skips + block


@pytest.mark.slow
@pytest.mark.parametrize("page", BLOCK_PAGES)
def test_python_blocks_run_as_test_modules(page: str, tmp_path: Path) -> None:
    """Each Python block of the page runs under pytest with the plugin: its top-level example
    at import, every test it defines as a test. Nothing fails; blocks needing a library this
    venv lacks are skipped."""
    blocks = _python_blocks((ROOT / page).read_text(encoding="utf-8"))
    assert blocks
    if page == "docs/routing.md":  # its blocks are one story: a saved mesh, then a question
        blocks = ["\n".join(blocks)]
    for number, block in enumerate(blocks):
        (tmp_path / f"test_block_{number}.py").write_text(_block_module(block), "utf-8")
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *ASYNC, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    # A page of examples with no test function is still run (at import): exit 5 is "no tests".
    assert ran.returncode in (0, 5), ran.stdout + ran.stderr
    assert " error" not in ran.stdout and "failed" not in ran.stdout
