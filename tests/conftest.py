"""Shared fixtures, and two rules for the whole suite:

- strict mode: every response is checked against the model's output shape before it leaves
  the mock;
- loopback only: a socket connect or DNS look-up past loopback raises `NetworkRefused` and
  fails the test (tests/network_guard.py). The guard covers this interpreter; the tests that
  run the server, the AWS CLI, Cloud Custodian or node in a subprocess point them at
  127.0.0.1 by construction.
"""

from __future__ import annotations

import os
import time
import types
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import boto3
import network_guard
import pytest
from mesh_builder import MeshBuilder
from server_process import ServerProcess, running_server

from appmesh_mock import MockAppMesh

pytest_plugins = ["pytester"]  # test_pytest_plugin.py runs pytest on sample test files

os.environ["APPMESH_MOCK_STRICT"] = "1"


# Loopback only --------------------------------------------------------------------------------
_guard = ExitStack()


def pytest_configure(config: pytest.Config) -> None:
    _guard.enter_context(network_guard.refusing_network())  # from collection on


def pytest_unconfigure(config: pytest.Config) -> None:
    _guard.close()


@pytest.fixture(autouse=True)
def _loopback_only() -> Iterator[None]:
    """Fails the test that tried to reach past loopback, also when a library caught the
    refusal and went on (as botocore's credential look-up would)."""
    network_guard.refused.clear()
    yield
    if network_guard.refused:
        pytest.fail(f"reached past loopback: {'; '.join(network_guard.refused)}", pytrace=False)


@pytest.fixture(autouse=True)
def _no_nack(request: pytest.FixtureRequest) -> Iterator[None]:
    """An Envoy refusing (NACKing) what the xDS server sent fails the test that caused it,
    unless the test is about exactly that (`@pytest.mark.nack`)."""
    from appmesh_mock.xds.registry import nack_count

    before = nack_count()
    yield
    if nack_count() != before and request.node.get_closest_marker("nack") is None:
        pytest.fail(f"an Envoy refused {nack_count() - before} xDS response(s)", pytrace=False)


# Fixtures -------------------------------------------------------------------------------------
@pytest.fixture
def mock(appmesh_mock: MockAppMesh) -> MockAppMesh:
    """The active mock (the plugin's `appmesh_mock` fixture), by its short name."""
    return appmesh_mock


@pytest.fixture
def mesh(appmesh_mock: MockAppMesh) -> MeshBuilder:
    """A MeshBuilder on a boto3 client of the active mock, with its mesh "shop" made."""
    return MeshBuilder(boto3.client("appmesh", region_name="us-east-1"))


@pytest.fixture(scope="session")
def session_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One `appmesh-mock serve` for the whole session (starting one takes about half a
    second); each test that uses it resets it first, through `server`."""
    with running_server(tmp_path_factory.mktemp("session-server")) as server:
        yield server


@pytest.fixture
def server(session_server: ServerProcess) -> ServerProcess:
    """The session's server, emptied."""
    session_server.reset()
    return session_server


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off delays botocore asks for between attempts, recorded instead of slept."""
    delays: list[float] = []
    fake = types.SimpleNamespace(sleep=delays.append, time=time.time)
    monkeypatch.setattr("botocore.endpoint.time", fake)
    return delays


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS_* variables, config and credentials files that do not exist, and a fresh boto3
    default session, so that nothing cached from another test can supply credentials. The
    instance metadata service is off, as on any machine outside EC2: botocore would otherwise
    ask 169.254.169.254 for credentials (the suite's network guard refuses that)."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing-credentials"))
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
