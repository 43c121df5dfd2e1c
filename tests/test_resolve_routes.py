"""Route resolution inside the mesh: a virtual service, its router's listener and routes.

Each test cites the documented rule it checks ([M] botocore model doc string, 2019-01-25;
[UG] App Mesh user guide; [EX] AWS example; [I] our inference, see docs/routing.md).
"""

from __future__ import annotations

import pytest
from mesh_builder import MeshBuilder, target_nodes

SVC = "cart.shop.local"


def routed(
    mesh: MeshBuilder, *nodes: str, listeners: tuple[tuple[str, int], ...] = (("http", 8080),)
) -> None:
    """Nodes (each on the first listener's protocol and port), router "cart" with the
    listeners, and the service it provides."""
    for node in nodes:
        mesh.node(node, listeners=listeners[:1])
    mesh.router("cart", listeners=listeners)
    mesh.service(SVC, router="cart")


def test_priority_zero_is_highest_roadmap_167(mesh: MeshBuilder) -> None:
    # [M RouteSpec.priority] "Routes are matched based on the specified value, where 0 is the
    # highest priority." aws-app-mesh-roadmap#167: a header route given priority 100 "to win"
    # loses to the catch-all at priority 1, even for requests carrying the header.
    routed(mesh, "v1", "v2")
    mesh.route(
        "cart",
        "branch-v2",
        "v2",
        {"prefix": "/", "headers": [{"name": "branch", "match": {"exact": "v2"}}]},
        priority=100,
    )
    mesh.route("cart", "default", "v1", priority=1)
    result = mesh.resolve(service=SVC, headers={"branch": "v2"})
    assert result.matched and result.route == "default" and target_nodes(result) == ["v1"]
    assert "priority 1 beats 'branch-v2' at priority 100" in result.steps[-2].rule
    # Given the higher priority (the lower number), the header route takes the request.
    mesh.client.update_route(
        meshName="shop",
        virtualRouterName="cart",
        routeName="branch-v2",
        spec={
            "priority": 0,
            "httpRoute": {
                "match": {"prefix": "/", "headers": [{"name": "branch", "match": {"exact": "v2"}}]},
                "action": {"weightedTargets": [{"virtualNode": "v2", "weight": 1}]},
            },
        },
    )
    assert mesh.resolve(service=SVC, headers={"branch": "v2"}).route == "branch-v2"
    assert mesh.resolve(service=SVC).route == "default"


def test_routes_without_priority_longest_prefix_first(mesh: MeshBuilder) -> None:
    # [UG gateway-routes.md] "a request is matched to the route with the longest prefix";
    # aws-app-mesh-roadmap#77: App Mesh "does sort the routes according to length". Routes
    # without a priority are ordered so, whatever their creation order.
    routed(mesh, "web", "api", "admin")
    mesh.route("cart", "all", "web")
    mesh.route("cart", "api", "api", {"prefix": "/api"})
    mesh.route("cart", "api-admin", "admin", {"prefix": "/api/admin"})
    assert mesh.resolve(service=SVC, path="/api/admin/users").route == "api-admin"
    result = mesh.resolve(service=SVC, path="/api/orders")
    assert result.route == "api"
    assert "prefix /api is longer than the prefix / of 'all'" in result.steps[-2].rule
    assert mesh.resolve(service=SVC, path="/index.html").route == "all"


def test_prioritised_routes_before_unprioritised(mesh: MeshBuilder) -> None:
    # [I] docs/routing.md: a route that states a priority is tried before one that states none,
    # even if the other's prefix is longer.
    routed(mesh, "a", "b")
    mesh.route("cart", "long", "a", {"prefix": "/long/prefix"})
    mesh.route("cart", "ranked", "b", priority=1000)
    result = mesh.resolve(service=SVC, path="/long/prefix/x")
    assert (
        result.route == "ranked" and "has a priority and 'long' has none" in result.steps[-2].rule
    )


