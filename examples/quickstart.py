"""Build a small service mesh under the mock and print it.

Run it with `.venv/bin/python examples/quickstart.py`. No AWS account, credentials or network
are needed: every App Mesh call below is answered in-process by appmesh-mock.
"""

from __future__ import annotations

from typing import Any

import boto3

from appmesh_mock import mock_appmesh


def build_mesh(client: Any) -> None:
    """A mesh with two versions of a service behind a router that splits traffic 90/10."""
    client.create_mesh(meshName="shop")
    for version in ("v1", "v2"):
        client.create_virtual_node(
            meshName="shop",
            virtualNodeName=f"cart-{version}",
            spec={
                "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                "serviceDiscovery": {"dns": {"hostname": f"cart-{version}.shop.local"}},
            },
        )
    client.create_virtual_router(
        meshName="shop",
        virtualRouterName="cart-router",
        spec={"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]},
    )
    client.create_route(
        meshName="shop",
        virtualRouterName="cart-router",
        routeName="cart-route",
        spec={
            "httpRoute": {
                "match": {"prefix": "/"},
                "action": {
                    "weightedTargets": [
                        {"virtualNode": "cart-v1", "weight": 90},
                        {"virtualNode": "cart-v2", "weight": 10},
                    ]
                },
            }
        },
    )
    client.create_virtual_service(
        meshName="shop",
        virtualServiceName="cart.shop.local",
        spec={"provider": {"virtualRouter": {"virtualRouterName": "cart-router"}}},
    )


def print_mesh(client: Any, mesh_name: str) -> None:
    mesh = client.describe_mesh(meshName=mesh_name)["mesh"]
    print(f"mesh {mesh['meshName']}  ({mesh['metadata']['arn']})")
    for ref in client.list_virtual_nodes(meshName=mesh_name)["virtualNodes"]:
        node = client.describe_virtual_node(
            meshName=mesh_name, virtualNodeName=ref["virtualNodeName"]
        )["virtualNode"]
        hostname = node["spec"]["serviceDiscovery"]["dns"]["hostname"]
        print(f"  virtual node    {node['virtualNodeName']:<16} dns {hostname}")
    for ref in client.list_virtual_routers(meshName=mesh_name)["virtualRouters"]:
        router_name = ref["virtualRouterName"]
        print(f"  virtual router  {router_name}")
        routes = client.list_routes(meshName=mesh_name, virtualRouterName=router_name)["routes"]
        for route_ref in routes:
            route = client.describe_route(
                meshName=mesh_name,
                virtualRouterName=router_name,
                routeName=route_ref["routeName"],
            )["route"]
            http = route["spec"]["httpRoute"]
            split = ", ".join(
                f"{t['virtualNode']} {t['weight']}%" for t in http["action"]["weightedTargets"]
            )
            prefix = http["match"]["prefix"]
            print(f"    route         {route['routeName']:<16} {prefix} -> {split}")
    for ref in client.list_virtual_services(meshName=mesh_name)["virtualServices"]:
        service = client.describe_virtual_service(
            meshName=mesh_name, virtualServiceName=ref["virtualServiceName"]
        )["virtualService"]
        provider = service["spec"]["provider"]["virtualRouter"]["virtualRouterName"]
        print(f"  virtual service {service['virtualServiceName']:<16} -> router {provider}")


@mock_appmesh
def main() -> None:
    client = boto3.client("appmesh", region_name="us-east-1")
    build_mesh(client)
    print_mesh(client, "shop")


if __name__ == "__main__":
    main()
