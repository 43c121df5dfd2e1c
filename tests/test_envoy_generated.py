"""`resolve` against the real Envoy on route tables generated with Hypothesis: every match
kind (prefix, exact and regex paths; header exact/prefix/suffix/regex/range/presence, each
inverted or not; query parameters; methods; hostnames; gRPC service and method), priorities,
overlapping prefixes, every gateway rewrite, and weights including 0. Each table runs in one
Envoy as a virtual gateway and as a calling node's sidecar; the requests on every boundary
(tests/envoy_compare.py) go to both, which must agree. Weighted splits are checked on their
own: the same set of destinations, and shares within a stated tolerance."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import boto3
import pytest
from envoy_compare import (
    Tally,
    compare,
    echo_names,
    probes_for_gateway,
    probes_for_node,
    record,
    report,
)
from envoy_harness import VALIDATED, Echo, requires_envoy, running, validated
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from appmesh_mock import mock_appmesh, resolve
from appmesh_mock.dataplane import envoy_config
from appmesh_mock.semantics.document import select_mesh

pytestmark = [requires_envoy, pytest.mark.slow]

PREFIXES = ["/", "/a", "/a/", "/ab", "/a/b", "/b", "/ledger", "/ledger/"]
PATHS = ["/a", "/a/b", "/ab", "/x/y"]
PATH_REGEXES = ["/a[0-9]+", "/(x|y)/.*", "/ledger/?"]
VALUE_REGEXES = ["v[0-9]+", "(ab|cd)e?", "[a-c]+"]
NODES = ["n1", "n2", "n3", "n4"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"]

value_match = st.one_of(
    st.builds(lambda v: {"exact": v}, st.sampled_from(["v1", "v2", "beta"])),
    st.builds(lambda v: {"prefix": v}, st.sampled_from(["v", "be"])),
    st.builds(lambda v: {"suffix": v}, st.sampled_from(["1", "ta"])),
    st.builds(lambda v: {"regex": v}, st.sampled_from(VALUE_REGEXES)),
    st.builds(
        lambda a, n: {"range": {"start": a, "end": a + n}},
        st.integers(-5, 20),
        st.integers(1, 10),
    ),
)


@st.composite
def header(draw: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {"name": draw(st.sampled_from(["x-canary", "x-version", "x-user"]))}
    if draw(st.booleans()):
        rule["match"] = draw(value_match)
    if draw(st.integers(0, 3)) == 0:
        rule["invert"] = True
    return rule


@st.composite
def http_match(draw: Any, gateway: bool) -> dict[str, Any]:
    match: dict[str, Any] = {}
    path = draw(st.sampled_from(["prefix", "prefix", "prefix", "exact", "regex"]))
    if path == "prefix":
        match["prefix"] = draw(st.sampled_from(PREFIXES))
    elif path == "exact":
        match["path"] = {"exact": draw(st.sampled_from(PATHS))}
    else:
        match["path"] = {"regex": draw(st.sampled_from(PATH_REGEXES))}
    headers = draw(st.lists(header(), max_size=2, unique_by=lambda h: h["name"]))
    if headers:
        match["headers"] = headers
    if draw(st.integers(0, 3)) == 0:
        query: dict[str, Any] = {"name": draw(st.sampled_from(["q", "debug"]))}
        if draw(st.booleans()):
            query["match"] = {"exact": draw(st.sampled_from(["1", "yes"]))}
        match["queryParameters"] = [query]
    if draw(st.integers(0, 3)) == 0:
        match["method"] = draw(st.sampled_from(METHODS))
    if gateway and draw(st.integers(0, 3)) == 0:
        match["hostname"] = draw(
            st.sampled_from([{"exact": "shop.example.com"}, {"suffix": ".example.com"}])
        )
    return match


@st.composite
def rewrite(draw: Any, match: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        found["hostname"] = {"defaultTargetHostname": "DISABLED"}
    if "prefix" in match:
        choice = draw(st.sampled_from(["default", "default", "disabled", "value"]))
        if choice == "disabled":
            found["prefix"] = {"defaultPrefix": "DISABLED"}
        elif choice == "value":
            found["prefix"] = {"value": draw(st.sampled_from(["/", "/v2/", "/a/"]))}
    elif "exact" in (match.get("path") or {}) and draw(st.booleans()):
        found["path"] = {"exact": "/fixed"}
    return found


@st.composite
def mesh_spec(draw: Any) -> dict[str, Any]:
    routes = []
    for index in range(draw(st.integers(1, 6))):
        targets = draw(st.lists(st.sampled_from(NODES), min_size=1, max_size=3, unique=True))
        weights = [draw(st.integers(0, 3)) for _ in targets]
        body: dict[str, Any] = {
            "match": draw(http_match(False)),
            "action": {
                "weightedTargets": [
                    {"virtualNode": n, "weight": w} for n, w in zip(targets, weights, strict=True)
                ]
            },
        }
        spec: dict[str, Any] = {"httpRoute": body}
        if draw(st.booleans()):
            spec["priority"] = draw(st.integers(0, 3))
        routes.append((f"r{index}", spec))
    gateway_routes = []
    for index in range(draw(st.integers(1, 5))):
        match = draw(http_match(True))
        action: dict[str, Any] = {
            "target": {
                "virtualService": {
                    "virtualServiceName": draw(st.sampled_from(["svc-r", "svc-r", "svc-n"]))
                }
            }
        }
        found_rewrite = draw(rewrite(match))
        if found_rewrite:
            action["rewrite"] = found_rewrite
        spec = {"httpRoute": {"match": match, "action": action}}
        if draw(st.booleans()):
            spec["priority"] = draw(st.integers(0, 3))
        gateway_routes.append((f"g{index}", spec))
    return {"routes": routes, "gateway_routes": gateway_routes}


def build(spec: dict[str, Any]) -> dict[str, Any] | None:
    """The mesh made with boto3, or None when the mock (as AWS) refuses part of it."""
    with mock_appmesh() as mock:
        client = boto3.client("appmesh", region_name="us-east-1")
        mesh = {"meshName": "gen"}
        client.create_mesh(**mesh)
        listener = [
            {"portMapping": {"port": p, "protocol": k}}
            for k, p in spec.get("listeners", [("http", 8080)])
        ]
        for node in NODES:
            client.create_virtual_node(
                **mesh,
                virtualNodeName=node,
                spec={
                    "listeners": listener,
                    "serviceDiscovery": {"dns": {"hostname": f"{node}.local"}},
                },
            )
        client.create_virtual_router(**mesh, virtualRouterName="vr", spec={"listeners": listener})
        client.create_virtual_service(
            **mesh,
            virtualServiceName="svc-r",
            spec={"provider": {"virtualRouter": {"virtualRouterName": "vr"}}},
        )
        client.create_virtual_service(
            **mesh,
            virtualServiceName="svc-n",
            spec={"provider": {"virtualNode": {"virtualNodeName": "n4"}}},
        )
        client.create_virtual_node(
            **mesh,
            virtualNodeName="caller",
            spec={
                "listeners": listener,
                "serviceDiscovery": {"dns": {"hostname": "caller.local"}},
                "backends": [
                    {"virtualService": {"virtualServiceName": s}} for s in ("svc-r", "svc-n")
                ],
            },
        )
        client.create_virtual_gateway(**mesh, virtualGatewayName="gw", spec={"listeners": listener})
        try:
            for name, route in spec["routes"]:
                client.create_route(**mesh, virtualRouterName="vr", routeName=name, spec=route)
            for name, route in spec["gateway_routes"]:
                client.create_gateway_route(
                    **mesh, virtualGatewayName="gw", gatewayRouteName=name, spec=route
                )
        except client.exceptions.BadRequestException:
            return None
        return mock.export()


def run_both(document: dict[str, Any], tally: Tally) -> None:
    view = select_mesh(document, "gen")
    assert not isinstance(view, str)
    echo = Echo(echo_names(view))
    try:
        for where, probes, listener in (
            ({"gateway": "gw"}, probes_for_gateway(view, "gw"), None),
            ({"node": "caller"}, probes_for_node(view, "caller"), 15001),
        ):
            validated(envoy_config(document, "gen", **where))
            config = envoy_config(document, "gen", endpoints=echo.endpoints(), **where)
            tally.configs += 1
            with running(config, echo) as envoy:
                for probe in probes:
                    port = listener or probe.port
                    assert port is not None
                    found = compare(document, "gen", envoy, probe, listener=port, **where)
                    tally.requests += 1
                    if found:
                        tally.disagreements.append(found)
    finally:
        echo.close()


@st.composite
def grpc_match(draw: Any, gateway: bool) -> dict[str, Any]:
    match: dict[str, Any] = {}
    if draw(st.integers(0, 3)):
        match["serviceName"] = draw(st.sampled_from(["pkg.Svc", "pkg.Other"]))
        if not gateway and draw(st.booleans()):
            match["methodName"] = draw(st.sampled_from(["Get", "List"]))
    metadata = draw(st.lists(header(), max_size=2, unique_by=lambda h: h["name"]))
    if metadata:
        match["metadata"] = metadata
    if gateway and draw(st.integers(0, 3)) == 0:
        match["hostname"] = {"suffix": ".example.com"}
    return match


@st.composite
def two_listener_spec(draw: Any) -> dict[str, Any]:
    """A router, nodes and a gateway with an http listener on 8080 and a grpc one on 9090:
    routes of both protocols, route and gateway route port matches, target ports."""
    routes = []
    for index in range(draw(st.integers(1, 6))):
        grpc = draw(st.booleans())
        port = 9090 if grpc else 8080
        match = draw(grpc_match(False)) if grpc else draw(http_match(False))
        match["port"] = port
        targets = draw(st.lists(st.sampled_from(NODES), min_size=1, max_size=2, unique=True))
        action = {
            "weightedTargets": [
                {"virtualNode": n, "weight": draw(st.integers(0, 2)), "port": port} for n in targets
            ]
        }
        spec: dict[str, Any] = {
            "grpcRoute" if grpc else "httpRoute": {"match": match, "action": action}
        }
        if draw(st.booleans()):
            spec["priority"] = draw(st.integers(0, 3))
        routes.append((f"r{index}", spec))
    gateway_routes = []
    for index in range(draw(st.integers(1, 5))):
        grpc = draw(st.booleans())
        port = 9090 if grpc else 8080
        match = draw(grpc_match(True)) if grpc else draw(http_match(True))
        match["port"] = port  # required with several gateway listeners
        service = draw(st.sampled_from(["svc-r", "svc-n"]))
        target: dict[str, Any] = {"virtualService": {"virtualServiceName": service}}
        target["port"] = port  # required when the provider has several listeners
        gateway_action: dict[str, Any] = {"target": target}
        if not grpc:
            found_rewrite = draw(rewrite(match))
            if found_rewrite:
                gateway_action["rewrite"] = found_rewrite
        body = {"match": match, "action": gateway_action}
        gateway_routes.append((f"g{index}", {"grpcRoute" if grpc else "httpRoute": body}))
    return {
        "routes": routes,
        "gateway_routes": gateway_routes,
        "listeners": [("http", 8080), ("grpc", 9090)],
    }


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(two_listener_spec())
def test_generated_two_protocol_tables_route_in_envoy_as_resolve_says(
    spec: dict[str, Any],
) -> None:
    document = build(spec)
    if document is None:
        return
    tally = Tally()
    run_both(document, tally)
    record("generated, http and grpc listeners", tally)
    assert tally.disagreements == [], "\n".join(tally.disagreements[:10])


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(mesh_spec())
def test_generated_tables_route_in_envoy_as_resolve_says(spec: dict[str, Any]) -> None:
    document = build(spec)
    if document is None:
        return
    tally = Tally()
    run_both(document, tally)
    record("generated, one http listener", tally)
    assert tally.disagreements == [], "\n".join(tally.disagreements[:10])


# Weighted splits: each target's observed share p^ of N requests must lie within
# 4.5 standard errors of its weight share p (|p^ - p| <= 4.5 sqrt(p(1-p)/N) + 1/N: a false
# alarm about once in 150,000 targets), and every target with weight > 0, and none other,
# must be seen.
SPLITS = [[1, 1], [1, 3], [0, 2, 1], [5, 0], [1, 1, 1, 1]]
SAMPLES = 1000


@pytest.mark.parametrize("weights", SPLITS, ids=lambda w: "-".join(map(str, w)))
def test_weighted_split_shares_agree(weights: list[int]) -> None:
    targets = [{"virtualNode": n, "weight": w} for n, w in zip(NODES, weights, strict=False)]
    spec = {
        "routes": [
            (
                "split",
                {"httpRoute": {"match": {"prefix": "/"}, "action": {"weightedTargets": targets}}},
            )
        ],
        "gateway_routes": [
            (
                "all",
                {
                    "httpRoute": {
                        "match": {"prefix": "/"},
                        "action": {"target": {"virtualService": {"virtualServiceName": "svc-r"}}},
                    }
                },
            )
        ],
    }
    document = build(spec)
    assert document is not None
    view = select_mesh(document, "gen")
    assert not isinstance(view, str)
    expected = {t.virtual_node: t.share for t in resolve(document, "gen", gateway="gw").targets}
    echo = Echo(echo_names(view))
    try:
        config = envoy_config(document, "gen", gateway="gw", endpoints=echo.endpoints())
        with running(config, echo) as envoy:
            seen = Counter(
                str(envoy.send(8080, f"/{i}").upstream).split(":")[0] for i in range(SAMPLES)
            )
    finally:
        echo.close()
    record("weighted splits", Tally(requests=SAMPLES, configs=1))
    assert set(seen) == {node for node, share in expected.items() if share > 0}
    for node, share in expected.items():
        tolerance = 4.5 * math.sqrt(share * (1 - share) / SAMPLES) + 1 / SAMPLES
        assert abs(seen[node] / SAMPLES - share) <= tolerance, (node, seen, expected)


def teardown_module() -> None:
    print(f"\n{report()}\n{len(VALIDATED)} rendered configs passed envoy --mode validate")
