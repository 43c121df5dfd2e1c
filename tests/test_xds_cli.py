"""`appmesh-mock serve --xds-port` and `appmesh-mock envoy` as a user runs them: the real
Envoy as the shop's gateway, its listener printed, live routes, the dashboard's proxies
table, Ctrl-C; and every bad argument a one-line error with exit code 2."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from envoy_harness import Echo
from server_process import ServerProcess, control, running_server
from xds_support import GATEWAY_ID, SHOP, reached, requires_xds, set_canary, until

from appmesh_mock.cli.commands import main

pytestmark = [requires_xds, pytest.mark.slow]
BETA = {"x-beta-tester": "true"}


@pytest.fixture
def xds_server(tmp_path: Path) -> Iterator[ServerProcess]:
    with running_server(tmp_path, "--xds-port", "0") as server:
        SHOP["build"](server.client())
        yield server


@pytest.fixture
def echo() -> Iterator[Echo]:
    found = Echo(["catalog-v1", "catalog-v2"])
    yield found
    found.close()


def _proxies(server: ServerProcess) -> list[dict[str, object]]:
    found: list[dict[str, object]] = control(server.url, "GET", "xds")["proxies"]
    return found


def test_envoy_command_runs_the_gateway_live_until_ctrl_c(
    xds_server: ServerProcess, echo: Echo, tmp_path: Path
) -> None:
    given = [f"--endpoint={name}={address}" for name, address in echo.endpoints().items()]
    command = [sys.executable, "-m", "appmesh_mock.cli", "envoy", "shop", "--gateway",
               "ingress", *given, "--url", xds_server.url]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("virtual gateway ingress: listener 8443 on http://127.0.0.1:")
        assert "envoy admin on http://" in process.stdout.readline()
        url = first.rsplit(" ", 1)[1].strip()
        assert reached(echo, url, BETA) == "catalog-v2"
        set_canary(xds_server.client(), 0, 1)
        until(lambda: all(reached(echo, url) == "catalog-v2" for _ in range(10)), "all on v2")
        proxy = until(
            lambda: (found := _proxies(xds_server)) and found[0]["last_ack"]
            == found[0]["version_sent"] and found[0], "acknowledged",
        )  # fmt: skip
        assert proxy["node_id"] == GATEWAY_ID and len(_proxies(xds_server)) == 1
        status, _, page = xds_server.request("GET", "/_appmesh_mock/ui?mesh=shop")
        assert status == 200
        assert b"Connected proxies" in page and GATEWAY_ID.encode() in page
        assert f"<td>{proxy['version_sent']}</td>".encode() in page
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    until(lambda: not _proxies(xds_server), "disconnected")  # its Envoy stopped with it
    assert "disconnected" in xds_server.log()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--gateway", "nope"], "there is no virtual gateway 'nope' in mesh 'shop'"),
        (["--node", "nope"], "there is no virtual node 'nope' in mesh 'shop'"),
        (["--gateway", "ingress", "--endpoint", "catalog-v1"], "NODE=HOST:PORT"),
        (["--gateway", "ingress", "--endpoint", "catalog-v1=here"], "is not HOST:PORT"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    xds_server: ServerProcess, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["envoy", "shop", *argv, "--url", xds_server.url]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert _proxies(xds_server) == []  # no Envoy was started


def test_a_server_without_xds_is_a_clear_error(
    server: ServerProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["envoy", "shop", "--gateway", "ingress", "--url", server.url]) == 2
    assert "serves no xDS" in capsys.readouterr().err


def test_serve_announces_its_xds_port(xds_server: ServerProcess) -> None:
    (port,) = control(xds_server.url, "GET", "xds")["ports"]
    assert f"xDS (ADS) on 127.0.0.1:{port}" in xds_server.stdout.read_text()
