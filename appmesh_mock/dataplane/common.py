"""What every part of the rendering shares: the error, the names App Mesh gave Envoy's
resources, durations, and the typed-config envelopes.

Names follow those seen in App Mesh config dumps and Envoy metrics (sources in
docs/dataplane.md): clusters `cds_egress_<mesh>_<node>_<protocol>_<port>` (the Envoy metrics
page of the App Mesh user guide shows `cluster.cds_egress_<mesh>_<node>_http_<port>`), the
pass-through cluster `cds_egress_<mesh>_mesh-allow-all` (aws-app-mesh-roadmap#488 and the
connectivity troubleshooting page), listeners `lds_ingress_0.0.0.0_<port>` and
`lds_egress_0.0.0.0_15001`, route tables `rds_ingress_<protocol>_<port>` and
`rds_egress_http_15001`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Obj = dict[str, Any]

# [UG envoy-config: APPMESH_ENVOY_INGRESS_PORT / APPMESH_ENVOY_EGRESS_PORT] the ports the
# sidecar's iptables rules redirect inbound and outbound traffic to.
INGRESS_PORT = 15000
EGRESS_PORT = 15001
ADMIN_PORT = 9901  # [UG envoy-config: ENVOY_ADMIN_ACCESS_PORT] default 9901
HTTP_KINDS = ("http", "http2", "grpc")

_TYPE = "type.googleapis.com/envoy.extensions."
HCM = _TYPE + "filters.network.http_connection_manager.v3.HttpConnectionManager"
ROUTER = _TYPE + "filters.http.router.v3.Router"
TCP_PROXY = _TYPE + "filters.network.tcp_proxy.v3.TcpProxy"
HTTP_OPTIONS = _TYPE + "upstreams.http.v3.HttpProtocolOptions"
TLS_DOWN = _TYPE + "transport_sockets.tls.v3.DownstreamTlsContext"
TLS_UP = _TYPE + "transport_sockets.tls.v3.UpstreamTlsContext"
ORIGINAL_DST = _TYPE + "filters.listener.original_dst.v3.OriginalDst"
TLS_INSPECTOR_TYPE = _TYPE + "filters.listener.tls_inspector.v3.TlsInspector"
INTERNAL_LISTENER = _TYPE + "bootstrap.internal_listener.v3.InternalListener"


class EnvoyConfigError(ValueError):
    """The Envoy configuration cannot be rendered: an unknown mesh, gateway or node, or a
    node whose address is not known (a Cloud Map node without an endpoint given)."""


def egress_cluster(mesh: str, node: str, protocol: str, port: int) -> str:
    return f"cds_egress_{mesh}_{node}_{protocol}_{port}"


def ingress_cluster(mesh: str, node: str, protocol: str, port: int) -> str:
    """The node's own application, behind its sidecar [config dumps: self_redirect]."""
    return f"cds_ingress_{mesh}_{node}_self_redirect_{protocol}_{port}"


def allow_all_cluster(mesh: str) -> str:
    return f"cds_egress_{mesh}_mesh-allow-all"


def hop_listener(mesh: str, router: str, protocol: str, port: int) -> str:
    """The internal listener holding a router's routes, reached from a gateway route [I]."""
    return f"vr_{mesh}_{router}_{protocol}_{port}"


def seconds(duration: Mapping[str, Any] | None) -> str | None:
    """[M Duration] {value, unit: s|ms} as Envoy's proto3 JSON duration ("1.5s")."""
    if not duration or "value" not in duration:
        return None
    value = int(duration["value"])
    if duration.get("unit") == "ms":
        return f"{value // 1000}.{value % 1000:03d}s"
    return f"{value}s"


def re2_escape(text: str) -> str:
    """`text` as a literal in an RE2 pattern (RE2 takes a backslash before punctuation)."""
    return "".join("\\" + c if c in _RE2_SPECIAL else c for c in text)


_RE2_SPECIAL = frozenset("\\.+*?()|[]{}^$")


def socket_address(host: str, port: int) -> Obj:
    return {"socket_address": {"address": host, "port_value": port}}


def load_assignment(name: str, addresses: list[Obj]) -> Obj:
    return {
        "cluster_name": name,
        "endpoints": [{"lb_endpoints": [{"endpoint": {"address": a}} for a in addresses]}],
    }


def http_manager(stat_prefix: str, route_config: Obj, extra: Obj | None = None) -> Obj:
    """An HTTP connection manager filter with its routes inline (issue 22 serves the same
    route configuration over RDS). `codec_type` AUTO: HTTP/1.1 and HTTP/2 both arrive."""
    config: Obj = {
        "@type": HCM,
        "stat_prefix": stat_prefix,
        "codec_type": "AUTO",
        "route_config": route_config,
        "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {"@type": ROUTER}}],
    }
    config.update(extra or {})
    return {"name": "envoy.filters.network.http_connection_manager", "typed_config": config}


def http2_options() -> Obj:
    """[UG virtual_nodes.md] http2 and grpc listeners speak HTTP/2 to the application."""
    return {
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
            "@type": HTTP_OPTIONS,
            "explicit_http_config": {"http2_protocol_options": {}},
        }
    }
