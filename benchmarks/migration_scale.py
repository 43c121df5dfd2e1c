"""`check_equivalence` on a 200-route mesh (issue 24): under 10 s of CPU on one core, for each
target, beside the cost of as many `m.resolve` calls as the check sends requests (what the
App Mesh half would cost through the public call) as the baseline. No timed tests: a script.

The mesh is resolve_scale.py's "shop" with one router of 200 routes (prefix, header and
method matches, priorities) behind a gateway route: two entry points, the router's service
and the gateway. The configuration checked is the one `migrate` writes (for the Gateway API,
the differences are the declared ones: its prefixes match whole segments).

    .venv/bin/python benchmarks/migration_scale.py [--routes N]
"""

from __future__ import annotations

import argparse
import time

import boto3
from common import REGION, machine, table, verdict
from resolve_scale import QUOTAS, shop

from appmesh_mock import mock_appmesh
from appmesh_mock.semantics.migration import TARGETS

LIMIT_S = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routes", type=int, default=200)
    args = parser.parse_args()
    print(machine())
    rows, ok = [], True
    with mock_appmesh(quotas=QUOTAS, strict=False) as m:
        shop(boto3.client("appmesh", region_name=REGION), args.routes)
        for to in sorted(TARGETS):
            documents = m.migrate("shop", to=to).documents
            started = time.process_time()
            report = m.check_equivalence("shop", documents, to=to)
            spent = time.process_time() - started
            started = time.process_time()
            for index in range(report.requests):
                m.resolve("shop", service="svc0.local", path=f"/p{index % args.routes}/x")
            baseline = time.process_time() - started
            ok = ok and spent < LIMIT_S
            rows.append([to, f"{report.requests:,}", f"{len(report.differences):,}",
                         f"{spent:.2f} s", f"{baseline:.2f} s", f"{spent / baseline:.1f}x",
                         verdict(spent < LIMIT_S)])
    table(f"check_equivalence, mesh of {args.routes} routes (CPU time, one core)",
          ["to", "requests", "differ", "check", "resolve alone", "ratio",
           f"< {LIMIT_S:.0f} s"], rows)
    print(f"\n{'all' if ok else 'not all'} targets met")


if __name__ == "__main__":
    main()
