"""Side-by-side cost of App Mesh calls through boto3: this mock, moto, and botocore's floor.

Run from a clone:  .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/run.py

Sections (all in this one process, except start-up, which needs fresh interpreters):
  per-call   create / describe / list through boto3 for: the floor (a before-send hook
             returning canned bytes: botocore's own cost with no mock work), this mock, moto
  growth     describe, a first page and a deep page of a listing (10 items each) with 10,
             1,000 and 10,000 stored virtual nodes, for this mock and moto
  memory     bytes held per stored virtual node (tracemalloc), for this mock and moto
  start-up   import the package, enter the mock, create a client, answer the first call, in a
             fresh subprocess, against moto's mock_aws doing the same

Options: --quick (fewer rounds, growth up to 1,000), --no-moto, --section NAME (repeatable),
--profile OPERATION (cProfile this mock's per-call loop for create, describe or list).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

REGION = "us-east-1"
NODE_SPEC: dict[str, Any] = {
    "listeners": [
        {
            "portMapping": {"port": 8080, "protocol": "http"},
            "healthCheck": {
                "protocol": "http",
                "path": "/ping",
                "healthyThreshold": 2,
                "unhealthyThreshold": 2,
                "timeoutMillis": 2000,
                "intervalMillis": 5000,
            },
        }
    ],
    "serviceDiscovery": {"dns": {"hostname": "colors.local"}},
    "backends": [{"virtualService": {"virtualServiceName": "tea.local"}}],
}
ENOUGH = 10**6  # quotas high enough for the growth runs


# Targets from issue 5 ------------------------------------------------------------------------
FLOOR_RATIO = 1.15
MOTO_RATIO = 2.8
FLAT_RATIO = 1.3
BYTES_PER_NODE = 16 * 1024
STARTUP_RATIO = 0.5


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


def best_per_call(fn: Callable[[], Any], calls: int, rounds: int) -> float:
    """CPU seconds per call: the best of `rounds` rounds of `calls` calls (as timeit does).
    CPU time of this process, not wall time, so that other busy processes on the machine
    skew the comparison less; everything measured runs on this one thread."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.process_time()
        for _ in range(calls):
            fn()
        best = min(best, (time.process_time() - start) / calls)
    return best


def us(seconds: float) -> str:
    return f"{seconds * 1e6:8.1f} µs"


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  " + "  ".join("-" * w for w in widths))
    for row in rows:
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


# The three back ends ------------------------------------------------------------------------

@contextmanager
def appmesh_mock_backend() -> Iterator[Any]:
    from appmesh_mock import mock_appmesh

    quotas = {"virtual_nodes_per_mesh": ENOUGH, "meshes_per_account": ENOUGH}
    with mock_appmesh(quotas=quotas, strict=False):
        yield boto3.client("appmesh", region_name=REGION)


@contextmanager
def moto_backend() -> Iterator[Any]:
    from moto import mock_aws

    with mock_aws():
        yield boto3.client("appmesh", region_name=REGION)


class Canned:
    """A before-send handler answering every call with fixed bytes: what botocore costs when
    the mock does no work at all."""

    def __init__(self) -> None:
        self.responses: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def __call__(self, request: Any, event_name: str, **_: Any) -> AWSResponse:
        status, headers, body = self.responses[event_name.rsplit(".", 1)[-1]]
        return AWSResponse(request.url, status, headers, _Raw(body))


