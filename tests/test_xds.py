"""Live configuration over xDS (appmesh_mock/xds/): a real Envoy connected to a MockServer's
xDS port gets the shop's gateway, and every API write reaches it without a restart."""

from __future__ import annotations

import http.client
import logging
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from envoy_harness import Echo
from xds_support import (
    GATEWAY_ID,
    MESH,
    SHOP,
    client,
    envoy,
    listener_url,
    proxy,
    reached,
    requires_xds,
    set_canary,
    until,
)

from appmesh_mock import MockServer, mock_appmesh
from appmesh_mock.dataplane import EnvoyConfigError
from appmesh_mock.xds import parse_node_id
from appmesh_mock.xds.envoy import EnvoyProcess
from appmesh_mock.xds.registry import nack_count

pytestmark = [requires_xds, pytest.mark.slow]
BETA = {"x-beta-tester": "true"}


@pytest.fixture
def echo() -> Iterator[Echo]:
    found = Echo(["catalog-v1", "catalog-v2"])
    yield found
    found.close()


@pytest.fixture
def served() -> Iterator[tuple[MockServer, Any]]:
    with MockServer(isolated=True, xds_port=0) as server:
        appmesh = client(server.url)
        SHOP["build"](appmesh)
        yield server, appmesh


def test_update_route_reaches_a_connected_envoy_without_restart(
    served: tuple[MockServer, Any], echo: Echo
) -> None:
    server, appmesh = served
    with envoy(server, echo) as process:
        url = listener_url(process)
        assert reached(echo, url, BETA) == "catalog-v2"  # the header route
        first = until(lambda: (p := proxy(server)) and p["last_ack"] == p["version_sent"] and p,
                      "acknowledged")  # fmt: skip
        set_canary(appmesh, 0, 1)
        # All traffic follows the new weights, on the same Envoy process.
        until(lambda: all(reached(echo, url) == "catalog-v2" for _ in range(20)), "all on v2")
        set_canary(appmesh, 1, 0)
        until(lambda: all(reached(echo, url) == "catalog-v1" for _ in range(20)), "all on v1")
        assert not process.exited()
        now = until(lambda: (p := proxy(server)) and p["last_ack"] == p["version_sent"] and p,
                    "acknowledged")  # fmt: skip
        assert int(now["version_sent"]) > int(first["version_sent"])
        assert now["nacks"] == 0 and now["last_nack"] is None
        # A write it does not see sends nothing; one it sees sends only what changed for it
        # (the router's route configuration: one response, one version).
        appmesh.create_mesh(meshName="elsewhere")
        set_canary(appmesh, 0, 1)
        later = until(lambda: (p := proxy(server)) and p["version_sent"] != now["version_sent"]
                      and p["last_ack"] == p["version_sent"] and p, "sent again")  # fmt: skip
        assert int(later["version_sent"]) == int(now["version_sent"]) + 1
        now = later
        # The routes came over RDS, at the version the server last sent them.
        dump = process.config_dump()["configs"]
        routes = next(c for c in dump if c["@type"].endswith(".v3.RoutesConfigDump"))
        tables = {t["route_config"]["name"]: t for t in routes["dynamic_route_configs"]}
        # The gateway's table, and the router's behind its internal listener (the hop).
        assert sorted(tables) == ["rds_ingress_http_8443", "vr_shop_catalog_http_8080"]
        rds = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
        assert tables["vr_shop_catalog_http_8080"]["version_info"] == now["types"][rds]


def test_an_open_connection_follows_a_route_change(
    served: tuple[MockServer, Any], echo: Echo
) -> None:
    """Routes over RDS: a kept-alive connection sees the new routes (inline in the listener,
    Envoy would drain and close it first)."""
    server, appmesh = served
    with envoy(server, echo) as process:
        host, port = next(iter(process.listeners().values()))
        connection = http.client.HTTPConnection(host, port, timeout=10)

        def on_connection() -> str | None:
            connection.request("GET", "/catalog/x")
            answer = connection.getresponse()
            answer.read()
            return echo.name_of.get(int(answer.getheader("x-echo-port", "0")))

        set_canary(appmesh, 1, 0)
        until(lambda: on_connection() == "catalog-v1", "on v1")
        local = connection.sock.getsockname()
        set_canary(appmesh, 0, 1)
        until(lambda: on_connection() == "catalog-v2", "on v2")
        assert connection.sock is not None and connection.sock.getsockname() == local
        connection.close()