def test_prefix_exact_and_regex_paths(mesh: MeshBuilder) -> None:
    # [M HttpRouteMatch.prefix] "/" "by itself matches all requests"; a prefix is a plain
    # string prefix [UG gateway-routes.md: /chapter matches /chapter1]. [M HttpPathMatch]
    # exact and regex; [I] the regex must match the whole path, as Envoy's safe_regex does.
    routed(mesh, "exact", "regex", "prefix")
    mesh.route("cart", "exact", "exact", {"path": {"exact": "/checkout"}})
    mesh.route("cart", "regex", "regex", {"path": {"regex": r"/items/\d+"}})
    mesh.route("cart", "prefix", "prefix", {"prefix": "/check"})
    assert mesh.resolve(service=SVC, path="/checkout").route == "exact"
    assert mesh.resolve(service=SVC, path="/checkout/2").route == "prefix"
    assert mesh.resolve(service=SVC, path="/checkpoint").route == "prefix"
    assert mesh.resolve(service=SVC, path="/items/42").route == "regex"
    missed = mesh.resolve(service=SVC, path="/items/42/reviews")
    assert not missed.matched and "does not match regex" in str(missed.reason)
    assert mesh.resolve(service=SVC, path="/checkout?coupon=1").route == "exact"
    # A pattern Python cannot compile matches nothing; the resolution still answers.
    mesh.route("cart", "broken", "regex", {"path": {"regex": "/check("}}, priority=0)
    assert mesh.resolve(service=SVC, path="/check(").route == "prefix"


@pytest.mark.parametrize(
    ("criterion", "accepted", "refused"),
    [
        # [M HeaderMatchMethod] exact, prefix, suffix, regex and range.
        ({"exact": "gold"}, "gold", "golden"),
        ({"prefix": "gold"}, "golden", "rose-gold"),
        ({"suffix": "gold"}, "rose-gold", "golden"),
        ({"regex": "g[aeiou]ld"}, "gild", "gilded"),
        # [M MatchRange] "The first character of the range is included ... the last is not".
        ({"range": {"start": 100, "end": 150}}, "100", "150"),
    ],
)
def test_header_match_kinds(
    mesh: MeshBuilder, criterion: dict[str, object], accepted: str, refused: str
) -> None:
    routed(mesh, "vip", "rest")
    mesh.route(
        "cart",
        "vip",
        "vip",
        {"prefix": "/", "headers": [{"name": "x-tier", "match": criterion}]},
        priority=0,
    )
    mesh.route("cart", "rest", "rest", priority=1)
    assert mesh.resolve(service=SVC, headers={"X-Tier": accepted}).route == "vip"
    assert mesh.resolve(service=SVC, headers={"x-tier": refused}).route == "rest"
    assert mesh.resolve(service=SVC).route == "rest"  # a missing header matches nothing


def test_header_invert_presence_and_absence(mesh: MeshBuilder) -> None:
    # [M HttpRouteHeader.invert] "match anything except the match criteria"; [UG routes.md]
    # an inverted prefix matches "any request that has a header that starts with anything
    # other than" it; [EX howto-http-headers] no match method tests presence, inverted absence.
    routed(mesh, "not-123", "present", "absent")
    mesh.route(
        "cart",
        "not-123",
        "not-123",
        {
            "prefix": "/",
            "headers": [{"name": "clientRequestId", "invert": True, "match": {"prefix": "123"}}],
        },
        priority=0,
    )
    mesh.route(
        "cart", "present", "present", {"prefix": "/", "headers": [{"name": "color"}]}, priority=1
    )
    mesh.route(
        "cart",
        "absent",
        "absent",
        {"prefix": "/", "headers": [{"name": "color", "invert": True}]},
        priority=2,
    )
    assert mesh.resolve(service=SVC, headers={"clientRequestId": "999"}).route == "not-123"
    assert mesh.resolve(service=SVC, headers={"clientRequestId": "1234", "color": "x"}).route == (
        "present"
    )
    assert mesh.resolve(service=SVC).route == "absent"
    refused = mesh.resolve(service=SVC, headers={"color": "red", "clientRequestId": "123"})
    assert refused.route == "present"


