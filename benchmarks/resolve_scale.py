"""`resolve` and `envoy_config` at store scale (issue 21), as ratios and rates; no timed tests.

1. `m.resolve` on a small mesh with 10, then 1,000, 10,000 and 50,000 resources elsewhere in
   the store (virtual nodes in another mesh): the cost per call must stay within 1.2x of the
   first (it reads only the mesh it is asked about: `service.export.mesh_document`).
2. Resolutions per second on one core for a router with 50 routes, the mesh compiled (read
   once; unchanged between calls): at least 20,000 through `m.resolve`.
3. Rendering the Envoy configuration of a gateway in front of routers holding 1,000 routes:
   under 50 ms (CPU time, best of 5).

    .venv/bin/python benchmarks/resolve_scale.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import time
from typing import Any

import boto3
from common import REGION, best_per_call, machine, table, us, verdict

from appmesh_mock import mock_appmesh
from appmesh_mock.dataplane import envoy_config
from appmesh_mock.service.export import mesh_document
from appmesh_mock.session import RUNTIME

FLAT_RATIO = 1.2
RATE = 20_000
RENDER_MS = 50
QUOTAS = {"virtual_nodes_per_mesh": 100_000, "routes_per_virtual_router": 2_000}
LISTENER = [{"portMapping": {"port": 8080, "protocol": "http"}}]


def node(name: str) -> dict[str, Any]:
    return {"listeners": LISTENER, "serviceDiscovery": {"dns": {"hostname": f"{name}.local"}}}


def shop(client: Any, routes: int, routers: int = 1) -> None:
    """A mesh "shop": four nodes, `routers` routers of `routes` routes each (prefix, header
    and method matches, priorities), a service per router and a gateway route to each."""
    m = {"meshName": "shop"}
    client.create_mesh(**m)
    for name in ("v1", "v2", "v3", "v4"):
        client.create_virtual_node(**m, virtualNodeName=name, spec=node(name))
    client.create_virtual_gateway(**m, virtualGatewayName="gw", spec={"listeners": LISTENER})
    for r in range(routers):
        router, service = f"vr{r}", f"svc{r}.local"
        client.create_virtual_router(**m, virtualRouterName=router, spec={"listeners": LISTENER})
        for i in range(routes):
            match: dict[str, Any] = {"prefix": f"/p{i}"}
            if i % 3 == 1:
                match["headers"] = [{"name": "x-canary", "match": {"exact": str(i)}}]
            if i % 5 == 2:
                match["method"] = "POST"
            targets = [
                {"virtualNode": "v1", "weight": 3},
                {"virtualNode": f"v{2 + i % 3}", "weight": 1},
            ]
            spec: dict[str, Any] = {
                "httpRoute": {"match": match, "action": {"weightedTargets": targets}}
            }
            if i % 4 == 0:
                spec["priority"] = i % 7
            client.create_route(**m, virtualRouterName=router, routeName=f"r{i}", spec=spec)
        client.create_virtual_service(
            **m,
            virtualServiceName=service,
            spec={"provider": {"virtualRouter": {"virtualRouterName": router}}},
        )
        target = {"virtualService": {"virtualServiceName": service}}
        client.create_gateway_route(
            **m,
            virtualGatewayName="gw",
            gatewayRouteName=f"to-{r}",
            spec={"httpRoute": {"match": {"prefix": f"/{router}/"}, "action": {"target": target}}},
        )


def fill(client: Any, start: int, stop: int) -> None:
    """Virtual nodes `start`..`stop` in mesh "elsewhere" (made on first use)."""
    if start == 0:
        client.create_mesh(meshName="elsewhere")
    for i in range(start, stop):
        client.create_virtual_node(
            meshName="elsewhere", virtualNodeName=f"n{i}", spec=node(f"n{i}")
        )


def flatness(quick: bool) -> bool:
    sizes = [10, 1_000] if quick else [10, 1_000, 10_000, 50_000]
    rows, base, ok = [], 0.0, True
    with mock_appmesh(quotas=QUOTAS, strict=False) as m:
        client = boto3.client("appmesh", region_name=REGION)
        shop(client, 50)
        made = 0
        paths = itertools.cycle([f"/vr0/p{i}/x" for i in range(50)])
        for size in sizes:
            fill(client, made, size)
            made = size

            def call() -> None:
                m.resolve("shop", gateway="gw", path=next(paths))

            cost = best_per_call(call, 2_000, 7)
            base = base or cost
            ok = ok and cost <= FLAT_RATIO * base
            rows.append([f"{size:,}", us(cost), f"{cost / base:.2f}x"])
    table(
        "m.resolve with N resources elsewhere (gateway -> router of 50 routes)",
        ["N elsewhere", "per call", "vs N=10"],
        rows,
    )
    print(f"within {FLAT_RATIO}x: {verdict(ok)}")
    return ok


def rate() -> bool:
    with mock_appmesh(quotas=QUOTAS, strict=False) as m:
        shop(boto3.client("appmesh", region_name=REGION), 50)
        requests = itertools.cycle(
            [
                {
                    "path": f"/p{i}/x",
                    "method": "POST" if i % 2 else "GET",
                    "headers": {"x-canary": str(i)},
                }
                for i in range(60)
            ]
        )

        def call() -> None:
            m.resolve("shop", service="svc0.local", **next(requests))

        cost = best_per_call(call, 5_000, 7)
    per_second = 1 / cost
    ok = per_second >= RATE
    table(
        "resolutions per second, router of 50 routes (m.resolve, mesh unchanged)",
        ["per call", "per second", f"target >= {RATE:,}"],
        [[us(cost), f"{per_second:,.0f}", verdict(ok)]],
    )
    return ok


def render() -> bool:
    with mock_appmesh(quotas=QUOTAS, strict=False):
        shop(boto3.client("appmesh", region_name=REGION), 100, routers=10)
        document = mesh_document(RUNTIME.store, "shop")
    endpoints = {name: f"10.0.0.{i}:8080" for i, name in enumerate(["v1", "v2", "v3", "v4"])}

    def call() -> None:
        envoy_config(document, "shop", gateway="gw", endpoints=endpoints)

    cost = best_per_call(call, 3, 5)
    ok = cost * 1000 < RENDER_MS
    table(
        "envoy_config, gateway in front of 10 routers x 100 routes (1,000 routes)",
        ["per render", f"target < {RENDER_MS} ms"],
        [[f"{cost * 1000:.1f} ms", verdict(ok)]],
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fill up to 1,000 only")
    args = parser.parse_args()
    print(machine())
    started = time.monotonic()
    results = [flatness(args.quick), rate(), render()]
    print(f"\n{sum(results)} of {len(results)} targets met ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
