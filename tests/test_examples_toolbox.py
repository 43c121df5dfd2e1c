"""The toolbox examples stay true: the failure-and-calls tests pass, and the captured folder
loads and prints as the example says."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_failure_and_calls_examples_pass() -> None:
    module = runpy.run_path(str(EXAMPLES / "test_failure_and_calls.py"))
    tests = [value for name, value in module.items() if name.startswith("test_")]
    assert len(tests) == 3
    for test in tests:
        test()


def test_the_captured_folder_loads(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "load_captured.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "mesh bookstore created 2024-06-01" in out
    assert "uid 3f0d1c8e-5b7a-4f2e-9c61-0a8d2b4e6f10" in out
    assert "route catalog-split version 3" in out
    assert "/ -> catalog-v1 90%, catalog-v2 10%" in out
