"""Starting the real `appmesh-mock serve` command for tests, and talking to it.

Each server listens on 127.0.0.1 with `--port 0` and announces its URL on stdout, so tests
never race for a port. Output goes to files (a pipe nobody reads could fill and stall the
server). The context manager always ends the process, even when the test fails.
"""

from __future__ import annotations

import http.client
import json
import os
import resource
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

COMMAND = Path(sys.executable).with_name("appmesh-mock")
START_TIMEOUT = 30.0


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    url: str
    stdout: Path
    stderr: Path

    @property
    def port(self) -> int:
        port = urlsplit(self.url).port
        assert port is not None
        return port

    def log(self) -> str:
        return self.stderr.read_text()

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Sends `sig` and waits for the exit; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=15)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def state(self) -> dict[str, Any]:
        status, _, body = self.request("GET", "/_appmesh_mock/state")
        assert status == 200
        document: dict[str, Any] = json.loads(body)
        return document

    def reset(self) -> None:
        status, _, _ = self.request("POST", "/_appmesh_mock/reset")  # a plain POST, as curl
        assert status == 200

    def client(
        self,
        account: str = "111111111111",
        region: str = "us-east-1",
        api_version: str | None = None,
    ) -> Any:
        """A boto3 client over HTTP; a 12-digit access key ID is the account."""
        return boto3.client(
            "appmesh",
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id=account,
            aws_secret_access_key="server-test-secret",
            api_version=api_version,
            config=Config(retries={"total_max_attempts": 1}),
        )


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("APPMESH_MOCK_ACCOUNT_ID", None)  # accounts must come from each request
    env["APPMESH_MOCK_STRICT"] = "1"
    return env


@contextmanager
def running_server(
    folder: Path, *args: str, open_files: int | None = None
) -> Iterator[ServerProcess]:
    """`appmesh-mock serve --port 0 *args`, ready to answer, ended on exit; `open_files`
    lowers the process's descriptor limit."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.monotonic_ns()}"
    stdout, stderr = folder / f"server-{stamp}.out", folder / f"server-{stamp}.err"
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen(
            [str(COMMAND), "serve", "--port", "0", *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=_environment(),
            preexec_fn=None if open_files is None else lambda: _limit_files(open_files),
        )
    try:
        server = ServerProcess(process, _announced_url(process, stdout, stderr), stdout, stderr)
        _wait_until_ready(server)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _limit_files(count: int) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (count, count))


def _announced_url(process: subprocess.Popen[bytes], stdout: Path, stderr: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        words = stdout.read_text().split()
        if words and words[-1].startswith("http://"):
            return words[-1]
        if process.poll() is not None:
            raise AssertionError(f"appmesh-mock exited {process.returncode}: {stderr.read_text()}")
        time.sleep(0.02)
    raise AssertionError(f"appmesh-mock announced no URL: {stderr.read_text()}")


def _wait_until_ready(server: ServerProcess) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if server.request("GET", "/_appmesh_mock/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise AssertionError(f"appmesh-mock never answered: {server.log()}")


def control(url: str, method: str, path: str, document: Any = None) -> Any:
    """One JSON request to the control endpoints of the server at `url` (in this process or
    not), its JSON answer."""
    data = json.dumps(document).encode() if document is not None else None
    request = urllib.request.Request(
        f"{url}/_appmesh_mock/{path}", data=data, method=method,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())