def test_query_parameters(mesh: MeshBuilder) -> None:
    # [M HttpQueryParameter, QueryParameterMatch.exact]; [I] a parameter with no match
    # only needs to be present.
    routed(mesh, "beta", "debug", "rest")
    mesh.route(
        "cart",
        "beta",
        "beta",
        {"prefix": "/", "queryParameters": [{"name": "channel", "match": {"exact": "beta"}}]},
        priority=0,
    )
    mesh.route(
        "cart",
        "debug",
        "debug",
        {"prefix": "/", "queryParameters": [{"name": "debug"}]},
        priority=1,
    )
    mesh.route("cart", "rest", "rest", priority=2)
    assert mesh.resolve(service=SVC, query={"channel": "beta"}).route == "beta"
    assert mesh.resolve(service=SVC, path="/?channel=stable&debug").route == "debug"
    assert mesh.resolve(service=SVC, query="channel=stable").route == "rest"


def test_method_and_scheme(mesh: MeshBuilder) -> None:
    # [M HttpRouteMatch.method] "Specify only one"; [M HttpRouteMatch.scheme] http or https,
    # "Applicable only for HTTP2 routes".
    routed(mesh, "writer", "secure", "reader", listeners=(("http2", 8080),))
    mesh.route(
        "cart", "writes", "writer", {"prefix": "/", "method": "POST"}, kind="http2Route", priority=0
    )
    mesh.route(
        "cart",
        "secure",
        "secure",
        {"prefix": "/", "scheme": "https"},
        kind="http2Route",
        priority=1,
    )
    mesh.route("cart", "reads", "reader", kind="http2Route", priority=2)
    assert mesh.resolve(service=SVC, method="post").route == "writes"
    assert mesh.resolve(service=SVC, scheme="https").route == "secure"
    assert mesh.resolve(service=SVC).route == "reads"


def test_ports_and_multiple_listeners(mesh: MeshBuilder) -> None:
    # [UG multiple-listeners.md] with several listeners, each route names its match port and
    # the listener is chosen by the port; [M HttpRouteMatch.port] "The port number to match on".
    routed(mesh, "web", "admin", listeners=(("http", 8080), ("http", 9090)))
    mesh.route("cart", "web", "web", {"prefix": "/", "port": 8080})
    mesh.route("cart", "admin", "admin", {"prefix": "/", "port": 9090})
    web = mesh.resolve(service=SVC, port=8080)
    assert web.route == "web" and "listener http:8080 chosen by port 8080" in str(web)
    assert mesh.resolve(service=SVC, port=9090).route == "admin"
    unknown = mesh.resolve(service=SVC, port=7070)
    assert not unknown.matched and "no listener on port 7070" in str(unknown.reason)
    ambiguous = mesh.resolve(service=SVC)
    assert not ambiguous.matched and "several listeners" in str(ambiguous.reason)


def test_listener_protocol_selects_route_kind(mesh: MeshBuilder) -> None:
    # [UG routes.md] "The protocol that you select must match the listener protocol": the
    # grpc listener serves grpc routes only, the http one http routes only.
    routed(mesh, "rpc", "web", listeners=(("grpc", 50051), ("http", 8080)))
    mesh.route("cart", "rpc", "rpc", {"port": 50051}, kind="grpcRoute")
    mesh.route("cart", "web", "web", {"prefix": "/", "port": 8080})
    assert mesh.resolve(service=SVC, port=50051, path="/shop.Cart/Add").route == "rpc"
    assert mesh.resolve(service=SVC, port=8080, path="/shop.Cart/Add").route == "web"


