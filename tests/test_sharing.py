"""Accounts and shared meshes: resources are keyed by owner account; `meshOwner` reaches a mesh
another account shared (through `MockAppMesh.share_mesh`, standing in for AWS RAM)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from assertions import check_metadata, expect_error
from realistic_specs import (
    gateway_route_spec,
    gateway_spec,
    node_spec,
    path_route_spec,
    router_spec,
    service_spec,
)

from appmesh_mock import MockAppMesh, mock_appmesh

OWNER = "111111111111"
CONSUMER = "222222222222"
STRANGER = "333333333333"
MESH_ARN = "arn:aws:appmesh:us-east-1:{}:mesh/{}"


def client_for(account: str) -> Any:
    """A client whose 12-digit access key ID selects the account, as the mock documents."""
    return boto3.client(
        "appmesh",
        region_name="us-east-1",
        aws_access_key_id=account,
        aws_secret_access_key="secret",
    )


# Accounts -----------------------------------------------------------------------------------


def test_a_twelve_digit_access_key_selects_the_account(appmesh_mock: MockAppMesh) -> None:
    owner = client_for(OWNER)
    mesh = owner.create_mesh(meshName="prod")["mesh"]
    check_metadata(mesh["metadata"], MESH_ARN.format(OWNER, "prod"), owner=OWNER)
    node = owner.create_virtual_node(meshName="prod", virtualNodeName="vn", spec={})
    check_metadata(
        node["virtualNode"]["metadata"],
        MESH_ARN.format(OWNER, "prod") + "/virtualNode/vn",
        owner=OWNER,
    )
    assert list(appmesh_mock.snapshot(account_id=OWNER)["meshes"]) == ["prod"]
    # The default account (another access key) sees none of it.
    default = boto3.client("appmesh", region_name="us-east-1")
    assert default.list_meshes()["meshes"] == []
    assert appmesh_mock.snapshot() == {"meshes": {}}


def test_two_accounts_may_own_meshes_of_the_same_name(appmesh_mock: MockAppMesh) -> None:
    a = client_for(OWNER).create_mesh(meshName="prod")["mesh"]
    b = client_for(CONSUMER).create_mesh(meshName="prod")["mesh"]
    assert a["metadata"]["arn"] != b["metadata"]["arn"]
    assert a["metadata"]["uid"] != b["metadata"]["uid"]
    client_for(OWNER).delete_mesh(meshName="prod")
    assert client_for(CONSUMER).describe_mesh(meshName="prod")["mesh"]["status"] == {
        "status": "ACTIVE"
    }


def test_mock_account_id_option_fixes_the_account() -> None:
    with mock_appmesh(account_id="444455556666") as mock:
        client = boto3.client("appmesh", region_name="us-east-1")
        mesh = client.create_mesh(meshName="prod")["mesh"]
        assert mesh["metadata"]["meshOwner"] == "444455556666"
        assert mesh["metadata"]["arn"] == MESH_ARN.format("444455556666", "prod")
        # Even a 12-digit access key does not override the fixed account.
        assert [m["meshName"] for m in client_for(OWNER).list_meshes()["meshes"]] == ["prod"]
        assert list(mock.snapshot(account_id="444455556666")["meshes"]) == ["prod"]


@pytest.mark.appmesh_mock(account_id="777788889999")
def test_the_fixture_marker_sets_the_account(appmesh_client: Any) -> None:
    mesh = appmesh_client.create_mesh(meshName="prod")["mesh"]
    assert mesh["metadata"]["resourceOwner"] == "777788889999"


# Sharing ------------------------------------------------------------------------------------


@pytest.fixture
def owner(appmesh_mock: MockAppMesh) -> Any:
    """OWNER's mesh `shared` with a node, a router with a route, a service and a gateway."""
    client = client_for(OWNER)
    client.create_mesh(meshName="shared")
    m = {"meshName": "shared"}
    client.create_virtual_node(**m, virtualNodeName="owner-node", spec=node_spec())
    client.create_virtual_router(**m, virtualRouterName="owner-router", spec=router_spec())
    client.create_route(
        **m, virtualRouterName="owner-router", routeName="r", spec=path_route_spec("owner-node")
    )
    client.create_virtual_service(
        **m, virtualServiceName="svc.local", spec=service_spec(router="owner-router")
    )
    client.create_virtual_gateway(**m, virtualGatewayName="owner-gw", spec=gateway_spec())
    return client


