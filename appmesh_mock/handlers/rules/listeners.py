"""Virtual nodes and virtual gateways: their listeners and health checks."""

from __future__ import annotations

from typing import Any

from ...backend.resources import Spec
from ...backend.specs import listeners
from .names import Obj, bad


def check_virtual_node_spec(spec: Spec) -> None:
    """An empty backend name or DNS hostname is accepted: the model sets no length for them and
    no source says the service refuses "" (refusing it was our inference, appmesh-behaviour
    §9.1)."""
    if listeners(spec) and "serviceDiscovery" not in spec:
        # [M VirtualNodeSpec.serviceDiscovery "If you specify a listener, then you must specify
        # service discovery information"]
        raise bad("spec.serviceDiscovery is required when spec.listeners are given")
    check_listeners(spec)


def check_virtual_gateway_spec(spec: Spec) -> None:
    """Adding a second listener while gateway routes lack a match port is accepted: the
    service's refusal is observed for routers (check_virtual_router_spec) and for creating
    such a gateway route (check_gateway_route_context), not for this update [I, so no
    refusal]."""
    check_listeners(spec)


def check_listeners(spec: Spec) -> None:
    """Listeners of a node, router or gateway (2018 listeners may lack a port mapping). Two
    listeners on one port, and a `timeout` keyed by another protocol than the listener's, are
    accepted: only our inference and the console's fields speak of them [I, UG console]."""
    for index, listener in enumerate(listeners(spec)):
        path = f"spec.listeners[{index}]"
        mapping = listener.get("portMapping") or {}
        port, protocol = mapping.get("port"), mapping.get("protocol")
        _check_health_check(listener.get("healthCheck"), port, protocol, f"{path}.healthCheck")
        pool = listener.get("connectionPool") or {}
        for key in pool:
            if protocol is not None and key != protocol:
                # [M VirtualNodeConnectionPool, VirtualGatewayConnectionPool: "should be the
                # same protocol as the one chosen under port mapping"]
                raise bad(
                    f"{path}.connectionPool.{key} does not match the listener protocol {protocol}"
                )


def _check_health_check(health: Obj | None, port: Any, protocol: Any, path: str) -> None:
    """`path` on a tcp or grpc health check is accepted: the model says it "is ignored"."""
    if not health:
        return
    if "port" in health and port is not None and health["port"] != port:
        # [M HealthCheckPolicy.port "must match the port defined in the PortMapping"]
        raise bad(f"{path}.port must match the listener's portMapping.port ({port})")
    if health.get("protocol") == "grpc" and protocol not in (None, "http2", "grpc"):
        raise bad("GRPC HealthCheck requires listener type of HTTP2 or GRPC.")  # [O TF #21359]
