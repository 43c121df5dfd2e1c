"""Route resolution through a virtual gateway: listener, gateway route, rewrites, then on
into the mesh. Sources as in test_resolve_routes.py and docs/routing.md."""

from __future__ import annotations

import pytest
from mesh_builder import MeshBuilder, target_nodes

CART = "cart.shop.local"
WEB = "web.shop.local"


@pytest.fixture
def mesh(mesh: MeshBuilder) -> MeshBuilder:
    """Two services, each provided by its own node directly, and gateway "edge"."""
    for service, node in ((CART, "cart"), (WEB, "web")):
        mesh.node(node)
        mesh.service(service, node=node)
    mesh.gateway("edge")
    return mesh


def test_hostname_exact_and_suffix(mesh: MeshBuilder) -> None:
    # [M GatewayRouteHostnameMatch] "The exact host name" / "The specified ending characters
    # of the host name"; [I] compared without the port and case-insensitively (DNS names).
    mesh.gateway_route("edge", "cart", CART, {"hostname": {"exact": "cart.example.com"}})
    mesh.gateway_route("edge", "web", WEB, {"hostname": {"suffix": ".example.com"}})
    assert mesh.resolve(gateway="edge", host="Cart.Example.com:8443").gateway_route == "cart"
    result = mesh.resolve(gateway="edge", host="www.example.com")
    assert result.gateway_route == "web" and target_nodes(result) == ["web"]
    refused = mesh.resolve(gateway="edge", host="example.org")
    assert not refused.matched and "does not end with .example.com" in str(refused.reason)


def test_longest_prefix_wins(mesh: MeshBuilder) -> None:
    # [UG gateway-routes.md] "If multiple gateway routes are defined, then a request is matched
    # to the route with the longest prefix": /chapter/ goes to the /chapter route, not /.
    mesh.gateway_route("edge", "root", WEB, {"prefix": "/"})
    mesh.gateway_route("edge", "chapter", CART, {"prefix": "/chapter"})
    result = mesh.resolve(gateway="edge", path="/chapter/")
    assert result.gateway_route == "chapter" and result.virtual_service == CART
    assert "longest prefix first" in result.steps[1].rule
    assert mesh.resolve(gateway="edge", path="/book").gateway_route == "root"


def test_gateway_route_priority_before_length(mesh: MeshBuilder) -> None:
    # [M GatewayRouteSpec.priority] "The ordering of the gateway routes spec", 0 highest as
    # for routes [UG gateway-routes.md, console: Priority].
    mesh.gateway_route("edge", "root", WEB, {"prefix": "/"}, priority=0)
    mesh.gateway_route("edge", "chapter", CART, {"prefix": "/chapter"}, priority=10)
    assert mesh.resolve(gateway="edge", path="/chapter/1").gateway_route == "root"


def test_default_rewrites(mesh: MeshBuilder) -> None:
    # [UG virtual_gateways.md] "rewrites the incoming request's hostname to the Gateway Route
    # target Virtual Service's name, and the matched prefix from the Gateway Route is
    # rewritten to /, by default"; [UG gateway-routes.md] with prefix /chapter, /chapter/page
    # becomes /page and /chapter1 becomes /1.
    mesh.gateway_route("edge", "chapter", CART, {"prefix": "/chapter"})
    page = mesh.resolve(gateway="edge", path="/chapter/page", host="www.example.com")
    assert (page.host, page.path) == (CART, "/page")
    assert mesh.resolve(gateway="edge", path="/chapter1").path == "/1"
    assert mesh.resolve(gateway="edge", path="/chapter").path == "/"


def test_disabled_rewrites(mesh: MeshBuilder) -> None:
    # [M GatewayRouteHostnameRewrite.defaultTargetHostname, HttpGatewayRoutePrefixRewrite
    # .defaultPrefix] ENABLED | DISABLED: disabled keeps the host and the path as they came.
    mesh.gateway_route(
        "edge",
        "kept",
        CART,
        {"prefix": "/cart/"},
        rewrite={
            "hostname": {"defaultTargetHostname": "DISABLED"},
            "prefix": {"defaultPrefix": "DISABLED"},
        },
    )
    result = mesh.resolve(gateway="edge", path="/cart/items", host="shop.example.com")
    assert (result.host, result.path) == ("shop.example.com", "/cart/items")
    assert "host kept" in result.steps[1].rule and "path kept" in result.steps[1].rule
    assert mesh.resolve(gateway="edge", path="/cart/x").host is None  # no Host header, none kept


