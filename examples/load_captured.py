"""Runs a captured mesh again: `examples/captured/` holds `aws appmesh describe-*` output as
users saved it before App Mesh's end of support (the mesh and a router in the AWS CLI v2's ISO
times, the nodes in the CLI v1's epoch seconds). Loading it gives a mock that answers as the
real mesh did; then the code that managed it can run against it.

Run: .venv/bin/python examples/load_captured.py
"""

from __future__ import annotations

from pathlib import Path

import boto3

from appmesh_mock import mock_appmesh

CAPTURED = Path(__file__).resolve().parent / "captured"


def main() -> None:
    with mock_appmesh(state=CAPTURED) as m:
        client = boto3.client("appmesh", region_name="us-east-1")
        mesh = client.describe_mesh(meshName="bookstore")["mesh"]
        print(f"mesh {mesh['meshName']} created {mesh['metadata']['createdAt']:%Y-%m-%d %H:%M} "
              f"uid {mesh['metadata']['uid']}")  # fmt: skip
        route = client.describe_route(
            meshName="bookstore", virtualRouterName="catalog", routeName="catalog-split"
        )["route"]
        print(f"route catalog-split version {route['metadata']['version']}")
        print(m.topology("bookstore"))


if __name__ == "__main__":
    main()