class _Raw:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def record_bodies(client: Any, calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """The status, headers and body this mock sends for each call, to replay as the floor."""
    from appmesh_mock.entry.runtime import RUNTIME

    seen: dict[str, Any] = {}
    original = RUNTIME.dispatcher.handle

    def spy(*args: Any, **kwargs: Any) -> Any:
        response = original(*args, **kwargs)
        seen["last"] = (response.status, dict(response.headers), response.body)
        return response

    RUNTIME.dispatcher.handle = spy  # type: ignore[method-assign]
    try:
        out = {}
        for operation, call in calls.items():
            call()
            out[operation] = seen["last"]
        return out
    finally:
        RUNTIME.dispatcher.handle = original  # type: ignore[method-assign]


# per-call ------------------------------------------------------------------------------------

def dispatcher_alone(
    calls: dict[str, Callable[[], Any]], count: int, rounds: int
) -> dict[str, float]:
    """CPU seconds per request of this mock's own work, without botocore: each call's request
    is captured once, then replayed straight into the dispatcher (creates with fresh names)."""
    import json

    from appmesh_mock.entry.runtime import RUNTIME

    dispatcher = RUNTIME.dispatcher
    captured: dict[str, Any] = {}
    original = dispatcher.handle

    def spy(*args: Any, **kwargs: Any) -> Any:
        captured["last"] = (args, kwargs)
        return original(*args, **kwargs)

    dispatcher.handle = spy  # type: ignore[method-assign]
    requests = {}
    try:
        for operation, call in calls.items():
            call()
            requests[operation] = captured["last"]
    finally:
        dispatcher.handle = original  # type: ignore[method-assign]
    out = {}
    for operation, (args, kwargs) in requests.items():
        method, path, query, headers, body = args
        bodies = [body] * (count * rounds)
        if operation.startswith("Create"):
            document = json.loads(body)
            bodies = []
            for k in range(count * rounds):
                document["virtualNodeName"] = f"alone-{k}"
                document["clientToken"] = f"alone-{k}"
                bodies.append(json.dumps(document).encode())
        out[operation] = best_per_call(
            _replay(dispatcher, method, path, query, headers, iter(bodies), kwargs), count, rounds
        )
    return out


def _replay(
    dispatcher: Any, method: str, path: str, query: str, headers: Any, bodies: Iterator[bytes],
    kwargs: dict[str, Any],
) -> Callable[[], Any]:
    return lambda: dispatcher.handle(method, path, query, headers, next(bodies), **kwargs)


def workload(client: Any, counter: Iterator[int]) -> dict[str, Callable[[], Any]]:
    return {
        "CreateVirtualNode": lambda: client.create_virtual_node(
            meshName="bench", virtualNodeName=f"n{next(counter)}", spec=NODE_SPEC
        ),
        "DescribeVirtualNode": lambda: client.describe_virtual_node(
            meshName="fixed", virtualNodeName="node-5"
        ),
        "ListVirtualNodes": lambda: client.list_virtual_nodes(meshName="fixed", limit=10),
    }


def prepare(client: Any) -> None:
    client.create_mesh(meshName="bench")
    client.create_mesh(meshName="fixed")
    for k in range(10):
        client.create_virtual_node(meshName="fixed", virtualNodeName=f"node-{k}", spec=NODE_SPEC)


def floor_client(canned: Canned) -> Any:
    """A client that only the canned handler answers, made like the mock's own (inside the
    mock, so with credentials from the environment: botocore's per-call work depends on where
    credentials came from). botocore emits before-send to every handler (the first response
    wins), so this mock's hook is taken off this client."""
    from appmesh_mock.entry import botocore_hook as hook

    client = boto3.client("appmesh", region_name=REGION)
    client.meta.events.unregister(hook.EVENT, hook.before_send)
    client.meta.events.unregister(hook.EVENT, unique_id=hook.UNIQUE_ID)
    client.meta.events.register_first("before-send.app-mesh", canned)
    return client


def per_call(calls: int, rounds: int, with_moto: bool) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {"floor": {}, "this mock": {}}
    counter = iter(range(10**9))

    with appmesh_mock_backend() as client:
        prepare(client)
        ops = {"this mock": workload(client, counter)}
        canned = Canned()
        canned.responses = record_bodies(client, ops["this mock"])
        ops["floor"] = workload(floor_client(canned), counter)
        # Rounds alternate between the two so that noise from other processes hits both.
        for _ in range(rounds):
            for label in ("floor", "this mock"):
                for op, fn in ops[label].items():
                    cost = best_per_call(fn, calls, 1)
                    results[label][op] = min(results[label].get(op, cost), cost)
        results["mock alone"] = dispatcher_alone(ops["this mock"], calls, rounds)

    if with_moto:
        with moto_backend() as client:
            prepare(client)
            moto_ops = workload(client, counter)
            results["moto"] = {
                op: best_per_call(fn, max(calls // 4, 50), rounds) for op, fn in moto_ops.items()
            }

    rows = []
    for op in results["floor"]:
        floor, mine = results["floor"][op], results["this mock"][op]
        row = [op, us(floor), us(mine), f"{mine / floor:.2f}x", us(results["mock alone"][op])]
        if with_moto:
            moto = results["moto"][op]
            row += [us(moto), f"{moto / mine:.2f}x"]
        ok = mine / floor <= FLOOR_RATIO and (not with_moto or moto / mine >= MOTO_RATIO)
        rows.append([*row, verdict(ok)])
    header = ["operation", "floor", "this mock", "mock/floor", "mock alone"]
    if with_moto:
        header += ["moto", "moto/mock"]
    table(
        f"Per call through boto3 (best of {rounds} rounds; targets: mock/floor <= {FLOOR_RATIO}"
        + (f", moto/mock >= {MOTO_RATIO}" if with_moto else "") + ")",
        [*header, "target"],
        rows,
    )
    return results


# growth --------------------------------------------------------------------------------------

def fill(client: Any, count: int) -> None:
    client.create_mesh(meshName="big")
    for k in range(count):
        client.create_virtual_node(meshName="big", virtualNodeName=f"node-{k:06d}", spec=NODE_SPEC)


def token_at(client: Any, position: int) -> str | None:
    """The nextToken after the first `position` nodes of the listing."""
    token: str | None = None
    left = position
    while left > 0:
        page = min(left, 100)
        kwargs: dict[str, Any] = {"meshName": "big", "limit": page}
        if token:
            kwargs["nextToken"] = token
        token = client.list_virtual_nodes(**kwargs).get("nextToken")
        left -= page
    return token


def growth_costs(
    client: Any, count: int, calls: int, rounds: int
) -> dict[str, float]:
    fill(client, count)
    middle = f"node-{count // 2:06d}"
    deep = token_at(client, max(0, count - 20))
    deep_kwargs: dict[str, Any] = {"meshName": "big", "limit": 10}
    if deep:
        deep_kwargs["nextToken"] = deep
    calls_for = {
        "describe": lambda: client.describe_virtual_node(meshName="big", virtualNodeName=middle),
        "first page": lambda: client.list_virtual_nodes(meshName="big", limit=10),
        "deep page": lambda: client.list_virtual_nodes(**deep_kwargs),
    }
    return {name: best_per_call(fn, calls, rounds) for name, fn in calls_for.items()}


def growth(sizes: list[int], calls: int, rounds: int, with_moto: bool) -> dict[str, Any]:
    backends: dict[str, Callable[[], Any]] = {"this mock": appmesh_mock_backend}
    if with_moto:
        backends["moto"] = moto_backend
    results: dict[str, dict[int, dict[str, float]]] = {}
    for label, backend in backends.items():
        results[label] = {}
        for size in sizes:
            with backend() as client:
                results[label][size] = growth_costs(
                    client, size, calls if label == "this mock" else max(calls // 4, 20), rounds
                )
    rows = []
    for label, by_size in results.items():
        for what in ("describe", "first page", "deep page"):
            costs = [by_size[size][what] for size in sizes]
            ratio = costs[-1] / costs[0]
            ok = verdict(ratio <= FLAT_RATIO) if label == "this mock" else ""
            rows.append([label, what, *(us(c) for c in costs), f"{ratio:.2f}x", ok])
    table(
        f"Growth: cost per call with N stored virtual nodes (pages of 10; target for this mock: "
        f"{sizes[-1]:,} vs {sizes[0]:,} <= {FLAT_RATIO}x)",
        ["backend", "call", *(f"N={s:,}" for s in sizes), "ratio", "target"],
        rows,
    )
    return results


# memory --------------------------------------------------------------------------------------

def memory_per_node(count: int, with_moto: bool) -> dict[str, float]:
    backends: dict[str, Callable[[], Any]] = {"this mock": appmesh_mock_backend}
    if with_moto:
        backends["moto"] = moto_backend
    out: dict[str, float] = {}
    for label, backend in backends.items():
        with backend() as client:
            client.create_mesh(meshName="mem")
            # Warm up, so that caches filled by the first calls are not counted.
            for k in range(20):
                client.create_virtual_node(meshName="mem", virtualNodeName=f"w{k}", spec=NODE_SPEC)
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            for k in range(count):
                client.create_virtual_node(
                    meshName="mem", virtualNodeName=f"node-{k:06d}", spec=NODE_SPEC
                )
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            out[label] = (after - before) / count
    rows = [
        [label, f"{size:,.0f} B", f"{size / 1024:.1f} KiB",
         verdict(size <= BYTES_PER_NODE) if label == "this mock" else ""]
        for label, size in out.items()
    ]
    table(
        f"Memory held per stored virtual node ({count:,} created through boto3, each with a "
        f"clientToken; target < {BYTES_PER_NODE // 1024} KiB)",
        ["backend", "bytes/node", "KiB/node", "target"],
        rows,
    )
    return out


# start-up ------------------------------------------------------------------------------------

STARTUP_SCRIPTS = {
    "this mock": (
        "from appmesh_mock import mock_appmesh\n"
        "mock = mock_appmesh()\n"
        "mock.start()\n"
    ),
    "moto": (
        "from moto import mock_aws\n"
        "mock = mock_aws()\n"
        "mock.start()\n"
    ),
}
STARTUP_TEMPLATE = """
import time, boto3
start = time.perf_counter()
{enter}client = boto3.client("appmesh", region_name="us-east-1")
client.list_meshes()
print(time.perf_counter() - start)
"""


def startup(runs: int, with_moto: bool) -> dict[str, float]:
    """Median seconds from `import <mock>` to the first answer, in fresh interpreters
    (boto3 is already imported, as in any suite that uses it)."""
    labels = ["this mock", "moto"] if with_moto else ["this mock"]
    samples: dict[str, list[float]] = {label: [] for label in labels}
    total: dict[str, list[float]] = {label: [] for label in labels}
    # Bytecode caches as a user has them (pip compiles moto's at install; ours are written on
    # first import): an environment that forbids writing them would charge only this mock
    # for compiling its sources, so that setting is dropped and one unmeasured run warms up.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    for label in labels:
        script = STARTUP_TEMPLATE.format(enter=STARTUP_SCRIPTS[label])
        subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, check=True)
    for _ in range(runs):
        for label in labels:  # interleaved, so that drift hits both alike
            script = STARTUP_TEMPLATE.format(enter=STARTUP_SCRIPTS[label])
            began = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", script], capture_output=True, text=True, env=env,
                check=True,
            )
            total[label].append(time.perf_counter() - began)
            samples[label].append(float(done.stdout.strip().splitlines()[-1]))
    out = {label: statistics.median(values) for label, values in samples.items()}
    rows = []
    for label in labels:
        row = [label, f"{out[label] * 1000:7.1f} ms",
               f"{statistics.median(total[label]) * 1000:7.1f} ms"]
        if with_moto:
            ratio = out[label] / out["moto"]
            row += [f"{ratio:.2f}x", verdict(ratio <= STARTUP_RATIO) if label != "moto" else ""]
        rows.append(row)
    header = ["backend", "import+enter+client+1st call", "whole process"]
    if with_moto:
        header += ["vs moto", "target"]
    table(
        f"Start-up in a fresh interpreter (median of {runs}; target: at most "
        f"{STARTUP_RATIO}x moto's)",
        header,
        rows,
    )
    return out


# profiling -----------------------------------------------------------------------------------

def profile(operation: str, calls: int) -> None:
    with appmesh_mock_backend() as client:
        prepare(client)
        ops = workload(client, iter(range(10**9)))
        chosen = {"create": "CreateVirtualNode", "describe": "DescribeVirtualNode",
                  "list": "ListVirtualNodes"}[operation]
        fn = ops[chosen]
        for _ in range(50):
            fn()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            fn()
        profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-moto", action="store_true")
    parser.add_argument(
        "--section", action="append",
        choices=["per-call", "growth", "memory", "start-up"],
    )
    parser.add_argument("--profile", choices=["create", "describe", "list"])
    args = parser.parse_args()
    if args.profile:
        profile(args.profile, 3000)
        return
    with_moto = not args.no_moto
    if with_moto:
        try:
            import moto  # noqa: F401
        except ImportError:
            sys.exit("moto is not installed: pip install -e '.[bench]' (or use --no-moto)")
    sections = args.section or ["per-call", "growth", "memory", "start-up"]
    calls, rounds = (300, 3) if args.quick else (1000, 7)
    print(f"Machine: {machine()}")
    if "per-call" in sections:
        per_call(calls, rounds, with_moto)
    if "growth" in sections:
        sizes = [10, 1_000] if args.quick else [10, 1_000, 10_000]
        growth(sizes, calls // 2, rounds, with_moto)
    if "memory" in sections:
        memory_per_node(500 if args.quick else 2_000, with_moto)
    if "start-up" in sections:
        startup(3 if args.quick else 9, with_moto)


if __name__ == "__main__":
    main()
