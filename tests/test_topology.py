"""A full topology, built and torn down through the default client.

The teardown follows the only order the delete guards allow. Before each delete, every
resource that something still depends on is tried too: each such delete must be refused with
ResourceInUseException and lose nothing (the whole snapshot compared before and after). Each
allowed delete must remove exactly its resource and change nothing else.
"""

from __future__ import annotations

import copy
import re
import runpy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from assertions import expect_error
from realistic_specs import (
    cloud_map_node_spec,
    gateway_route_spec,
    gateway_spec,
    grpc_route_spec,
    http_route_spec,
    node_spec,
    service_spec,
    tcp_route_spec,
)

from appmesh_mock import MockAppMesh

MESH = "shop"
M = {"meshName": MESH}
TAGS = [{"key": "team", "value": "storefront"}, {"key": "env", "value": "prod"}]
# One router, one listener per protocol; every route names the port of its protocol.
PORTS = {"http": 8080, "http2": 8081, "grpc": 8082, "tcp": 8083}
ROUTER_SPEC = {"listeners": [{"portMapping": {"port": p, "protocol": k}} for k, p in PORTS.items()]}


def _with_port(spec: dict[str, Any], kind: str, port: int) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    spec[kind].setdefault("match", {})["port"] = port
    return spec


ROUTES = {
    "http-canary": _with_port(
        http_route_spec([("web-v1", 90), ("web-v2", 10)]), "httpRoute", PORTS["http"]
    ),
    "http2-api": _with_port(
        http_route_spec([("web-v2", 100)], kind="http2Route"), "http2Route", PORTS["http2"]
    ),
    "grpc-ledger": _with_port(grpc_route_spec("ledger"), "grpcRoute", PORTS["grpc"]),
    "tcp-db": tcp_route_spec("db", port=PORTS["tcp"]),
}


@dataclass
class Item:
    """One resource: where it sits in a mesh snapshot, how to delete it, what it waits for."""

    path: tuple[str, ...]  # keys below snapshot()["meshes"][MESH]; () is the mesh itself
    delete: Callable[[Any], Any]
    blocked_by: set[str] = field(default_factory=set)


def _route_deleter(name: str) -> Callable[[Any], Any]:
    return lambda c: c.delete_route(**M, virtualRouterName="front", routeName=name)


def _node_deleter(name: str) -> Callable[[Any], Any]:
    return lambda c: c.delete_virtual_node(**M, virtualNodeName=name)


def _build(client: Any) -> dict[str, Item]:
    client.create_mesh(meshName=MESH, spec={"egressFilter": {"type": "DROP_ALL"}}, tags=TAGS)
    for name in ("web-v1", "web-v2"):
        client.create_virtual_node(
            **M, virtualNodeName=name, spec=node_spec(f"{name}.shop.local"), tags=TAGS
        )
    client.create_virtual_node(**M, virtualNodeName="ledger", spec=cloud_map_node_spec(), tags=TAGS)
    client.create_virtual_node(
        **M,
        virtualNodeName="db",
        spec={
            "listeners": [{"portMapping": {"port": 5432, "protocol": "tcp"}}],
            "serviceDiscovery": {"dns": {"hostname": "db.shop.local"}},
        },
        tags=TAGS,
    )
    client.create_virtual_router(**M, virtualRouterName="front", spec=ROUTER_SPEC, tags=TAGS)
    for name, spec in ROUTES.items():
        client.create_route(**M, virtualRouterName="front", routeName=name, spec=spec, tags=TAGS)
    client.create_virtual_service(
        **M, virtualServiceName="web.shop.local", spec=service_spec(router="front"), tags=TAGS
    )
    client.create_virtual_service(
        **M, virtualServiceName="db.shop.local", spec=service_spec(node="db"), tags=TAGS
    )
    client.create_virtual_gateway(**M, virtualGatewayName="edge", spec=gateway_spec(), tags=TAGS)
    client.create_gateway_route(
        **M,
        virtualGatewayName="edge",
        gatewayRouteName="to-web",
        spec=gateway_route_spec("web.shop.local"),
        tags=TAGS,
    )

    items: dict[str, Item] = {
        "mesh": Item((), lambda c: c.delete_mesh(meshName=MESH)),
        "gateway route to-web": Item(
            ("virtualGateways", "edge", "gatewayRoutes", "to-web"),
            lambda c: c.delete_gateway_route(
                **M, virtualGatewayName="edge", gatewayRouteName="to-web"
            ),
        ),
        "gateway edge": Item(
            ("virtualGateways", "edge"),
            lambda c: c.delete_virtual_gateway(**M, virtualGatewayName="edge"),
            {"gateway route to-web"},
        ),
        "service web": Item(
            ("virtualServices", "web.shop.local"),
            lambda c: c.delete_virtual_service(**M, virtualServiceName="web.shop.local"),
            {"gateway route to-web"},
        ),
        "service db": Item(
            ("virtualServices", "db.shop.local"),
            lambda c: c.delete_virtual_service(**M, virtualServiceName="db.shop.local"),
        ),
        "router front": Item(
            ("virtualRouters", "front"),
            lambda c: c.delete_virtual_router(**M, virtualRouterName="front"),
            {"service web", *(f"route {name}" for name in ROUTES)},
        ),
    }
    for name in ROUTES:
        items[f"route {name}"] = Item(
            ("virtualRouters", "front", "routes", name),
            _route_deleter(name),
        )
    node_users = {
        "web-v1": {"route http-canary"},
        "web-v2": {"route http-canary", "route http2-api"},
        "ledger": {"route grpc-ledger"},
        "db": {"route tcp-db", "service db"},
    }
    for name, users in node_users.items():
        items[f"node {name}"] = Item(
            ("virtualNodes", name),
            _node_deleter(name),
            users,
        )
    items["mesh"].blocked_by = set(items) - {"mesh"}
    return items


