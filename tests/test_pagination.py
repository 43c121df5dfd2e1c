"""boto3 paginators for all eight list operations, and the tokens and limits they rely on."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from assertions import expect_error
from botocore.config import Config
from realistic_specs import gateway_route_spec, gateway_spec, path_route_spec, router_spec

from appmesh_mock import MockAppMesh

COUNT = 7  # with pages of 2: three full pages and a short one
NAMES = [f"item-{i}" for i in (5, 0, 3, 6, 1, 4, 2)]  # creation order is not name order
MESH = {"meshName": "prod"}


def _populate(client: Any) -> dict[str, tuple[dict[str, Any], str, str]]:
    """COUNT resources of every listed kind; returns operation -> (args, list key, name key)."""
    for name in NAMES:
        client.create_mesh(meshName=name)
    client.create_mesh(meshName="prod", tags=[{"key": n, "value": "v"} for n in NAMES])
    client.create_virtual_node(**MESH, virtualNodeName="target", spec={})
    client.create_virtual_router(**MESH, virtualRouterName="router", spec=router_spec())
    client.create_virtual_gateway(**MESH, virtualGatewayName="gateway", spec=gateway_spec())
    client.create_virtual_service(**MESH, virtualServiceName="target.local", spec={})
    for name in NAMES:
        client.create_virtual_node(**MESH, virtualNodeName=name, spec={})
        client.create_virtual_router(**MESH, virtualRouterName=name, spec=router_spec())
        client.create_virtual_service(**MESH, virtualServiceName=name, spec={})
        client.create_route(
            **MESH, virtualRouterName="router", routeName=name, spec=path_route_spec("target")
        )
        client.create_gateway_route(
            **MESH,
            virtualGatewayName="gateway",
            gatewayRouteName=name,
            spec=gateway_route_spec("target.local"),
        )
    extra_gateways = [n for n in NAMES if n not in ("item-5",)][:2]  # quota: 3 per mesh
    for name in extra_gateways:
        client.create_virtual_gateway(**MESH, virtualGatewayName=name, spec=gateway_spec())
    mesh_arn = client.describe_mesh(**MESH)["mesh"]["metadata"]["arn"]
    return {
        "list_meshes": ({}, "meshes", "meshName"),
        "list_virtual_nodes": (MESH, "virtualNodes", "virtualNodeName"),
        "list_virtual_routers": (MESH, "virtualRouters", "virtualRouterName"),
        "list_virtual_services": (MESH, "virtualServices", "virtualServiceName"),
        "list_virtual_gateways": (MESH, "virtualGateways", "virtualGatewayName"),
        "list_routes": ({**MESH, "virtualRouterName": "router"}, "routes", "routeName"),
        "list_gateway_routes": (
            {**MESH, "virtualGatewayName": "gateway"},
            "gatewayRoutes",
            "gatewayRouteName",
        ),
        "list_tags_for_resource": ({"resourceArn": mesh_arn}, "tags", "key"),
    }


EXPECTED = {
    "list_meshes": [*NAMES, "prod"],
    "list_virtual_nodes": ["target", *NAMES],
    "list_virtual_routers": ["router", *NAMES],
    "list_virtual_services": ["target.local", *NAMES],
    "list_virtual_gateways": ["gateway", "item-0", "item-3"],
    "list_routes": NAMES,
    "list_gateway_routes": NAMES,
    "list_tags_for_resource": NAMES,
}


@pytest.fixture
def listings(appmesh_client: Any) -> dict[str, tuple[dict[str, Any], str, str]]:
    return _populate(appmesh_client)


@pytest.mark.parametrize("operation", sorted(EXPECTED))
def test_paginators_return_everything_once_in_creation_order(
    appmesh_client: Any, listings: Any, operation: str
) -> None:
    args, key, name_key = listings[operation]
    paginator = appmesh_client.get_paginator(operation)
    for page_size in (1, 2, 50):
        pages = list(paginator.paginate(**args, PaginationConfig={"PageSize": page_size}))
        names = [item[name_key] for page in pages for item in page[key]]
        assert names == EXPECTED[operation]
        assert len(pages) == -(-len(names) // page_size)
        assert all(len(page[key]) <= page_size for page in pages)
        assert "nextToken" not in pages[-1]


def test_max_items_resumes_where_it_stopped(appmesh_client: Any, listings: Any) -> None:
    paginator = appmesh_client.get_paginator("list_virtual_nodes")
    first = paginator.paginate(**MESH, PaginationConfig={"MaxItems": 3, "PageSize": 2})
    head = first.build_full_result()
    rest = paginator.paginate(
        **MESH, PaginationConfig={"StartingToken": head["NextToken"], "PageSize": 2}
    ).build_full_result()
    names = [n["virtualNodeName"] for n in head["virtualNodes"] + rest["virtualNodes"]]
    assert names == EXPECTED["list_virtual_nodes"]


def test_a_page_token_survives_deletes_and_creates(appmesh_client: Any, listings: Any) -> None:
    page = appmesh_client.list_virtual_services(**MESH, limit=3)
    seen = [s["virtualServiceName"] for s in page["virtualServices"]]
    assert seen == ["target.local", "item-5", "item-0"]
    appmesh_client.delete_virtual_service(**MESH, virtualServiceName="item-0")  # already seen
    appmesh_client.delete_virtual_service(**MESH, virtualServiceName="item-6")  # not yet seen
    appmesh_client.create_virtual_service(**MESH, virtualServiceName="late", spec={})
    rest = appmesh_client.list_virtual_services(**MESH, nextToken=page["nextToken"])
    assert [s["virtualServiceName"] for s in rest["virtualServices"]] == [
        "item-3",
        "item-1",
        "item-4",
        "item-2",
        "late",
    ]


def test_tokens_fit_only_the_listing_that_issued_them(
    appmesh_client: Any, listings: Any, appmesh_mock: MockAppMesh
) -> None:
    before = appmesh_mock.snapshot()
    nodes_token = appmesh_client.list_virtual_nodes(**MESH, limit=1)["nextToken"]
    with expect_error("BadRequestException", "nextToken"):
        appmesh_client.list_virtual_routers(**MESH, nextToken=nodes_token)
    with expect_error("BadRequestException", "nextToken"):
        appmesh_client.list_meshes(nextToken=nodes_token)
    # The same operation on another mesh.
    appmesh_client.create_virtual_node(meshName="item-0", virtualNodeName="x", spec={})
    with expect_error("BadRequestException", "nextToken"):
        appmesh_client.list_virtual_nodes(meshName="item-0", nextToken=nodes_token)
    # Routes of another router, tags of another resource.
    routes_token = appmesh_client.list_routes(**MESH, virtualRouterName="router", limit=1)[
        "nextToken"
    ]
    with expect_error("BadRequestException", "nextToken"):
        appmesh_client.list_routes(**MESH, virtualRouterName="item-0", nextToken=routes_token)
    arn = listings["list_tags_for_resource"][0]["resourceArn"]
    tags_token = appmesh_client.list_tags_for_resource(resourceArn=arn, limit=1)["nextToken"]
    other = appmesh_client.create_mesh(
        meshName="tagged", tags=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]
    )["mesh"]["metadata"]["arn"]
    with expect_error("BadRequestException", "nextToken"):
        appmesh_client.list_tags_for_resource(resourceArn=other, nextToken=tags_token)
    # Another account's listing of the same name.
    stranger = boto3.client(
        "appmesh",
        region_name="us-east-1",
        aws_access_key_id="999999999999",
        aws_secret_access_key="secret",
    )
    stranger.create_mesh(meshName="a")
    stranger.create_mesh(meshName="b")
    mesh_token = appmesh_client.list_meshes(limit=1)["nextToken"]
    with expect_error("BadRequestException", "nextToken"):
        stranger.list_meshes(nextToken=mesh_token)
    appmesh_client.delete_virtual_node(meshName="item-0", virtualNodeName="x")
    appmesh_client.delete_mesh(meshName="tagged")
    assert appmesh_mock.snapshot() == before


@pytest.mark.parametrize(
    "token", ["garbage", "!!!", "eyJ4IjogMX0=", "WzEsMl0=", "bnVsbA==", "x" * 2000]
)
def test_garbage_tokens_are_bad_requests(appmesh_client: Any, listings: Any, token: str) -> None:
    with expect_error("BadRequestException"):
        appmesh_client.list_virtual_nodes(**MESH, nextToken=token)
    with expect_error("BadRequestException"):
        appmesh_client.list_meshes(nextToken=token)


def test_limits_out_of_range_are_bad_requests(appmesh_mock: MockAppMesh) -> None:
    # botocore checks only limit >= 1; without client validation 0 reaches the mock too.
    client = boto3.client(
        "appmesh", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    listings = _populate(client)
    before = appmesh_mock.snapshot()
    for operation, (args, _, _) in listings.items():
        high = 51 if operation == "list_tags_for_resource" else 101
        for limit in (0, -1, high):
            with expect_error("BadRequestException", "limit"):
                getattr(client, operation)(**args, limit=limit)
        # The top of the range is fine.
        getattr(client, operation)(**args, limit=high - 1)
    assert appmesh_mock.snapshot() == before
