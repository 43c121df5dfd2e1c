"""Hand-written naive conversions, one per pitfall per target, are caught with the right
cause, and the correct hand-written conversion is reported equivalent (docs/migration.md).
The manifests are YAML as a team writes them; the meshes are built through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from mesh_builder import MeshBuilder

from appmesh_mock import MockAppMesh

# Where the team's Kubernetes Services are: App Mesh names -> theirs.
BACKENDS = {
    "catalog.shop.local": "catalog",
    "catalog-v1": "catalog-v1.shop.svc.cluster.local:8080",
    "catalog-v2": "catalog-v2.shop.svc.cluster.local:8080",
    "api-v1": "api-v1:8080",
}


def _precedence_mesh(mesh: MeshBuilder) -> None:
    """Canary testers (priority 0, any path) before exactly /api (priority 10), then the rest
    (an exact path, so that prefix semantics play no part here)."""
    for node in ("catalog-v1", "catalog-v2", "api-v1"):
        mesh.node(node)
    mesh.router("catalog")
    mesh.route("catalog", "api", "api-v1", {"path": {"exact": "/api"}}, priority=10)
    mesh.route("catalog", "rest", "catalog-v1", {"prefix": "/"}, priority=20)
    canary = {"prefix": "/", "headers": [{"name": "x-canary", "match": {"exact": "true"}}]}
    mesh.route("catalog", "canary", "catalog-v2", canary, priority=0)
    mesh.service("catalog.shop.local", router="catalog")


HTTPROUTE = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: catalog, namespace: shop}}
spec:
  parentRefs: [{{group: "", kind: Service, name: catalog, port: 8080}}]
  rules:
{rules}
"""


def _gw_rule(path: str, backend: str, header: bool = False, kind: str = "PathPrefix") -> str:
    headers = "\n      headers: [{name: x-canary, value: 'true'}]" if header else ""
    return (f"  - matches:\n    - path: {{type: {kind}, value: {path}}}{headers}\n"
            f"    backendRefs: [{{name: {backend}, port: 8080}}]\n")


VIRTUALSERVICE = """
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: catalog, namespace: shop}}
spec:
  hosts: [catalog]
  http:
{routes}
"""


def _is_route(prefix: str, backend: str, header: bool = False, extra: str = "",
              kind: str = "prefix") -> str:
    headers = "\n      headers: {x-canary: {exact: 'true'}}" if header else ""
    return (f"  - match:\n    - uri: {{{kind}: {prefix}}}{headers}\n"
            f"    route: [{{destination: {{host: {backend}, port: {{number: 8080}}}}}}]{extra}\n")


API_GW = _gw_rule("/api", "api-v1", kind="Exact")
API_IS = _is_route("/api", "api-v1", kind="exact")


def _causes(report: Any) -> set[str]:
    return {difference.cause for difference in report.differences}


def test_gateway_api_ranks_the_longer_prefix_above_app_mesh_priority(
    mock: MockAppMesh, mesh: MeshBuilder
) -> None:
    _precedence_mesh(mesh)
    naive = HTTPROUTE.format(rules=_gw_rule("/", "catalog-v2", header=True)
                             + API_GW + _gw_rule("/", "catalog-v1"))
    report = mock.check_equivalence("shop", naive, to="gateway-api", backends=BACKENDS)
    assert not report
    assert _causes(report) == {"PRECEDENCE"}
    wrong = next(d for d in report.differences if d.request.path == "/api")
    assert dict(wrong.request.headers) == {"x-canary": "true"}
    assert wrong.appmesh is not None and wrong.target is not None
    assert wrong.appmesh.targets == (("catalog-v2:8080", 1.0),)
    assert wrong.target.targets == (("api-v1:8080", 1.0),)
    # The conversion that keeps App Mesh's order states the canary match on /api too.
    kept = HTTPROUTE.format(rules=_gw_rule("/api", "catalog-v2", header=True, kind="Exact")
                            + _gw_rule("/", "catalog-v2", header=True)
                            + API_GW + _gw_rule("/", "catalog-v1"))
    correct = mock.check_equivalence("shop", kept, to="gateway-api", backends=BACKENDS)
    assert correct, correct.table()
    assert correct.requests > 50


