"""Routes whose kind differs from their router's (or gateway's) listener protocol: AWS accepts
them (the CDK's integ.mesh stack deployed tcp, grpc and http2 routes on an http router,
../shared/realworld-meshes/cdk-integ-mesh.json), and they serve no listener. `resolve` never
chooses one and says so when nothing else is left; the topology marks each (docs/routing.md
rule 7: [UG routes.md] a listener serves the routes of its protocol; [RM#82] mismatched
protocols fail in the data plane)."""

from __future__ import annotations

import pytest
from mesh_builder import MeshBuilder, target_nodes
from state_document import state_document

from appmesh_mock.semantics import topology

SVC = "cart.shop.local"


@pytest.fixture
def mesh(mesh: MeshBuilder) -> MeshBuilder:
    """conftest's builder, with an http node, a tcp node and a router behind a service."""
    mesh.node("web")
    mesh.node("raw", listeners=(("tcp", 7000),))
    mesh.router("cart")
    mesh.service(SVC, router="cart")
    return mesh


def test_a_route_of_another_protocol_is_never_chosen(mesh: MeshBuilder) -> None:
    mesh.route("cart", "a-raw", "raw", kind="tcpRoute")  # first by name, and matches anything
    mesh.route("cart", "rpc", "web", {"serviceName": "shop.Cart"}, kind="grpcRoute")
    mesh.route("cart", "web", "web", {"prefix": "/"})
    result = mesh.resolve(service=SVC, path="/shop.Cart/Get")
    assert result.matched and result.route == "web" and target_nodes(result) == ["web"]


def test_only_routes_of_other_protocols_route_nothing(mesh: MeshBuilder) -> None:
    mesh.route("cart", "raw", "raw", kind="tcpRoute")
    result = mesh.resolve(service=SVC)
    assert not result.matched and result.targets == []
    assert result.reason == (
        "virtual router 'cart' has no httpRoute for its listener's protocol "
        "(1 route(s) of other protocols)"
    )


def test_the_topology_marks_routes_no_listener_serves(mesh: MeshBuilder) -> None:
    mesh.route("cart", "raw", "raw", kind="tcpRoute")
    mesh.route("cart", "web", "web", {"prefix": "/"})
    mesh.router("multi", listeners=(("http", 8080), ("grpc", 9090)))
    mesh.route("multi", "wrong-port", "web", {"prefix": "/", "port": 9090})
    mesh.gateway("edge")
    mesh.gateway_route("edge", "h2", SVC, kind="http2Route")
    document = state_document(mesh.client)
    text = topology(document, "shop")
    assert "route raw  tcp -> raw 100%  (no tcp listener: never chosen)" in text
    assert "route web  / -> web 100%\n" in text + "\n"
    assert "(no http listener on port 9090: never chosen)" in text
    assert f"gateway route h2  /* -> {SVC}  (no http2 listener: never chosen)" in text
    for drawing in (topology(document, "shop", "mermaid"), topology(document, "shop", "dot")):
        assert drawing.count("never chosen") == 3
