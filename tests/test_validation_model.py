"""Server-side checks derived from the model, through boto3 with client validation switched off.

botocore checks only minimums, required members and unions, and `parameter_validation=False`
switches even that off, so every value below reaches the mock as a user could send it. Each
refusal must be BadRequestException (400) naming the member, and must change nothing.

Decision: more than 50 tags in one call answers BadRequestException, not TooManyTagsException.
The model puts `max: 50` on TagList itself, so the request is malformed before any resource is
counted; TooManyTagsException stays for a resource that would end up above 50 (see test_tags).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from appmesh_mock import MockAppMesh

LOOSE = Config(parameter_validation=False)
CURRENT, LEGACY = "2019-01-25", "2018-10-01"
DNS = {"dns": {"hostname": "n.local"}}


def _client(version: str) -> Any:
    return boto3.client("appmesh", region_name="us-east-1", api_version=version, config=LOOSE)


@pytest.fixture
def loose(appmesh_mock: MockAppMesh) -> dict[str, Any]:
    """Both API versions' clients, and a mesh `m` holding node `n` and router `r` (http:8080)."""
    clients = {CURRENT: _client(CURRENT), LEGACY: _client(LEGACY)}
    current = clients[CURRENT]
    current.create_mesh(meshName="m")
    current.create_virtual_node(meshName="m", virtualNodeName="n", spec={})
    current.create_virtual_router(meshName="m", virtualRouterName="r", spec=_router(8080))
    return clients


def refused(mock: MockAppMesh, call: Callable[[], Any], member: str) -> str:
    """`call` fails with BadRequestException (400) naming `member`, and nothing changed."""
    before = mock.snapshot()
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    assert error["Code"] == "BadRequestException", error
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert member in error["Message"], error["Message"]
    assert mock.snapshot() == before
    return str(error["Message"])


def _router(*ports: Any, protocol: Any = "http") -> dict[str, Any]:
    return {"listeners": [{"portMapping": {"port": p, "protocol": protocol}} for p in ports]}


def _route(weight: Any = 1, targets: int = 1, **extra: Any) -> dict[str, Any]:
    action = {"weightedTargets": [{"virtualNode": "n", "weight": weight}] * targets}
    return {"httpRoute": {"match": {"prefix": "/"}, "action": action}, **extra}


def _health(**changes: Any) -> dict[str, Any]:
    policy = {
        "healthyThreshold": 2,
        "intervalMillis": 5000,
        "protocol": "http",
        "path": "/ping",
        "timeoutMillis": 2000,
        "unhealthyThreshold": 2,
    }
    return {**policy, **changes}


def _node(health: dict[str, Any]) -> dict[str, Any]:
    listener = {"portMapping": {"port": 8080, "protocol": "http"}, "healthCheck": health}
    return {"listeners": [listener], "serviceDiscovery": DNS}