@pytest.mark.nack
def test_a_nack_is_logged_and_counted(
    served: tuple[MockServer, Any], echo: Echo, caplog: pytest.LogCaptureFixture
) -> None:
    """A regex RE2 refuses (a look-ahead): the API takes it, Envoy NACKs the routes, and the
    server says so, counts it, and Envoy keeps serving what it had."""
    caplog.set_level(logging.INFO, logger="appmesh_mock.xds")
    server, appmesh = served
    before = nack_count()
    with envoy(server, echo) as process:
        url = listener_url(process)
        appmesh.create_route(
            meshName=MESH, virtualRouterName="catalog", routeName="lookahead",
            spec={"priority": 1, "httpRoute": {
                "match": {"path": {"regex": "/(?=x).*"}},
                "action": {"weightedTargets": [{"virtualNode": "catalog-v1", "weight": 1}]},
            }},
        )  # fmt: skip
        refused = until(lambda: (p := proxy(server)) and p["nacks"] and p, "NACKed")
        assert refused["nacks"] == 1 and nack_count() == before + 1
        assert refused["last_nack"] == refused["version_sent"]
        assert refused["nack_error"]  # Envoy's reason, as it gave it
        assert any("NACK" in r.message and GATEWAY_ID in r.message for r in caplog.records)
        assert reached(echo, url, BETA) == "catalog-v2"  # the routes it had still serve


def test_an_unknown_node_waits_and_is_configured_once_it_exists(
    served: tuple[MockServer, Any], echo: Echo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="appmesh_mock.xds")
    server, appmesh = served
    later = EnvoyProcess(f"mesh/{MESH}/virtualGateway/later", server.xds_port,
                         endpoints=echo.endpoints())  # fmt: skip
    started = threading.Thread(target=later.start)
    started.start()
    try:
        waiting = until(lambda: (p := proxy(server, later.node_id)) and p["waiting"] and p,
                        "told to wait")  # fmt: skip
        assert "later" in waiting["waiting"]
        assert any("later" in r.message and "once" in r.message for r in caplog.records)
        appmesh.create_virtual_gateway(
            meshName=MESH, virtualGatewayName="later",
            spec={"listeners": [{"portMapping": {"port": 9090, "protocol": "http"}}]},
        )  # fmt: skip
        appmesh.create_gateway_route(
            meshName=MESH, virtualGatewayName="later", gatewayRouteName="all",
            spec={"httpRoute": {"match": {"prefix": "/catalog/"}, "action": {
                "target": {"virtualService": {"virtualServiceName": "catalog.shop.local"}}}}},
        )  # fmt: skip
        started.join()  # configured: it listens (its route may be a push behind)
        url = listener_url(later)
        until(lambda: reached(echo, url, BETA) == "catalog-v2", "routed to v2")
        status = proxy(server, later.node_id)
        assert status is not None and status["waiting"] is None
    finally:
        started.join()
        later.stop()


def test_disconnect_and_reconnect(
    served: tuple[MockServer, Any], echo: Echo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="appmesh_mock.xds")
    server, appmesh = served
    with envoy(server, echo):
        assert proxy(server) is not None
    until(lambda: proxy(server) is None, "gone from the connected proxies")
    assert any("disconnected" in r.message and GATEWAY_ID in r.message for r in caplog.records)
    set_canary(appmesh, 0, 1)  # while nobody is connected
    with envoy(server, echo) as again:
        assert reached(echo, listener_url(again)) == "catalog-v2"


