"""tools/compat_matrix.py's choices, without building a venv: which releases a run covers,
which boto3 goes with a botocore, the floors it reads, and the counts it reads back."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "compat_matrix.py"


@pytest.fixture(scope="module")
def matrix() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compat_matrix", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["compat_matrix"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


AVAILABLE = [(1, 33, 5), (1, 34, 0), (1, 34, 1), (1, 34, 9), (1, 35, 0), (1, 35, 2)]


def test_a_full_run_is_the_floor_and_the_newest_patch_of_each_minor(matrix: ModuleType) -> None:
    assert matrix.pick("", AVAILABLE, (1, 34, 0)) == [(1, 34, 0), (1, 34, 9), (1, 35, 2)]


def test_named_releases(matrix: ModuleType) -> None:
    assert matrix.pick("oldest,newest", AVAILABLE, (1, 34, 0)) == [(1, 34, 0), (1, 35, 2)]
    assert matrix.pick("1.34.1", AVAILABLE, (1, 34, 0)) == [(1, 34, 1)]
    with pytest.raises(SystemExit, match=r"1\.36\.0 is not on the index"):
        matrix.pick("1.36.0", AVAILABLE, (1, 34, 0))


def test_boto3_is_the_newest_of_the_minor_that_the_botocore_satisfies(
    matrix: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3 = [(1, 41, 4), (1, 41, 5), (1, 42, 0), (1, 42, 1)]  # no boto3 1.41.6 exists
    monkeypatch.setattr(matrix, "released", lambda package: boto3)
    assert matrix.boto3_for((1, 41, 6)) == (1, 41, 5)
    assert matrix.boto3_for((1, 42, 0)) == (1, 42, 0)


def test_floors_are_read_from_pyproject(matrix: ModuleType) -> None:
    # "botocore>=" must not be found inside "aiobotocore>=".
    assert matrix.floor("botocore")[:2] == matrix.floor("boto3")[:2]
    assert matrix.floor("botocore")[0] == 1 and matrix.floor("aiobotocore")[0] == 2
    assert len(matrix.floor("aioboto3")) == 3


def test_counts_from_the_junit_report(matrix: ModuleType, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(
        '<testsuites><testsuite tests="10" failures="1" errors="1" skipped="2"/>'
        '<testsuite tests="3" failures="0" errors="0" skipped="0"/></testsuites>'
    )
    assert matrix.junit_counts(report) == {"passed": 9, "failed": 2, "skipped": 2}
