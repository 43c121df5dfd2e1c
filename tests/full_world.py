"""A world with every resource kind, tags, two accounts and two regions, built through boto3:
the state the export and load tests carry across."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
import realistic_specs as specs

ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"
REGIONS = ("us-east-1", "eu-west-1")


@cache  # a client costs ~50 ms to make; the tests ask for the same few again and again
def client(account: str = ACCOUNT_A, region: str = "us-east-1") -> Any:
    return boto3.client(
        "appmesh",
        region_name=region,
        aws_access_key_id=account,
        aws_secret_access_key="secret",
    )


def build_mesh(appmesh: Any, mesh: str, tag: str) -> None:
    """One mesh holding each of the seven kinds, some of them tagged."""
    tags = [{"key": "team", "value": tag}, {"key": "env", "value": "prod"}]
    m = {"meshName": mesh}
    appmesh.create_mesh(
        meshName=mesh, spec={"egressFilter": {"type": "ALLOW_ALL"}}, tags=tags
    )
    appmesh.create_virtual_node(**m, virtualNodeName="red", spec=specs.node_spec(), tags=tags)
    appmesh.create_virtual_node(**m, virtualNodeName="blue", spec=specs.cloud_map_node_spec())
    appmesh.create_virtual_router(**m, virtualRouterName="colour", spec=specs.router_spec())
    appmesh.create_route(
        **m,
        virtualRouterName="colour",
        routeName="split",
        spec=specs.http_route_spec([("red", 3), ("blue", 1)]),
        tags=[{"key": "owner", "value": tag}],
    )
    appmesh.create_route(
        **m, virtualRouterName="colour", routeName="health", spec=specs.path_route_spec("red")
    )
    appmesh.create_virtual_service(
        **m, virtualServiceName="colour.local", spec=specs.service_spec(router="colour")
    )
    appmesh.create_virtual_service(
        **m, virtualServiceName="red.local", spec=specs.service_spec(node="red"), tags=tags
    )
    appmesh.create_virtual_gateway(**m, virtualGatewayName="edge", spec=specs.gateway_spec())
    appmesh.create_gateway_route(
        **m,
        virtualGatewayName="edge",
        gatewayRouteName="shop",
        spec=specs.gateway_route_spec("colour.local"),
        tags=[{"key": "owner", "value": tag}],
    )
    appmesh.update_virtual_node(**m, virtualNodeName="blue", spec=specs.cloud_map_node_spec())


def build_world() -> None:
    """Two accounts in two regions; account A's second region holds a second mesh."""
    for account in (ACCOUNT_A, ACCOUNT_B):
        for region in REGIONS:
            build_mesh(client(account, region), f"shop-{account[:4]}", tag=f"{account}-{region}")
    build_mesh(client(ACCOUNT_A, "eu-west-1"), "lab", tag="lab")
