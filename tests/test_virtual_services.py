"""Virtual services through the default client: providers must exist, gateway routes hold on."""

from __future__ import annotations

from typing import Any

import pytest
from assertions import check_metadata, expect_error
from realistic_specs import gateway_route_spec, gateway_spec, node_spec, router_spec, service_spec

from appmesh_mock import MockAppMesh

ARN = "arn:aws:appmesh:us-east-1:123456789012:mesh/prod/virtualService/{}"
NAME = "colour.prod.svc.cluster.local"


@pytest.fixture
def client(appmesh_client: Any) -> Any:
    appmesh_client.create_mesh(meshName="prod")
    appmesh_client.create_virtual_node(meshName="prod", virtualNodeName="vn", spec=node_spec())
    appmesh_client.create_virtual_router(
        meshName="prod", virtualRouterName="vr", spec=router_spec()
    )
    return appmesh_client


@pytest.mark.parametrize(
    "spec",
    [service_spec(), service_spec(node="vn"), service_spec(router="vr")],
    ids=["no-provider", "node", "router"],
)
def test_create_and_describe_round_trip(client: Any, spec: dict[str, Any]) -> None:
    created = client.create_virtual_service(meshName="prod", virtualServiceName=NAME, spec=spec)[
        "virtualService"
    ]
    assert created["spec"] == spec
    assert created["virtualServiceName"] == NAME
    assert created["meshName"] == "prod"
    assert created["status"] == {"status": "ACTIVE"}
    check_metadata(created["metadata"], ARN.format(NAME))
    described = client.describe_virtual_service(meshName="prod", virtualServiceName=NAME)
    assert described["virtualService"] == created


def test_update_switches_the_provider(client: Any) -> None:
    client.create_virtual_service(meshName="prod", virtualServiceName=NAME, spec=service_spec())
    updated = client.update_virtual_service(
        meshName="prod", virtualServiceName=NAME, spec=service_spec(router="vr")
    )["virtualService"]
    assert updated["spec"] == service_spec(router="vr")
    check_metadata(updated["metadata"], ARN.format(NAME), version=2)
    updated = client.update_virtual_service(
        meshName="prod", virtualServiceName=NAME, spec=service_spec(node="vn")
    )["virtualService"]
    assert updated["metadata"]["version"] == 3
    # The router no longer provides anything and may go.
    client.delete_virtual_router(meshName="prod", virtualRouterName="vr")


def test_providers_must_exist(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_virtual_service(meshName="prod", virtualServiceName=NAME, spec=service_spec())
    before = appmesh_mock.snapshot()
    with expect_error("NotFoundException", "ghost-node"):
        client.create_virtual_service(
            meshName="prod", virtualServiceName="x.local", spec=service_spec(node="ghost-node")
        )
    with expect_error("NotFoundException", "ghost-router"):
        client.create_virtual_service(
            meshName="prod", virtualServiceName="x.local", spec=service_spec(router="ghost-router")
        )
    with expect_error("NotFoundException", "ghost-router"):
        client.update_virtual_service(
            meshName="prod", virtualServiceName=NAME, spec=service_spec(router="ghost-router")
        )
    assert appmesh_mock.snapshot() == before


def test_errors_change_nothing(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_virtual_service(meshName="prod", virtualServiceName=NAME, spec=service_spec())
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException", NAME):
        client.create_virtual_service(
            meshName="prod", virtualServiceName=NAME, spec=service_spec(node="vn")
        )
    with expect_error("NotFoundException", "nomesh"):
        client.create_virtual_service(meshName="nomesh", virtualServiceName="x", spec={})
    with expect_error("NotFoundException", "ghost"):
        client.update_virtual_service(meshName="prod", virtualServiceName="ghost", spec={})
    with expect_error("NotFoundException", "ghost"):
        client.delete_virtual_service(meshName="prod", virtualServiceName="ghost")
    with expect_error("NotFoundException", "ghost"):
        client.describe_virtual_service(meshName="prod", virtualServiceName="ghost")
    with expect_error("BadRequestException"):
        client.create_virtual_service(
            meshName="prod",
            virtualServiceName="x",
            spec={"provider": {"virtualNode": {"virtualNodeName": "n" * 256}}},
        )
    assert appmesh_mock.snapshot() == before


def test_client_token_replay_and_reuse(client: Any, appmesh_mock: MockAppMesh) -> None:
    args = {"meshName": "prod", "virtualServiceName": NAME, "clientToken": "vs_1"}
    first = client.create_virtual_service(**args, spec=service_spec(node="vn"))
    again = client.create_virtual_service(**args, spec=service_spec(node="vn"))
    assert again["virtualService"] == first["virtualService"]
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException"):
        client.create_virtual_service(**args, spec=service_spec(router="vr"))
    assert appmesh_mock.snapshot() == before


def test_delete_and_list(client: Any) -> None:
    names = ["b.local", "a.local", "c.local"]
    for name in names:
        client.create_virtual_service(meshName="prod", virtualServiceName=name, spec={})
    refs = client.list_virtual_services(meshName="prod")["virtualServices"]
    assert [r["virtualServiceName"] for r in refs] == names
    assert refs[1]["arn"] == ARN.format("a.local")
    assert refs[1]["meshOwner"] == refs[1]["resourceOwner"] == "123456789012"
    deleted = client.delete_virtual_service(meshName="prod", virtualServiceName="a.local")
    assert deleted["virtualService"]["status"] == {"status": "DELETED"}
    assert deleted["virtualService"]["spec"] == {}
    check_metadata(deleted["virtualService"]["metadata"], ARN.format("a.local"), version=2)
    refs = client.list_virtual_services(meshName="prod")["virtualServices"]
    assert [r["virtualServiceName"] for r in refs] == ["b.local", "c.local"]
    with expect_error("NotFoundException", "nomesh"):
        client.list_virtual_services(meshName="nomesh")


def test_a_service_targeted_by_a_gateway_route_cannot_be_deleted(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    client.create_virtual_service(meshName="prod", virtualServiceName=NAME, spec={})
    client.create_virtual_gateway(meshName="prod", virtualGatewayName="vg", spec=gateway_spec())
    client.create_gateway_route(
        meshName="prod",
        virtualGatewayName="vg",
        gatewayRouteName="gr",
        spec=gateway_route_spec(NAME),
    )
    before = appmesh_mock.snapshot()
    with expect_error("ResourceInUseException", "GATEWAY_ROUTE"):
        client.delete_virtual_service(meshName="prod", virtualServiceName=NAME)
    assert appmesh_mock.snapshot() == before
    client.delete_gateway_route(meshName="prod", virtualGatewayName="vg", gatewayRouteName="gr")
    client.delete_virtual_service(meshName="prod", virtualServiceName=NAME)
