"""How soon an API write reaches a connected Envoy over xDS (issue 22), side by side with the
write itself; no timed tests.

The shop of examples/resolve.py on a `MockServer(xds_port=0)`, its ingress gateway a real
Envoy (`--concurrency 1`), echo upstreams behind it. Each round changes the canary route's
weights with boto3 over HTTP (UpdateRoute), alternating all-v1 and all-v2, and measures from
the moment the API answered:

- **applied**: until the Envoy ACKs the new route configuration (its config version changes:
  the server's record of the Envoy's last ACK of RDS moves past the version it had);
- **traffic**: until a request through the gateway reaches the new target (a request each
  millisecond or so, each on a new connection).

Baseline: the UpdateRoute call's own round trip. Target: median "applied" under 100 ms.

    .venv/bin/python benchmarks/xds_latency.py [--rounds N] [--envoys N]
"""

from __future__ import annotations

import argparse
import runpy
import statistics
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from common import machine, table, verdict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the echo upstreams of the Envoy tests
from envoy_harness import Echo  # noqa: E402

from appmesh_mock import MockServer  # noqa: E402
from appmesh_mock.xds.envoy import EnvoyProcess  # noqa: E402
from appmesh_mock.xds.registry import proxies_of  # noqa: E402

ROUTES = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
TARGET_MS = 100.0


def canary(client: Any, target: str) -> None:
    other = "catalog-v1" if target == "catalog-v2" else "catalog-v2"
    spec = {"priority": 10, "httpRoute": {"match": {"prefix": "/"}, "action": {
        "weightedTargets": [{"virtualNode": target, "weight": 1},
                            {"virtualNode": other, "weight": 0}]}}}  # fmt: skip
    client.update_route(meshName="shop", virtualRouterName="catalog", routeName="canary",
                        spec=spec)  # fmt: skip


def acked(server: MockServer) -> list[int]:
    """The version of the routes each connected Envoy last ACKed."""
    return [int(p.types.get(ROUTES, 0)) for p in proxies_of(server.dispatcher.store)]


def reaches(echo: Echo, url: str) -> str:
    with urllib.request.urlopen(f"{url}/catalog/x", timeout=10) as answer:
        return echo.name_of[int(answer.headers["x-echo-port"])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--envoys", type=int, default=1, help="gateway Envoys connected")
    args = parser.parse_args()
    shop = runpy.run_path(str(ROOT / "examples" / "resolve.py"))
    import boto3

    echo = Echo(["catalog-v1", "catalog-v2"])
    with MockServer(isolated=True, xds_port=0) as server:
        client = boto3.client("appmesh", region_name="us-east-1", endpoint_url=server.url,
                              aws_access_key_id="123456789012", aws_secret_access_key="x")
        shop["build"](client)
        envoys = [
            EnvoyProcess("mesh/shop/virtualGateway/ingress", server.xds_port,
                         endpoints=echo.endpoints()).start()
            for _ in range(args.envoys)
        ]  # fmt: skip
        try:
            host, port = next(iter(envoys[0].listeners().values()))
            url = f"http://{host}:{port}"
            api, applied, traffic = [], [], []
            for round_ in range(args.rounds + 3):  # three unmeasured rounds first
                target = ("catalog-v1", "catalog-v2")[round_ % 2]
                before = max(acked(server))
                started = time.perf_counter()
                canary(client, target)
                answered = time.perf_counter()
                while min(acked(server)) <= before:
                    time.sleep(0.0002)
                done = time.perf_counter()
                while reaches(echo, url) != target:
                    pass
                followed = time.perf_counter()
                if round_ >= 3:
                    api.append((answered - started) * 1000)
                    applied.append((done - answered) * 1000)
                    traffic.append((followed - answered) * 1000)
            nacks = sum(p.nacks for p in proxies_of(server.dispatcher.store))
        finally:
            for envoy in envoys:
                envoy.stop()
    echo.close()

    def row(name: str, values: list[float]) -> list[str]:
        ordered = sorted(values)
        p90 = ordered[int(len(ordered) * 0.9) - 1]
        return [name, f"{statistics.median(values):.1f}", f"{p90:.1f}", f"{ordered[-1]:.1f}"]

    print(machine())
    table(
        f"UpdateRoute to {args.envoys} connected Envoy(s), {args.rounds} rounds (ms)",
        ["measure", "median", "p90", "max"],
        [row("UpdateRoute round trip (baseline)", api),
         row("answer -> Envoy ACKed the routes", applied),
         row("answer -> traffic follows", traffic)],
    )  # fmt: skip
    median = statistics.median(applied)
    print(f"\napplied / API call: {median / statistics.median(api):.1f}x; NACKs: {nacks}")
    print(f"median answer -> applied {median:.1f} ms < {TARGET_MS:g} ms: "
          f"{verdict(median < TARGET_MS)}")  # fmt: skip


if __name__ == "__main__":
    main()
