"""Side-by-side cost of App Mesh calls through boto3: this mock, moto, and botocore's floor.

Run from a clone:  .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/run.py

Sections (all in this one process, except start-up, which needs fresh interpreters):
  per-call   every virtual-node operation (create, describe, update, list, delete) of both API
             versions through boto3, for the floor (a before-send hook returning canned bytes:
             botocore's own cost with no mock work), this mock and moto (per_call.py)
  scale      describe, list pages, create and deletes with N resources in a mixed mesh and N
             meshes with one shared in, N from 10 to 50,000 (scale.py)
  teardown   deleting every resource of a 10,000-resource mixed mesh against creating them
  memory     bytes held per stored virtual node (tracemalloc), for this mock and moto
  start-up   import the package, enter the mock, create a client, answer the first call, in a
             fresh subprocess, against moto's mock_aws doing the same

Options: --quick (fewer rounds, scale up to 1,000), --no-moto, --section NAME (repeatable),
--profile OPERATION (cProfile this mock's per-call loop for an operation, e.g. create or
legacy-describe).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import os
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (
    CURRENT,
    LEGACY,
    NODE_SPEC,
    appmesh_mock_backend,
    machine,
    moto_backend,
    table,
    verdict,
)
from per_call import Workload, per_call
from scale import scale, teardown

BYTES_PER_NODE = 16 * 1024
STARTUP_RATIO = 0.35


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


# profiling ---------------------------------------------------------------------------------

def profile(operation: str, calls: int) -> None:
    version = LEGACY if operation.startswith("legacy-") else CURRENT
    chosen = operation.removeprefix("legacy-").capitalize()
    with appmesh_mock_backend(version) as client:
        workload = Workload(client, version, itertools.count())
        workload.prepare()
        if chosen == "Delete":
            workload.prepare_deletes(calls + 50)
        fn = workload.calls()[chosen]
        for _ in range(50):
            fn()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            fn()
        profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(45)


SECTIONS = ["per-call", "scale", "teardown", "memory", "start-up"]
OPERATIONS = ["create", "describe", "update", "list", "delete"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-moto", action="store_true")
    parser.add_argument("--section", action="append", choices=SECTIONS)
    parser.add_argument(
        "--profile", choices=[*OPERATIONS, *(f"legacy-{op}" for op in OPERATIONS)]
    )
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
    sections = args.section or SECTIONS
    calls, rounds = (300, 3) if args.quick else (1000, 7)
    print(f"Machine: {machine()}")
    if "per-call" in sections:
        per_call(calls, rounds, with_moto)
    if "scale" in sections:
        sizes = [10, 1_000] if args.quick else [10, 1_000, 10_000, 50_000]
        scale(sizes, calls // 2, rounds)
    if "teardown" in sections:
        teardown(1_000 if args.quick else 10_000)
    if "memory" in sections:
        memory_per_node(500 if args.quick else 2_000, with_moto)
    if "start-up" in sections:
        startup(3 if args.quick else 9, with_moto)


if __name__ == "__main__":
    main()
