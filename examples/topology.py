"""A canary release behind an ingress gateway, built under the mock and printed as a tree.

    internet -> virtual gateway "ingress" --(gateway route /reviews/)--> virtual service
    reviews.bookinfo.local --(provided by)--> virtual router "reviews" --(route "canary")-->
    virtual nodes reviews-v1 (90%) and reviews-v2 (10%)

A "productpage" node calls the reviews service as a backend. `m.topology(MESH)` draws it (also
as "mermaid" or "dot"). Run it with `.venv/bin/python examples/topology.py`; every App Mesh
call is answered in-process by appmesh-mock, so no AWS account, credentials or network are
needed.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

from appmesh_mock import mock_appmesh

MESH = "bookinfo"
SERVICE = "reviews.bookinfo.local"
TAGS = [{"key": "app", "value": "bookinfo"}, {"key": "env", "value": "staging"}]


def http_node(hostname: str, backends: list[str] | None = None) -> dict[str, Any]:
    """An HTTP service on port 9080 with a health check and DNS discovery."""
    spec: dict[str, Any] = {
        "listeners": [
            {
                "portMapping": {"port": 9080, "protocol": "http"},
                "healthCheck": {
                    "protocol": "http",
                    "path": "/health",
                    "healthyThreshold": 2,
                    "unhealthyThreshold": 3,
                    "intervalMillis": 5000,
                    "timeoutMillis": 2000,
                },
            }
        ],
        "serviceDiscovery": {"dns": {"hostname": hostname}},
        "logging": {"accessLog": {"file": {"path": "/dev/stdout"}}},
    }
    if backends:
        spec["backends"] = [{"virtualService": {"virtualServiceName": b}} for b in backends]
    return spec


def build(client: Any) -> None:
    client.create_mesh(meshName=MESH, spec={"egressFilter": {"type": "DROP_ALL"}}, tags=TAGS)
    m = {"meshName": MESH}

    # Two versions of reviews, and productpage calling the reviews service (which does not
    # exist yet: backends may name services created later).
    for version in ("v1", "v2"):
        client.create_virtual_node(
            **m,
            virtualNodeName=f"reviews-{version}",
            spec=http_node(f"reviews-{version}.bookinfo.svc.cluster.local"),
            tags=TAGS,
        )
    client.create_virtual_node(
        **m,
        virtualNodeName="productpage",
        spec=http_node("productpage.bookinfo.svc.cluster.local", backends=[SERVICE]),
        tags=TAGS,
    )

    # The router and its canary route: 90% to v1, 10% to v2, retried on server errors.
    client.create_virtual_router(
        **m,
        virtualRouterName="reviews",
        spec={"listeners": [{"portMapping": {"port": 9080, "protocol": "http"}}]},
        tags=TAGS,
    )
    client.create_route(
        **m,
        virtualRouterName="reviews",
        routeName="canary",
        spec={
            "priority": 100,
            "httpRoute": {
                "match": {"prefix": "/"},
                "action": {
                    "weightedTargets": [
                        {"virtualNode": "reviews-v1", "weight": 90},
                        {"virtualNode": "reviews-v2", "weight": 10},
                    ]
                },
                "retryPolicy": {
                    "maxRetries": 2,
                    "perRetryTimeout": {"unit": "ms", "value": 1000},
                    "httpRetryEvents": ["server-error", "gateway-error"],
                },
                "timeout": {"perRequest": {"unit": "s", "value": 5}},
            },
        },
        tags=TAGS,
    )

    # The service the rest of the mesh calls, provided by the router.
    client.create_virtual_service(
        **m,
        virtualServiceName=SERVICE,
        spec={"provider": {"virtualRouter": {"virtualRouterName": "reviews"}}},
        tags=TAGS,
    )

    # Ingress: a gateway whose route sends /reviews/* to the service, stripping the prefix.
    client.create_virtual_gateway(
        **m,
        virtualGatewayName="ingress",
        spec={"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]},
        tags=TAGS,
    )
    client.create_gateway_route(
        **m,
        virtualGatewayName="ingress",
        gatewayRouteName="reviews",
        spec={
            "httpRoute": {
                "match": {"prefix": "/reviews/"},
                "action": {
                    "target": {"virtualService": {"virtualServiceName": SERVICE}},
                    "rewrite": {"prefix": {"value": "/"}},
                },
            }
        },
        tags=TAGS,
    )


def guard_demo(client: Any) -> list[str]:
    """Deletes that the service refuses while something still depends on the resource."""
    attempts: list[tuple[str, str, dict[str, str]]] = [
        ("router reviews", "delete_virtual_router", {"virtualRouterName": "reviews"}),
        ("node reviews-v2", "delete_virtual_node", {"virtualNodeName": "reviews-v2"}),
        (f"service {SERVICE}", "delete_virtual_service", {"virtualServiceName": SERVICE}),
        ("mesh bookinfo", "delete_mesh", {}),
    ]
    lines = []
    for what, operation, names in attempts:
        try:
            getattr(client, operation)(meshName=MESH, **names)
        except ClientError as error:
            lines.append(f"  delete {what}: {error.response['Error']['Code']}")
        else:
            lines.append(f"  delete {what}: deleted (unexpected)")
    return lines


def main() -> None:
    with mock_appmesh() as m:
        client = boto3.client("appmesh", region_name="us-east-1")
        build(client)
        # The tree: gateways, gateway routes, services, routers, routes, nodes and their calls.
        print(m.topology(MESH))
        print("\nRefused while in use:")
        print("\n".join(guard_demo(client)))


if __name__ == "__main__":
    main()
