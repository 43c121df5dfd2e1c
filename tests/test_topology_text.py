"""`topology(..., format="text")`: the tree examples/topology.py printed from list and
describe calls, now drawn by the library from the state document."""

from __future__ import annotations

import runpy
from pathlib import Path

import boto3
import pytest
from mesh_builder import MeshBuilder
from realistic_specs import cloud_map_node_spec, grpc_route_spec, path_gateway_route_spec
from state_document import state_document

from appmesh_mock import mock_appmesh
from appmesh_mock.semantics import topology

ROOT = Path(__file__).resolve().parent.parent


def test_the_bookinfo_tree_is_what_the_example_printed() -> None:
    example = runpy.run_path(str(ROOT / "examples" / "topology.py"))
    with mock_appmesh():
        client = boto3.client("appmesh", region_name="us-east-1")
        example["build"](client)
        tree = topology(state_document(client), "bookinfo")
    assert tree.splitlines() == [
        "mesh bookinfo  egress DROP_ALL  tags app=bookinfo, env=staging",
        "  arn:aws:appmesh:us-east-1:123456789012:mesh/bookinfo",
        "  gateway ingress  listens http:8080",
        "    gateway route reviews  /reviews/* -> reviews.bookinfo.local  (prefix rewritten to /)",
        "  service reviews.bookinfo.local  provided by router reviews",
        "    route canary  priority 100  / -> reviews-v1 90%, reviews-v2 10%  (2 retries)",
        "  node reviews-v1  dns reviews-v1.bookinfo.svc.cluster.local",
        "  node reviews-v2  dns reviews-v2.bookinfo.svc.cluster.local",
        "  node productpage  dns productpage.bookinfo.svc.cluster.local"
        "  calls reviews.bookinfo.local",
    ]


def test_every_kind_of_provider_route_and_discovery(mesh: MeshBuilder) -> None:
    mesh.node("web", listeners=(("http", 8080),), backends=["pay.shop.local", "later.shop.local"])
    mesh.client.create_virtual_node(
        meshName="shop", virtualNodeName="ledger", spec=cloud_map_node_spec()
    )
    mesh.router("pay", listeners=(("grpc", 50051),))
    mesh.client.create_route(
        meshName="shop", virtualRouterName="pay", routeName="post", spec=grpc_route_spec("ledger")
    )
    mesh.router("spare", listeners=(("http", 8080),))
    mesh.route("spare", "split", [("web", 3), ("web", 1)], {"prefix": "/", "method": "GET"})
    mesh.service("pay.shop.local", router="pay")
    mesh.service("web.shop.local", node="web")
    mesh.service("later.shop.local")
    mesh.gateway("edge")
    mesh.client.create_gateway_route(
        meshName="shop",
        virtualGatewayName="edge",
        gatewayRouteName="old",
        spec=path_gateway_route_spec("web.shop.local"),
    )
    mesh.gateway_route(
        "edge",
        "host",
        "web.shop.local",
        {"hostname": {"suffix": ".example.com"}},
        rewrite={"hostname": {"defaultTargetHostname": "DISABLED"}},
        priority=3,
    )
    lines = topology(state_document(mesh.client), "shop").splitlines()
    assert lines[0] == "mesh shop  egress DROP_ALL"
    assert lines[2:] == [
        "  gateway edge  listens http:8443",
        # In the order they are tried: a priority first (docs/routing.md, rule 20).
        "    gateway route host  priority 3  host *.example.com -> web.shop.local  (host kept)",
        "    gateway route old  = /old/checkout -> web.shop.local  (path rewritten to /checkout)",
        "  service pay.shop.local  provided by router pay",
        "    route post  priority 0  grpc payments.Ledger/Post metadata myMetadata prefix tenant-"
        " metadata region !suffix -gov -> ledger 100%  (2 retries)",
        "  service web.shop.local  provided by node web",
        "  service later.shop.local  no provider",
        "  router spare  listens http:8080  (provides no service)",
        "    route split  / GET -> web weight 3 (75%), web weight 1 (25%)",
        "  node web  dns web.shop.local  calls pay.shop.local, later.shop.local",
        "  node ledger  cloud map prod.local/payments",
    ]


def test_bad_format_or_mesh_is_a_value_error(mesh: MeshBuilder) -> None:
    document = state_document(mesh.client)
    with pytest.raises(ValueError, match="format must be one of text, mermaid, dot"):
        topology(document, "shop", "svg")
    with pytest.raises(ValueError, match="no mesh 'elsewhere'"):
        topology(document, "elsewhere")
