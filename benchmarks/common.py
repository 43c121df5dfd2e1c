"""What every benchmark section shares: the back ends, the timer and the table printer."""

from __future__ import annotations

import gc
import os
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3

REGION = "us-east-1"
CURRENT, LEGACY = "2019-01-25", "2018-10-01"
ENOUGH = 10**6  # quotas high enough for the scale runs
QUOTAS = {
    "meshes_per_account": ENOUGH,
    "virtual_nodes_per_mesh": ENOUGH,
    "virtual_routers_per_mesh": ENOUGH,
    "virtual_services_per_mesh": ENOUGH,
    "virtual_gateways_per_mesh": ENOUGH,
    "routes_per_virtual_router": ENOUGH,
    "gateway_routes_per_virtual_gateway": ENOUGH,
}

_HEALTH = {
    "protocol": "http", "path": "/ping", "healthyThreshold": 2, "unhealthyThreshold": 2,
    "timeoutMillis": 2000, "intervalMillis": 5000,
}
_LISTENERS = [{"portMapping": {"port": 8080, "protocol": "http"}, "healthCheck": _HEALTH}]
# A node with a listener, health check, DNS discovery and a backend, in each version's form.
NODE_SPECS: dict[str, dict[str, Any]] = {
    CURRENT: {
        "listeners": _LISTENERS,
        "serviceDiscovery": {"dns": {"hostname": "colors.local"}},
        "backends": [{"virtualService": {"virtualServiceName": "tea.local"}}],
    },
    LEGACY: {
        "listeners": _LISTENERS,
        "serviceDiscovery": {"dns": {"serviceName": "colors.local"}},
        "backends": ["tea.local"],
    },
}
NODE_SPEC = NODE_SPECS[CURRENT]


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import botocore

    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"botocore {botocore.__version__}, {platform.system()} {platform.machine()}"
    )


def timed(fn: Callable[[], Any], calls: int) -> float:
    """CPU seconds per call over `calls` calls. CPU time of this process, not wall time, so
    that other busy processes on the machine skew the comparison less."""
    gc.collect()
    start = time.process_time()
    for _ in range(calls):
        fn()
    return (time.process_time() - start) / calls


def best_per_call(
    fn: Callable[[], Any], calls: int, rounds: int, setup: Callable[[], Any] | None = None
) -> float:
    """The best of `rounds` rounds (as timeit does); `setup` runs untimed before each."""
    best = float("inf")
    for _ in range(rounds):
        if setup is not None:
            setup()
        best = min(best, timed(fn, calls))
    return best


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs"


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


@contextmanager
def appmesh_mock_backend(api_version: str = CURRENT) -> Iterator[Any]:
    from appmesh_mock import mock_appmesh

    with mock_appmesh(quotas=QUOTAS, strict=False):
        yield boto3.client("appmesh", region_name=REGION, api_version=api_version)


@contextmanager
def moto_backend(api_version: str = CURRENT) -> Iterator[Any]:
    from moto import mock_aws

    with mock_aws():
        yield boto3.client("appmesh", region_name=REGION, api_version=api_version)
