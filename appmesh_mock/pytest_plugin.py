"""pytest fixtures and marker, registered through the `pytest11` entry point.

`@pytest.mark.appmesh_mock(account_id=..., quotas=..., strict=..., state=..., sleep=...,
call_log_limit=..., region=...)` switches the mock on for the test (the options of
`mock_appmesh` but `pass_mock`, and `region`); markers on the module, the class and the test
merge, the closest winning per option. `appmesh_mock` is the active mock; `appmesh_client` a
boto3 App Mesh client in the marker's `region` (default us-east-1).

Nothing here imports boto3 or botocore until a test uses the mock: installing the package
adds no start-up time to pytest runs that never do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .mock import MockAppMesh

MARKER = "appmesh_mock"
DEFAULT_REGION = "us-east-1"
_MARKER_ONLY = ("region",)


def _mock_options() -> tuple[str, ...]:
    """The mock's options a marker may set (MockOptions, in decorating.py)."""
    from .decorating import NAMES

    return tuple(name for name in NAMES if name != "pass_mock")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(account_id=None, quotas=None, strict=None, state=None, sleep=None, "
        "call_log_limit=10000, "
        "region='us-east-1'): "
        "run the test with the App Mesh mock on, with these options",
    )


def marker_options(node: pytest.Item) -> dict[str, Any]:
    """Every `appmesh_mock` marker on the test, merged: module < class < function."""
    options: dict[str, Any] = {}
    names = (*_mock_options(), *_MARKER_ONLY)
    for marker in reversed(list(node.iter_markers(MARKER))):  # farthest first
        if marker.args:
            pytest.fail(
                f"@pytest.mark.{MARKER} takes keyword options only "
                f"({', '.join(names)}), got positional {marker.args!r}",
                pytrace=False,
            )
        unknown = sorted(set(marker.kwargs) - set(names))
        if unknown:
            pytest.fail(
                f"@pytest.mark.{MARKER}: unknown option(s) {', '.join(unknown)}; "
                f"the options are {', '.join(names)}",
                pytrace=False,
            )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def appmesh_mock(request: pytest.FixtureRequest) -> Iterator[MockAppMesh]:
    """The App Mesh mock, active for the whole test (fresh, empty state).

    Options come from `@pytest.mark.appmesh_mock(account_id=..., quotas=..., strict=...)`
    markers on the test, its class and its module (the closest wins per option)."""
    from .mock import MockAppMesh

    options = marker_options(request.node)
    mock_options = {key: options[key] for key in _mock_options() if key in options}
    try:
        mock: MockAppMesh | None = MockAppMesh(**mock_options)
        problem = ""
    except (TypeError, ValueError) as exc:
        mock, problem = None, str(exc)
    if mock is None:
        pytest.fail(f"@pytest.mark.{MARKER}: {problem}", pytrace=False)
    with mock:
        yield mock


@pytest.fixture
def appmesh_client(request: pytest.FixtureRequest, appmesh_mock: MockAppMesh) -> Any:
    """A boto3 App Mesh client (API version 2019-01-25) answered by the mock, in the region
    of the `appmesh_mock` marker's `region` option (default us-east-1)."""
    import boto3

    region = marker_options(request.node).get("region", DEFAULT_REGION)
    return boto3.client("appmesh", region_name=region)


@pytest.fixture(autouse=True)
def _appmesh_mock_marker(request: pytest.FixtureRequest) -> None:
    """The marker alone switches the mock on: a marked test gets the `appmesh_mock` fixture
    even when it does not ask for it. Autouse fixtures are set up first, so the test's other
    fixtures already run under the mock."""
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue("appmesh_mock")