def _everything(mock: MockAppMesh) -> dict[str, Any]:
    return {account: mock.snapshot(account_id=account) for account in (OWNER, CONSUMER)}


def test_an_unshared_mesh_is_not_found(owner: Any, appmesh_mock: MockAppMesh) -> None:
    consumer = client_for(CONSUMER)
    before = _everything(appmesh_mock)
    shared = {"meshName": "shared", "meshOwner": OWNER}
    with expect_error("NotFoundException", "shared"):
        consumer.describe_mesh(**shared)
    with expect_error("NotFoundException"):
        consumer.list_virtual_nodes(**shared)
    with expect_error("NotFoundException"):
        consumer.describe_virtual_node(**shared, virtualNodeName="owner-node")
    with expect_error("NotFoundException"):
        consumer.create_virtual_node(**shared, virtualNodeName="mine", spec={})
    with expect_error("NotFoundException"):
        consumer.delete_virtual_node(**shared, virtualNodeName="owner-node")
    # Without meshOwner the consumer means its own account, which has no such mesh.
    with expect_error("NotFoundException"):
        consumer.describe_mesh(meshName="shared")
    assert [m["meshName"] for m in consumer.list_meshes()["meshes"]] == []
    assert _everything(appmesh_mock) == before


def test_a_consumer_reads_everything_in_a_shared_mesh(
    owner: Any, appmesh_mock: MockAppMesh
) -> None:
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    shared = {"meshName": "shared", "meshOwner": OWNER}
    mesh = consumer.describe_mesh(**shared)["mesh"]
    assert mesh == owner.describe_mesh(meshName="shared")["mesh"]
    check_metadata(mesh["metadata"], MESH_ARN.format(OWNER, "shared"), owner=OWNER)
    nodes = consumer.list_virtual_nodes(**shared)["virtualNodes"]
    assert [(n["virtualNodeName"], n["meshOwner"], n["resourceOwner"]) for n in nodes] == [
        ("owner-node", OWNER, OWNER)
    ]
    seen = consumer.describe_virtual_node(**shared, virtualNodeName="owner-node")
    expected = owner.describe_virtual_node(meshName="shared", virtualNodeName="owner-node")
    assert seen["virtualNode"] == expected["virtualNode"]
    assert [
        r["routeName"]
        for r in consumer.list_routes(**shared, virtualRouterName="owner-router")["routes"]
    ] == ["r"]
    assert [
        s["virtualServiceName"] for s in consumer.list_virtual_services(**shared)["virtualServices"]
    ] == ["svc.local"]
    assert [
        g["virtualGatewayName"] for g in consumer.list_virtual_gateways(**shared)["virtualGateways"]
    ] == ["owner-gw"]
    # Naming one's own account as meshOwner is the same as leaving it out.
    assert owner.describe_mesh(meshName="shared", meshOwner=OWNER)["mesh"] == mesh


def test_list_meshes_of_a_consumer_includes_shared_meshes(
    owner: Any, appmesh_mock: MockAppMesh
) -> None:
    consumer = client_for(CONSUMER)
    consumer.create_mesh(meshName="own")
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    refs = consumer.list_meshes()["meshes"]
    # Creation order across accounts: the owner's mesh came first.
    assert [(r["meshName"], r["meshOwner"], r["resourceOwner"]) for r in refs] == [
        ("shared", OWNER, OWNER),
        ("own", CONSUMER, CONSUMER),
    ]
    # The owner's listing is unchanged, a stranger sees nothing.
    assert [r["meshName"] for r in owner.list_meshes()["meshes"]] == ["shared"]
    assert client_for(STRANGER).list_meshes()["meshes"] == []
    page = consumer.list_meshes(limit=1)
    assert [r["meshName"] for r in page["meshes"]] == ["shared"]
    rest = consumer.list_meshes(limit=1, nextToken=page["nextToken"])
    assert [r["meshName"] for r in rest["meshes"]] == ["own"]