def test_explicit_prefix_and_path_rewrites(mesh: MeshBuilder) -> None:
    # [M HttpGatewayRoutePrefixRewrite.value] "The value used to replace the incoming route
    # prefix"; [M HttpGatewayRoutePathRewrite.exact] "The exact path to rewrite".
    mesh.gateway_route(
        "edge", "v1", CART, {"prefix": "/v1/"}, rewrite={"prefix": {"value": "/api/"}}
    )
    mesh.gateway_route(
        "edge", "health", WEB, {"path": {"exact": "/healthz"}}, rewrite={"path": {"exact": "/ping"}}
    )
    assert mesh.resolve(gateway="edge", path="/v1/orders").path == "/api/orders"
    assert mesh.resolve(gateway="edge", path="/healthz").path == "/ping"


def test_listener_port_and_target_port(mesh: MeshBuilder) -> None:
    # [UG multiple-listeners.md] gateway routes match the gateway's listener port and name a
    # target port, which picks the provider's listener; [M GatewayRouteTarget.port].
    mesh.node("shop", listeners=(("http", 8080), ("http", 9090)))
    mesh.service("shop.shop.local", node="shop")
    mesh.gateway("multi", listeners=(("http", 80), ("http", 81)))
    mesh.gateway_route("multi", "public", "shop.shop.local", {"prefix": "/", "port": 80}, port=8080)
    mesh.gateway_route("multi", "admin", "shop.shop.local", {"prefix": "/", "port": 81}, port=9090)
    assert mesh.resolve(gateway="multi", port=80).targets == [("shop", 100, 1.0, 8080)]
    assert mesh.resolve(gateway="multi", port=81).targets == [("shop", 100, 1.0, 9090)]
    missing = mesh.resolve(gateway="multi", port=82)
    assert not missing.matched and "no listener on port 82" in str(missing.reason)


def test_grpc_gateway_route(mesh: MeshBuilder) -> None:
    # [M GrpcGatewayRouteMatch] serviceName and metadata; the gRPC rewrite has only the
    # hostname [M GrpcGatewayRouteRewrite], so the path reaches the service unchanged.
    mesh.gateway("rpc", listeners=(("grpc", 50051),))
    mesh.gateway_route(
        "rpc",
        "cart",
        CART,
        {"serviceName": "shop.Cart", "metadata": [{"name": "x-region", "match": {"exact": "eu"}}]},
        kind="grpcRoute",
    )
    result = mesh.resolve(gateway="rpc", path="/shop.Cart/Add", headers={"x-region": "eu"})
    assert result.gateway_route == "cart" and result.path == "/shop.Cart/Add"
    assert result.host == CART
    assert not mesh.resolve(gateway="rpc", path="/shop.Cart/Add").matched


def test_gateway_into_a_router(mesh: MeshBuilder) -> None:
    # [UG gateway-routes.md] after the rewrite the virtual service's router routes the
    # rewritten path: /shop/checkout reaches the router as /checkout.
    mesh.node("checkout")
    mesh.router("store")
    mesh.route("store", "checkout", "checkout", {"prefix": "/checkout"})
    mesh.service("store.shop.local", router="store")
    mesh.gateway_route("edge", "store", "store.shop.local", {"prefix": "/shop"})
    result = mesh.resolve(gateway="edge", path="/shop/checkout")
    assert result.matched and result.route == "checkout" and result.path == "/checkout"
    assert [step.kind for step in result.steps] == [
        "virtualGateway",
        "gatewayRoute",
        "virtualService",
        "virtualRouter",
        "route",
        "virtualNode",
    ]
