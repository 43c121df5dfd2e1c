"""Documented service rules that the model's shapes cannot express.

The model already enforces types, ranges, lengths, enums, unions and required members (see
protocol/validation.py); what is here comes from the model's documentation strings and
`appmesh-behaviour.md` §9.2. Each rule raises BadRequestException and runs before any state
changes.
"""

from __future__ import annotations

from typing import Any

from ..backend.resources import Resource, Spec
from ..errors import BadRequestException
from .references import GATEWAY_ROUTE_KINDS, ROUTE_KINDS, listener_protocols, listeners

_ROUTE_PROTOCOL = {
    "httpRoute": "http",
    "http2Route": "http2",
    "grpcRoute": "grpc",
    "tcpRoute": "tcp",
}
_RESERVED_PREFIXES = ("/aws-appmesh", "/aws-app-mesh")


def _bad(message: str) -> BadRequestException:
    return BadRequestException(message)


def check_name(kind_title: str, name: str) -> None:
    """`/` cannot travel in a URI label, and control characters have no place in a name."""
    if not name or "/" in name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise _bad(
            f"{kind_title} name {name!r} must not be empty or contain '/' or control characters"
        )


def _exactly_one(spec: Spec, kinds: tuple[str, ...], what: str) -> str:
    present = [kind for kind in kinds if kind in spec]
    if len(present) != 1:
        raise _bad(f"{what} spec must contain exactly one of {', '.join(kinds)}")
    return present[0]


def _check_prefix(prefix: Any, path: str, gateway: bool) -> None:
    if not isinstance(prefix, str) or not prefix.startswith("/"):
        raise _bad(f"{path} must start with '/'")
    if gateway and prefix.startswith(_RESERVED_PREFIXES):
        raise _bad(f"{path} must not start with /aws-appmesh or /aws-app-mesh")


def check_route_spec(spec: Spec, router: Resource) -> None:
    kind = _exactly_one(spec, ROUTE_KINDS, "Route")
    route = spec[kind]
    match = route.get("match") or {}
    if "prefix" in match:
        _check_prefix(match["prefix"], f"{kind}.match.prefix", gateway=False)
    if kind in ("httpRoute", "http2Route") and not ({"prefix", "path"} & set(match)):
        raise _bad(f"{kind}.match must set prefix or path")
    if kind == "grpcRoute" and "methodName" in match and "serviceName" not in match:
        raise _bad("grpcRoute.match.serviceName is required when methodName is set")
    router_listeners = listeners(router.spec)
    protocols = set(listener_protocols(router.spec))
    if protocols and _ROUTE_PROTOCOL[kind] not in protocols:
        raise _bad(
            f"{kind} does not match the listener protocol of VirtualRouter {router.name} "
            f"({', '.join(sorted(protocols))})"
        )
    if len(router_listeners) > 1 and "port" not in match:
        raise _bad(
            "Route must define a port match criteria if the Virtual Router has multiple listeners"
        )


def check_virtual_router_spec(spec: Spec, routes: list[Resource]) -> None:
    if len(listeners(spec)) > 1:
        missing = [r.name for r in routes if "port" not in _route_match(r.spec)]
        if missing:
            raise _bad(
                "All Routes for this Virtual Router must define a port match before adding "
                f"multiple listeners to this Virtual Router. {len(missing)} Route(s) are missing "
                f"port. Listing up to 5 route names: [{', '.join(missing[:5])}]"
            )


def _route_match(spec: Spec | None) -> dict[str, Any]:
    for kind in ROUTE_KINDS:
        if spec and kind in spec:
            return dict(spec[kind].get("match") or {})
    return {}


def check_virtual_node_spec(spec: Spec) -> None:
    if listeners(spec) and "serviceDiscovery" not in spec:
        raise _bad("a virtual node with listeners must specify serviceDiscovery")
    _check_listeners(spec)


def check_virtual_gateway_spec(spec: Spec) -> None:
    _check_listeners(spec)


def _check_listeners(spec: Spec) -> None:
    for index, listener in enumerate(listeners(spec)):
        health = listener.get("healthCheck")
        port = listener.get("portMapping", {}).get("port")
        if health and "port" in health and health["port"] != port:
            raise _bad(
                f"listeners[{index}].healthCheck.port must match the listener's portMapping.port"
            )


def check_gateway_route_spec(spec: Spec) -> None:
    kind = _exactly_one(spec, GATEWAY_ROUTE_KINDS, "GatewayRoute")
    match = spec[kind].get("match") or {}
    if "prefix" in match:
        _check_prefix(match["prefix"], f"{kind}.match.prefix", gateway=True)
    if kind in ("httpRoute", "http2Route") and not ({"prefix", "path", "hostname"} & set(match)):
        raise _bad(f"{kind}.match must set at least one of prefix, path or hostname")
    service = match.get("serviceName")
    if kind == "grpcRoute" and isinstance(service, str) and (
        service.startswith("aws.app-mesh") or service == "aws.appmesh"
    ):
        raise _bad("grpcRoute.match.serviceName must not name an App Mesh service")
