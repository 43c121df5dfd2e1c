"""The same configuration as `render`, cut into the resources an xDS server hands out: the
listeners (their HTTP connection managers naming a route configuration served over RDS),
the route configurations, and the clusters; and the bootstrap that points an Envoy at it.

Routes go over RDS rather than inline in the listener: an inline table changes the listener,
and Envoy drains the connections open on the old one before they see the new routes (8-12 s
seen while preparing issue 22); an RDS update applies to them at once (under a second)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..semantics.document import MeshView
from .bootstrap import render
from .common import ADMIN_PORT, INTERNAL_LISTENER, Obj, http2_options, socket_address

ADS = {"ads": {}, "resource_api_version": "V3"}
XDS_CLUSTER = "appmesh_mock_xds"


@dataclass
class Resources:
    """One proxy's resources by kind, each a list of proto3-JSON objects with a `name`."""

    listeners: list[Obj] = field(default_factory=list)
    routes: list[Obj] = field(default_factory=list)
    clusters: list[Obj] = field(default_factory=list)


def resources(
    view: MeshView,
    *,
    gateway: str | None = None,
    node: str | None = None,
    endpoints: Mapping[str, str] | None = None,
    loopback: str | None = None,
) -> Resources:
    """The xDS resources of virtual gateway `gateway` or virtual node `node` (EnvoyConfigError
    as `render` raises it). `loopback` ("127.0.0.1"): every listener on that address and a
    port the OS picks, with the chain plain-text traffic takes (no iptables redirect there)."""
    static = render(view, gateway=gateway, node=node, endpoints=endpoints)["static_resources"]
    found = Resources(clusters=static["clusters"])
    routes: dict[str, Obj] = {}
    for listener in static["listeners"]:
        if loopback is not None and "address" in listener:
            listener = on_loopback(listener, loopback)
        for chain in listener["filter_chains"]:
            for entry in chain["filters"]:
                config = entry["typed_config"]
                table = config.pop("route_config", None)
                if table is not None:
                    routes[table["name"]] = table
                    config["rds"] = {"route_config_name": table["name"], "config_source": ADS}
        found.listeners.append(listener)
    found.routes = list(routes.values())
    return found


def on_loopback(listener: Obj, host: str) -> Obj:
    """A listener on `host`, port 0. Envoy keeps the bound socket (and so the port) across
    updates of a listener whose address is unchanged, so the port picked at start stays."""
    found = copy.deepcopy(listener)
    found["address"] = socket_address(host, 0)
    found.pop("listener_filters", None)  # original_dst and the TLS inspector need a redirect
    chains = found["filter_chains"]
    plain = [c for c in chains if "transport_protocol" not in c.get("filter_chain_match", {})]
    default = [c for c in plain if "filter_chain_match" not in c] or plain or chains
    chosen = dict(default[0])
    chosen.pop("filter_chain_match", None)
    found["filter_chains"] = [chosen]
    return found


def xds_bootstrap(
    node_id: str,
    xds_host: str,
    xds_port: int,
    *,
    metadata: Mapping[str, object] | None = None,
    admin_port: int = ADMIN_PORT,
) -> Obj:
    """The bootstrap of an Envoy that gets everything else over ADS from `xds_host:xds_port`
    (gRPC, state of the world), as App Mesh's Envoy image got it from App Mesh."""
    node: Obj = {"id": node_id, "cluster": node_id}
    if metadata:
        node["metadata"] = dict(metadata)
    return {
        "node": node,
        "admin": {"address": socket_address("127.0.0.1", admin_port)},
        "dynamic_resources": {
            "ads_config": {
                "api_type": "GRPC",
                "transport_api_version": "V3",
                "grpc_services": [{"envoy_grpc": {"cluster_name": XDS_CLUSTER}}],
            },
            "lds_config": ADS,
            "cds_config": ADS,
        },
        "static_resources": {
            "clusters": [
                {
                    "name": XDS_CLUSTER,
                    "type": "STRICT_DNS",  # an address or a name
                    "dns_lookup_family": "V4_PREFERRED",  # "localhost": the IPv4 bind first
                    "connect_timeout": "1s",
                    "typed_extension_protocol_options": http2_options(),
                    "load_assignment": {
                        "cluster_name": XDS_CLUSTER,
                        "endpoints": [
                            {"lb_endpoints": [
                                {"endpoint": {"address": socket_address(xds_host, xds_port)}}
                            ]}
                        ],
                    },
                }
            ]
        },
        # A gateway route that hops to a router needs internal listeners; always on, since
        # such a route may be added after the Envoy started.
        "bootstrap_extensions": [
            {"name": "envoy.bootstrap.internal_listener",
             "typed_config": {"@type": INTERNAL_LISTENER}}
        ],
    }  # fmt: skip