def test_a_consumer_creates_its_own_resources_in_a_shared_mesh(
    owner: Any, appmesh_mock: MockAppMesh
) -> None:
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    shared = {"meshName": "shared", "meshOwner": OWNER}
    node = consumer.create_virtual_node(**shared, virtualNodeName="mine", spec=node_spec())[
        "virtualNode"
    ]
    # The resource is the consumer's: its ARN carries the consumer's account (as the App Mesh
    # user guide's shared-mesh examples show), the mesh stays the owner's.
    check_metadata(
        node["metadata"],
        f"arn:aws:appmesh:us-east-1:{CONSUMER}:mesh/shared/virtualNode/mine",
        owner=OWNER,
        resource_owner=CONSUMER,
    )
    router = consumer.create_virtual_router(**shared, virtualRouterName="mine", spec=router_spec())[
        "virtualRouter"
    ]
    assert router["metadata"]["resourceOwner"] == CONSUMER
    route = consumer.create_route(
        **shared, virtualRouterName="mine", routeName="r", spec=path_route_spec("owner-node")
    )["route"]
    assert (route["metadata"]["meshOwner"], route["metadata"]["resourceOwner"]) == (
        OWNER,
        CONSUMER,
    )
    service = consumer.create_virtual_service(
        **shared, virtualServiceName="mine.local", spec=service_spec(node="mine")
    )["virtualService"]
    assert service["metadata"]["resourceOwner"] == CONSUMER
    # The owner sees the consumer's resources in its mesh, and they are in the owner's store.
    refs = owner.list_virtual_nodes(meshName="shared")["virtualNodes"]
    assert [(r["virtualNodeName"], r["resourceOwner"]) for r in refs] == [
        ("owner-node", OWNER),
        ("mine", CONSUMER),
    ]
    assert "mine" in appmesh_mock.snapshot(account_id=OWNER)["meshes"]["shared"]["virtualNodes"]
    assert appmesh_mock.snapshot(account_id=CONSUMER) == {"meshes": {}}
    # The consumer updates and tags what it created.
    updated = consumer.update_virtual_node(**shared, virtualNodeName="mine", spec={})
    assert updated["virtualNode"]["metadata"]["version"] == 2
    consumer.tag_resource(resourceArn=node["metadata"]["arn"], tags=[{"key": "k", "value": "v"}])
    assert consumer.list_tags_for_resource(resourceArn=node["metadata"]["arn"])["tags"] == [
        {"key": "k", "value": "v"}
    ]
    # While the consumer's resources live in it, the owner cannot delete the mesh.
    with expect_error("ResourceInUseException"):
        owner.delete_mesh(meshName="shared")


