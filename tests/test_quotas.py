"""Service quotas for every resource kind: LimitExceededException (400) and nothing changed;
TooManyTagsException for tags. Quotas are lowered per test with the fixture marker."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from assertions import expect_error
from botocore.config import Config
from realistic_specs import (
    gateway_route_spec,
    gateway_spec,
    http_route_spec,
    path_route_spec,
    router_spec,
)

from appmesh_mock import MockAppMesh

OWNER = "111111111111"
CONSUMER = "222222222222"


@pytest.fixture
def client(appmesh_mock: MockAppMesh) -> Any:
    """botocore retries LimitExceededException as throttling; one attempt keeps tests fast."""
    return boto3.client(
        "appmesh", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )


@pytest.fixture
def mesh(client: Any) -> Any:
    client.create_mesh(meshName="prod")
    return client


def _backends(count: int) -> dict[str, Any]:
    return {
        "backends": [
            {"virtualService": {"virtualServiceName": f"svc{i}.local"}} for i in range(count)
        ]
    }


def _targets(count: int) -> list[tuple[str, int]]:
    return [(f"n{i}", 1) for i in range(count)]


@pytest.mark.appmesh_mock(quotas={"meshes_per_account": 2})
def test_meshes_per_account(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_mesh(meshName="a")
    client.create_mesh(meshName="b")
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "meshes_per_account"):
        client.create_mesh(meshName="c")
    assert appmesh_mock.snapshot() == before
    # Another account has its own count; a delete frees a slot.
    other = boto3.client(
        "appmesh",
        region_name="us-east-1",
        aws_access_key_id=OWNER,
        aws_secret_access_key="secret",
    )
    other.create_mesh(meshName="c")
    client.delete_mesh(meshName="a")
    client.create_mesh(meshName="c")


@pytest.mark.appmesh_mock(quotas={"virtual_nodes_per_mesh": 2})
def test_virtual_nodes_per_mesh(mesh: Any, appmesh_mock: MockAppMesh) -> None:
    for name in ("a", "b"):
        mesh.create_virtual_node(meshName="prod", virtualNodeName=name, spec={})
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "virtual_nodes_per_mesh"):
        mesh.create_virtual_node(meshName="prod", virtualNodeName="c", spec={})
    assert appmesh_mock.snapshot() == before
    # The quota is per mesh.
    mesh.create_mesh(meshName="staging")
    mesh.create_virtual_node(meshName="staging", virtualNodeName="c", spec={})


@pytest.mark.appmesh_mock(quotas={"virtual_routers_per_mesh": 1})
def test_virtual_routers_per_mesh(mesh: Any, appmesh_mock: MockAppMesh) -> None:
    mesh.create_virtual_router(meshName="prod", virtualRouterName="a", spec=router_spec())
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "virtual_routers_per_mesh"):
        mesh.create_virtual_router(meshName="prod", virtualRouterName="b", spec=router_spec())
    assert appmesh_mock.snapshot() == before
    mesh.delete_virtual_router(meshName="prod", virtualRouterName="a")
    mesh.create_virtual_router(meshName="prod", virtualRouterName="b", spec=router_spec())


@pytest.mark.appmesh_mock(quotas={"virtual_services_per_mesh": 1})
def test_virtual_services_per_mesh(mesh: Any, appmesh_mock: MockAppMesh) -> None:
    mesh.create_virtual_service(meshName="prod", virtualServiceName="a.local", spec={})
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "virtual_services_per_mesh"):
        mesh.create_virtual_service(meshName="prod", virtualServiceName="b.local", spec={})
    assert appmesh_mock.snapshot() == before


def test_virtual_gateways_per_mesh_defaults_to_three(mesh: Any, appmesh_mock: MockAppMesh) -> None:
    for name in ("a", "b", "c"):
        mesh.create_virtual_gateway(meshName="prod", virtualGatewayName=name, spec=gateway_spec())
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "virtual_gateways_per_mesh"):
        mesh.create_virtual_gateway(meshName="prod", virtualGatewayName="d", spec=gateway_spec())
    assert appmesh_mock.snapshot() == before


@pytest.mark.appmesh_mock(quotas={"routes_per_virtual_router": 2})
def test_routes_per_virtual_router(mesh: Any, appmesh_mock: MockAppMesh) -> None:
    mesh.create_virtual_node(meshName="prod", virtualNodeName="vn", spec={})
    for router in ("a", "b"):
        mesh.create_virtual_router(meshName="prod", virtualRouterName=router, spec=router_spec())
    for name in ("r1", "r2"):
        mesh.create_route(
            meshName="prod", virtualRouterName="a", routeName=name, spec=path_route_spec("vn")
        )
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "routes_per_virtual_router"):
        mesh.create_route(
            meshName="prod", virtualRouterName="a", routeName="r3", spec=path_route_spec("vn")
        )
    assert appmesh_mock.snapshot() == before
    # The quota is per router.
    mesh.create_route(
        meshName="prod", virtualRouterName="b", routeName="r3", spec=path_route_spec("vn")
    )


@pytest.mark.appmesh_mock(quotas={"gateway_routes_per_virtual_gateway": 1})
def test_gateway_routes_per_virtual_gateway(mesh: Any, appmesh_mock: MockAppMesh) -> None:
    mesh.create_virtual_service(meshName="prod", virtualServiceName="svc", spec={})
    for gateway in ("a", "b"):
        mesh.create_virtual_gateway(
            meshName="prod", virtualGatewayName=gateway, spec=gateway_spec()
        )
    mesh.create_gateway_route(
        meshName="prod",
        virtualGatewayName="a",
        gatewayRouteName="g1",
        spec=gateway_route_spec("svc"),
    )
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "gateway_routes_per_virtual_gateway"):
        mesh.create_gateway_route(
            meshName="prod",
            virtualGatewayName="a",
            gatewayRouteName="g2",
            spec=gateway_route_spec("svc"),
        )
    assert appmesh_mock.snapshot() == before
    mesh.create_gateway_route(
        meshName="prod",
        virtualGatewayName="b",
        gatewayRouteName="g2",
        spec=gateway_route_spec("svc"),
    )


@pytest.mark.appmesh_mock(quotas={"backends_per_virtual_node": 3})
def test_backends_per_virtual_node_on_create_and_update(
    mesh: Any, appmesh_mock: MockAppMesh
) -> None:
    mesh.create_virtual_node(meshName="prod", virtualNodeName="vn", spec=_backends(3))
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "backends"):
        mesh.create_virtual_node(meshName="prod", virtualNodeName="vn2", spec=_backends(4))
    with expect_error("LimitExceededException", "backends"):
        mesh.update_virtual_node(meshName="prod", virtualNodeName="vn", spec=_backends(4))
    assert appmesh_mock.snapshot() == before


def test_backends_per_virtual_node_defaults_to_fifty(mesh: Any, appmesh_mock: MockAppMesh) -> None:
    mesh.create_virtual_node(meshName="prod", virtualNodeName="vn", spec=_backends(50))
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException"):
        mesh.update_virtual_node(meshName="prod", virtualNodeName="vn", spec=_backends(51))
    assert appmesh_mock.snapshot() == before


@pytest.mark.appmesh_mock(quotas={"weighted_targets_per_route": 2})
def test_weighted_targets_per_route_on_create_and_update(
    mesh: Any, appmesh_mock: MockAppMesh
) -> None:
    for name, _ in _targets(3):
        mesh.create_virtual_node(meshName="prod", virtualNodeName=name, spec={})
    mesh.create_virtual_router(meshName="prod", virtualRouterName="vr", spec=router_spec())
    args = {"meshName": "prod", "virtualRouterName": "vr"}
    mesh.create_route(**args, routeName="r", spec=http_route_spec(_targets(2)))
    before = appmesh_mock.snapshot()
    with expect_error("LimitExceededException", "weighted targets"):
        mesh.create_route(**args, routeName="r2", spec=http_route_spec(_targets(3)))
    with expect_error("LimitExceededException", "weighted targets"):
        mesh.update_route(**args, routeName="r", spec=http_route_spec(_targets(3)))
    assert appmesh_mock.snapshot() == before


@pytest.mark.appmesh_mock(quotas={"tags_per_resource": 1})
def test_tags_per_resource_is_too_many_tags(mesh: Any, appmesh_mock: MockAppMesh) -> None:
    before = appmesh_mock.snapshot()
    with expect_error("TooManyTagsException"):
        mesh.create_virtual_router(
            meshName="prod",
            virtualRouterName="vr",
            spec={},
            tags=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}],
        )
    assert appmesh_mock.snapshot() == before


@pytest.mark.appmesh_mock(quotas={"virtual_nodes_per_mesh": 2})
def test_a_mesh_quota_counts_every_account_in_a_shared_mesh(appmesh_mock: MockAppMesh) -> None:
    def client_for(account: str) -> Any:
        return boto3.client(
            "appmesh",
            region_name="us-east-1",
            aws_access_key_id=account,
            aws_secret_access_key="secret",
            config=Config(retries={"total_max_attempts": 1}),
        )

    owner, consumer = client_for(OWNER), client_for(CONSUMER)
    owner.create_mesh(meshName="shared")
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    owner.create_virtual_node(meshName="shared", virtualNodeName="o", spec={})
    consumer.create_virtual_node(meshName="shared", meshOwner=OWNER, virtualNodeName="c", spec={})
    with expect_error("LimitExceededException"):
        owner.create_virtual_node(meshName="shared", virtualNodeName="o2", spec={})
    with expect_error("LimitExceededException"):
        consumer.create_virtual_node(
            meshName="shared", meshOwner=OWNER, virtualNodeName="c2", spec={}
        )
