"""What the xDS tests share: the shop of examples/resolve.py served by a MockServer with an
xDS port, echo upstreams for its catalog nodes, and a real Envoy connected to it."""

from __future__ import annotations

import contextlib
import importlib.util
import runpy
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import boto3
import pytest
from envoy_harness import ENVOY, Echo
from server_process import control

from appmesh_mock import MockServer
from appmesh_mock.xds.envoy import EnvoyProcess

ROOT = Path(__file__).resolve().parent.parent
SHOP = runpy.run_path(str(ROOT / "examples" / "resolve.py"))
MESH = "shop"
GATEWAY_ID = "mesh/shop/virtualGateway/ingress"
requires_xds = pytest.mark.skipif(
    ENVOY is None or importlib.util.find_spec("grpc") is None,
    reason="the envoy extra is not installed (Envoy, grpcio, xds-protos)",
)
T = TypeVar("T")


def until(probe: Callable[[], T | None], what: str, seconds: float = 30.0) -> T:
    """`probe()`'s first truthy answer; fails naming `what` if none comes (a hang guard, not
    a timing assertion)."""
    deadline = time.monotonic() + seconds
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"still not {what} after {seconds:g} s")
        time.sleep(0.02)


def client(url: str) -> Any:
    return boto3.client("appmesh", region_name="us-east-1", endpoint_url=url,
                        aws_access_key_id="123456789012", aws_secret_access_key="x")  # fmt: skip


def set_canary(appmesh: Any, v1: int, v2: int) -> None:
    """Changes the weights of the shop's canary route, as a user would: describe, update."""
    spec = appmesh.describe_route(meshName=MESH, virtualRouterName="catalog",
                                  routeName="canary")["route"]["spec"]  # fmt: skip
    spec["httpRoute"]["action"]["weightedTargets"] = [
        {"virtualNode": "catalog-v1", "weight": v1},
        {"virtualNode": "catalog-v2", "weight": v2},
    ]
    appmesh.update_route(meshName=MESH, virtualRouterName="catalog", routeName="canary",
                         spec=spec)  # fmt: skip


def reached(echo: Echo, url: str, headers: dict[str, str] | None = None) -> str | None:
    """The echo upstream a request to the gateway's /catalog/ reached (None: no upstream)."""
    request = urllib.request.Request(f"{url}/catalog/x", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            port = answer.headers.get("x-echo-port")
    except urllib.error.HTTPError:
        return None
    return echo.name_of.get(int(port)) if port else None


def proxy(server: MockServer, node_id: str = GATEWAY_ID) -> dict[str, Any] | None:
    """What `GET /_appmesh_mock/xds` says of the Envoy with `node_id` (None: not connected)."""
    for status in control(server.url, "GET", "xds")["proxies"]:
        if status["node_id"] == node_id:
            return dict(status)
    return None


@contextlib.contextmanager
def envoy(
    server: MockServer, echo: Echo, node_id: str = GATEWAY_ID, listeners: int = 1
) -> Iterator[EnvoyProcess]:
    process = EnvoyProcess(node_id, server.xds_port, endpoints=echo.endpoints(),
                           listeners=listeners)  # fmt: skip
    process.start()
    try:
        yield process
    finally:
        process.stop()


def listener_url(process: EnvoyProcess) -> str:
    (host, port), *_ = process.listeners().values()
    return f"http://{host}:{port}"
