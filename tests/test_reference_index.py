"""The delete guards read a reverse index of who points at what: it must follow every create,
update and delete, and survive a save and restore, exactly as a walk over the mesh would."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from assertions import expect_error
from realistic_specs import (
    gateway_route_spec,
    gateway_spec,
    node_spec,
    path_route_spec,
    router_spec,
    service_spec,
)

from appmesh_mock import MockAppMesh, mock_appmesh
from appmesh_mock.backend.persistence import dump, load
from appmesh_mock.session import RUNTIME

M = {"meshName": "idx"}


@pytest.fixture
def client(appmesh_client: Any) -> Any:
    appmesh_client.create_mesh(**M)
    for name in ("a", "b"):
        appmesh_client.create_virtual_node(**M, virtualNodeName=name, spec=node_spec())
    appmesh_client.create_virtual_router(**M, virtualRouterName="vr", spec=router_spec())
    return appmesh_client


def test_a_retargeted_route_frees_its_old_node_and_holds_the_new(client: Any) -> None:
    client.create_route(**M, virtualRouterName="vr", routeName="r", spec=path_route_spec("a"))
    client.update_route(**M, virtualRouterName="vr", routeName="r", spec=path_route_spec("b"))
    with expect_error("ResourceInUseException", "target of one or more routes"):
        client.delete_virtual_node(**M, virtualNodeName="b")
    client.delete_virtual_node(**M, virtualNodeName="a")
    client.delete_route(**M, virtualRouterName="vr", routeName="r")
    client.delete_virtual_node(**M, virtualNodeName="b")


def test_a_node_stays_guarded_while_any_route_targets_it(client: Any) -> None:
    client.create_virtual_router(**M, virtualRouterName="vr2", spec=router_spec())
    for router in ("vr", "vr2"):
        client.create_route(**M, virtualRouterName=router, routeName="r", spec=path_route_spec("a"))
    client.delete_route(**M, virtualRouterName="vr", routeName="r")
    with expect_error("ResourceInUseException", "target of one or more routes"):
        client.delete_virtual_node(**M, virtualNodeName="a")
    client.delete_route(**M, virtualRouterName="vr2", routeName="r")
    client.delete_virtual_node(**M, virtualNodeName="a")


def test_switching_a_provider_moves_the_guard(client: Any) -> None:
    for name in ("one.local", "two.local"):
        client.create_virtual_service(**M, virtualServiceName=name, spec=service_spec(node="a"))
    # The first provided service in creation order is the one named.
    with expect_error("ResourceInUseException", "VirtualService one.local"):
        client.delete_virtual_node(**M, virtualNodeName="a")
    client.update_virtual_service(
        **M, virtualServiceName="one.local", spec=service_spec(router="vr")
    )
    with expect_error("ResourceInUseException", "VirtualService two.local"):
        client.delete_virtual_node(**M, virtualNodeName="a")
    with expect_error("ResourceInUseException", "VirtualService one.local"):
        client.delete_virtual_router(**M, virtualRouterName="vr")
    client.update_virtual_service(**M, virtualServiceName="two.local", spec=service_spec())
    client.delete_virtual_node(**M, virtualNodeName="a")
    client.delete_virtual_service(**M, virtualServiceName="one.local")
    client.delete_virtual_router(**M, virtualRouterName="vr")


def _gateway_route(client: Any, gateway: str, name: str, service: str) -> None:
    client.create_gateway_route(
        **M, virtualGatewayName=gateway, gatewayRouteName=name, spec=gateway_route_spec(service)
    )


def test_gateway_routes_are_named_by_gateway_then_route_and_follow_updates(client: Any) -> None:
    for name in ("s.local", "t.local"):
        client.create_virtual_service(**M, virtualServiceName=name, spec=service_spec())
    for gateway in ("g1", "g2"):
        client.create_virtual_gateway(**M, virtualGatewayName=gateway, spec=gateway_spec())
    _gateway_route(client, "g2", "r1", "s.local")
    _gateway_route(client, "g1", "r2", "s.local")
    _gateway_route(client, "g2", "r3", "s.local")
    with expect_error("ResourceInUseException", "GATEWAY_ROUTE: [g1/r2, g2/r1, g2/r3]"):
        client.delete_virtual_service(**M, virtualServiceName="s.local")
    for gateway, name in (("g1", "r2"), ("g2", "r3")):
        client.update_gateway_route(
            **M, virtualGatewayName=gateway, gatewayRouteName=name,
            spec=gateway_route_spec("t.local"),
        )
    with expect_error("ResourceInUseException", "GATEWAY_ROUTE: [g2/r1]"):
        client.delete_virtual_service(**M, virtualServiceName="s.local")
    with expect_error("ResourceInUseException", "GATEWAY_ROUTE: [g1/r2, g2/r3]"):
        client.delete_virtual_service(**M, virtualServiceName="t.local")
    client.delete_gateway_route(**M, virtualGatewayName="g2", gatewayRouteName="r1")
    client.delete_virtual_service(**M, virtualServiceName="s.local")


def test_a_restored_store_keeps_every_guard(appmesh_mock: MockAppMesh) -> None:
    client = boto3.client("appmesh", region_name="us-east-1")
    client.create_mesh(**M)
    client.create_virtual_node(**M, virtualNodeName="a", spec=node_spec())
    client.create_virtual_node(**M, virtualNodeName="b", spec=node_spec())
    client.create_virtual_router(**M, virtualRouterName="vr", spec=router_spec())
    client.create_route(**M, virtualRouterName="vr", routeName="r", spec=path_route_spec("a"))
    client.create_virtual_service(**M, virtualServiceName="s.local", spec=service_spec(node="b"))
    client.create_virtual_gateway(**M, virtualGatewayName="g", spec=gateway_spec())
    _gateway_route(client, "g", "gr", "s.local")
    saved = dump(RUNTIME.store)

    with mock_appmesh():  # a nested mock shares the store: empty it, then restore into it
        RUNTIME.store.reset()
        with expect_error("NotFoundException"):
            client.delete_virtual_node(**M, virtualNodeName="a")
        load(RUNTIME.store, saved)
        with expect_error("ResourceInUseException", "target of one or more routes"):
            client.delete_virtual_node(**M, virtualNodeName="a")
        with expect_error("ResourceInUseException", "VirtualService s.local"):
            client.delete_virtual_node(**M, virtualNodeName="b")
        with expect_error("ResourceInUseException", "GATEWAY_ROUTE: [g/gr]"):
            client.delete_virtual_service(**M, virtualServiceName="s.local")
        # Tags name resources by ARN: that index is rebuilt too.
        arn = client.describe_virtual_node(**M, virtualNodeName="a")["virtualNode"]["metadata"]
        client.tag_resource(resourceArn=arn["arn"], tags=[{"key": "k", "value": "v"}])
        client.delete_route(**M, virtualRouterName="vr", routeName="r")
        client.delete_virtual_node(**M, virtualNodeName="a")
        client.delete_gateway_route(**M, virtualGatewayName="g", gatewayRouteName="gr")
        client.delete_virtual_service(**M, virtualServiceName="s.local")
        client.delete_virtual_node(**M, virtualNodeName="b")


OWNERS = ("111111111111", "222222222222")
CONSUMER = "333333333333"


def _client_for(account: str) -> Any:
    return boto3.client(
        "appmesh", region_name="us-east-1", aws_access_key_id=account,
        aws_secret_access_key="secret",
    )


def test_list_meshes_merges_own_and_shared_meshes_page_by_page(
    appmesh_mock: MockAppMesh,
) -> None:
    consumer = _client_for(CONSUMER)
    expected = []
    for k in range(9):  # interleaved: own, first owner's, second owner's, ...
        account = (CONSUMER, *OWNERS)[k % 3]
        _client_for(account).create_mesh(meshName=f"m{k}")
        if account != CONSUMER:
            appmesh_mock.share_mesh(f"m{k}", owner_account_id=account, consumer_account_id=CONSUMER)
        expected.append((f"m{k}", account))
    _client_for(OWNERS[0]).create_mesh(meshName="unshared")
    whole = consumer.list_meshes()["meshes"]
    assert [(m["meshName"], m["meshOwner"]) for m in whole] == expected
    for limit in (1, 2, 4):
        seen, token = [], None
        while True:
            page = consumer.list_meshes(limit=limit, **({"nextToken": token} if token else {}))
            assert len(page["meshes"]) <= limit
            seen += [(m["meshName"], m["meshOwner"]) for m in page["meshes"]]
            token = page.get("nextToken")
            if not token:
                break
        assert seen == expected
    appmesh_mock.unshare_mesh("m1", owner_account_id=OWNERS[0], consumer_account_id=CONSUMER)
    _client_for(OWNERS[1]).delete_mesh(meshName="m2")
    left = [(m["meshName"], m["meshOwner"]) for m in consumer.list_meshes()["meshes"]]
    assert left == [e for e in expected if e[0] not in ("m1", "m2")]
