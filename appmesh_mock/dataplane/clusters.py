"""Clusters: one per virtual node and port the routes send to, the hops to a router's
internal listener, the mesh's pass-through cluster, and a node's own application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .common import (
    EnvoyConfigError,
    Obj,
    allow_all_cluster,
    http2_options,
    load_assignment,
    seconds,
    socket_address,
)
from .plan import Hop, Plan, Upstream, node_listener
from .tls import upstream_tls

# [M DnsServiceDiscovery.ipPreference, UG ip-preferences.md] as Envoy's DnsLookupFamily.
LOOKUP_FAMILY = {
    "IPv4_ONLY": "V4_ONLY",
    "IPv6_ONLY": "V6_ONLY",
    "IPv4_PREFERRED": "V4_PREFERRED",
    "IPv6_PREFERRED": "AUTO",  # Envoy: AUTO tries IPv6 first, then IPv4
}


def parse_endpoints(endpoints: Mapping[str, str] | None) -> dict[str, tuple[str, int]]:
    """`{"node": "host:port", "node:8080": "host:port"}` as (host, port); a key naming a
    listener port is used for that port only."""
    found = {}
    for key, value in (endpoints or {}).items():
        host, colon, port = str(value).rpartition(":")
        if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise EnvoyConfigError(f"endpoint {key}={value!r} is not HOST:PORT")
        found[str(key)] = (host.strip("[]"), int(port))
    return found


def upstream_cluster(
    plan: Plan, upstream: Upstream, endpoints: Mapping[str, tuple[str, int]]
) -> Obj:
    """A virtual node's cluster: its given endpoint, else its DNS hostname on the port
    [M DnsServiceDiscovery]; its listener's outlier detection [M OutlierDetection] and the
    caller's TLS policy for it; HTTP/2 for http2 and grpc listeners."""
    name = upstream.name(plan.mesh)
    node = plan.view.get("virtualNode", upstream.node)
    spec = (node or {}).get("spec") or {}
    cluster: Obj = {"name": name, "connect_timeout": "1s"}
    given = endpoints.get(f"{upstream.node}:{upstream.port}") or endpoints.get(upstream.node)
    discovery = spec.get("serviceDiscovery") or {}
    if given is not None:
        cluster["type"] = "STRICT_DNS"
        cluster["load_assignment"] = load_assignment(name, [socket_address(*given)])
    elif "dns" in discovery:
        dns = discovery["dns"]
        # [M DnsServiceDiscovery.responseType] LOADBALANCER: one address behind a load
        # balancer (Envoy's LOGICAL_DNS); ENDPOINTS: every address (STRICT_DNS).
        response = dns.get("responseType", "LOADBALANCER")
        cluster["type"] = "STRICT_DNS" if response == "ENDPOINTS" else "LOGICAL_DNS"
        preference = dns.get("ipPreference") or (
            (plan.view.mesh.get("spec") or {}).get("serviceDiscovery") or {}
        ).get("ipPreference")
        cluster["dns_lookup_family"] = LOOKUP_FAMILY.get(str(preference), "V4_PREFERRED")
        address = socket_address(str(dns["hostname"]), upstream.port)
        cluster["load_assignment"] = load_assignment(name, [address])
    elif node is None:
        raise EnvoyConfigError(
            f"virtual node {upstream.node!r} is a route target but does not exist in mesh "
            f"{plan.mesh!r}"
        )
    else:
        how = "Cloud Map" if "awsCloudMap" in discovery else "no service discovery"
        raise EnvoyConfigError(
            f"virtual node {upstream.node!r} uses {how}: give its address as an endpoint "
            f"({upstream.node}=HOST:PORT)"
        )
    if upstream.protocol in ("http2", "grpc"):
        cluster["typed_extension_protocol_options"] = http2_options()
    outlier = outlier_detection(node_listener(plan.view, upstream.node, upstream.port))
    if outlier:
        cluster["outlier_detection"] = outlier
    return cluster


