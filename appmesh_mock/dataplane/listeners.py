"""Listeners: a virtual gateway's own ports, a router's internal listener behind a gateway,
and a virtual node's sidecar (inbound on 15000, outbound on 15001)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..backend import specs
from .common import (
    EGRESS_PORT,
    INGRESS_PORT,
    ORIGINAL_DST,
    TCP_PROXY,
    TLS_INSPECTOR_TYPE,
    Obj,
    allow_all_cluster,
    http_manager,
    ingress_cluster,
    seconds,
    socket_address,
)
from .plan import Hop, Plan
from .routes import gateway_table, router_table, service_action, tcp_target
from .tls import downstream_tls

ORIGINAL_DST_FILTER = {"name": "envoy.filters.listener.original_dst",
                       "typed_config": {"@type": ORIGINAL_DST}}  # fmt: skip
TLS_INSPECTOR = {"name": "envoy.filters.listener.tls_inspector",
                 "typed_config": {"@type": TLS_INSPECTOR_TYPE}}  # fmt: skip


def _tcp_proxy(stat_prefix: str, action: Obj | None, idle: str | None = None) -> Obj:
    config: Obj = {"@type": TCP_PROXY, "stat_prefix": stat_prefix}
    route = (action or {}).get("route") or {}
    if "weighted_clusters" in route:
        config["weighted_clusters"] = route["weighted_clusters"]
    else:
        # Nowhere to go: a cluster name that does not exist closes the connection.
        config["cluster"] = route.get("cluster", "appmesh_no_route")
    if idle is not None:
        config["idle_timeout"] = idle
    return {"name": "envoy.filters.network.tcp_proxy", "typed_config": config}


def _tls_chains(chain: Obj, tls: Mapping[str, Any] | None) -> list[Obj]:
    """[M ListenerTls.mode] STRICT: TLS only; PERMISSIVE: TLS or plain text (told apart by
    the TLS inspector); DISABLED or none: plain text."""
    mode = (tls or {}).get("mode", "DISABLED")
    if mode == "DISABLED" or not tls:
        return [chain]
    secure = {**chain, "transport_socket": downstream_tls(tls)}
    if mode == "STRICT":
        return [secure]
    match = chain.get("filter_chain_match") or {}
    return [
        {**secure, "filter_chain_match": {**match, "transport_protocol": "tls"}},
        {**chain, "filter_chain_match": {**match, "transport_protocol": "raw_buffer"}},
    ]


def gateway_listeners(plan: Plan, gateway: Mapping[str, Any]) -> list[Obj]:
    """[UG virtual_gateways.md] the gateway's Envoy listens on each listener's port; its
    route table holds the gateway routes for that port and protocol."""
    name = str(gateway["virtualGatewayName"])
    found = []
    for listener in (gateway.get("spec") or {}).get("listeners") or []:
        protocol, port = (
            str(listener["portMapping"]["protocol"]),
            int(listener["portMapping"]["port"]),
        )
        table = f"rds_ingress_{protocol}_{port}"
        routes = gateway_table(plan, name, protocol, port)
        config = {
            "name": table,
            "virtual_hosts": [{"name": name, "domains": ["*"], "routes": routes}],
        }
        chain = {"filters": [http_manager(f"ingress_{protocol}_{port}", config)]}
        chains = _tls_chains(chain, listener.get("tls"))
        entry: Obj = {
            "name": f"lds_ingress_0.0.0.0_{port}",
            "address": socket_address("0.0.0.0", port),
            "filter_chains": chains,
        }
        if len(chains) > 1:
            entry["listener_filters"] = [TLS_INSPECTOR]
        found.append(entry)
    return found


def hop_listener(plan: Plan, hop: Hop) -> Obj:
    """[I] a router's routes for one of its listeners, as an internal listener."""
    name = hop.name(plan.mesh)
    if hop.protocol == "tcp":
        chain = {"filters": [_tcp_proxy(name, tcp_target(plan, hop.router, hop.port))]}
    else:
        routes = router_table(plan, hop.router, hop.protocol, hop.port)
        config = {
            "name": name,
            "virtual_hosts": [{"name": hop.router, "domains": ["*"], "routes": routes}],
        }
        chain = {"filters": [http_manager(name, config)]}
    return {"name": name, "internal_listener": {}, "filter_chains": [chain]}


