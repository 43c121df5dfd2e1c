"""From a virtual service to the virtual nodes that serve it: the provider, the router's
listener, its routes in precedence order and the chosen route's weighted targets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..backend import specs
from . import matching
from .describe import ROUTE_KIND
from .document import MeshView
from .request import Request
from .result import Resolution, Target
from .selection import choose_ranked, compiled_routes, pick_listener

COMPILERS = {
    "httpRoute": matching.compile_http,
    "http2Route": matching.compile_http,
    "grpcRoute": matching.compile_with(matching.grpc_fail),
    "tcpRoute": matching.compile_with(matching.tcp_fail),
}


def through_service(view: MeshView, name: str, request: Request, result: Resolution) -> Resolution:
    """[M CreateVirtualService] requests to a virtual service "are routed to the virtual node
    or virtual router that is specified as the provider"."""
    service = view.get("virtualService", name)
    if service is None:
        return result.refuse(f"there is no virtual service {name!r} in mesh {view.name!r}")
    result.virtual_service = name
    kind, provider = specs.provider(service.get("spec")) or ("", "")
    if kind == "virtualRouter":
        result.step("virtualService", name, f"provided by virtual router {provider}")
        return through_router(view, provider, request, result)
    if kind == "virtualNode":
        node = provider
        result.step("virtualService", name, f"provided directly by virtual node {node}")
        return to_node(view, node, request.port, result)
    result.step("virtualService", name, "has no provider")
    # [UG virtual_services.md] a service may be created with provider None, for later.
    return result.refuse(f"virtual service {name!r} has no provider, so its requests go nowhere")


def to_node(view: MeshView, name: str, port: int | None, result: Resolution) -> Resolution:
    """A node as the whole provider: all traffic (weight 100, share 1) on its chosen listener."""
    node = view.get("virtualNode", name)
    if node is None:
        return result.refuse(f"virtual node {name!r} does not exist in mesh {view.name!r}")
    listeners = (node.get("spec") or {}).get("listeners") or []
    mapping, rule = pick_listener(f"virtual node {name!r}", listeners, port)
    if mapping is None:
        # [M VirtualNodeSpec.listeners] a node receives inbound traffic on its listeners.
        return result.refuse(rule)
    result.step("virtualNode", name, rule)
    result.targets = [Target(name, 100, 1.0, int(mapping["port"]))]
    result.matched, result.reason = True, None
    return result


def through_router(view: MeshView, name: str, request: Request, result: Resolution) -> Resolution:
    router = view.get("virtualRouter", name)
    if router is None:
        return result.refuse(f"virtual router {name!r} does not exist in mesh {view.name!r}")
    result.virtual_router = name
    listeners = (router.get("spec") or {}).get("listeners") or []
    mapping, rule = pick_listener(f"virtual router {name!r}", listeners, request.port)
    if mapping is None:
        return result.refuse(rule)
    result.step("virtualRouter", name, rule)
    request = request.moved(port=int(mapping["port"]))
    kind = ROUTE_KIND[str(mapping["protocol"])]
    ranked = compiled_routes(view, "route", name, kind, COMPILERS[kind])
    chosen = choose_ranked(f"virtual router {name!r}", ranked, kind, request, result.explain)
    if isinstance(chosen, str):
        return result.refuse(chosen)
    route, body, rule = chosen
    result.route = route
    result.step("route", route, rule)
    return split(view, route, body, result)


def split(view: MeshView, route: str, body: Mapping[str, Any], result: Resolution) -> Resolution:
    """[M WeightedTarget] "Traffic is distributed across targets according to their relative
    weight": share = weight / total; a weight of 0 receives nothing."""
    weighted = (body.get("action") or {}).get("weightedTargets") or []
    total = sum(int(t.get("weight", 0)) for t in weighted)
    targets = []
    for target in weighted:
        weight = int(target.get("weight", 0))
        node = str(target["virtualNode"])
        targets.append(
            Target(
                node,
                weight,
                weight / total if total else 0.0,
                _target_port(view, node, target.get("port")),
            )
        )
        result.step("virtualNode", node, f"weight {weight} of {total}")
    result.targets = targets
    if total == 0:
        result.matched = False
        result.reason = f"every weighted target of route {route!r} has weight 0: no traffic flows"
        return result
    result.matched, result.reason = True, None
    return result


def _target_port(view: MeshView, node: str, port: Any) -> int | None:
    """The target's port [M WeightedTarget.port], else the node's only listener port."""
    if port is not None:
        return int(port)
    spec = (view.get("virtualNode", node) or {}).get("spec") or {}
    ports = [
        lst["portMapping"]["port"] for lst in spec.get("listeners") or [] if "portMapping" in lst
    ]
    return int(ports[0]) if len(ports) == 1 else None
