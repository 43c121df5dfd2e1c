"""Envoy's protobuf types (xds-protos): the rendered proto3-JSON resources as the `Any`
messages of a DiscoveryResponse. Imported only with the `envoy` extra installed.

Every type the rendering names in an `@type` is imported here, so that protobuf's JSON
parser finds it in the default descriptor pool."""

from __future__ import annotations

from typing import Any

from envoy.config.cluster.v3 import cluster_pb2
from envoy.config.listener.v3 import listener_pb2
from envoy.config.route.v3 import route_pb2
from envoy.extensions.bootstrap.internal_listener.v3 import internal_listener_pb2  # noqa: F401
from envoy.extensions.filters.http.router.v3 import router_pb2  # noqa: F401
from envoy.extensions.filters.listener.original_dst.v3 import original_dst_pb2  # noqa: F401
from envoy.extensions.filters.listener.tls_inspector.v3 import tls_inspector_pb2  # noqa: F401
from envoy.extensions.filters.network.http_connection_manager.v3 import (  # noqa: F401
    http_connection_manager_pb2,
)
from envoy.extensions.filters.network.tcp_proxy.v3 import tcp_proxy_pb2  # noqa: F401
from envoy.extensions.transport_sockets.tls.v3 import tls_pb2  # noqa: F401
from envoy.extensions.upstreams.http.v3 import http_protocol_options_pb2  # noqa: F401
from envoy.service.discovery.v3 import ads_pb2_grpc, discovery_pb2
from google.protobuf import any_pb2, json_format

LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener"
ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
MESSAGES: dict[str, Any] = {
    LISTENER: listener_pb2.Listener,
    ROUTE: route_pb2.RouteConfiguration,
    CLUSTER: cluster_pb2.Cluster,
}
DiscoveryRequest = discovery_pb2.DiscoveryRequest
DiscoveryResponse = discovery_pb2.DiscoveryResponse
Servicer = ads_pb2_grpc.AggregatedDiscoveryServiceServicer
add_servicer = ads_pb2_grpc.add_AggregatedDiscoveryServiceServicer_to_server


def packed(type_url: str, resource: dict[str, Any]) -> Any:
    """`resource` (proto3 JSON) as an Any of `type_url`; a ParseError if it is not one."""
    message = json_format.ParseDict(resource, MESSAGES[type_url]())
    found = any_pb2.Any()
    found.Pack(message)
    return found


def response(type_url: str, version: str, nonce: str, resources: list[dict[str, Any]]) -> Any:
    return DiscoveryResponse(
        version_info=version,
        type_url=type_url,
        nonce=nonce,
        resources=[packed(type_url, r) for r in resources],
    )


def metadata(node: Any) -> dict[str, Any]:
    """The node's metadata (a Struct) as a dict."""
    found: dict[str, Any] = json_format.MessageToDict(node.metadata)
    return found