def inbound(
    plan: Plan, node: str, spec: Mapping[str, Any]
) -> tuple[list[Obj], list[tuple[str, Any]]]:
    """(the inbound listener, [(its local cluster name, listener)]). [UG envoy-config:
    APPMESH_ENVOY_INGRESS_PORT 15000] traffic for each listener port reaches the sidecar on
    15000 by iptables redirect, so each port is a filter chain on its original destination
    port, with the listener's timeouts [M ListenerTimeout] and TLS."""
    chains, locals_ = [], []
    for listener in spec.get("listeners") or []:
        protocol, port = (
            str(listener["portMapping"]["protocol"]),
            int(listener["portMapping"]["port"]),
        )
        local = ingress_cluster(plan.mesh, node, protocol, port)
        locals_.append((local, listener))
        timeout = (listener.get("timeout") or {}).get(protocol) or {}
        idle = seconds(timeout.get("idle"))
        if protocol == "tcp":
            filters = [_tcp_proxy(f"ingress_tcp_{port}", {"route": {"cluster": local}}, idle)]
        else:
            route: Obj = {"cluster": local}
            per_request = seconds(timeout.get("perRequest"))
            if per_request is not None:
                route["timeout"] = per_request
            if idle is not None:
                route["idle_timeout"] = idle
            config = {
                "name": f"rds_ingress_{protocol}_{port}",
                "virtual_hosts": [
                    {
                        "name": node,
                        "domains": ["*"],
                        "routes": [{"match": {"prefix": "/"}, "route": route}],
                    }
                ],
            }
            filters = [http_manager(f"ingress_{protocol}_{port}", config)]
        chain = {"filter_chain_match": {"destination_port": port}, "filters": filters}
        chains.extend(_tls_chains(chain, listener.get("tls")))
    if not chains:
        return [], []
    entry: Obj = {
        "name": f"lds_ingress_0.0.0.0_{INGRESS_PORT}",
        "address": socket_address("0.0.0.0", INGRESS_PORT),
        "listener_filters": [ORIGINAL_DST_FILTER],
        "filter_chains": chains,
    }
    if any("transport_protocol" in c.get("filter_chain_match", {}) for c in chains):
        entry["listener_filters"].append(TLS_INSPECTOR)
    return [entry], locals_


def outbound(plan: Plan, spec: Mapping[str, Any]) -> tuple[Obj, dict[str, Mapping[str, Any]]]:
    """(the outbound listener, {upstream cluster: the client policy of the backend it serves}).
    [UG envoy-config: APPMESH_ENVOY_EGRESS_PORT 15001] the application's outbound traffic
    reaches the sidecar on 15001; one virtual host per backend service and port, named
    `service:port` (and `service` when its provider has one listener, as `resolve` picks the
    only listener), then the mesh's egress filter [M EgressFilter]."""
    hosts: list[Obj] = []
    tcp_chains: list[Obj] = []
    policies: dict[str, Mapping[str, Any]] = {}
    defaults = ((spec.get("backendDefaults") or {}).get("clientPolicy")) or {}
    for item in spec.get("backends") or []:
        backend = item.get("virtualService") or {}
        service = str(backend.get("virtualServiceName"))
        before = set(plan.upstreams)
        for protocol, port, single in _provider_ports(plan, service):
            domains = [f"{service}:{port}"] + ([service] if single else [])
            if protocol == "tcp":
                action, _ = service_action(plan, service, port)
                if (
                    "route" in action
                    and "cluster" in action["route"]
                    and action["route"]["cluster"] in plan.hops
                ):
                    router = plan.hops.pop(action["route"]["cluster"]).router
                    action = tcp_target(plan, router, port) or {}
                tcp_chains.append({
                    "filter_chain_match": {"destination_port": port},
                    "filters": [_tcp_proxy(f"egress_tcp_{service}_{port}", action)],
                })  # fmt: skip
                continue
            routes = _service_routes(plan, service, protocol, port)
            hosts.append({"name": f"{service}:{port}", "domains": domains, "routes": routes})
        policy = backend.get("clientPolicy") or defaults
        for name in set(plan.upstreams) - before:
            policies.setdefault(name, policy)
    mesh_spec = plan.view.mesh.get("spec") or {}
    if ((mesh_spec.get("egressFilter") or {}).get("type")) == "ALLOW_ALL":
        passthrough = {"match": {"prefix": "/"}, "route": {"cluster": allow_all_cluster(plan.mesh)}}
        hosts.append({"name": "allow_all", "domains": ["*"], "routes": [passthrough]})
    config = {"name": f"rds_egress_http_{EGRESS_PORT}", "virtual_hosts": hosts}
    listener: Obj = {
        "name": f"lds_egress_0.0.0.0_{EGRESS_PORT}",
        "address": socket_address("0.0.0.0", EGRESS_PORT),
        "listener_filters": [ORIGINAL_DST_FILTER],
        "filter_chains": [
            *tcp_chains,
            {"filters": [http_manager(f"egress_http_{EGRESS_PORT}", config)]},
        ],
    }
    return listener, policies


def _provider_ports(plan: Plan, service: str) -> list[tuple[str, int, bool]]:
    found = plan.view.get("virtualService", service)
    kind, name = specs.provider((found or {}).get("spec")) or ("", "")
    provider = plan.view.get(kind, name) if kind else None
    mappings = [
        lst["portMapping"]
        for lst in ((provider or {}).get("spec") or {}).get("listeners") or []
        if "portMapping" in lst
    ]
    return [(str(m["protocol"]), int(m["port"]), len(mappings) == 1) for m in mappings]


def _service_routes(plan: Plan, service: str, protocol: str, port: int) -> list[Obj]:
    """A router's routes for that listener, or the one route to a node provider."""
    action, hops = service_action(plan, service, port)
    if hops:
        hop = plan.hops.pop(action["route"]["cluster"])
        return router_table(plan, hop.router, protocol, hop.port)
    return [{"match": {"prefix": "/"}, **action}]
