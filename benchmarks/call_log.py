"""What the in-process call log costs in memory: `tracemalloc` bytes still held after N
create+delete mesh cycles in one activation (the store ends empty, so what stays is the log,
plus botocore's and the mock's bounded caches).

    .venv/bin/python benchmarks/call_log.py [--cycles 20000] [--limit 10000|none]

Tracing every allocation slows the calls about tenfold: 20,000 cycles take about six minutes.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import boto3

from appmesh_mock import mock_appmesh


def held_after(cycles: int, limit: int | None) -> tuple[int, int, int]:
    """(bytes held, calls kept, calls dropped) after `cycles` create+delete pairs."""
    with mock_appmesh(call_log_limit=limit) as m:
        appmesh = boto3.client("appmesh", region_name="us-east-1")
        appmesh.create_mesh(meshName="warm")
        appmesh.delete_mesh(meshName="warm")
        gc.collect()
        tracemalloc.start()
        try:
            for i in range(cycles):
                appmesh.create_mesh(meshName=f"mesh-{i}")
                appmesh.delete_mesh(meshName=f"mesh-{i}")
            gc.collect()
            held = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        return held, len(m.calls), m.calls.dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20_000)
    parser.add_argument("--limit", default="10000", help="calls kept, or 'none' (unbounded)")
    args = parser.parse_args()
    limit = None if args.limit.lower() == "none" else int(args.limit)
    started = time.perf_counter()
    held, kept, dropped = held_after(args.cycles, limit)
    calls = 2 * args.cycles
    print(
        f"{args.cycles} create+delete cycles, call_log_limit={limit}: {held / 2**20:.1f} MiB "
        f"held ({held / calls:.0f} B per call made), {kept} calls kept, {dropped} dropped "
        f"({time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()
