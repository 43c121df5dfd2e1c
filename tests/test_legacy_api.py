"""The original App Mesh API (2018-10-01) through boto3: the life cycle of meshes, virtual
nodes, virtual routers and routes, metadata, conflicts, idempotency tokens, missing resources
and delete guards. Listing is in test_legacy_listing.py, bad input and quotas in
test_legacy_validation.py."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from legacy_support import (
    ARN_PREFIX,
    LEGACY,
    UUID4,
    all_state,
    build_mesh,
    expect_error,
    legacy_client,
    node_spec,
    refused,
    route_spec,
    router_spec,
    strip,
    ticking_clock,
)

from appmesh_mock import MockAppMesh
from appmesh_mock.protocol.models import get_api


@pytest.fixture
def client(appmesh_mock: MockAppMesh, monkeypatch: pytest.MonkeyPatch) -> Any:
    ticking_clock(monkeypatch)
    return legacy_client()


def check_new(metadata: dict[str, Any], arn: str) -> None:
    """Metadata of a resource just created through the 2018 API."""
    assert set(metadata) == {"arn", "createdAt", "lastUpdatedAt", "uid", "version"}
    assert metadata["arn"] == arn
    assert UUID4.fullmatch(metadata["uid"])
    assert metadata["version"] == 1
    assert isinstance(metadata["createdAt"], datetime)
    assert metadata["createdAt"].tzinfo is not None
    assert metadata["createdAt"] == metadata["lastUpdatedAt"]


def check_changed(before: dict[str, Any], after: dict[str, Any], version: int) -> None:
    """Same resource (arn, uid, createdAt), new version, later lastUpdatedAt."""
    assert after["arn"] == before["arn"]
    assert after["uid"] == before["uid"]
    assert after["createdAt"] == before["createdAt"]
    assert after["lastUpdatedAt"] > before["lastUpdatedAt"]
    assert after["version"] == version


# The whole API --------------------------------------------------------------------------------


def test_all_19_operations_answer_through_one_walk(client: Any) -> None:
    called: list[str] = []
    client.meta.events.register(
        "before-call.app-mesh", lambda model, **_: called.append(model.name)
    )
    build_mesh(client)
    client.describe_mesh(meshName="m")
    client.list_meshes()
    client.describe_virtual_node(meshName="m", virtualNodeName="a")
    client.update_virtual_node(meshName="m", virtualNodeName="a", spec=node_spec("a2.local"))
    client.list_virtual_nodes(meshName="m")
    client.describe_virtual_router(meshName="m", virtualRouterName="r")
    client.update_virtual_router(meshName="m", virtualRouterName="r", spec=router_spec("x"))
    client.list_virtual_routers(meshName="m")
    client.describe_route(meshName="m", virtualRouterName="r", routeName="rt")
    client.update_route(
        meshName="m", virtualRouterName="r", routeName="rt", spec=route_spec(("a", 1))
    )
    client.list_routes(meshName="m", virtualRouterName="r")
    client.delete_route(meshName="m", virtualRouterName="r", routeName="rt")
    client.delete_virtual_router(meshName="m", virtualRouterName="r")
    client.delete_virtual_node(meshName="m", virtualNodeName="a")
    client.delete_virtual_node(meshName="m", virtualNodeName="b")
    client.delete_mesh(meshName="m")
    assert client.list_meshes()["meshes"] == []
    assert set(called) == set(get_api(LEGACY).operations)
    assert len(set(called)) == 19


def test_legacy_client_speaks_2018_10_01() -> None:
    assert legacy_client().meta.service_model.api_version == LEGACY


# Meshes -------------------------------------------------------------------------------------


def test_mesh_life_cycle(client: Any, appmesh_mock: MockAppMesh) -> None:
    created = client.create_mesh(meshName="m")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    mesh = created["mesh"]
    # The 2018 mesh has no spec, and metadata without meshOwner/resourceOwner.
    assert set(mesh) == {"meshName", "metadata", "status"}
    assert mesh["meshName"] == "m"
    assert mesh["status"] == {"status": "ACTIVE"}
    check_new(mesh["metadata"], ARN_PREFIX + "mesh/m")

    assert client.describe_mesh(meshName="m")["mesh"] == mesh
    assert client.list_meshes()["meshes"] == [{"arn": ARN_PREFIX + "mesh/m", "meshName": "m"}]

    deleted = client.delete_mesh(meshName="m")["mesh"]
    assert deleted["status"] == {"status": "DELETED"}
    assert deleted["meshName"] == "m"
    # A mesh keeps its version on delete; only lastUpdatedAt moves.
    check_changed(mesh["metadata"], deleted["metadata"], version=1)
    assert all_state(appmesh_mock) == {"meshes": {}}
    with expect_error("NotFoundException", "m"):
        client.describe_mesh(meshName="m")

    again = client.create_mesh(meshName="m")["mesh"]
    check_new(again["metadata"], ARN_PREFIX + "mesh/m")
    assert again["metadata"]["uid"] != mesh["metadata"]["uid"]


def test_uids_are_unique_per_resource(client: Any) -> None:
    build_mesh(client)
    uids = [
        client.describe_mesh(meshName="m")["mesh"]["metadata"]["uid"],
        client.describe_virtual_node(meshName="m", virtualNodeName="a")["virtualNode"]["metadata"][
            "uid"
        ],
        client.describe_virtual_node(meshName="m", virtualNodeName="b")["virtualNode"]["metadata"][
            "uid"
        ],
        client.describe_virtual_router(meshName="m", virtualRouterName="r")["virtualRouter"][
            "metadata"
        ]["uid"],
        client.describe_route(meshName="m", virtualRouterName="r", routeName="rt")["route"][
            "metadata"
        ]["uid"],
    ]
    assert all(UUID4.fullmatch(uid) for uid in uids)
    assert len(set(uids)) == len(uids)


def test_timestamps_are_epoch_seconds_on_the_wire(client: Any) -> None:
    """botocore turns epoch numbers into aware datetimes; a string would fail or parse wrong."""
    client.create_mesh(meshName="m")
    stamp = client.describe_mesh(meshName="m")["mesh"]["metadata"]["createdAt"]
    assert stamp.tzinfo is not None
    assert stamp.timestamp() == pytest.approx(1_700_000_001.5)
    assert stamp.astimezone(timezone.utc).year == 2023


# Virtual nodes ------------------------------------------------------------------------------


def test_virtual_node_life_cycle(client: Any) -> None:
    client.create_mesh(meshName="m")
    spec = node_spec("orders.local", port=8080, backends=["pay.local"], with_health_check=True)
    created = client.create_virtual_node(meshName="m", virtualNodeName="orders", spec=spec)
    node = created["virtualNode"]
    assert set(node) == {"meshName", "metadata", "spec", "status", "virtualNodeName"}
    assert (node["meshName"], node["virtualNodeName"]) == ("m", "orders")
    assert node["spec"] == spec  # the 2018 view: backends as strings, dns.serviceName
    assert node["status"] == {"status": "ACTIVE"}
    check_new(node["metadata"], ARN_PREFIX + "mesh/m/virtualNode/orders")
    assert (
        client.describe_virtual_node(meshName="m", virtualNodeName="orders")["virtualNode"] == node
    )

    new_spec = node_spec("orders-v2.local", port=9090)
    updated = client.update_virtual_node(meshName="m", virtualNodeName="orders", spec=new_spec)[
        "virtualNode"
    ]
    assert updated["spec"] == new_spec  # the whole spec is replaced: no backends left
    check_changed(node["metadata"], updated["metadata"], version=2)
    described = client.describe_virtual_node(meshName="m", virtualNodeName="orders")
    assert described["virtualNode"]["spec"] == {**new_spec, "backends": []}
    assert described["virtualNode"]["metadata"] == updated["metadata"]

    refs = client.list_virtual_nodes(meshName="m")["virtualNodes"]
    assert refs == [
        {
            "arn": ARN_PREFIX + "mesh/m/virtualNode/orders",
            "meshName": "m",
            "virtualNodeName": "orders",
        }
    ]

    deleted = client.delete_virtual_node(meshName="m", virtualNodeName="orders")["virtualNode"]
    assert deleted["status"] == {"status": "DELETED"}
    assert deleted["spec"] == {**new_spec, "backends": []}  # its last state
    check_changed(updated["metadata"], deleted["metadata"], version=3)
    assert client.list_virtual_nodes(meshName="m")["virtualNodes"] == []
    with expect_error("NotFoundException", "orders"):
        client.describe_virtual_node(meshName="m", virtualNodeName="orders")


def test_virtual_node_without_backends_shows_an_empty_list_on_describe(client: Any) -> None:
    client.create_mesh(meshName="m")
    created = client.create_virtual_node(meshName="m", virtualNodeName="n", spec=node_spec())
    assert "backends" not in created["virtualNode"]["spec"]  # create echoes the input
    described = client.describe_virtual_node(meshName="m", virtualNodeName="n")["virtualNode"]
    assert described["spec"] == {**node_spec(), "backends": []}


def test_virtual_node_with_an_empty_spec(client: Any) -> None:
    client.create_mesh(meshName="m")
    node = client.create_virtual_node(meshName="m", virtualNodeName="n", spec={})["virtualNode"]
    assert node["spec"] == {}
    assert client.describe_virtual_node(meshName="m", virtualNodeName="n")["virtualNode"][
        "spec"
    ] == {"backends": []}


def test_2018_and_2019_clients_see_one_store_each_in_its_own_shapes(client: Any) -> None:
    current = boto3.client("appmesh", region_name="us-east-1")
    client.create_mesh(meshName="m")
    client.create_virtual_node(
        meshName="m", virtualNodeName="old", spec=node_spec("old.local", backends=["svc.local"])
    )
    seen = current.describe_virtual_node(meshName="m", virtualNodeName="old")["virtualNode"]
    assert seen["spec"]["backends"] == [{"virtualService": {"virtualServiceName": "svc.local"}}]
    assert seen["spec"]["serviceDiscovery"] == {"dns": {"hostname": "old.local"}}
    assert seen["metadata"]["meshOwner"] == seen["metadata"]["resourceOwner"] == "123456789012"

    current.create_virtual_node(
        meshName="m",
        virtualNodeName="new",
        spec={
            "backends": [{"virtualService": {"virtualServiceName": "pay.local"}}],
            "listeners": [
                {"portMapping": {"port": 80, "protocol": "http"}},
                {"portMapping": {"port": 81, "protocol": "http2"}},  # no 2018 counterpart
            ],
            "serviceDiscovery": {"dns": {"hostname": "new.local"}},
            "logging": {"accessLog": {"file": {"path": "/dev/stdout"}}},  # none either
        },
    )
    old_view = client.describe_virtual_node(meshName="m", virtualNodeName="new")["virtualNode"]
    assert old_view["spec"] == {
        "backends": ["pay.local"],
        "listeners": [{"portMapping": {"port": 80, "protocol": "http"}}],
        "serviceDiscovery": {"dns": {"serviceName": "new.local"}},
    }
    assert set(old_view["metadata"]) == {"arn", "createdAt", "lastUpdatedAt", "uid", "version"}
    names = [
        ref["virtualNodeName"] for ref in client.list_virtual_nodes(meshName="m")["virtualNodes"]
    ]
    assert names == ["old", "new"]
    # What the 2018 view leaves out is still stored: the 2019 view keeps it.
    again = current.describe_virtual_node(meshName="m", virtualNodeName="new")["virtualNode"]
    assert len(again["spec"]["listeners"]) == 2
    assert again["spec"]["logging"] == {"accessLog": {"file": {"path": "/dev/stdout"}}}


# Virtual routers and routes -----------------------------------------------------------------


def test_virtual_router_life_cycle(client: Any) -> None:
    client.create_mesh(meshName="m")
    router = client.create_virtual_router(
        meshName="m", virtualRouterName="r", spec=router_spec("a.local", "b.local")
    )["virtualRouter"]
    assert set(router) == {"meshName", "metadata", "spec", "status", "virtualRouterName"}
    assert router["spec"] == {"serviceNames": ["a.local", "b.local"]}
    assert router["status"] == {"status": "ACTIVE"}
    check_new(router["metadata"], ARN_PREFIX + "mesh/m/virtualRouter/r")
    assert (
        client.describe_virtual_router(meshName="m", virtualRouterName="r")["virtualRouter"]
        == router
    )

    updated = client.update_virtual_router(
        meshName="m", virtualRouterName="r", spec=router_spec("c.local")
    )["virtualRouter"]
    assert updated["spec"] == {"serviceNames": ["c.local"]}
    check_changed(router["metadata"], updated["metadata"], version=2)
    assert client.list_virtual_routers(meshName="m")["virtualRouters"] == [
        {"arn": ARN_PREFIX + "mesh/m/virtualRouter/r", "meshName": "m", "virtualRouterName": "r"}
    ]

    deleted = client.delete_virtual_router(meshName="m", virtualRouterName="r")["virtualRouter"]
    assert deleted["status"] == {"status": "DELETED"}
    assert deleted["spec"] == {"serviceNames": ["c.local"]}
    check_changed(updated["metadata"], deleted["metadata"], version=3)
    assert client.list_virtual_routers(meshName="m")["virtualRouters"] == []


def test_route_life_cycle(client: Any) -> None:
    build_mesh(client)
    route = client.describe_route(meshName="m", virtualRouterName="r", routeName="rt")["route"]
    assert set(route) == {
        "meshName",
        "metadata",
        "routeName",
        "spec",
        "status",
        "virtualRouterName",
    }
    assert (route["meshName"], route["virtualRouterName"], route["routeName"]) == ("m", "r", "rt")
    assert route["spec"] == route_spec(("a", 70), ("b", 30))
    check_new(route["metadata"], ARN_PREFIX + "mesh/m/virtualRouter/r/route/rt")

    new_spec = route_spec(("b", 100), prefix="/v2")
    updated = client.update_route(
        meshName="m", virtualRouterName="r", routeName="rt", spec=new_spec
    )["route"]
    assert updated["spec"] == new_spec
    check_changed(route["metadata"], updated["metadata"], version=2)
    assert client.list_routes(meshName="m", virtualRouterName="r")["routes"] == [
        {
            "arn": ARN_PREFIX + "mesh/m/virtualRouter/r/route/rt",
            "meshName": "m",
            "routeName": "rt",
            "virtualRouterName": "r",
        }
    ]

    deleted = client.delete_route(meshName="m", virtualRouterName="r", routeName="rt")["route"]
    assert deleted["status"] == {"status": "DELETED"}
    assert deleted["spec"] == new_spec
    check_changed(updated["metadata"], deleted["metadata"], version=3)
    assert client.list_routes(meshName="m", virtualRouterName="r")["routes"] == []
    with expect_error("NotFoundException", "rt"):
        client.describe_route(meshName="m", virtualRouterName="r", routeName="rt")


def test_update_with_the_same_spec_still_bumps_the_version(client: Any) -> None:
    build_mesh(client)
    for expected in (2, 3):
        node = client.update_virtual_node(
            meshName="m", virtualNodeName="a", spec=node_spec("a.local")
        )["virtualNode"]
        assert node["metadata"]["version"] == expected


# Duplicate names ----------------------------------------------------------------------------


def test_duplicate_mesh_name_conflicts(client: Any, appmesh_mock: MockAppMesh) -> None:
    original = client.create_mesh(meshName="m")["mesh"]
    with refused(appmesh_mock, "ConflictException", "m"):
        client.create_mesh(meshName="m")
    assert client.describe_mesh(meshName="m")["mesh"] == original


def test_duplicate_child_names_conflict_within_their_parent(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    build_mesh(client)
    with refused(appmesh_mock, "ConflictException", "a"):
        client.create_virtual_node(meshName="m", virtualNodeName="a", spec=node_spec("x.local"))
    with refused(appmesh_mock, "ConflictException", "r"):
        client.create_virtual_router(meshName="m", virtualRouterName="r", spec=router_spec("x"))
    with refused(appmesh_mock, "ConflictException", "rt"):
        client.create_route(
            meshName="m", virtualRouterName="r", routeName="rt", spec=route_spec(("b", 1))
        )
    # The stored resources are the originals.
    assert client.describe_virtual_node(meshName="m", virtualNodeName="a")["virtualNode"]["spec"][
        "serviceDiscovery"
    ] == {"dns": {"serviceName": "a.local"}}
    assert client.describe_route(meshName="m", virtualRouterName="r", routeName="rt")["route"][
        "spec"
    ] == route_spec(("a", 70), ("b", 30))


def test_the_same_name_in_another_parent_is_fine(client: Any) -> None:
    build_mesh(client, "m")
    build_mesh(client, "other")  # same node, router and route names in another mesh
    client.create_virtual_router(meshName="m", virtualRouterName="r2", spec=router_spec())
    second = client.create_route(
        meshName="m", virtualRouterName="r2", routeName="rt", spec=route_spec(("a", 1))
    )["route"]
    assert second["metadata"]["arn"] == ARN_PREFIX + "mesh/m/virtualRouter/r2/route/rt"
    node = client.describe_virtual_node(meshName="other", virtualNodeName="a")["virtualNode"]
    assert node["metadata"]["arn"] == ARN_PREFIX + "mesh/other/virtualNode/a"
    assert [m["meshName"] for m in client.list_meshes()["meshes"]] == ["m", "other"]


# Idempotency tokens -------------------------------------------------------------------------


def test_create_replayed_with_its_token_returns_the_stored_resource(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    first = strip(client.create_mesh(meshName="m", clientToken="create-m"))
    state = all_state(appmesh_mock)
    assert strip(client.create_mesh(meshName="m", clientToken="create-m")) == first
    assert all_state(appmesh_mock) == state

    node = strip(
        client.create_virtual_node(
            meshName="m", virtualNodeName="n", spec=node_spec(), clientToken="create-n"
        )
    )
    state = all_state(appmesh_mock)
    again = client.create_virtual_node(
        meshName="m", virtualNodeName="n", spec=node_spec(), clientToken="create-n"
    )
    assert strip(again) == node
    assert all_state(appmesh_mock) == state


def test_update_replayed_with_its_token_does_not_bump_the_version(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    build_mesh(client)
    spec = route_spec(("b", 100))
    first = client.update_route(
        meshName="m", virtualRouterName="r", routeName="rt", spec=spec, clientToken="u-1"
    )["route"]
    assert first["metadata"]["version"] == 2
    state = all_state(appmesh_mock)
    for _ in range(2):
        replay = client.update_route(
            meshName="m", virtualRouterName="r", routeName="rt", spec=spec, clientToken="u-1"
        )["route"]
        assert replay == first
    assert all_state(appmesh_mock) == state
    described = client.describe_route(meshName="m", virtualRouterName="r", routeName="rt")
    assert described["route"]["metadata"]["version"] == 2


def test_a_token_reused_for_a_different_request_conflicts(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    client.create_mesh(meshName="m", clientToken="t-1")
    with refused(appmesh_mock, "ConflictException", "t-1"):
        client.create_mesh(meshName="other", clientToken="t-1")
    client.create_virtual_node(meshName="m", virtualNodeName="n", spec={}, clientToken="t-2")
    with refused(appmesh_mock, "ConflictException"):
        client.create_virtual_node(
            meshName="m", virtualNodeName="n", spec=node_spec(), clientToken="t-2"
        )
    with refused(appmesh_mock, "ConflictException"):  # another operation, same token
        client.create_virtual_router(
            meshName="m", virtualRouterName="r", spec=router_spec(), clientToken="t-2"
        )
    client.update_virtual_node(meshName="m", virtualNodeName="n", spec={}, clientToken="t-3")
    with refused(appmesh_mock, "ConflictException"):
        client.update_virtual_node(
            meshName="m", virtualNodeName="n", spec=node_spec(), clientToken="t-3"
        )
    assert [m["meshName"] for m in client.list_meshes()["meshes"]] == ["m"]


def test_without_a_token_a_repeated_create_is_a_duplicate(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    """botocore fills a fresh clientToken into every call, so two calls are two requests."""
    client.create_mesh(meshName="m")
    with refused(appmesh_mock, "ConflictException"):
        client.create_mesh(meshName="m")


# Missing resources --------------------------------------------------------------------------


def test_operations_on_a_missing_mesh_are_not_found(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_mesh(meshName="present")
    calls: list[tuple[str, dict[str, Any]]] = [
        ("describe_mesh", {}),
        ("delete_mesh", {}),
        ("create_virtual_node", {"virtualNodeName": "n", "spec": {}}),
        ("describe_virtual_node", {"virtualNodeName": "n"}),
        ("update_virtual_node", {"virtualNodeName": "n", "spec": {}}),
        ("delete_virtual_node", {"virtualNodeName": "n"}),
        ("list_virtual_nodes", {}),
        ("create_virtual_router", {"virtualRouterName": "r", "spec": router_spec()}),
        ("describe_virtual_router", {"virtualRouterName": "r"}),
        ("update_virtual_router", {"virtualRouterName": "r", "spec": router_spec()}),
        ("delete_virtual_router", {"virtualRouterName": "r"}),
        ("list_virtual_routers", {}),
        (
            "create_route",
            {"virtualRouterName": "r", "routeName": "x", "spec": route_spec(("a", 1))},
        ),
        ("describe_route", {"virtualRouterName": "r", "routeName": "x"}),
        (
            "update_route",
            {"virtualRouterName": "r", "routeName": "x", "spec": route_spec(("a", 1))},
        ),
        ("delete_route", {"virtualRouterName": "r", "routeName": "x"}),
        ("list_routes", {"virtualRouterName": "r"}),
    ]
    for method, params in calls:
        with refused(appmesh_mock, "NotFoundException", "absent"):
            getattr(client, method)(meshName="absent", **params)


def test_missing_nodes_routers_and_routes_are_not_found(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    build_mesh(client)
    spec = route_spec(("a", 1))
    calls: list[tuple[str, dict[str, Any], str]] = [
        ("describe_virtual_node", {"virtualNodeName": "zz"}, "zz"),
        ("update_virtual_node", {"virtualNodeName": "zz", "spec": {}}, "zz"),
        ("delete_virtual_node", {"virtualNodeName": "zz"}, "zz"),
        ("describe_virtual_router", {"virtualRouterName": "zz"}, "zz"),
        ("update_virtual_router", {"virtualRouterName": "zz", "spec": router_spec()}, "zz"),
        ("delete_virtual_router", {"virtualRouterName": "zz"}, "zz"),
        ("create_route", {"virtualRouterName": "zz", "routeName": "x", "spec": spec}, "zz"),
        ("describe_route", {"virtualRouterName": "zz", "routeName": "rt"}, "zz"),
        ("update_route", {"virtualRouterName": "zz", "routeName": "rt", "spec": spec}, "zz"),
        ("delete_route", {"virtualRouterName": "zz", "routeName": "rt"}, "zz"),
        ("list_routes", {"virtualRouterName": "zz"}, "zz"),
        ("describe_route", {"virtualRouterName": "r", "routeName": "zz"}, "zz"),
        ("update_route", {"virtualRouterName": "r", "routeName": "zz", "spec": spec}, "zz"),
        ("delete_route", {"virtualRouterName": "r", "routeName": "zz"}, "zz"),
    ]
    for method, params, name in calls:
        with refused(appmesh_mock, "NotFoundException", name):
            getattr(client, method)(meshName="m", **params)


def test_a_route_to_a_missing_node_is_not_found(client: Any, appmesh_mock: MockAppMesh) -> None:
    build_mesh(client)
    with refused(appmesh_mock, "NotFoundException", "ghost"):
        client.create_route(
            meshName="m",
            virtualRouterName="r",
            routeName="new",
            spec=route_spec(("a", 50), ("ghost", 50)),
        )
    with refused(appmesh_mock, "NotFoundException", "ghost"):
        client.update_route(
            meshName="m", virtualRouterName="r", routeName="rt", spec=route_spec(("ghost", 1))
        )
    # A node of the same name in another mesh does not count.
    build_mesh(client, "other")
    client.create_virtual_node(meshName="other", virtualNodeName="ghost", spec={})
    with refused(appmesh_mock, "NotFoundException", "ghost"):
        client.update_route(
            meshName="m", virtualRouterName="r", routeName="rt", spec=route_spec(("ghost", 1))
        )


def test_after_delete_the_name_is_gone_everywhere(client: Any) -> None:
    build_mesh(client)
    client.delete_route(meshName="m", virtualRouterName="r", routeName="rt")
    for method, params in [
        ("describe_route", {"virtualRouterName": "r", "routeName": "rt"}),
        (
            "update_route",
            {"virtualRouterName": "r", "routeName": "rt", "spec": route_spec(("a", 1))},
        ),
        ("delete_route", {"virtualRouterName": "r", "routeName": "rt"}),
    ]:
        with expect_error("NotFoundException"):
            getattr(client, method)(meshName="m", **params)


# Delete guards ------------------------------------------------------------------------------


def test_a_mesh_with_any_child_cannot_be_deleted(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_mesh(meshName="nodes")
    client.create_virtual_node(meshName="nodes", virtualNodeName="n", spec={})
    client.create_mesh(meshName="routers")
    client.create_virtual_router(meshName="routers", virtualRouterName="r", spec=router_spec())
    with refused(appmesh_mock, "ResourceInUseException", "nodes"):
        client.delete_mesh(meshName="nodes")
    with refused(appmesh_mock, "ResourceInUseException", "routers"):
        client.delete_mesh(meshName="routers")
    client.delete_virtual_node(meshName="nodes", virtualNodeName="n")
    assert client.delete_mesh(meshName="nodes")["mesh"]["status"]["status"] == "DELETED"


def test_a_router_with_routes_cannot_be_deleted(client: Any, appmesh_mock: MockAppMesh) -> None:
    build_mesh(client)
    with refused(appmesh_mock, "ResourceInUseException", "r"):
        client.delete_virtual_router(meshName="m", virtualRouterName="r")
    client.delete_route(meshName="m", virtualRouterName="r", routeName="rt")
    deleted = client.delete_virtual_router(meshName="m", virtualRouterName="r")
    assert deleted["virtualRouter"]["status"]["status"] == "DELETED"
    # Its routes are gone with it: a new router of that name starts empty.
    client.create_virtual_router(meshName="m", virtualRouterName="r", spec=router_spec())
    assert client.list_routes(meshName="m", virtualRouterName="r")["routes"] == []


def test_a_node_that_a_route_targets_cannot_be_deleted(
    client: Any, appmesh_mock: MockAppMesh
) -> None:
    build_mesh(client)
    with refused(appmesh_mock, "ResourceInUseException", "b"):
        client.delete_virtual_node(meshName="m", virtualNodeName="b")
    client.update_route(
        meshName="m", virtualRouterName="r", routeName="rt", spec=route_spec(("a", 100))
    )
    deleted = client.delete_virtual_node(meshName="m", virtualNodeName="b")["virtualNode"]
    assert deleted["status"]["status"] == "DELETED"
    with refused(appmesh_mock, "ResourceInUseException", "a"):
        client.delete_virtual_node(meshName="m", virtualNodeName="a")


def test_the_whole_mesh_comes_down_in_order(client: Any, appmesh_mock: MockAppMesh) -> None:
    build_mesh(client)
    client.delete_route(meshName="m", virtualRouterName="r", routeName="rt")
    client.delete_virtual_router(meshName="m", virtualRouterName="r")
    client.delete_virtual_node(meshName="m", virtualNodeName="a")
    client.delete_virtual_node(meshName="m", virtualNodeName="b")
    client.delete_mesh(meshName="m")
    assert all_state(appmesh_mock) == {"meshes": {}}
