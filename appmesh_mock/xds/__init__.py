"""App Mesh's management endpoint, live: an xDS server (Envoy's aggregated discovery service,
gRPC, state of the world) that hands each connected Envoy the configuration
`appmesh_mock.dataplane` renders for its virtual gateway or node, and pushes a new version on
every write that changes it; and the real Envoy run against it (xds/envoy.py).

grpcio and xds-protos come with the `envoy` extra: this package imports them only when an
xDS server starts (xds/server.py), so everything else works without them."""

from __future__ import annotations

from .node import ProxyId, parse_node_id
from .registry import ProxyStatus, proxies_of

__all__ = ["ProxyId", "ProxyStatus", "parse_node_id", "proxies_of"]
