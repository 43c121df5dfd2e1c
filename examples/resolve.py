"""Where does a request go? A catalog service behind an ingress gateway, with a canary split
and a header route for beta testers, built under the mock; then three requests resolved.

    internet -> virtual gateway "ingress" --(gateway route /catalog/)--> virtual service
    catalog.shop.local --(provided by)--> virtual router "catalog" -->
        route "beta-testers" (priority 0, header x-beta-tester: true) -> catalog-v2
        route "canary" (priority 10, prefix /) -> catalog-v1 90%, catalog-v2 10%

A "frontend" node calls the catalog as a backend. The rules `resolve` applies, with their
sources, are in docs/routing.md. Run it with `.venv/bin/python examples/resolve.py`; no AWS
account, credentials or network are needed.
"""

from __future__ import annotations

import textwrap
from typing import Any

import boto3

from appmesh_mock import mock_appmesh

MESH = "shop"
CATALOG = "catalog.shop.local"


def node(hostname: str, backends: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
        "serviceDiscovery": {"dns": {"hostname": hostname}},
        "backends": [{"virtualService": {"virtualServiceName": b}} for b in backends],
    }


def build(client: Any) -> None:
    m = {"meshName": MESH}
    client.create_mesh(**m, spec={"egressFilter": {"type": "DROP_ALL"}})
    for version in ("v1", "v2"):
        client.create_virtual_node(
            **m, virtualNodeName=f"catalog-{version}", spec=node(f"catalog-{version}.shop.svc")
        )
    client.create_virtual_node(
        **m, virtualNodeName="frontend", spec=node("frontend.shop.svc", backends=(CATALOG,))
    )
    client.create_virtual_router(
        **m,
        virtualRouterName="catalog",
        spec={"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]},
    )
    # Priority 0 is the highest: the header route is tried before the canary split.
    client.create_route(
        **m,
        virtualRouterName="catalog",
        routeName="beta-testers",
        spec={
            "priority": 0,
            "httpRoute": {
                "match": {
                    "prefix": "/",
                    "headers": [{"name": "x-beta-tester", "match": {"exact": "true"}}],
                },
                "action": {"weightedTargets": [{"virtualNode": "catalog-v2", "weight": 1}]},
            },
        },
    )
    client.create_route(
        **m,
        virtualRouterName="catalog",
        routeName="canary",
        spec={
            "priority": 10,
            "httpRoute": {
                "match": {"prefix": "/"},
                "action": {
                    "weightedTargets": [
                        {"virtualNode": "catalog-v1", "weight": 90},
                        {"virtualNode": "catalog-v2", "weight": 10},
                    ]
                },
            },
        },
    )
    client.create_virtual_service(
        **m,
        virtualServiceName=CATALOG,
        spec={"provider": {"virtualRouter": {"virtualRouterName": "catalog"}}},
    )
    client.create_virtual_gateway(
        **m,
        virtualGatewayName="ingress",
        spec={"listeners": [{"portMapping": {"port": 8443, "protocol": "http"}}]},
    )
    # By default the gateway rewrites the host to the service's name and /catalog/ to /.
    client.create_gateway_route(
        **m,
        virtualGatewayName="ingress",
        gatewayRouteName="catalog",
        spec={
            "httpRoute": {
                "match": {"prefix": "/catalog/"},
                "action": {"target": {"virtualService": {"virtualServiceName": CATALOG}}},
            }
        },
    )


def main() -> None:
    with mock_appmesh() as m:
        build(boto3.client("appmesh", region_name="us-east-1"))
        asks = [
            ("frontend calls the catalog", {"service": CATALOG, "source": "frontend"}),
            (
                "a beta tester's request",
                {
                    "service": CATALOG,
                    "source": "frontend",
                    "path": "/items",
                    "headers": {"x-beta-tester": "true"},
                },
            ),
            (
                "from the internet, through the ingress gateway",
                {"gateway": "ingress", "path": "/catalog/items/42", "host": "shop.example.com"},
            ),
        ]
        for title, request in asks:
            explanation = str(m.resolve(MESH, **request))
            wrapped = textwrap.fill(explanation, 96, initial_indent="  ", subsequent_indent="  ")
            print(f"{title}:\n{wrapped}\n")

if __name__ == "__main__":
    main()
