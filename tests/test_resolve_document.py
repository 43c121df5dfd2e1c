"""The store's document (service/export.py, used by export(), the dashboard and resolve) gives
what a user reads back through list and describe calls: the shared format, both ways."""

from __future__ import annotations

from typing import Any

import boto3
from realistic_specs import (
    gateway_route_spec,
    gateway_spec,
    grpc_route_spec,
    http_route_spec,
    node_spec,
    router_spec,
    service_spec,
)
from state_document import state_document as read_back

from appmesh_mock import mock_appmesh
from appmesh_mock.service.export import export
from appmesh_mock.session import RUNTIME


def _rounded(value: Any) -> Any:
    """Times to the millisecond: boto3 hands them back as datetimes (microseconds)."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _by_arn(document: dict[str, Any]) -> list[Any]:
    def arn(item: dict[str, Any]) -> str:
        return str(next(v for k, v in item.items() if k != "tags")["metadata"]["arn"])

    return [_rounded(item) for item in sorted(document["resources"], key=arn)]


def test_builder_matches_list_and_describe() -> None:
    with mock_appmesh():
        client = boto3.client("appmesh", region_name="us-east-1")
        m = {"meshName": "shop"}
        client.create_mesh(**m, tags=[{"key": "team", "value": "web"}])
        client.create_virtual_node(**m, virtualNodeName="web-v1", spec=node_spec())
        client.create_virtual_node(**m, virtualNodeName="web-v2", spec=node_spec())
        client.create_virtual_node(**m, virtualNodeName="ledger", spec=node_spec(port=8080))
        client.create_virtual_router(**m, virtualRouterName="web", spec=router_spec())
        client.create_route(
            **m,
            virtualRouterName="web",
            routeName="split",
            spec=http_route_spec([("web-v1", 90), ("web-v2", 10)]),
        )
        client.create_virtual_router(**m, virtualRouterName="rpc", spec=router_spec("grpc"))
        client.create_route(
            **m, virtualRouterName="rpc", routeName="post", spec=grpc_route_spec("ledger")
        )
        client.create_virtual_service(
            **m,
            virtualServiceName="web.local",
            spec=service_spec(router="web"),
            tags=[{"key": "tier", "value": "front"}],
        )
        client.create_virtual_gateway(**m, virtualGatewayName="edge", spec=gateway_spec(8080))
        client.create_gateway_route(
            **m,
            virtualGatewayName="edge",
            gatewayRouteName="web",
            spec=gateway_route_spec("web.local"),
        )
        built = export(RUNTIME.dispatcher.store)
        assert _by_arn(built) == _by_arn(read_back(client))
        assert len(built["resources"]) == 11
        assert next(iter(built["resources"][0])) == "mesh"
