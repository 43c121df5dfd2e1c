"""Shared fixtures. The whole suite runs in strict mode: every response is checked against
the model's output shape before it leaves the mock."""

from __future__ import annotations

import os
import time
import types
from pathlib import Path

import boto3
import pytest

os.environ["APPMESH_MOCK_STRICT"] = "1"


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off delays botocore asks for between attempts, recorded instead of slept."""
    delays: list[float] = []
    fake = types.SimpleNamespace(sleep=delays.append, time=time.time)
    monkeypatch.setattr("botocore.endpoint.time", fake)
    return delays


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS_* variables, config and credentials files that do not exist, no instance
    metadata (botocore would look for credentials at 169.254.169.254, off this machine), and
    a fresh boto3 default session, so that nothing cached from another test can supply any."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
