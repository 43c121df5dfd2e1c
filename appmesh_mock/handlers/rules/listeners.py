"""Virtual nodes and virtual gateways: their listeners, health checks and backends."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...backend.resources import Resource, Spec
from ...backend.specs import GATEWAY_ROUTE_KINDS, listeners, route_match
from .names import Obj, bad, check_not_empty


def check_virtual_node_spec(spec: Spec) -> None:
    if listeners(spec) and "serviceDiscovery" not in spec:
        # [M VirtualNodeSpec.serviceDiscovery "If you specify a listener, then you must specify
        # service discovery information"]
        raise bad("spec.serviceDiscovery is required when spec.listeners are given")
    check_listeners(spec)
    for index, backend in enumerate(spec.get("backends") or ()):
        service = backend.get("virtualService") or {}
        check_not_empty(
            service.get("virtualServiceName"),
            f"spec.backends[{index}].virtualService.virtualServiceName",
        )
    dns = (spec.get("serviceDiscovery") or {}).get("dns") or {}
    check_not_empty(dns.get("hostname"), "spec.serviceDiscovery.dns.hostname")


def check_virtual_gateway_spec(spec: Spec, gateway_routes: Iterable[Resource] = ()) -> None:
    check_listeners(spec)
    if len(listeners(spec)) > 1:
        # [I] the router's observed rule (check_virtual_router_spec) applied to gateways, whose
        # routes need the same port match [UG multiple-listeners]
        missing = [
            r.name for r in gateway_routes if "port" not in route_match(r.spec, GATEWAY_ROUTE_KINDS)
        ]
        if missing:
            raise bad(
                "All Gateway Routes for this Virtual Gateway must define a port match before "
                f"adding multiple listeners to this Virtual Gateway. {len(missing)} Gateway "
                f"Route(s) are missing port. Listing up to 5 gateway route names: "
                f"[{', '.join(missing[:5])}]"
            )


def check_listeners(spec: Spec) -> None:
    """Listeners of a node, router or gateway (2018 listeners may lack a port mapping)."""
    first_use: dict[int, int] = {}
    for index, listener in enumerate(listeners(spec)):
        path = f"spec.listeners[{index}]"
        mapping = listener.get("portMapping") or {}
        port, protocol = mapping.get("port"), mapping.get("protocol")
        if port is not None:
            if port in first_use:
                # [I] one port cannot carry two listeners
                raise bad(
                    f"{path}.portMapping.port {port} is already used by "
                    f"spec.listeners[{first_use[port]}]"
                )
            first_use[port] = index
        _check_health_check(listener.get("healthCheck"), port, protocol, f"{path}.healthCheck")
        # [UG virtual nodes/gateways: "The connectionPool and portMapping protocols must be the
        # same"; request timeouts per listener protocol]
        _check_protocol_key(listener.get("connectionPool"), protocol, f"{path}.connectionPool")
        _check_protocol_key(listener.get("timeout"), protocol, f"{path}.timeout")


def _check_health_check(health: Obj | None, port: Any, protocol: Any, path: str) -> None:
    """`path` on a tcp or grpc health check is accepted: the model says it "is ignored"."""
    if not health:
        return
    if "port" in health and port is not None and health["port"] != port:
        # [M HealthCheckPolicy.port "must match the port defined in the PortMapping"]
        raise bad(f"{path}.port must match the listener's portMapping.port ({port})")
    if health.get("protocol") == "grpc" and protocol not in (None, "http2", "grpc"):
        raise bad("GRPC HealthCheck requires listener type of HTTP2 or GRPC.")  # [O TF #21359]


def _check_protocol_key(union: Obj | None, protocol: Any, path: str) -> None:
    for key in union or ():
        if protocol is not None and key != protocol:
            raise bad(f"{path}.{key} does not match the listener protocol {protocol}")
