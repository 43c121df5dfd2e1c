"""`envoy_config`: the Envoy bootstrap (static resources) holding what App Mesh gave one
virtual gateway's or virtual node's proxy, from the API-shaped state document."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ..semantics.document import Document, MeshView, load_document, select_mesh
from .clusters import (
    allow_all,
    hop_cluster,
    local_app,
    parse_endpoints,
    upstream_cluster,
    with_client_tls,
)
from .common import ADMIN_PORT, INTERNAL_LISTENER, EnvoyConfigError, Obj, socket_address
from .listeners import gateway_listeners, hop_listener, inbound, outbound
from .plan import Plan
from .tls import sds_cluster


def envoy_config(
    document: Document | str | os.PathLike[str],
    mesh_name: str,
    *,
    gateway: str | None = None,
    node: str | None = None,
    endpoints: Mapping[str, str] | None = None,
    account_id: str | None = None,
    region: str | None = None,
    mesh_owner: str | None = None,
) -> Obj:
    """The bootstrap `envoy -c` runs for virtual gateway `gateway` or virtual node `node`.

    `endpoints` gives virtual nodes' addresses, `{"node": "host:port"}` (or
    `{"node:8080": ...}` for one listener port); other nodes are reached at their DNS
    hostname. Raises EnvoyConfigError (a ValueError) for an unknown mesh, gateway or node, or
    a Cloud Map node with no endpoint given. docs/dataplane.md lists each choice."""
    if (gateway is None) == (node is None):
        raise EnvoyConfigError("give exactly one of gateway= or node=")
    found = select_mesh(
        load_document(document), mesh_name,
        account_id=account_id, region=region, mesh_owner=mesh_owner,
    )  # fmt: skip
    if isinstance(found, str):
        raise EnvoyConfigError(found)
    return render(found, gateway=gateway, node=node, endpoints=endpoints)


def render(
    view: MeshView,
    *,
    gateway: str | None = None,
    node: str | None = None,
    endpoints: Mapping[str, str] | None = None,
) -> Obj:
    addresses = parse_endpoints(endpoints)
    plan = Plan(view)
    clusters: list[Obj] = []
    policies: dict[str, Mapping[str, object]] = {}
    if gateway is not None:
        resource = view.get("virtualGateway", gateway)
        if resource is None:
            raise EnvoyConfigError(f"there is no virtual gateway {gateway!r} in mesh {view.name!r}")
        kind, name = "virtualGateway", gateway
        listeners = gateway_listeners(plan, resource)
    else:
        assert node is not None
        resource = view.get("virtualNode", node)
        if resource is None:
            raise EnvoyConfigError(f"there is no virtual node {node!r} in mesh {view.name!r}")
        kind, name = "virtualNode", node
        spec = resource.get("spec") or {}
        listeners, locals_ = inbound(plan, node, spec)
        egress, policies = outbound(plan, spec)
        listeners.append(egress)
        clusters.extend(local_app(local, listener) for local, listener in locals_)
        if any(host["name"] == "allow_all" for host in _hosts(egress)):
            clusters.append(allow_all(plan))
    done: set[str] = set()
    while set(plan.hops) - done:  # a hop's routes may name more upstreams, never more hops
        for hop_name in sorted(set(plan.hops) - done):
            done.add(hop_name)
            listeners.append(hop_listener(plan, plan.hops[hop_name]))
            clusters.append(hop_cluster(plan, plan.hops[hop_name]))
    for cluster_name, upstream in sorted(plan.upstreams.items()):
        cluster = upstream_cluster(plan, upstream, addresses)
        clusters.append(with_client_tls(cluster, policies.get(cluster_name), upstream.port))
    if "'sds_config'" in str(listeners) + str(clusters):
        clusters.append(sds_cluster())
    # [UG envoy-config] the node id App Mesh's Envoy image sent: mesh/<mesh>/<kind>/<name>.
    identity = f"mesh/{view.name}/{kind}/{name}"
    config: Obj = {
        "node": {"id": identity, "cluster": identity},
        "admin": {"address": socket_address("127.0.0.1", ADMIN_PORT)},
        "static_resources": {"listeners": listeners, "clusters": clusters},
    }
    if plan.hops:
        config["bootstrap_extensions"] = [
            {
                "name": "envoy.bootstrap.internal_listener",
                "typed_config": {"@type": INTERNAL_LISTENER},
            }
        ]
    return config


def _hosts(listener: Obj) -> list[Obj]:
    chain = listener["filter_chains"][-1]["filters"][0]["typed_config"]
    hosts: list[Obj] = chain.get("route_config", {}).get("virtual_hosts", [])
    return hosts
