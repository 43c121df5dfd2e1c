"""Without the `envoy` extra (grpcio, xds-protos) everything but xDS works, and asking for
xDS says what to install."""

from __future__ import annotations

import subprocess
import sys

import pytest

from appmesh_mock import MockServer


def test_importing_the_package_loads_no_grpc() -> None:
    probe = (
        "import sys, appmesh_mock, appmesh_mock.mock, appmesh_mock.server.mock_server; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('grpc', 'envoy')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_an_xds_port_without_the_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "grpc", None)  # as if grpcio were not installed
    server = MockServer(isolated=True, xds_port=0)
    with pytest.raises(RuntimeError, match=r"pip install 'appmesh-mock\[envoy\]'"):
        server.start()
    with pytest.raises(RuntimeError, match="not started"):
        server.stop()  # nothing was left running