# The teardown order: each resource goes once nothing it is blocked by remains.
ORDER = [
    "gateway route to-web",
    "gateway edge",
    "service web",
    "route http-canary",
    "node web-v1",
    "route http2-api",
    "node web-v2",
    "route grpc-ledger",
    "node ledger",
    "route tcp-db",
    "router front",
    "service db",
    "node db",
    "mesh",
]


def _mesh_view(mock: MockAppMesh) -> dict[str, Any]:
    return dict(mock.snapshot()["meshes"].get(MESH) or {})


def _without(view: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """`view` with the entry at `path` removed."""
    out = copy.deepcopy(view)
    parent = out
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return out


def _at(view: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for key in path:
        view = view[key]
    return view


def test_the_topology_is_complete_and_tagged(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    items = _build(appmesh_client)
    view = _mesh_view(appmesh_mock)
    assert len(items) == len(ORDER)
    for item in items.values():
        entry = _at(view, item.path)
        assert entry["status"] == "ACTIVE"
        assert entry["tags"] == {"team": "storefront", "env": "prod"}
        assert entry["meshOwner"] == entry["resourceOwner"] == "123456789012"
    routes = appmesh_client.list_routes(**M, virtualRouterName="front")["routes"]
    assert [r["routeName"] for r in routes] == list(ROUTES)
    for name, spec in ROUTES.items():
        described = appmesh_client.describe_route(**M, virtualRouterName="front", routeName=name)
        assert described["route"]["spec"] == spec


def test_teardown_in_the_only_order_the_guards_allow(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    items = _build(appmesh_client)
    assert sorted(ORDER) == sorted(items)
    arns = {name: _at(_mesh_view(appmesh_mock), item.path)["arn"] for name, item in items.items()}
    remaining = set(items)
    refused = 0
    for step in ORDER:
        assert not (items[step].blocked_by & remaining), f"{step} is out of order"
        # Everything that still has users must refuse to go, and lose nothing.
        for name in sorted(remaining):
            if items[name].blocked_by & remaining:
                before = appmesh_mock.snapshot()
                with expect_error("ResourceInUseException"):
                    items[name].delete(appmesh_client)
                assert appmesh_mock.snapshot() == before, f"refused delete of {name} changed state"
                refused += 1
        # The allowed delete removes exactly its resource.
        before_view = _mesh_view(appmesh_mock)
        gone = _at(before_view, items[step].path)
        response = items[step].delete(appmesh_client)
        data = next(v for k, v in response.items() if k != "ResponseMetadata")
        assert data["status"] == {"status": "DELETED"}
        assert data["metadata"]["uid"] == gone["uid"]
        expected_version = gone["version"] + (0 if step == "mesh" else 1)
        assert data["metadata"]["version"] == expected_version
        remaining.discard(step)
        if step != "mesh":
            assert _mesh_view(appmesh_mock) == _without(before_view, items[step].path)
        with expect_error("NotFoundException"):
            appmesh_client.list_tags_for_resource(resourceArn=arns[step])
    assert refused > len(ORDER)
    assert appmesh_mock.snapshot() == {"meshes": {}}
    assert appmesh_client.list_meshes()["meshes"] == []


ROOT = Path(__file__).resolve().parent.parent


def test_the_topology_example_runs_and_prints_its_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(ROOT / "examples" / "topology.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "route canary  priority 100  / -> reviews-v1 90%, reviews-v2 10%" in out
    assert "gateway route reviews  /reviews/* -> reviews.bookinfo.local" in out
    assert "service reviews.bookinfo.local  provided by router reviews" in out
    assert "calls reviews.bookinfo.local" in out
    refusals = [line for line in out.splitlines() if line.startswith("  delete ")]
    assert len(refusals) == 4
    assert all(line.endswith("ResourceInUseException") for line in refusals)


def test_the_resources_page_examples_run(appmesh_mock: MockAppMesh) -> None:
    """Every Python block of docs/resources.md after the setup one, in order, in one
    namespace holding the `client` and `m` that the setup block describes."""
    page = (ROOT / "docs" / "resources.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", page, flags=re.MULTILINE | re.DOTALL)
    assert "with mock_appmesh() as m:" in blocks[0]
    namespace: dict[str, Any] = {
        "boto3": boto3,
        "m": appmesh_mock,
        "client": boto3.client("appmesh", region_name="us-east-1"),
    }
    for block in blocks[1:]:
        exec(compile(block, "docs/resources.md", "exec"), namespace)
    client = namespace["client"]
    assert client.describe_mesh(meshName="shop")["mesh"]["spec"] == {}
    kinds = appmesh_mock.snapshot()["meshes"]["shop"]
    assert list(kinds["virtualRouters"]["cart-router"]["routes"]) == ["canary"]
    assert list(kinds["virtualGateways"]["edge"]["gatewayRoutes"]) == ["to-cart"]
    shared = appmesh_mock.snapshot(account_id="111111111111")["meshes"]["shop"]
    assert shared["virtualNodes"]["reviews"]["resourceOwner"] == "222222222222"