def _node_call(version: str, spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if version == LEGACY:
        spec = {**spec, "serviceDiscovery": {"dns": {"serviceName": "n.local"}}}
    return "create_virtual_node", {"meshName": "m", "virtualNodeName": "n2", "spec": spec}


LONG = "x" * 256
TAGS_51 = [{"key": f"k{i}", "value": "v"} for i in range(51)]

# (API version, operation, arguments, the member the message must name)
REFUSED: list[Any] = [
    # names and list limits, both versions
    *[
        pytest.param(v, "create_mesh", {"meshName": LONG}, "meshName", id=f"{v}-mesh-name-256")
        for v in (CURRENT, LEGACY)
    ],
    *[
        pytest.param(
            v, "create_virtual_node", {"meshName": "m", "virtualNodeName": LONG, "spec": {}},
            "virtualNodeName", id=f"{v}-node-name-256",
        )
        for v in (CURRENT, LEGACY)
    ],
    *[
        pytest.param(v, op, {**args, "limit": limit}, "limit", id=f"{v}-{op}-limit-{limit}")
        for v in (CURRENT, LEGACY)
        for op, args in (("list_meshes", {}), ("list_routes", {"meshName": "m",
                                                             "virtualRouterName": "r"}))
        for limit in (0, 101)
    ],
    pytest.param(
        CURRENT, "list_tags_for_resource",
        {"resourceArn": "arn:aws:appmesh:us-east-1:123456789012:mesh/m", "limit": 51},
        "limit", id="tags-limit-51",
    ),
    # ports and weights
    *[
        pytest.param(
            CURRENT, "create_virtual_router",
            {"meshName": "m", "virtualRouterName": "r2", "spec": _router(port)},
            "spec.listeners[0].portMapping.port", id=f"router-port-{port}",
        )
        for port in (0, 65536)
    ],
    *[
        pytest.param(
            v, *_node_call(v, {"listeners": [{"portMapping": {"port": port, "protocol": "http"}}]}),
            "spec.listeners[0].portMapping.port", id=f"{v}-node-port-{port}",
        )
        for v in (CURRENT, LEGACY)
        for port in (0, 65536)
    ],
    *[
        pytest.param(
            v, "create_route",
            {"meshName": "m", "virtualRouterName": "r", "routeName": "x", "spec": _route(weight)},
            "spec.httpRoute.action.weightedTargets[0].weight", id=f"{v}-weight-{weight}",
        )
        for v in (CURRENT, LEGACY)
        for weight in (-1, 101)
    ],
    pytest.param(
        CURRENT, "create_route",
        {"meshName": "m", "virtualRouterName": "r", "routeName": "x", "spec": _route(targets=11)},
        "spec.httpRoute.action.weightedTargets", id="eleven-weighted-targets",
    ),
    *[
        pytest.param(
            CURRENT, "create_route",
            {"meshName": "m", "virtualRouterName": "r", "routeName": "x",
             "spec": _route(priority=priority)},
            "spec.priority", id=f"priority-{priority}",
        )
        for priority in (-1, 1001)
    ],
    pytest.param(
        LEGACY, "create_virtual_router",
        {"meshName": "m", "virtualRouterName": "r2",
         "spec": {"serviceNames": [f"s{i}.local" for i in range(11)]}},
        "spec.serviceNames", id="legacy-eleven-service-names",
    ),
    # health-check ranges
    *[
        pytest.param(
            v, *_node_call(v, _node(_health(**{member: value}))),
            f"spec.listeners[0].healthCheck.{member}", id=f"{v}-health-{member}-{value}",
        )
        for v in (CURRENT, LEGACY)
        for member, value in (
            ("healthyThreshold", 1), ("unhealthyThreshold", 11), ("intervalMillis", 4999),
            ("intervalMillis", 300001), ("timeoutMillis", 1999), ("timeoutMillis", 60001),
        )
    ],
    # enums
    pytest.param(
        CURRENT, "create_mesh", {"meshName": "x", "spec": {"egressFilter": {"type": "BOGUS"}}},
        "spec.egressFilter.type", id="egress-filter-type",
    ),
    pytest.param(
        CURRENT, "create_virtual_router",
        {"meshName": "m", "virtualRouterName": "r2", "spec": _router(80, protocol="udp")},
        "spec.listeners[0].portMapping.protocol", id="router-protocol-udp",
    ),
    pytest.param(
        LEGACY, *_node_call(LEGACY, {"listeners": [{"portMapping": {"port": 80,
                                                                    "protocol": "grpc"}}]}),
        "spec.listeners[0].portMapping.protocol", id="legacy-protocol-grpc",
    ),
    pytest.param(
        CURRENT, "create_virtual_gateway",
        {"meshName": "m", "virtualGatewayName": "g", "spec": _router(80, protocol="tcp")},
        "spec.listeners[0].portMapping.protocol", id="gateway-protocol-tcp",
    ),
    *[
        pytest.param(
            CURRENT, "create_route",
            {"meshName": "m", "virtualRouterName": "r", "routeName": "x",
             "spec": {kind: {**_route()["httpRoute"], "match": match, "retryPolicy": {
                 "maxRetries": 1, "perRetryTimeout": {"unit": "s", "value": 1}, **policy}}}},
            f"spec.{kind}.retryPolicy.{member}", id=f"retry-{member}",
        )
        for kind, match, policy, member in (
            ("httpRoute", {"prefix": "/"}, {"tcpRetryEvents": ["server-error"]},
             "tcpRetryEvents[0]"),
            ("httpRoute", {"prefix": "/"}, {"tcpRetryEvents": ["connection-error"] * 2},
             "tcpRetryEvents"),
            ("grpcRoute", {"serviceName": "s"}, {"grpcRetryEvents": ["internal-error"]},
             "grpcRetryEvents[0]"),
            ("httpRoute", {"prefix": "/"}, {"httpRetryEvents": ["x" * 26]},
             "httpRetryEvents[0]"),
            ("httpRoute", {"prefix": "/"}, {"maxRetries": -1, "tcpRetryEvents":
                                            ["connection-error"]}, "maxRetries"),
            ("httpRoute", {"prefix": "/"}, {"perRetryTimeout": {"unit": "h", "value": 1},
                                            "tcpRetryEvents": ["connection-error"]},
             "perRetryTimeout.unit"),
        )
    ],
    # required nested members
    pytest.param(
        CURRENT, "create_mesh", {"meshName": "x", "spec": {"egressFilter": {}}},
        "spec.egressFilter.type is required", id="egress-filter-without-type",
    ),
    *[
        pytest.param(
            v, *_node_call(v, _node({k: w for k, w in _health().items() if k != "protocol"})),
            "spec.listeners[0].healthCheck.protocol is required", id=f"{v}-health-no-protocol",
        )
        for v in (CURRENT, LEGACY)
    ],
    pytest.param(
        CURRENT, "create_virtual_node",
        {"meshName": "m", "virtualNodeName": "n2", "spec": {"serviceDiscovery": {"dns": {}}}},
        "spec.serviceDiscovery.dns.hostname is required", id="dns-without-hostname",
    ),
    pytest.param(
        CURRENT, "create_route",
        {"meshName": "m", "virtualRouterName": "r", "routeName": "x",
         "spec": {"httpRoute": {"match": {"prefix": "/"}}}},
        "spec.httpRoute.action is required", id="route-without-action",
    ),
    # unions with two members
    pytest.param(
        CURRENT, "create_virtual_node",
        {"meshName": "m", "virtualNodeName": "n2",
         "spec": {"serviceDiscovery": {**DNS, "awsCloudMap": {"namespaceName": "ns",
                                                               "serviceName": "s"}}}},
        "spec.serviceDiscovery must set exactly one of", id="service-discovery-two-members",
    ),
    pytest.param(
        CURRENT, "create_virtual_service",
        {"meshName": "m", "virtualServiceName": "s.local",
         "spec": {"provider": {"virtualNode": {"virtualNodeName": "n"},
                               "virtualRouter": {"virtualRouterName": "r"}}}},
        "spec.provider must set exactly one of", id="provider-two-members",
    ),
    # wrong JSON types
    pytest.param(
        CURRENT, "create_virtual_router",
        {"meshName": "m", "virtualRouterName": "r2", "spec": _router("8080")},
        "spec.listeners[0].portMapping.port must be an integer", id="port-as-string",
    ),
    pytest.param(
        CURRENT, "create_virtual_router",
        {"meshName": "m", "virtualRouterName": "r2", "spec": _router(True)},
        "spec.listeners[0].portMapping.port must be an integer", id="port-as-boolean",
    ),
    pytest.param(
        LEGACY, "create_route",
        {"meshName": "m", "virtualRouterName": "r", "routeName": "x", "spec": _route("50")},
        "spec.httpRoute.action.weightedTargets[0].weight must be an integer",
        id="legacy-weight-as-string",
    ),
    pytest.param(
        CURRENT, "create_mesh", {"meshName": 5}, "meshName must be a string", id="name-as-number",
    ),
    pytest.param(
        CURRENT, "create_mesh", {"meshName": "x", "tags": [{"key": "k", "value": 1}]},
        "tags[0].value must be a string", id="tag-value-as-number",
    ),
    # tags
    pytest.param(
        CURRENT, "create_mesh", {"meshName": "x", "tags": TAGS_51}, "tags", id="create-51-tags",
    ),
    pytest.param(
        CURRENT, "tag_resource",
        {"resourceArn": "arn:aws:appmesh:us-east-1:123456789012:mesh/m", "tags": TAGS_51},
        "tags", id="tag-resource-51-tags",
    ),
    *[
        pytest.param(
            CURRENT, "create_mesh", {"meshName": "x", "tags": [{"key": key, "value": "v"}]},
            "tags[0].key", id=f"tag-key-length-{len(key)}",
        )
        for key in ("", "k" * 129)
    ],
]


@pytest.mark.parametrize(("version", "operation", "arguments", "member"), REFUSED)
def test_model_checks_refuse_with_the_member_named(
    appmesh_mock: MockAppMesh,
    loose: dict[str, Any],
    version: str,
    operation: str,
    arguments: dict[str, Any],
    member: str,
) -> None:
    client = loose[version]
    refused(appmesh_mock, lambda: getattr(client, operation)(**arguments), member)


@pytest.mark.parametrize("version", [CURRENT, LEGACY])
def test_updates_are_checked_too(
    appmesh_mock: MockAppMesh, loose: dict[str, Any], version: str
) -> None:
    client = loose[version]
    spec = _router(65536) if version == CURRENT else {"serviceNames": ["s"] * 11}
    message = refused(
        appmesh_mock,
        lambda: client.update_virtual_router(meshName="m", virtualRouterName="r", spec=spec),
        "spec.",
    )
    assert "less than or equal to" in message


@pytest.mark.parametrize(
    ("where", "member"),
    [
        pytest.param("top", "colour", id="top-level"),
        pytest.param("spec", "spec.colour", id="in-spec"),
        pytest.param("nested", "spec.egressFilter.colour", id="nested"),
    ],
)
def test_unknown_members_are_refused(
    appmesh_mock: MockAppMesh, loose: dict[str, Any], where: str, member: str
) -> None:
    """botocore cannot even serialize an unknown member, so a hook writes it into the body, as a
    client built from a newer or hand-edited model would."""
    client = loose[CURRENT]

    def add_member(request: Any, **_: Any) -> None:
        body = json.loads(request.data)
        target = {"top": body, "spec": body["spec"], "nested": body["spec"]["egressFilter"]}
        target[where]["colour"] = "red"
        request.data = json.dumps(body).encode()

    client.meta.events.register("before-sign.app-mesh.UpdateMesh", add_member)
    spec = {"egressFilter": {"type": "ALLOW_ALL"}}
    message = refused(appmesh_mock, lambda: client.update_mesh(meshName="m", spec=spec), member)
    assert "not a member" in message


# Values on the edge of the model's ranges pass, and read back as sent.


def test_edge_ports_pass(loose: dict[str, Any]) -> None:
    client = loose[CURRENT]
    spec = _router(1, 65535)
    created = client.create_virtual_router(meshName="m", virtualRouterName="r2", spec=spec)
    assert created["virtualRouter"]["spec"] == spec
    node = {"listeners": [{"portMapping": {"port": 65535, "protocol": "tcp"}}],
            "serviceDiscovery": {"dns": {"serviceName": "n.local"}}}
    legacy = loose[LEGACY].create_virtual_node(meshName="m", virtualNodeName="n2", spec=node)
    assert legacy["virtualNode"]["spec"]["listeners"] == node["listeners"]


@pytest.mark.parametrize("version", [CURRENT, LEGACY])
@pytest.mark.parametrize(("weight", "priority"), [(0, 0), (100, 1000)])
def test_edge_weights_and_priorities_pass(
    loose: dict[str, Any], version: str, weight: int, priority: int
) -> None:
    spec = _route(weight) if version == LEGACY else _route(weight, priority=priority)
    route = loose[version].create_route(
        meshName="m", virtualRouterName="r", routeName="x", spec=spec
    )["route"]
    assert route["spec"] == spec


def test_edge_counts_and_lengths_pass(loose: dict[str, Any]) -> None:
    client = loose[CURRENT]
    name = "x" * 255
    tags = [{"key": f"k{i}", "value": ""} for i in range(49)] + [{"key": "k" * 128,
                                                                   "value": "v" * 256}]
    client.create_mesh(meshName=name, tags=tags)
    arn = f"arn:aws:appmesh:us-east-1:123456789012:mesh/{name}"
    listed = client.list_tags_for_resource(resourceArn=arn, limit=50)["tags"]
    assert sorted(t["key"] for t in listed) == sorted(t["key"] for t in tags)
    spec = _route(targets=10)
    client.create_route(meshName="m", virtualRouterName="r", routeName="ten", spec=spec)
    for limit in (1, 100):
        assert len(client.list_meshes(limit=limit)["meshes"]) == min(limit, 2)
    health = _node(_health(healthyThreshold=10, unhealthyThreshold=2, intervalMillis=300000,
                           timeoutMillis=60000))
    client.create_virtual_node(meshName="m", virtualNodeName="n2", spec=health)
