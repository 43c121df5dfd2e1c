"""Listing through the original App Mesh API (2018-10-01): ListMeshes, ListVirtualNodes,
ListVirtualRouters and ListRoutes. Pages in creation order, `limit` 1..100 (default 100), an
opaque `nextToken` absent on the last page, BadRequestException for a limit out of range or a
token the mock did not issue for that listing, and boto3's paginators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from legacy_support import legacy_client, refused, route_spec, router_spec

from appmesh_mock import MockAppMesh

QUOTAS = {
    "meshes_per_account": 150,
    "virtual_nodes_per_mesh": 150,
    "virtual_routers_per_mesh": 150,
    "routes_per_virtual_router": 150,
}


class Listing:
    """One of the four list operations, with how to fill it and read its names."""

    def __init__(
        self,
        operation: str,
        member: str,
        name_member: str,
        scope: dict[str, str],
        create: Callable[[Any, str], None],
    ) -> None:
        self.operation = operation
        self.member = member
        self.name_member = name_member
        self.scope = scope
        self.create = create

    def call(self, client: Any, **params: Any) -> dict[str, Any]:
        return dict(getattr(client, self.operation)(**self.scope, **params))

    def names(self, page: dict[str, Any]) -> list[str]:
        return [ref[self.name_member] for ref in page[self.member]]


def _parents(client: Any) -> None:
    client.create_mesh(meshName="m")
    client.create_virtual_node(meshName="m", virtualNodeName="target", spec={})
    client.create_virtual_router(meshName="m", virtualRouterName="r", spec=router_spec())


LISTINGS = {
    "meshes": Listing(
        "list_meshes", "meshes", "meshName", {}, lambda c, n: c.create_mesh(meshName=n)
    ),
    "virtual_nodes": Listing(
        "list_virtual_nodes",
        "virtualNodes",
        "virtualNodeName",
        {"meshName": "m"},
        lambda c, n: c.create_virtual_node(meshName="m", virtualNodeName=n, spec={}),
    ),
    "virtual_routers": Listing(
        "list_virtual_routers",
        "virtualRouters",
        "virtualRouterName",
        {"meshName": "m"},
        lambda c, n: c.create_virtual_router(meshName="m", virtualRouterName=n, spec={}),
    ),
    "routes": Listing(
        "list_routes",
        "routes",
        "routeName",
        {"meshName": "m", "virtualRouterName": "r"},
        lambda c, n: c.create_route(
            meshName="m", virtualRouterName="r", routeName=n, spec=route_spec(("target", 1))
        ),
    ),
}


def fill(client: Any, listing: Listing, count: int) -> list[str]:
    """`count` new items, named so that creation order is not name order; returns every name
    the listing holds, in creation order."""
    before = listing.names(listing.call(client))
    names = [f"item-{count - index:03d}" for index in range(count)]
    for name in names:
        listing.create(client, name)
    return before + names


@pytest.fixture(params=sorted(LISTINGS))
def listing(request: pytest.FixtureRequest) -> Listing:
    return LISTINGS[request.param]


@pytest.fixture
def client(appmesh_mock: MockAppMesh) -> Any:
    client = legacy_client()
    _parents(client)
    return client


@pytest.mark.appmesh_mock(quotas=QUOTAS)
def test_default_page_is_100_then_the_rest(client: Any, listing: Listing) -> None:
    expected = fill(client, listing, 101 - len(listing.names(listing.call(client))))
    assert len(expected) == 101
    first = listing.call(client)
    assert listing.names(first) == expected[:100]
    assert "nextToken" in first
    second = listing.call(client, nextToken=first["nextToken"])
    assert listing.names(second) == expected[100:]
    assert "nextToken" not in second


def test_limit_pages_in_creation_order(client: Any, listing: Listing) -> None:
    expected = fill(client, listing, 5)
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2}
        if token:
            params["nextToken"] = token
        page = listing.call(client, **params)
        pages += 1
        assert len(page[listing.member]) <= 2
        seen += listing.names(page)
        token = page.get("nextToken")
        if token is None:
            break
    assert seen == expected
    assert pages == (len(expected) + 1) // 2


def test_no_token_when_the_last_page_is_exactly_full(client: Any, listing: Listing) -> None:
    expected = fill(client, listing, 3)
    whole = listing.call(client, limit=len(expected))
    assert listing.names(whole) == expected
    assert "nextToken" not in whole
    assert "nextToken" not in listing.call(client, limit=100)


@pytest.mark.appmesh_mock(quotas=QUOTAS)
def test_limit_100_is_the_largest(client: Any, listing: Listing) -> None:
    expected = fill(client, listing, 101 - len(listing.names(listing.call(client))))
    page = listing.call(client, limit=100)
    assert listing.names(page) == expected[:100]
    assert "nextToken" in page


def test_an_empty_listing(appmesh_mock: MockAppMesh) -> None:
    client = legacy_client()
    assert client.list_meshes()["meshes"] == []
    client.create_mesh(meshName="m")
    empty = client.list_virtual_nodes(meshName="m")
    assert empty["virtualNodes"] == []
    assert "nextToken" not in empty
    assert client.list_virtual_routers(meshName="m")["virtualRouters"] == []


def test_limits_out_of_range_are_refused(appmesh_mock: MockAppMesh, listing: Listing) -> None:
    unchecked = legacy_client(validate=False)
    _parents(unchecked)
    for limit in (0, -1, 101, 1000):
        with refused(appmesh_mock, "BadRequestException", "limit"):
            listing.call(unchecked, limit=limit)


def test_tokens_that_the_mock_did_not_issue_are_refused(
    client: Any, appmesh_mock: MockAppMesh, listing: Listing
) -> None:
    fill(client, listing, 3)
    for token in ("garbage", "e30=", "WyJ4IiwgMV0=", "!!!", "a" * 500):
        with refused(appmesh_mock, "BadRequestException", "nextToken"):
            listing.call(client, nextToken=token)


def test_a_token_from_another_listing_is_refused(client: Any, appmesh_mock: MockAppMesh) -> None:
    client.create_mesh(meshName="other")
    for name in ("n1", "n2"):
        client.create_virtual_node(meshName="m", virtualNodeName=name, spec={})
        client.create_virtual_node(meshName="other", virtualNodeName=name, spec={})
    node_token = client.list_virtual_nodes(meshName="m", limit=1)["nextToken"]
    mesh_token = client.list_meshes(limit=1)["nextToken"]
    with refused(appmesh_mock, "BadRequestException"):  # same operation, another mesh
        client.list_virtual_nodes(meshName="other", nextToken=node_token)
    with refused(appmesh_mock, "BadRequestException"):  # another operation
        client.list_virtual_routers(meshName="m", nextToken=node_token)
    with refused(appmesh_mock, "BadRequestException"):
        client.list_virtual_nodes(meshName="m", nextToken=mesh_token)
    # The token still works where it was issued.
    rest = client.list_virtual_nodes(meshName="m", nextToken=node_token)["virtualNodes"]
    assert [ref["virtualNodeName"] for ref in rest] == ["n1", "n2"]


def test_a_token_outlives_the_item_it_points_after(client: Any) -> None:
    for name in ("n1", "n2", "n3"):
        client.create_virtual_node(meshName="m", virtualNodeName=name, spec={})
    first = client.list_virtual_nodes(meshName="m", limit=2)
    assert [ref["virtualNodeName"] for ref in first["virtualNodes"]] == ["target", "n1"]
    client.delete_virtual_node(meshName="m", virtualNodeName="n1")
    client.create_virtual_node(meshName="m", virtualNodeName="n4", spec={})
    rest = client.list_virtual_nodes(meshName="m", nextToken=first["nextToken"])
    assert [ref["virtualNodeName"] for ref in rest["virtualNodes"]] == ["n2", "n3", "n4"]


def test_boto3_paginators(client: Any, listing: Listing) -> None:
    expected = fill(client, listing, 7)
    paginator = client.get_paginator(listing.operation)
    pages = list(paginator.paginate(**listing.scope, PaginationConfig={"PageSize": 3}))
    assert [len(page[listing.member]) for page in pages] == [
        min(3, len(expected) - start) for start in range(0, len(expected), 3)
    ]
    assert [name for page in pages for name in listing.names(page)] == expected
    whole = paginator.paginate(**listing.scope).build_full_result()
    assert listing.names(whole) == expected
    capped = paginator.paginate(
        **listing.scope, PaginationConfig={"MaxItems": 4, "PageSize": 3}
    ).build_full_result()
    assert listing.names(capped) == expected[:4]
    assert "NextToken" in capped


def test_refs_carry_only_arn_and_names(client: Any) -> None:
    client.create_route(
        meshName="m", virtualRouterName="r", routeName="rt", spec=route_spec(("target", 1))
    )
    prefix = "arn:aws:appmesh:us-east-1:123456789012:mesh/m"
    assert client.list_meshes()["meshes"] == [{"arn": prefix, "meshName": "m"}]
    assert client.list_virtual_nodes(meshName="m")["virtualNodes"] == [
        {"arn": f"{prefix}/virtualNode/target", "meshName": "m", "virtualNodeName": "target"}
    ]
    assert client.list_virtual_routers(meshName="m")["virtualRouters"] == [
        {"arn": f"{prefix}/virtualRouter/r", "meshName": "m", "virtualRouterName": "r"}
    ]
    assert client.list_routes(meshName="m", virtualRouterName="r")["routes"] == [
        {
            "arn": f"{prefix}/virtualRouter/r/route/rt",
            "meshName": "m",
            "routeName": "rt",
            "virtualRouterName": "r",
        }
    ]