def test_a_consumer_cannot_change_the_owners_resources(
    owner: Any, appmesh_mock: MockAppMesh
) -> None:
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    shared = {"meshName": "shared", "meshOwner": OWNER}
    owner.delete_virtual_service(meshName="shared", virtualServiceName="svc.local")
    before = _everything(appmesh_mock)
    with expect_error("ForbiddenException"):
        consumer.update_virtual_node(**shared, virtualNodeName="owner-node", spec={})
    with expect_error("ForbiddenException"):
        consumer.update_virtual_router(**shared, virtualRouterName="owner-router", spec={})
    with expect_error("ForbiddenException"):
        consumer.update_route(
            **shared,
            virtualRouterName="owner-router",
            routeName="r",
            spec=path_route_spec("owner-node"),
        )
    with expect_error("ForbiddenException"):
        consumer.update_virtual_gateway(
            **shared, virtualGatewayName="owner-gw", spec=gateway_spec(port=8443)
        )
    with expect_error("ForbiddenException"):
        consumer.delete_route(**shared, virtualRouterName="owner-router", routeName="r")
    with expect_error("ForbiddenException"):
        consumer.delete_virtual_gateway(**shared, virtualGatewayName="owner-gw")
    arn = owner.describe_virtual_node(meshName="shared", virtualNodeName="owner-node")[
        "virtualNode"
    ]["metadata"]["arn"]
    with expect_error("ForbiddenException"):
        consumer.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
    with expect_error("ForbiddenException"):
        consumer.untag_resource(resourceArn=arn, tagKeys=["k"])
    with expect_error("ForbiddenException"):
        consumer.list_tags_for_resource(resourceArn=arn)
    assert _everything(appmesh_mock) == before


def test_only_the_owner_creates_gateways_and_gateway_routes(
    owner: Any, appmesh_mock: MockAppMesh
) -> None:
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    shared = {"meshName": "shared", "meshOwner": OWNER}
    before = _everything(appmesh_mock)
    with expect_error("ForbiddenException"):
        consumer.create_virtual_gateway(**shared, virtualGatewayName="mine", spec=gateway_spec())
    with expect_error("ForbiddenException"):
        consumer.create_gateway_route(
            **shared,
            virtualGatewayName="owner-gw",
            gatewayRouteName="gr",
            spec=gateway_route_spec("svc.local"),
        )
    assert _everything(appmesh_mock) == before
    owner.create_gateway_route(
        meshName="shared",
        virtualGatewayName="owner-gw",
        gatewayRouteName="gr",
        spec=gateway_route_spec("svc.local"),
    )


def test_the_owner_may_delete_but_not_update_a_consumers_resource(
    owner: Any, appmesh_mock: MockAppMesh
) -> None:
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    consumer.create_virtual_node(
        meshName="shared", meshOwner=OWNER, virtualNodeName="mine", spec={}
    )
    before = _everything(appmesh_mock)
    with expect_error("ForbiddenException"):
        owner.update_virtual_node(meshName="shared", virtualNodeName="mine", spec=node_spec())
    assert _everything(appmesh_mock) == before
    deleted = owner.delete_virtual_node(meshName="shared", virtualNodeName="mine")["virtualNode"]
    assert deleted["status"] == {"status": "DELETED"}
    assert deleted["metadata"]["resourceOwner"] == CONSUMER
    with expect_error("NotFoundException"):
        consumer.describe_virtual_node(meshName="shared", meshOwner=OWNER, virtualNodeName="mine")


def test_a_consumer_deletes_its_own_resources(owner: Any, appmesh_mock: MockAppMesh) -> None:
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    shared = {"meshName": "shared", "meshOwner": OWNER}
    consumer.create_virtual_node(**shared, virtualNodeName="mine", spec={})
    deleted = consumer.delete_virtual_node(**shared, virtualNodeName="mine")["virtualNode"]
    assert deleted["status"] == {"status": "DELETED"}
    assert [
        n["virtualNodeName"] for n in owner.list_virtual_nodes(meshName="shared")["virtualNodes"]
    ] == ["owner-node"]


def test_unsharing_hides_the_mesh_again(owner: Any, appmesh_mock: MockAppMesh) -> None:
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    assert consumer.describe_mesh(meshName="shared", meshOwner=OWNER)["mesh"]
    appmesh_mock.unshare_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    with expect_error("NotFoundException"):
        consumer.describe_mesh(meshName="shared", meshOwner=OWNER)
    assert consumer.list_meshes()["meshes"] == []


def test_a_share_reaches_only_the_consumer_named(owner: Any, appmesh_mock: MockAppMesh) -> None:
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    with expect_error("NotFoundException"):
        client_for(STRANGER).describe_mesh(meshName="shared", meshOwner=OWNER)


