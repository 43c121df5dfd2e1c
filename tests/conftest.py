"""Shared fixtures. The whole suite runs in strict mode: every response is checked against
the model's output shape before it leaves the mock."""

from __future__ import annotations

import os
import time
import types

import pytest

os.environ["APPMESH_MOCK_STRICT"] = "1"


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off delays botocore asks for between attempts, recorded instead of slept."""
    delays: list[float] = []
    fake = types.SimpleNamespace(sleep=delays.append, time=time.time)
    monkeypatch.setattr("botocore.endpoint.time", fake)
    return delays