def test_istio_takes_the_first_match_in_list_order(mock: MockAppMesh, mesh: MeshBuilder) -> None:
    _precedence_mesh(mesh)
    # Naive: the routes in the order they were created, not by priority.
    naive = VIRTUALSERVICE.format(routes=API_IS + _is_route("/", "catalog-v1")
                                  + _is_route("/", "catalog-v2", header=True))
    report = mock.check_equivalence("shop", naive, to="istio", backends=BACKENDS)
    assert _causes(report) == {"PRECEDENCE"}
    assert {d.request.path for d in report.differences} >= {"/", "/api"}
    kept = VIRTUALSERVICE.format(routes=_is_route("/", "catalog-v2", header=True)
                                 + API_IS + _is_route("/", "catalog-v1"))
    assert mock.check_equivalence("shop", kept, to="istio", backends=BACKENDS)


def _prefix_mesh(mesh: MeshBuilder) -> None:
    mesh.node("catalog-v1")
    mesh.node("catalog-v2")
    mesh.router("catalog")
    mesh.route("catalog", "product", "catalog-v2", {"prefix": "/product"}, priority=0)
    mesh.route("catalog", "rest", "catalog-v1", {"prefix": "/"}, priority=1)
    mesh.service("catalog.shop.local", router="catalog")


def test_gateway_api_prefixes_match_whole_segments(mock: MockAppMesh, mesh: MeshBuilder) -> None:
    _prefix_mesh(mesh)
    naive = HTTPROUTE.format(rules=_gw_rule("/product", "catalog-v2") + _gw_rule("/", "catalog-v1"))
    report = mock.check_equivalence("shop", naive, to="gateway-api", backends=BACKENDS)
    assert _causes(report) == {"PREFIX_SEMANTICS"}
    assert "/product-x" in {d.request.path for d in report.differences}
    # App Mesh's character prefix, said as a regular expression, routes the same where the
    # implementation ranks the expression above the prefixes; the report says it relied on that.
    regex = HTTPROUTE.format(rules=_gw_rule("/product.*", "catalog-v2", kind="RegularExpression")
                             + _gw_rule("/", "catalog-v1"))
    kept = mock.check_equivalence("shop", regex, to="gateway-api", backends=BACKENDS)
    assert kept, kept.table()
    assert any("RegularExpression" in note for note in kept.notes)


def test_istio_prefixes_match_characters_as_app_mesh(mock: MockAppMesh, mesh: MeshBuilder) -> None:
    _prefix_mesh(mesh)
    plain = VIRTUALSERVICE.format(routes=_is_route("/product", "catalog-v2")
                                  + _is_route("/", "catalog-v1"))
    assert mock.check_equivalence("shop", plain, to="istio", backends=BACKENDS)


# The catalog service is its one node: callers inside the cluster call the node's Service.
DIRECT = {**BACKENDS, "catalog.shop.local": "catalog-v1"}


def _gateway_mesh(mesh: MeshBuilder) -> None:
    mesh.node("catalog-v1")
    mesh.service("catalog.shop.local", node="catalog-v1")
    mesh.gateway("ingress")
    mesh.gateway_route("ingress", "catalog", "catalog.shop.local", {"prefix": "/catalog/"})


GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: ingress, namespace: shop}}
spec:
  parentRefs: [{{name: ingress, port: 8443}}]
  rules:
  - matches: [{{path: {{type: PathPrefix, value: /catalog/}}}}]
    backendRefs: [{{name: catalog-v1, port: 8080}}]{filters}
"""
REWRITE = """
    filters:
    - type: URLRewrite
      urlRewrite:
        hostname: catalog.shop.local
        path: {type: ReplacePrefixMatch, replacePrefixMatch: /}"""


def test_an_httproute_without_urlrewrite_keeps_the_prefix_and_host(
    mock: MockAppMesh, mesh: MeshBuilder
) -> None:
    _gateway_mesh(mesh)
    report = mock.check_equivalence("shop", GATEWAY.format(filters=""), to="gateway-api",
                                    backends=DIRECT)
    by_path = {d.request.path: d.cause for d in report.differences}
    assert by_path["/catalog/x"] == "REWRITE_DEFAULT"
    # And PathPrefix /catalog/ takes /catalog too [GW: a trailing "/" is ignored].
    assert by_path["/catalog"] == "PREFIX_SEMANTICS"
    assert {c for p, c in by_path.items() if p != "/catalog"} == {"REWRITE_DEFAULT"}
    item = next(d for d in report.differences if d.request.path == "/catalog/x")
    assert item.appmesh is not None and item.target is not None
    assert (item.appmesh.path, item.appmesh.host) == ("/x", "catalog.shop.local")
    assert item.target.path == "/catalog/x"
    # With the rewrite, only the segment rule's own boundary is left: /catalog (no slash).
    fixed = mock.check_equivalence("shop", GATEWAY.format(filters=REWRITE), to="gateway-api",
                                   backends=DIRECT)
    assert _causes(fixed) <= {"PREFIX_SEMANTICS", "REWRITE_DEFAULT"}
    assert "/catalog/x" not in {d.request.path for d in fixed.differences}


ISTIO_GATEWAY = """
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: ingress, namespace: shop}}
spec:
  hosts: ["*"]
  gateways: [ingress]
  http:
  - match: [{{uri: {{prefix: /catalog/}}}}]
    route: [{{destination: {{host: catalog-v1, port: {{number: 8080}}}}}}]{rewrite}
