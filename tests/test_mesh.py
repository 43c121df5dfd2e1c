"""Meshes through the default (2019-01-25) client: spec, life cycle, guards, conflicts."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from assertions import check_metadata, expect_error
from realistic_specs import gateway_spec, node_spec, router_spec, service_spec

from appmesh_mock import MockAppMesh

ARN = "arn:aws:appmesh:us-east-1:123456789012:mesh/{}"
FULL_SPEC = {
    "egressFilter": {"type": "ALLOW_ALL"},
    "serviceDiscovery": {"ipPreference": "IPv6_ONLY"},
}


def test_create_without_spec_reads_back_empty(appmesh_client: Any) -> None:
    created = appmesh_client.create_mesh(meshName="prod")["mesh"]
    assert created["meshName"] == "prod"
    assert created["spec"] == {}
    assert created["status"] == {"status": "ACTIVE"}
    check_metadata(created["metadata"], ARN.format("prod"))
    assert created["metadata"]["createdAt"] == created["metadata"]["lastUpdatedAt"]
    assert appmesh_client.describe_mesh(meshName="prod")["mesh"] == created


def test_create_with_full_spec_round_trips(appmesh_client: Any) -> None:
    created = appmesh_client.create_mesh(meshName="prod", spec=FULL_SPEC)["mesh"]
    assert created["spec"] == FULL_SPEC
    assert appmesh_client.describe_mesh(meshName="prod")["mesh"]["spec"] == FULL_SPEC


def test_update_replaces_the_whole_spec_and_bumps_the_version(
    appmesh_client: Any,
) -> None:
    created = appmesh_client.create_mesh(meshName="prod", spec=FULL_SPEC)["mesh"]
    narrowed = appmesh_client.update_mesh(
        meshName="prod", spec={"egressFilter": {"type": "DROP_ALL"}}
    )["mesh"]
    assert narrowed["spec"] == {"egressFilter": {"type": "DROP_ALL"}}
    check_metadata(narrowed["metadata"], ARN.format("prod"), version=2)
    assert narrowed["metadata"]["uid"] == created["metadata"]["uid"]
    assert narrowed["metadata"]["createdAt"] == created["metadata"]["createdAt"]
    assert narrowed["metadata"]["lastUpdatedAt"] >= created["metadata"]["lastUpdatedAt"]

    cleared = appmesh_client.update_mesh(meshName="prod")["mesh"]
    assert cleared["spec"] == {}
    assert cleared["metadata"]["version"] == 3
    assert appmesh_client.describe_mesh(meshName="prod")["mesh"] == cleared


def test_update_of_a_missing_mesh_is_not_found(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    with expect_error("NotFoundException", "absent"):
        appmesh_client.update_mesh(meshName="absent", spec={})
    assert appmesh_mock.snapshot() == {"meshes": {}}


def test_update_with_an_unknown_enum_changes_nothing(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    appmesh_client.create_mesh(meshName="prod", spec=FULL_SPEC)
    before = appmesh_mock.snapshot()
    with expect_error("BadRequestException", "egressFilter"):
        appmesh_client.update_mesh(meshName="prod", spec={"egressFilter": {"type": "SOME"}})
    assert appmesh_mock.snapshot() == before


def test_create_with_a_name_too_long_changes_nothing(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    with expect_error("BadRequestException"):
        appmesh_client.create_mesh(meshName="m" * 256)
    assert appmesh_mock.snapshot() == {"meshes": {}}
    assert appmesh_client.list_meshes()["meshes"] == []


def test_duplicate_name_is_a_conflict(appmesh_client: Any, appmesh_mock: MockAppMesh) -> None:
    appmesh_client.create_mesh(meshName="prod", spec=FULL_SPEC)
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException", "prod"):
        appmesh_client.create_mesh(meshName="prod")
    assert appmesh_mock.snapshot() == before


def test_client_token_replay_returns_the_same_mesh(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    first = appmesh_client.create_mesh(meshName="prod", clientToken="retry-1")["mesh"]
    before = appmesh_mock.snapshot()
    again = appmesh_client.create_mesh(meshName="prod", clientToken="retry-1")["mesh"]
    assert again == first
    assert appmesh_mock.snapshot() == before
    assert [m["meshName"] for m in appmesh_client.list_meshes()["meshes"]] == ["prod"]


def test_client_token_replay_of_an_update_bumps_once(appmesh_client: Any) -> None:
    appmesh_client.create_mesh(meshName="prod")
    spec = {"egressFilter": {"type": "ALLOW_ALL"}}
    first = appmesh_client.update_mesh(meshName="prod", spec=spec, clientToken="u-1")["mesh"]
    again = appmesh_client.update_mesh(meshName="prod", spec=spec, clientToken="u-1")["mesh"]
    assert again == first
    assert appmesh_client.describe_mesh(meshName="prod")["mesh"]["metadata"]["version"] == 2


def test_client_token_reused_for_another_request_is_a_conflict(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    appmesh_client.create_mesh(meshName="prod", clientToken="tok")
    before = appmesh_mock.snapshot()
    with expect_error("ConflictException", "tok"):
        appmesh_client.create_mesh(meshName="other", clientToken="tok")
    with expect_error("ConflictException"):
        appmesh_client.update_mesh(meshName="prod", spec=FULL_SPEC, clientToken="tok")
    assert appmesh_mock.snapshot() == before


def test_delete_returns_the_last_state_as_deleted(appmesh_client: Any) -> None:
    created = appmesh_client.create_mesh(meshName="prod", spec=FULL_SPEC)["mesh"]
    deleted = appmesh_client.delete_mesh(meshName="prod")["mesh"]
    assert deleted["status"] == {"status": "DELETED"}
    assert deleted["spec"] == FULL_SPEC
    # The mesh keeps its version on delete (children do not; see their tests).
    check_metadata(deleted["metadata"], ARN.format("prod"), version=1)
    assert deleted["metadata"]["uid"] == created["metadata"]["uid"]
    assert deleted["metadata"]["lastUpdatedAt"] >= created["metadata"]["lastUpdatedAt"]
    with expect_error("NotFoundException", "prod"):
        appmesh_client.describe_mesh(meshName="prod")
    assert appmesh_client.list_meshes()["meshes"] == []


def test_delete_of_a_missing_mesh_is_not_found(appmesh_client: Any) -> None:
    with expect_error("NotFoundException", "absent"):
        appmesh_client.delete_mesh(meshName="absent")


def test_a_recreated_mesh_is_a_new_resource(appmesh_client: Any) -> None:
    first = appmesh_client.create_mesh(meshName="prod", spec=FULL_SPEC)["mesh"]
    appmesh_client.delete_mesh(meshName="prod")
    second = appmesh_client.create_mesh(meshName="prod")["mesh"]
    assert second["metadata"]["uid"] != first["metadata"]["uid"]
    assert second["metadata"]["version"] == 1
    assert second["spec"] == {}


def _add_node(client: Any) -> None:
    client.create_virtual_node(meshName="prod", virtualNodeName="vn", spec=node_spec())


def _add_router(client: Any) -> None:
    client.create_virtual_router(meshName="prod", virtualRouterName="vr", spec=router_spec())


def _add_service(client: Any) -> None:
    client.create_virtual_service(meshName="prod", virtualServiceName="vs", spec=service_spec())


def _add_gateway(client: Any) -> None:
    client.create_virtual_gateway(meshName="prod", virtualGatewayName="vg", spec=gateway_spec())


@pytest.mark.parametrize(
    ("add", "title"),
    [
        (_add_node, "VirtualNodes"),
        (_add_router, "VirtualRouters"),
        (_add_service, "VirtualServices"),
        (_add_gateway, "VirtualGateways"),
    ],
)
def test_a_mesh_with_any_child_cannot_be_deleted(
    appmesh_client: Any, appmesh_mock: MockAppMesh, add: Any, title: str
) -> None:
    appmesh_client.create_mesh(meshName="prod")
    add(appmesh_client)
    before = appmesh_mock.snapshot()
    with expect_error("ResourceInUseException", title):
        appmesh_client.delete_mesh(meshName="prod")
    assert appmesh_mock.snapshot() == before
    assert appmesh_client.describe_mesh(meshName="prod")["mesh"]["status"]["status"] == "ACTIVE"


def test_list_meshes_in_creation_order_with_full_refs(appmesh_client: Any) -> None:
    names = ["zeta", "alpha", "mid"]
    created = [appmesh_client.create_mesh(meshName=n)["mesh"] for n in names]
    refs = appmesh_client.list_meshes()["meshes"]
    assert [r["meshName"] for r in refs] == names
    for ref, mesh in zip(refs, created, strict=True):
        metadata = mesh["metadata"]
        assert ref == {
            "meshName": mesh["meshName"],
            "arn": metadata["arn"],
            "createdAt": metadata["createdAt"],
            "lastUpdatedAt": metadata["lastUpdatedAt"],
            "meshOwner": "123456789012",
            "resourceOwner": "123456789012",
            "version": 1,
        }
    assert "nextToken" not in appmesh_client.list_meshes()


def test_meshes_belong_to_one_region(appmesh_client: Any) -> None:
    appmesh_client.create_mesh(meshName="prod")
    europe = boto3.client("appmesh", region_name="eu-west-1")
    assert europe.list_meshes()["meshes"] == []
    with expect_error("NotFoundException"):
        europe.describe_mesh(meshName="prod")
    created = europe.create_mesh(meshName="prod")["mesh"]
    assert created["metadata"]["arn"] == "arn:aws:appmesh:eu-west-1:123456789012:mesh/prod"


def test_china_regions_use_their_partition(appmesh_mock: MockAppMesh) -> None:
    china = boto3.client("appmesh", region_name="cn-north-1")
    arn = china.create_mesh(meshName="prod")["mesh"]["metadata"]["arn"]
    assert arn == "arn:aws-cn:appmesh:cn-north-1:123456789012:mesh/prod"
