"""A canary release behind an ingress gateway, built under the mock and printed as a tree.

    internet -> virtual gateway "ingress" --(gateway route /reviews/)--> virtual service
    reviews.bookinfo.local --(provided by)--> virtual router "reviews" --(route "canary")-->
    virtual nodes reviews-v1 (90%) and reviews-v2 (10%)

A "productpage" node calls the reviews service as a backend. Run it with
`.venv/bin/python examples/topology.py`; every App Mesh call is answered in-process by
appmesh-mock, so no AWS account, credentials or network are needed.
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


def summary(client: Any) -> list[str]:
    """The mesh as an indented tree, read back through list and describe calls."""
    m = {"meshName": MESH}
    mesh = client.describe_mesh(**m)["mesh"]
    tags = client.list_tags_for_resource(resourceArn=mesh["metadata"]["arn"])["tags"]
    tag_text = ", ".join(f"{t['key']}={t['value']}" for t in tags)
    lines = [
        f"mesh {MESH}  egress {mesh['spec']['egressFilter']['type']}  tags {tag_text}",
        f"  {mesh['metadata']['arn']}",
    ]

    for ref in client.list_virtual_gateways(**m)["virtualGateways"]:
        name = ref["virtualGatewayName"]
        gateway = client.describe_virtual_gateway(**m, virtualGatewayName=name)["virtualGateway"]
        port = gateway["spec"]["listeners"][0]["portMapping"]
        lines.append(f"  gateway {name}  listens {port['protocol']}:{port['port']}")
        pages = client.get_paginator("list_gateway_routes").paginate(**m, virtualGatewayName=name)
        for page in pages:
            for route_ref in page["gatewayRoutes"]:
                route = client.describe_gateway_route(
                    **m, virtualGatewayName=name, gatewayRouteName=route_ref["gatewayRouteName"]
                )["gatewayRoute"]["spec"]["httpRoute"]
                target = route["action"]["target"]["virtualService"]["virtualServiceName"]
                rewrite = route["action"].get("rewrite", {}).get("prefix", {}).get("value")
                lines.append(
                    f"    gateway route {route_ref['gatewayRouteName']}  "
                    f"{route['match']['prefix']}* -> {target}"
                    + (f"  (prefix rewritten to {rewrite})" if rewrite else "")
                )

    for ref in client.list_virtual_services(**m)["virtualServices"]:
        name = ref["virtualServiceName"]
        provider = client.describe_virtual_service(**m, virtualServiceName=name)["virtualService"][
            "spec"
        ]["provider"]["virtualRouter"]["virtualRouterName"]
        lines.append(f"  service {name}  provided by router {provider}")
        for route_ref in client.list_routes(**m, virtualRouterName=provider)["routes"]:
            spec = client.describe_route(
                **m, virtualRouterName=provider, routeName=route_ref["routeName"]
            )["route"]["spec"]
            split = ", ".join(
                f"{t['virtualNode']} {t['weight']}%"
                for t in spec["httpRoute"]["action"]["weightedTargets"]
            )
            retries = spec["httpRoute"]["retryPolicy"]["maxRetries"]
            lines.append(
                f"    route {route_ref['routeName']}  priority {spec['priority']}  "
                f"{spec['httpRoute']['match']['prefix']} -> {split}  ({retries} retries)"
            )

    for ref in client.list_virtual_nodes(**m)["virtualNodes"]:
        node = client.describe_virtual_node(**m, virtualNodeName=ref["virtualNodeName"])[
            "virtualNode"
        ]
        spec = node["spec"]
        backends = [b["virtualService"]["virtualServiceName"] for b in spec["backends"]]
        lines.append(
            f"  node {node['virtualNodeName']}  dns {spec['serviceDiscovery']['dns']['hostname']}"
            + (f"  calls {', '.join(backends)}" if backends else "")
        )
    return lines


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


@mock_appmesh
def main() -> None:
    client = boto3.client("appmesh", region_name="us-east-1")
    build(client)
    print("\n".join(summary(client)))
    print("\nRefused while in use:")
    print("\n".join(guard_demo(client)))


if __name__ == "__main__":
    main()