def test_the_node_id_may_be_the_arn(served: tuple[MockServer, Any], echo: Echo) -> None:
    server, appmesh = served
    arn = appmesh.describe_virtual_gateway(meshName=MESH, virtualGatewayName="ingress")[
        "virtualGateway"]["metadata"]["arn"]  # fmt: skip
    with envoy(server, echo, node_id=arn) as process:
        assert reached(echo, listener_url(process), BETA) == "catalog-v2"


def test_a_node_id_naming_nothing_is_told_so_and_kept(
    served: tuple[MockServer, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """An ADS client (here a bare gRPC one) whose node id names no virtual node or gateway:
    a log line says so, nothing is sent, and the stream stays open."""
    import grpc
    from envoy.config.core.v3 import base_pb2
    from envoy.service.discovery.v3 import ads_pb2_grpc, discovery_pb2

    caplog.set_level(logging.INFO, logger="appmesh_mock.xds")
    server, _ = served
    first = discovery_pb2.DiscoveryRequest(
        node=base_pb2.Node(id="frontend"),
        type_url="type.googleapis.com/envoy.config.cluster.v3.Cluster",
    )
    done = threading.Event()

    def requests() -> Iterator[Any]:
        yield first
        done.wait(60)  # the stream stays open until the test is done

    with grpc.insecure_channel(f"127.0.0.1:{server.xds_port}") as channel:
        stub = ads_pb2_grpc.AggregatedDiscoveryServiceStub(channel)
        stream = stub.StreamAggregatedResources(requests())
        status = until(lambda: proxy(server, "frontend"), "connected")
        assert "names no virtual node or gateway" in status["waiting"]
        assert status["version_sent"] is None
        assert any("'frontend'" in r.message for r in caplog.records)
        stream.cancel()
        done.set()
    until(lambda: proxy(server, "frontend") is None, "disconnected")


def test_node_ids() -> None:
    arn = "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/frontend"
    found = parse_node_id(arn)
    assert found is not None
    assert (found.mesh, found.kind, found.name, found.account, found.region) == (
        "shop", "virtualNode", "frontend", "111122223333", "eu-west-1"
    )  # fmt: skip
    assert parse_node_id("mesh/shop/virtualGateway/ingress") == parse_node_id(
        "mesh/shop/virtualGateway/ingress"
    )
    for bad in ("frontend", "mesh/shop/virtualRouter/r", "mesh//virtualNode/x",
                "arn:aws:s3:::bucket", "mesh/shop/virtualNode/a/b"):  # fmt: skip
        assert parse_node_id(bad) is None, bad


def test_run_envoy_gives_listener_urls(echo: Echo) -> None:
    import boto3

    with mock_appmesh() as m:
        SHOP["build"](boto3.client("appmesh", region_name="us-east-1"))
        with m.run_envoy(MESH, gateway="ingress", endpoints=echo.endpoints()) as urls:
            assert list(urls) == [8443] and urls.url == urls[8443]
            assert urlsplit(urls.url).hostname == "127.0.0.1"
            assert reached(echo, urls.url, BETA) == "catalog-v2"
        # A sidecar: its egress listener routes by the Host the application called.
        with m.run_envoy(MESH, node="frontend", endpoints=echo.endpoints()) as urls:
            assert sorted(urls) == [15000, 15001]
            egress = urlsplit(urls[15001])
            connection = http.client.HTTPConnection(egress.hostname, egress.port, timeout=10)
            connection.request("GET", "/x", headers={"Host": "catalog.shop.local:8080", **BETA})
            answer = connection.getresponse()
            assert echo.name_of[int(answer.getheader("x-echo-port", "0"))] == "catalog-v2"
            connection.close()


def test_run_envoy_refuses_an_unknown_gateway_before_starting() -> None:
    with mock_appmesh() as m:
        m.load({"resources": []})
        with pytest.raises(EnvoyConfigError, match="shop"), m.run_envoy(MESH, gateway="nope"):
            pass