def test_weights_shares_and_zero_weights(mesh: MeshBuilder) -> None:
    # [M WeightedTarget] traffic is split by relative weight: 50 receives five times what 10
    # does; a weight of 0 receives nothing (share 0).
    routed(mesh, "v1", "v2", "v3")
    mesh.route("cart", "split", [("v1", 50), ("v2", 10), ("v3", 0)])
    result = mesh.resolve(service=SVC)
    shares = {t.virtual_node: (t.weight, round(t.share, 4), t.port) for t in result.targets}
    assert shares == {"v1": (50, 0.8333, 8080), "v2": (10, 0.1667, 8080), "v3": (0, 0.0, 8080)}
    assert result.targets[0] == ("v1", 50, 50 / 60, 8080)  # a plain tuple too


def test_all_weights_zero_is_no_traffic(mesh: MeshBuilder) -> None:
    # [M WeightedTarget] with every weight 0 the route matches but nothing receives traffic.
    routed(mesh, "v1")
    mesh.route("cart", "drained", [("v1", 0)])
    result = mesh.resolve(service=SVC)
    assert not result.matched and result.route == "drained" and "weight 0" in str(result.reason)
    assert result.targets == [("v1", 0, 0.0, 8080)]


def test_grpc_service_method_and_metadata(mesh: MeshBuilder) -> None:
    # [M GrpcRouteMatch] serviceName, methodName ("you must also specify a serviceName") and
    # metadata (same match methods as headers, with invert); [UG routes.md] no service name
    # matches any service. gRPC puts /package.Service/Method on the wire as :path.
    routed(mesh, "add", "beta", "cart", "any", listeners=(("grpc", 50051),))
    mesh.route(
        "cart",
        "add",
        "add",
        {"serviceName": "shop.Cart", "methodName": "Add"},
        kind="grpcRoute",
        priority=0,
    )
    mesh.route(
        "cart",
        "beta",
        "beta",
        {
            "serviceName": "shop.Cart",
            "metadata": [{"name": "x-channel", "match": {"prefix": "beta"}}],
        },
        kind="grpcRoute",
        priority=1,
    )
    mesh.route("cart", "cart", "cart", {"serviceName": "shop.Cart"}, kind="grpcRoute", priority=2)
    mesh.route("cart", "any", "any", {"port": 50051}, kind="grpcRoute", priority=3)
    assert mesh.resolve(service=SVC, path="/shop.Cart/Add").route == "add"
    assert (
        mesh.resolve(service=SVC, path="/shop.Cart/Remove", headers={"x-channel": "beta-2"}).route
        == "beta"
    )
    assert mesh.resolve(service=SVC, path="/shop.Cart/Remove").route == "cart"
    assert mesh.resolve(service=SVC, path="/shop.Orders/List").route == "any"


def test_tcp_routes_match_only_the_port(mesh: MeshBuilder) -> None:
    # [M TcpRouteMatch] a tcp route matches only on port; path and headers play no part.
    routed(mesh, "db-primary", "db-replica", listeners=(("tcp", 5432), ("tcp", 5433)))
    mesh.route("cart", "primary", "db-primary", {"port": 5432}, kind="tcpRoute")
    mesh.route("cart", "replica", "db-replica", {"port": 5433}, kind="tcpRoute")
    result = mesh.resolve(service=SVC, port=5433, path="/ignored", headers={"a": "b"})
    assert result.route == "replica" and target_nodes(result) == ["db-replica"]


def test_no_route_matches(mesh: MeshBuilder) -> None:
    # [UG gateway-routes.md] without a matching route "the request would be dropped".
    routed(mesh, "api")
    mesh.route("cart", "api", "api", {"prefix": "/api"})
    result = mesh.resolve(service=SVC, path="/web")
    assert not result.matched and result.targets == []
    assert "'api': path /web does not start with /api" in str(result.reason)
