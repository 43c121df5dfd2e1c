"""pytest fixtures, registered through the `pytest11` entry point.

`appmesh_mock` is the active mock for the test; options come from the marker
`@pytest.mark.appmesh_mock(account_id=..., quotas=..., strict=...)`.
`appmesh_client` is a boto3 App Mesh client for us-east-1 (default API version).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .mock import MockAppMesh


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "appmesh_mock(account_id, quotas, strict): options for the appmesh_mock fixture"
    )


@pytest.fixture
def appmesh_mock(request: pytest.FixtureRequest) -> Iterator[MockAppMesh]:
    marker = request.node.get_closest_marker("appmesh_mock")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    with MockAppMesh(**options) as mock:
        yield mock


@pytest.fixture
def appmesh_client(appmesh_mock: MockAppMesh) -> Any:
    import boto3

    return boto3.client("appmesh", region_name="us-east-1")
