"""`m.envoy_config` and `appmesh-mock envoy-config`: what the rendered Envoy bootstrap holds
(names as App Mesh's config dumps and metrics show them, precedence, rewrites, the retry
default, timeouts, the egress filter, endpoints), the typed errors, the CLI, and that the
YAML it prints runs in Envoy as is. The comparison with `resolve` on real traffic is in
test_envoy_resolve.py and test_envoy_generated.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import boto3
import pytest
from envoy_harness import ENVOY, Echo, requires_envoy, running

from appmesh_mock import mock_appmesh
from appmesh_mock.cli.commands import main
from appmesh_mock.dataplane import EnvoyConfigError

LISTENER = [{"portMapping": {"port": 8080, "protocol": "http"}}]


def node_spec(name: str, backends: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    return {
        "listeners": LISTENER,
        "serviceDiscovery": {"dns": {"hostname": f"{name}.shop.local"}},
        "backends": [{"virtualService": {"virtualServiceName": b}} for b in backends],
        **extra,
    }


def build(client: Any, egress: str = "DROP_ALL") -> None:
    m = {"meshName": "shop"}
    client.create_mesh(**m, spec={"egressFilter": {"type": egress}})
    for name in ("catalog-v1", "catalog-v2"):
        client.create_virtual_node(**m, virtualNodeName=name, spec=node_spec(name))
    client.create_virtual_node(
        **m, virtualNodeName="frontend", spec=node_spec("frontend", ("catalog.shop.local",))
    )
    client.create_virtual_node(
        **m,
        virtualNodeName="mapped",
        spec={
            "listeners": LISTENER,
            "serviceDiscovery": {"awsCloudMap": {"namespaceName": "shop", "serviceName": "mapped"}},
        },
    )
    client.create_virtual_router(**m, virtualRouterName="catalog", spec={"listeners": LISTENER})
    split = [
        {"virtualNode": "catalog-v1", "weight": 90},
        {"virtualNode": "catalog-v2", "weight": 10},
    ]
    client.create_route(
        **m,
        virtualRouterName="catalog",
        routeName="canary",
        spec={
            "priority": 10,
            "httpRoute": {"match": {"prefix": "/"}, "action": {"weightedTargets": split}},
        },
    )
    client.create_route(
        **m,
        virtualRouterName="catalog",
        routeName="beta",
        spec={
            "priority": 0,
            "httpRoute": {
                "match": {
                    "prefix": "/",
                    "headers": [{"name": "x-beta", "match": {"exact": "true"}}],
                },
                "action": {"weightedTargets": [{"virtualNode": "catalog-v2", "weight": 1}]},
                "retryPolicy": {
                    "maxRetries": 3,
                    "perRetryTimeout": {"value": 250, "unit": "ms"},
                    "httpRetryEvents": ["server-error"],
                    "tcpRetryEvents": ["connection-error"],
                },
                "timeout": {"perRequest": {"value": 5, "unit": "s"}},
            },
        },
    )
    client.create_virtual_service(
        **m,
        virtualServiceName="catalog.shop.local",
        spec={"provider": {"virtualRouter": {"virtualRouterName": "catalog"}}},
    )
    client.create_virtual_gateway(**m, virtualGatewayName="ingress", spec={"listeners": LISTENER})
    target = {"virtualService": {"virtualServiceName": "catalog.shop.local"}}
    client.create_gateway_route(
        **m,
        virtualGatewayName="ingress",
        gatewayRouteName="catalog",
        spec={"httpRoute": {"match": {"prefix": "/catalog"}, "action": {"target": target}}},
    )


@pytest.fixture
def shop() -> Any:
    with mock_appmesh() as mock:
        build(boto3.client("appmesh", region_name="us-east-1"))
        yield mock


def _listener(config: dict[str, Any], name: str) -> dict[str, Any]:
    return next(x for x in config["static_resources"]["listeners"] if x["name"] == name)


def _routes(listener: dict[str, Any]) -> list[dict[str, Any]]:
    manager = listener["filter_chains"][-1]["filters"][0]["typed_config"]
    return [r for host in manager["route_config"]["virtual_hosts"] for r in host["routes"]]


def test_a_gateway_listens_on_its_port_and_rewrites_the_matched_prefix_away(shop: Any) -> None:
    config = shop.envoy_config("shop", gateway="ingress")
    assert config["node"]["id"] == "mesh/shop/virtualGateway/ingress"
    (route,) = _routes(_listener(config, "lds_ingress_0.0.0.0_8080"))
    assert route["match"] == {"prefix": "/catalog"}
    # /catalog/items -> /items, not //items as prefix_rewrite "/" would give.
    assert route["route"]["regex_rewrite"] == {
        "pattern": {"regex": "^/catalog/?"},
        "substitution": "/",
    }
    assert route["route"]["host_rewrite_literal"] == "catalog.shop.local"
    hop = _listener(config, route["route"]["cluster"])
    assert "internal_listener" in hop
    assert [r["name"] for r in _routes(hop)] == ["beta", "canary"]  # priority 0 first


def test_clusters_are_named_as_in_app_mesh_and_reach_the_given_endpoint_or_dns(shop: Any) -> None:
    config = shop.envoy_config("shop", gateway="ingress", endpoints={"catalog-v1": "10.0.0.5:9000"})
    clusters = {c["name"]: c for c in config["static_resources"]["clusters"]}
    given = clusters["cds_egress_shop_catalog-v1_http_8080"]
    address = given["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]
    assert address["socket_address"] == {"address": "10.0.0.5", "port_value": 9000}
    dns = clusters["cds_egress_shop_catalog-v2_http_8080"]
    assert dns["type"] == "LOGICAL_DNS"  # responseType LOADBALANCER, the default
    address = dns["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]
    assert address["socket_address"] == {"address": "catalog-v2.shop.local", "port_value": 8080}


def test_a_sidecar_routes_each_backend_with_retries_and_timeouts(shop: Any) -> None:
    config = shop.envoy_config("shop", node="frontend")
    egress = _listener(config, "lds_egress_0.0.0.0_15001")
    hosts = egress["filter_chains"][-1]["filters"][0]["typed_config"]["route_config"]
    (host,) = hosts["virtual_hosts"]  # DROP_ALL: no catch-all
    assert host["domains"] == ["catalog.shop.local:8080", "catalog.shop.local"]
    beta, canary = host["routes"]
    assert beta["route"]["retry_policy"] == {
        "retry_on": "5xx,reset,connect-failure",
        "num_retries": 3,
        "per_try_timeout": "0.250s",
    }
    assert beta["route"]["timeout"] == "5s"
    # No policy set: the one App Mesh applied [UG envoy-defaults.md].
    assert canary["route"]["retry_policy"] == {
        "retry_on": "connect-failure,refused-stream,retriable-status-codes",
        "retriable_status_codes": [503],
        "num_retries": 2,
        "per_try_timeout": "15s",
    }
    assert canary["route"]["weighted_clusters"]["clusters"] == [
        {"name": "cds_egress_shop_catalog-v1_http_8080", "weight": 90},
        {"name": "cds_egress_shop_catalog-v2_http_8080", "weight": 10},
    ]
    inbound = _listener(config, "lds_ingress_0.0.0.0_15000")
    assert inbound["filter_chains"][0]["filter_chain_match"] == {"destination_port": 8080}


def test_allow_all_passes_other_hosts_through() -> None:
    with mock_appmesh() as mock:
        build(boto3.client("appmesh", region_name="us-east-1"), egress="ALLOW_ALL")
        config = mock.envoy_config("shop", node="frontend")
    clusters = {c["name"]: c for c in config["static_resources"]["clusters"]}
    assert clusters["cds_egress_shop_mesh-allow-all"]["type"] == "ORIGINAL_DST"
    hosts = _listener(config, "lds_egress_0.0.0.0_15001")["filter_chains"][-1]["filters"][0]
    assert hosts["typed_config"]["route_config"]["virtual_hosts"][-1]["domains"] == ["*"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ({"gateway": "nope"}, "there is no virtual gateway 'nope' in mesh 'shop'"),
        ({"node": "nope"}, "there is no virtual node 'nope' in mesh 'shop'"),
        ({}, "give exactly one of gateway= or node="),
    ],
)
def test_an_unknown_proxy_is_a_typed_error(shop: Any, where: dict[str, str], message: str) -> None:
    with pytest.raises(EnvoyConfigError, match=message) as raised:
        shop.envoy_config("shop", **where)
    assert isinstance(raised.value, ValueError)


def test_a_cloud_map_node_needs_an_endpoint() -> None:
    with mock_appmesh() as mock:
        client = boto3.client("appmesh", region_name="us-east-1")
        build(client)
        client.update_route(
            meshName="shop",
            virtualRouterName="catalog",
            routeName="canary",
            spec={
                "priority": 10,
                "httpRoute": {
                    "match": {"prefix": "/"},
                    "action": {"weightedTargets": [{"virtualNode": "mapped", "weight": 1}]},
                },
            },
        )
        with pytest.raises(EnvoyConfigError, match="'mapped' uses Cloud Map: give its address"):
            mock.envoy_config("shop", gateway="ingress")
        config = mock.envoy_config("shop", gateway="ingress", endpoints={"mapped": "10.1.1.1:80"})
    names = [c["name"] for c in config["static_resources"]["clusters"]]
    assert "cds_egress_shop_mapped_http_8080" in names


def test_a_bad_endpoint_and_an_unknown_mesh_are_typed_errors(shop: Any) -> None:
    with pytest.raises(EnvoyConfigError, match="is not HOST:PORT"):
        shop.envoy_config("shop", gateway="ingress", endpoints={"catalog-v1": "10.0.0.5"})
    with pytest.raises(EnvoyConfigError, match="there is no mesh 'other'"):
        shop.envoy_config("other", gateway="ingress")


def test_resolve_sees_every_change_at_once(shop: Any) -> None:
    """The per-mesh document is kept between calls; a write must still show at once."""
    client = boto3.client("appmesh", region_name="us-east-1")
    before = shop.resolve("shop", gateway="ingress", path="/catalog/x", headers={"x-beta": "true"})
    assert [t.virtual_node for t in before.targets] == ["catalog-v2"]
    client.delete_route(meshName="shop", virtualRouterName="catalog", routeName="beta")
    after = shop.resolve("shop", gateway="ingress", path="/catalog/x", headers={"x-beta": "true"})
    assert [t.virtual_node for t in after.targets] == ["catalog-v1", "catalog-v2"]
    shop.reset()
    assert not shop.resolve("shop", gateway="ingress").matched


def _state(tmp_path: Path, mock: Any) -> str:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(mock.export()))
    return str(path)


def test_cli_prints_json_and_yaml(shop: Any, tmp_path: Path, capsys: Any) -> None:
    state = _state(tmp_path, shop)
    assert (
        main(
            [
                "envoy-config",
                "shop",
                "--gateway",
                "ingress",
                "--state",
                state,
                "--format",
                "json",
                "--endpoint",
                "catalog-v1=10.0.0.5:9000",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == shop.envoy_config(
        "shop", gateway="ingress", endpoints={"catalog-v1": "10.0.0.5:9000"}
    )
    assert main(["envoy-config", "shop", "--node", "frontend", "--state", state]) == 0
    assert '"name": "lds_egress_0.0.0.0_15001"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--gateway", "nope"],
            "appmesh-mock: there is no virtual gateway 'nope' in mesh 'shop'\n",
        ),
        (
            ["--gateway", "ingress", "--endpoint", "catalog-v1"],
            "appmesh-mock: an endpoint is NODE=HOST:PORT, not 'catalog-v1'\n",
        ),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(
    shop: Any, tmp_path: Path, capsys: Any, argv: list[str], message: str
) -> None:
    assert main(["envoy-config", "shop", *argv, "--state", _state(tmp_path, shop)]) == 2
    assert capsys.readouterr().err == message


@requires_envoy
def test_the_printed_yaml_runs_in_envoy_as_is(shop: Any, tmp_path: Path, capsys: Any) -> None:
    main(["envoy-config", "shop", "--node", "frontend", "--state", _state(tmp_path, shop)])
    (tmp_path / "envoy.yaml").write_text(capsys.readouterr().out)
    assert ENVOY is not None
    done = subprocess.run(
        [
            str(ENVOY),
            "--mode",
            "validate",
            "-c",
            str(tmp_path / "envoy.yaml"),
            "--concurrency",
            "1",
            "--disable-hot-restart",
            "-l",
            "critical",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@requires_envoy
def test_a_beta_tester_reaches_v2_through_the_gateway(shop: Any) -> None:
    echo = Echo(["catalog-v1", "catalog-v2"])
    try:
        config = shop.envoy_config("shop", gateway="ingress", endpoints=echo.endpoints())
        with running(config, echo) as envoy:
            beta = envoy.send(8080, "/catalog/items?x=1", headers={"x-beta": "true"})
            other = envoy.send(8080, "/other")
    finally:
        echo.close()
    assert (beta.upstream, beta.path, beta.host) == (
        "catalog-v2",
        "/items?x=1",
        "catalog.shop.local",
    )
    assert other.status == 404 and other.upstream is None