def test_forbidden_comes_before_any_other_objection(owner: Any, appmesh_mock: MockAppMesh) -> None:
    """A consumer learns nothing about the owner's resources by trying to change them: a write
    it may not make is refused as such, whatever else is wrong with it."""
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    shared = {"meshName": "shared", "meshOwner": OWNER}
    before = _everything(appmesh_mock)
    # owner-node is a route target, owner-router has routes and provides svc.local.
    with expect_error("ForbiddenException"):
        consumer.delete_virtual_node(**shared, virtualNodeName="owner-node")
    with expect_error("ForbiddenException"):
        consumer.delete_virtual_router(**shared, virtualRouterName="owner-router")
    with expect_error("ForbiddenException"):
        consumer.delete_virtual_service(**shared, virtualServiceName="svc.local")
    # The update names a node that does not exist.
    with expect_error("ForbiddenException"):
        consumer.update_route(
            **shared,
            virtualRouterName="owner-router",
            routeName="r",
            spec=path_route_spec("ghost"),
        )
    with expect_error("ForbiddenException"):
        consumer.update_virtual_service(
            **shared, virtualServiceName="svc.local", spec=service_spec(node="ghost")
        )
    assert _everything(appmesh_mock) == before


def test_a_deleted_mesh_leaves_its_shares(appmesh_mock: MockAppMesh) -> None:
    """As with AWS RAM, deleting a shared resource removes it from the share: a mesh
    re-created under the same name is not shared until it is shared again."""
    owner, consumer = client_for(OWNER), client_for(CONSUMER)
    owner.create_mesh(meshName="shared")
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    owner.delete_mesh(meshName="shared")
    owner.create_mesh(meshName="shared")
    with expect_error("NotFoundException"):
        consumer.describe_mesh(meshName="shared", meshOwner=OWNER)
    assert consumer.list_meshes()["meshes"] == []
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    assert consumer.describe_mesh(meshName="shared", meshOwner=OWNER)["mesh"]


def test_tags_are_reached_only_in_the_resources_region(appmesh_mock: MockAppMesh) -> None:
    east = client_for(OWNER)
    west = boto3.client(
        "appmesh",
        region_name="eu-west-1",
        aws_access_key_id=OWNER,
        aws_secret_access_key="secret",
    )
    arn = east.create_mesh(meshName="prod", tags=[{"key": "a", "value": "1"}])["mesh"]["metadata"][
        "arn"
    ]
    before = appmesh_mock.snapshot(account_id=OWNER)
    with expect_error("NotFoundException"):
        west.list_tags_for_resource(resourceArn=arn)
    with expect_error("NotFoundException"):
        west.tag_resource(resourceArn=arn, tags=[{"key": "b", "value": "2"}])
    with expect_error("NotFoundException"):
        west.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert appmesh_mock.snapshot(account_id=OWNER) == before


def test_a_consumer_resource_may_not_take_the_arn_of_another(
    owner: Any, appmesh_mock: MockAppMesh
) -> None:
    """A consumer's resource in a shared mesh carries the consumer's account in its ARN; in a
    mesh of the same name that the consumer owns, the same name would give the same ARN.
    Tags name resources by ARN alone, so the second create is refused."""
    appmesh_mock.share_mesh("shared", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    consumer = client_for(CONSUMER)
    consumer.create_mesh(meshName="shared")
    first = consumer.create_virtual_node(meshName="shared", virtualNodeName="n", spec={})
    arn = first["virtualNode"]["metadata"]["arn"]
    consumer.tag_resource(resourceArn=arn, tags=[{"key": "where", "value": "own"}])
    before = _everything(appmesh_mock)
    with expect_error("ConflictException", arn):
        consumer.create_virtual_node(
            meshName="shared", meshOwner=OWNER, virtualNodeName="n", spec={}
        )
    assert _everything(appmesh_mock) == before
    assert consumer.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"key": "where", "value": "own"}
    ]
