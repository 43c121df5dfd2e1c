"""Server mode under load: `appmesh-mock serve` and moto's ThreadedMotoServer, side by side.

Run from a clone:  .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/server.py

Both servers run in their own process on loopback and get the same mix over kept-alive HTTP/1.1
connections, one per client: each client owns a mesh and repeats create virtual node, describe
it twice, list the mesh's nodes (10 a page), update it, delete it. Clients are threads of this
process or separate processes (1, 4 and 8 of each). The client is a bare http.client with a
fixed SigV4-shaped Authorization header (neither server checks signatures), so that the
numbers are the servers' and not boto3's. Reported: requests/s, p50 and p99 latency, errors
(anything but a 2xx answer, or a failed exchange).

Options: --seconds N (per run, default 3), --no-moto, --state-file (run this mock with a
state file in a temporary folder, i.e. with every write committed to disk).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CLIENTS = (1, 4, 8)
TARGET_RATIO = 5.0
TARGET_P99_MS = 10.0
AUTH = (
    "AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/appmesh/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)
NODE_SPEC: dict[str, Any] = {
    "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
    "serviceDiscovery": {"dns": {"hostname": "colors.local"}},
    "backends": [{"virtualService": {"virtualServiceName": "tea.local"}}],
}
UPDATED_SPEC: dict[str, Any] = {**NODE_SPEC, "serviceDiscovery": {"dns": {"hostname": "b.local"}}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(port: int, path: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path, headers={"Authorization": AUTH})
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port}")


@contextmanager
def appmesh_mock_server(state_file: bool) -> Iterator[int]:
    port = free_port()
    command = [str(Path(sys.executable).with_name("appmesh-mock")), "serve", "--quiet"]
    with tempfile.TemporaryDirectory() as folder:
        if state_file:
            command += ["--state-file", str(Path(folder) / "state.db")]
        process = subprocess.Popen([*command, "--port", str(port)], stdout=subprocess.DEVNULL)
        try:
            wait_ready(port, "/_appmesh_mock/health")
            yield port
        finally:
            process.terminate()
            process.wait(timeout=15)


MOTO = """
import sys, time
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
server.start()
while True:
    time.sleep(3600)
"""


@contextmanager
def moto_server() -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", MOTO, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(port, "/v20190125/meshes")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


class Client:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.latencies: list[float] = []
        self.errors = 0

    def call(self, method: str, path: str, document: dict[str, Any] | None = None) -> None:
        body = json.dumps(document).encode() if document is not None else None
        headers = {"Authorization": AUTH, "X-Amz-Date": "20260101T000000Z"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            response.read()
            ok = 200 <= response.status < 300
        except (OSError, http.client.HTTPException):
            ok = False
            self.connection.close()
        self.latencies.append(time.perf_counter() - started)
        self.errors += not ok


def run_client(port: int, seconds: float, start_at: float) -> tuple[list[float], int]:
    """One client's loop: its own mesh, then the mix until the time is up."""
    client = Client(port)
    mesh = f"bench-{uuid.uuid4().hex[:12]}"
    client.call("PUT", "/v20190125/meshes", {"meshName": mesh, "clientToken": uuid.uuid4().hex})
    client.latencies.clear()
    nodes = f"/v20190125/meshes/{mesh}/virtualNodes"
    while time.time() < start_at:
        time.sleep(0.001)
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        name = f"node-{n}"
        create = {"virtualNodeName": name, "spec": NODE_SPEC, "clientToken": uuid.uuid4().hex}
        client.call("PUT", nodes, create)
        client.call("GET", f"{nodes}/{name}")
        client.call("GET", f"{nodes}/{name}")
        client.call("GET", f"{nodes}?limit=10")
        update = {"spec": UPDATED_SPEC, "clientToken": uuid.uuid4().hex}
        client.call("PUT", f"{nodes}/{name}", update)
        client.call("DELETE", f"{nodes}/{name}")
    latencies = client.latencies
    client.latencies = []
    client.call("DELETE", f"/v20190125/meshes/{mesh}")  # the account's mesh quota is 15
    client.connection.close()
    return latencies, client.errors


def _process_client(port: int, seconds: float, start_at: float, queue: Any) -> None:
    queue.put(run_client(port, seconds, start_at))


def measure(port: int, clients: int, mode: str, seconds: float) -> dict[str, float]:
    start_at = time.time() + 0.5  # every client set up before the clock starts
    results: list[tuple[list[float], int]] = []
    if mode == "threads":
        lock = threading.Lock()

        def work() -> None:
            found = run_client(port, seconds, start_at)
            with lock:
                results.append(found)

        threads = [threading.Thread(target=work) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        queue: Any = multiprocessing.Queue()
        workers = [
            multiprocessing.Process(target=_process_client, args=(port, seconds, start_at, queue))
            for _ in range(clients)
        ]
        for worker in workers:
            worker.start()
        results = [queue.get() for _ in workers]
        for worker in workers:
            worker.join()
    latencies = sorted(value for found, _ in results for value in found)
    errors = sum(count for _, count in results)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / seconds,
        "p50": quantiles[49] * 1000,
        "p99": quantiles[98] * 1000,
        "errors": errors,
        "requests": len(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--no-moto", action="store_true")
    parser.add_argument("--state-file", action="store_true")
    args = parser.parse_args()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {load} (other work skews p99)")
    state = "with" if args.state_file else "without"
    print(f"{args.seconds:g} s per run; mock {state} a state file")
    servers: list[tuple[str, Any]] = [
        ("appmesh-mock", lambda: appmesh_mock_server(args.state_file))
    ]
    if not args.no_moto:
        servers.append(("moto", moto_server))
    table: dict[tuple[str, str, int], dict[str, float]] = {}
    for name, start in servers:
        with start() as port:
            for mode in ("threads", "processes"):
                for clients in CLIENTS:
                    table[(name, mode, clients)] = measure(port, clients, mode, args.seconds)
    header = (
        f"{'clients':>14} | {'server':>12} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} "
        "| errors | x moto"
    )
    print(header)
    print("-" * len(header))
    failures = []
    for mode in ("threads", "processes"):
        for clients in CLIENTS:
            moto = table.get(("moto", mode, clients))
            for name, _ in servers:
                row = table[(name, mode, clients)]
                ratio = f"{row['rps'] / moto['rps']:.1f}" if moto and name != "moto" else ""
                print(
                    f"{clients:>4} {mode:>9} | {name:>12} | {row['rps']:>8.0f} "
                    f"| {row['p50']:>7.2f} | {row['p99']:>7.2f} | {row['errors']:>6.0f} "
                    f"| {ratio:>6}"
                )
            mine = table[("appmesh-mock", mode, clients)]
            if mine["errors"]:
                failures.append(f"{mode} x{clients}: {mine['errors']:.0f} errors")
            if moto and mine["rps"] < TARGET_RATIO * moto["rps"]:
                failures.append(f"{mode} x{clients}: under {TARGET_RATIO:g}x moto's req/s")
            if clients == 8 and mine["p99"] >= TARGET_P99_MS:
                failures.append(f"{mode} x{clients}: p99 {mine['p99']:.1f} ms")
    print("targets: " + ("met" if not failures else "missed: " + "; ".join(failures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
