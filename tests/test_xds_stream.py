"""One ADS stream's bookkeeping (xds/stream.py), driven request by request without gRPC, where
the order of an Envoy's requests and the store's change marks can be chosen: the races a live
Envoy only hits now and then."""

from __future__ import annotations

from typing import Any

import boto3
from xds_support import SHOP, requires_xds

from appmesh_mock import mock_appmesh
from appmesh_mock.session import RUNTIME

pytestmark = requires_xds


def _request(type_url: str, names: tuple[str, ...] = ()) -> Any:
    from envoy.config.core.v3 import base_pb2
    from envoy.service.discovery.v3 import discovery_pb2

    return discovery_pb2.DiscoveryRequest(node=base_pb2.Node(id="mesh/shop/virtualGateway/later"),
                                          type_url=type_url, resource_names=names)  # fmt: skip


def _names(response: Any) -> set[str]:
    from appmesh_mock.xds import protos

    message = protos.MESSAGES[response.type_url]
    found = set()
    for packed in response.resources:
        item = message()
        packed.Unpack(item)
        found.add(item.name)
    return found


def test_a_write_seen_first_by_a_request_still_sends_its_clusters() -> None:
    """The gateway exists once Envoy has subscribed; its route is written; Envoy's RDS request
    is answered before the write's change mark is read. That answer renders the newer state,
    so it must carry the clusters the new route needs too: the mark then finds nothing new."""
    from appmesh_mock.xds import protos
    from appmesh_mock.xds.stream import ProxyStream

    with mock_appmesh():
        appmesh = boto3.client("appmesh", region_name="us-east-1")
        SHOP["build"](appmesh)
        stream = ProxyStream(RUNTIME.store, "test")
        assert stream.on_request(_request(protos.CLUSTER)) == []  # no gateway "later" yet
        assert stream.on_request(_request(protos.LISTENER)) == []
        appmesh.create_virtual_gateway(
            meshName="shop", virtualGatewayName="later",
            spec={"listeners": [{"portMapping": {"port": 9090, "protocol": "http"}}]},
        )  # fmt: skip
        first = stream.on_change()
        assert [r.type_url for r in first] == [protos.CLUSTER, protos.LISTENER]
        (table,) = _route_tables(first[1])
        appmesh.create_gateway_route(
            meshName="shop", virtualGatewayName="later", gatewayRouteName="all",
            spec={"httpRoute": {"match": {"prefix": "/catalog/"}, "action": {
                "target": {"virtualService": {"virtualServiceName": "catalog.shop.local"}}}}},
        )  # fmt: skip
        answered = stream.on_request(_request(protos.ROUTE, (table,)))
        types = [r.type_url for r in answered]
        assert types[0] == protos.CLUSTER and types[-1] == protos.ROUTE  # clusters first
        assert _names(answered[0]) > _names(first[0])  # the catalog nodes' clusters
        assert stream.on_change() == []


def _route_tables(listeners: Any) -> list[str]:
    """The RDS names the listeners of a response ask for."""
    from envoy.config.listener.v3 import listener_pb2
    from envoy.extensions.filters.network.http_connection_manager.v3 import (
        http_connection_manager_pb2 as hcm,
    )

    found = []
    for packed in listeners.resources:
        listener = listener_pb2.Listener()
        packed.Unpack(listener)
        for chain in listener.filter_chains:
            for network_filter in chain.filters:
                manager = hcm.HttpConnectionManager()
                if network_filter.typed_config.Unpack(manager) and manager.HasField("rds"):
                    found.append(manager.rds.route_config_name)
    return found



def test_a_share_made_outside_a_request_reaches_the_xds_server() -> None:
    """`share_mesh` commits as a request does, so the xDS server (a store watcher) hears of
    it at once, with no polling; a consumer's proxy may now see the shared mesh."""
    told: list[int] = []
    with mock_appmesh() as m:
        boto3.client("appmesh", region_name="us-east-1").create_mesh(meshName="shop")
        RUNTIME.store.watchers.append(lambda: told.append(RUNTIME.store.generation))
        try:
            m.share_mesh("shop", owner_account_id="123456789012",
                         consumer_account_id="210987654321")
            shared = len(told)
            m.unshare_mesh("shop", owner_account_id="123456789012",
                           consumer_account_id="210987654321")
        finally:
            RUNTIME.store.watchers.pop()
    assert shared == 1 and len(told) == 2 and told[0] < told[1]