def with_client_tls(cluster: Obj, policy: Mapping[str, Any] | None, port: int) -> Obj:
    """[M ClientPolicyTls] the caller's TLS to this upstream, when its policy covers `port`."""
    tls = (policy or {}).get("tls") or {}
    ports = tls.get("ports") or []
    if tls and tls.get("enforce", True) and (not ports or port in ports):
        cluster["transport_socket"] = upstream_tls(tls)
    return cluster


def outlier_detection(listener: Mapping[str, Any]) -> Obj:
    """[M OutlierDetection] maxServerErrors in interval ejects a host for baseEjectionDuration
    (multiplied by ejections, as Envoy does), at most maxEjectionPercent of hosts."""
    found = listener.get("outlierDetection")
    if not found:
        return {}
    return {
        "consecutive_5xx": int(found["maxServerErrors"]),
        "interval": seconds(found["interval"]),
        "base_ejection_time": seconds(found["baseEjectionDuration"]),
        "max_ejection_percent": int(found["maxEjectionPercent"]),
    }


def hop_cluster(plan: Plan, hop: Hop) -> Obj:
    """[I] the hop from a gateway route to the router behind its target service: an Envoy
    internal listener, so the router's routes see the request as the gateway rewrote it."""
    name = hop.name(plan.mesh)
    address = {"envoy_internal_address": {"server_listener_name": name}}
    cluster: Obj = {"name": name, "load_assignment": load_assignment(name, [address])}
    if hop.protocol in ("http2", "grpc"):
        cluster["typed_extension_protocol_options"] = http2_options()
    return cluster


def allow_all(plan: Plan) -> Obj:
    """[M EgressFilter ALLOW_ALL] traffic to any other host goes where the application sent
    it: an ORIGINAL_DST cluster (named as in App Mesh's metrics, `..._mesh-allow-all`)."""
    return {
        "name": allow_all_cluster(plan.mesh),
        "type": "ORIGINAL_DST",
        "lb_policy": "CLUSTER_PROVIDED",
        "connect_timeout": "1s",
    }


def local_app(name: str, listener: Mapping[str, Any]) -> Obj:
    """The node's application behind its sidecar, on 127.0.0.1 and the listener port, with
    the listener's connection pool [M VirtualNodeConnectionPool] as circuit breakers and its
    health check [M HealthCheckPolicy]."""
    mapping = listener["portMapping"]
    protocol, port = str(mapping["protocol"]), int(mapping["port"])
    cluster: Obj = {
        "name": name,
        "type": "STATIC",
        "connect_timeout": "1s",
        "load_assignment": load_assignment(name, [socket_address("127.0.0.1", port)]),
    }
    if protocol in ("http2", "grpc"):
        cluster["typed_extension_protocol_options"] = http2_options()
    pool = (listener.get("connectionPool") or {}).get(protocol) or {}
    thresholds = {
        key: int(pool[member])
        for member, key in (
            ("maxConnections", "max_connections"),
            ("maxPendingRequests", "max_pending_requests"),
            ("maxRequests", "max_requests"),
        )
        if member in pool
    }
    if thresholds:
        cluster["circuit_breakers"] = {"thresholds": [thresholds]}
    check = listener.get("healthCheck")
    if check:
        cluster["health_checks"] = [_health_check(check)]
    return cluster


def _health_check(check: Mapping[str, Any]) -> Obj:
    found: Obj = {
        "timeout": f"{int(check['timeoutMillis']) / 1000:g}s",
        "interval": f"{int(check['intervalMillis']) / 1000:g}s",
        "healthy_threshold": int(check["healthyThreshold"]),
        "unhealthy_threshold": int(check["unhealthyThreshold"]),
    }
    protocol = str(check["protocol"])
    if protocol in ("http", "http2"):
        found["http_health_check"] = {"path": str(check.get("path", "/"))}
        if protocol == "http2":
            found["http_health_check"]["codec_client_type"] = "HTTP2"
    elif protocol == "grpc":
        found["grpc_health_check"] = {}
    else:
        found["tcp_health_check"] = {}
    return found