"""


def test_a_gateway_virtualservice_without_rewrite_keeps_the_prefix(
    mock: MockAppMesh, mesh: MeshBuilder
) -> None:
    _gateway_mesh(mesh)
    report = mock.check_equivalence("shop", ISTIO_GATEWAY.format(rewrite=""), to="istio",
                                    backends=DIRECT)
    assert _causes(report) == {"REWRITE_DEFAULT"}
    rewrite = "\n    rewrite: {uri: /, authority: catalog.shop.local}"
    fixed = mock.check_equivalence("shop", ISTIO_GATEWAY.format(rewrite=rewrite), to="istio",
                                   backends=DIRECT)
    # Left: "/catalog//x", where App Mesh keeps one slash of the rest and Istio both.
    assert {d.request.path.startswith("/catalog//") for d in fixed.differences} <= {True}


def _matcher_mesh(mesh: MeshBuilder, header: dict[str, Any]) -> None:
    mesh.node("catalog-v1")
    mesh.node("catalog-v2")
    mesh.router("catalog")
    mesh.route("catalog", "special", "catalog-v2", {"prefix": "/", "headers": [header]}, priority=0)
    mesh.route("catalog", "rest", "catalog-v1", {"prefix": "/"}, priority=1)
    mesh.service("catalog.shop.local", router="catalog")


@pytest.mark.parametrize(
    ("to", "header", "naive"),
    [
        ("gateway-api", {"name": "x-user", "match": {"suffix": "@corp.example"}},
         HTTPROUTE.format(rules=_gw_rule("/", "catalog-v2") + _gw_rule("/", "catalog-v1"))),
        ("gateway-api", {"name": "x-beta", "match": {"exact": "no"}, "invert": True},
         HTTPROUTE.format(rules=_gw_rule("/", "catalog-v2") + _gw_rule("/", "catalog-v1"))),
        ("istio", {"name": "x-version", "match": {"range": {"start": 2, "end": 5}}},
         VIRTUALSERVICE.format(routes=_is_route("/", "catalog-v2") + _is_route("/", "catalog-v1"))),
    ],
    ids=["gateway-api-suffix", "gateway-api-invert", "istio-range"],
)
def test_a_matcher_the_target_lacks_is_named(
    mock: MockAppMesh, mesh: MeshBuilder, to: str, header: dict[str, Any], naive: str
) -> None:
    _matcher_mesh(mesh, header)
    report = mock.check_equivalence("shop", naive, to=to, backends=BACKENDS)
    assert _causes(report) == {"MATCHER_UNSUPPORTED"}
    assert header["name"] in report.differences[0].explanation


def test_istio_retries_twice_where_the_route_said_otherwise(
    mock: MockAppMesh, mesh: MeshBuilder
) -> None:
    mesh.node("catalog-v1")
    mesh.router("catalog")
    mesh.client.create_route(
        meshName="shop", virtualRouterName="catalog", routeName="rest",
        spec={"httpRoute": {
            "match": {"prefix": "/"},
            "action": {"weightedTargets": [{"virtualNode": "catalog-v1", "weight": 1}]},
            "retryPolicy": {"maxRetries": 5, "perRetryTimeout": {"unit": "s", "value": 1},
                            "httpRetryEvents": ["server-error"]}}})  # fmt: skip
    mesh.service("catalog.shop.local", router="catalog")
    naive = VIRTUALSERVICE.format(routes=_is_route("/", "catalog-v1"))
    report = mock.check_equivalence("shop", naive, to="istio", backends=BACKENDS)
    assert _causes(report) == {"POLICY_DEFAULT"}
    target = report.differences[0].target
    assert target is not None and target.retries == 2
    kept = VIRTUALSERVICE.format(routes=_is_route("/", "catalog-v1",
                                                  extra="\n    retries: {attempts: 5}"))
    assert mock.check_equivalence("shop", kept, to="istio", backends=BACKENDS)
