"""Documented service rules that the model's shapes cannot express.

The model already enforces types, ranges, lengths, enums, unions and required members (see
protocol/validation.py). The rules here come from other sources, each tagged where it is used:
[M] a documentation string of the botocore model, [UG] the App Mesh user guide, [O] a real error
message someone recorded, [K8S]/[CDK] AWS's own client-side validators (the App Mesh controller
for Kubernetes, the CDK), which hint at what the service checks, and [I] inferred. Where the
sources disagree or are unsure, the rule accepts. Every rule raises BadRequestException naming
the member, and handlers call them before any state changes.

Specs arrive in the caller's API version, so every rule also reads 2018-10-01 specs.

Accepted on purpose, for want of a source that says the service refuses them: `scheme` on an
httpRoute (the model calls it "Applicable only for HTTP2 routes", not invalid elsewhere), a
health-check `path` for tcp or grpc ("ignored"), the sum of route weights, a gateway route's
type against its gateway's listener protocol, a match or target port naming no listener,
wildcard TLS subject alternative names, and outlier detection and TLS settings beyond their
shapes (the model already requires and bounds every member the documentation mentions).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..backend.kinds import VIRTUAL_NODE, VIRTUAL_ROUTER, VIRTUAL_SERVICE, Kind
from ..backend.resources import MeshState, Resource, Spec
from ..errors import BadRequestException
from .references import (
    GATEWAY_ROUTE_KINDS,
    ROUTE_KINDS,
    listener_protocols,
    listeners,
    provider,
    route_kind,
)

Obj = dict[str, Any]

_ROUTE_PROTOCOL = {
    "httpRoute": "http",
    "http2Route": "http2",
    "grpcRoute": "grpc",
    "tcpRoute": "tcp",
}
_RESERVED_PREFIXES = ("/aws-appmesh", "/aws-app-mesh")
# [M HttpRetryPolicy.httpRetryEvents]: the model types them as free strings but lists these.
_HTTP_RETRY_EVENTS = ("client-error", "gateway-error", "server-error", "stream-error")
_RETRY_EVENT_KINDS = {
    "httpRoute": ("httpRetryEvents", "tcpRetryEvents"),
    "http2Route": ("httpRetryEvents", "tcpRetryEvents"),
    "grpcRoute": ("grpcRetryEvents", "httpRetryEvents", "tcpRetryEvents"),
}
# [CDK validateGrpcRouteMatch / validateGrpcGatewayRouteMatch]: a gRPC match must match on
# something. The K8S controller asks more of gateway routes (serviceName or hostname); the
# weaker rule is the one both agree on.
_GRPC_ROUTE_CRITERIA = ("serviceName", "methodName", "metadata", "port")
_GRPC_GATEWAY_ROUTE_CRITERIA = ("serviceName", "hostname", "metadata", "port")
_PROVIDER_KINDS = {"virtualNode": VIRTUAL_NODE, "virtualRouter": VIRTUAL_ROUTER}


def _bad(message: str) -> BadRequestException:
    return BadRequestException(message)


# Names ------------------------------------------------------------------------------------------


def check_name(kind_title: str, name: str) -> None:
    """`/` cannot travel in a URI label, and control characters have no place in a name."""
    if not name or "/" in name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise _bad(
            f"{kind_title} name {name!r} must not be empty or contain '/' or control characters"
        )


def _check_not_empty(value: Any, path: str) -> None:
    """[I from appmesh-behaviour §9.1] `ServiceName` and `Hostname` have no length limits in the
    model, so botocore sends "" even with validation on; no service or host has that name."""
    if value == "":
        raise _bad(f"{path} must not be empty")


# Shared pieces -----------------------------------------------------------------------------------


def _exactly_one(spec: Spec, kinds: tuple[str, ...], what: str) -> str:
    """[M RouteSpec, GatewayRouteSpec "Specify one route type"; K8S] - not a union in the model
    because `priority` sits beside the route types."""
    present = [kind for kind in kinds if kind in spec]
    if len(present) != 1:
        raise _bad(f"{what} spec must set exactly one of {', '.join(kinds)}")
    return present[0]


def _one_of(obj: Obj, members: tuple[str, ...], path: str) -> None:
    """For the few structures that mean "one of these" without the model marking a union
    [K8S: path exact|regex, hostname exact|suffix]."""
    if sum(member in obj for member in members) != 1:
        raise _bad(f"{path} must set exactly one of {', '.join(members)}")


def _any_of(obj: Obj, members: tuple[str, ...], path: str) -> None:
    if not any(member in obj for member in members):
        raise _bad(f"{path} must set at least one of {', '.join(members)}")


def _not_both(obj: Obj, first: str, second: str, path: str) -> None:
    if first in obj and second in obj:
        raise _bad(f"{path} must not set both {first} and {second}")


def _existing(mesh: MeshState, kind: Kind, name: str) -> Resource | None:
    """Looks a resource up without creating an empty collection on the way."""
    return mesh.children(kind).get(name) if mesh.has_children(kind) else None


def _match_of(spec: Spec | None, kinds: tuple[str, ...]) -> Obj:
    for kind in kinds:
        if spec and kind in spec:
            return dict(spec[kind].get("match") or {})
    return {}


# Match criteria --------------------------------------------------------------------------------


def _check_prefix(prefix: str, path: str, gateway: bool) -> None:
    if not prefix.startswith("/"):
        raise _bad(f"{path} must start with '/'")  # [M HttpRouteMatch.prefix, both versions]
    if gateway and prefix.startswith(_RESERVED_PREFIXES):
        # [UG gateway-routes: reserved for App Mesh's internal use]
        raise _bad(f"{path} must not start with /aws-appmesh or /aws-app-mesh")


def _check_http_match(match: Obj, path: str, gateway: bool) -> None:
    if "prefix" in match:
        _check_prefix(match["prefix"], f"{path}.prefix", gateway)
    # [K8S] prefix and path are two ways of matching the path; a match uses one.
    _not_both(match, "prefix", "path", path)
    if gateway:
        _any_of(match, ("prefix", "path", "hostname"), path)  # [K8S; TF AtLeastOneOf]
    else:
        _any_of(match, ("prefix", "path"), path)  # [K8S]
    if "path" in match:
        _one_of(match["path"], ("exact", "regex"), f"{path}.path")
        exact = match["path"].get("exact")
        if exact is not None and not exact.startswith("/"):
            raise _bad(f"{path}.path.exact must start with '/'")  # [CDK]
    if "hostname" in match:
        _one_of(match["hostname"], ("exact", "suffix"), f"{path}.hostname")
    _check_ranges(match.get("headers"), f"{path}.headers")


def _check_ranges(items: list[Obj] | None, path: str) -> None:
    """[M MatchRange: start included, end excluded]. start > end can match nothing; start ==
    end (also empty) is accepted: only the K8S controller rejects it, nothing says the service
    does."""
    for index, item in enumerate(items or ()):
        bounds = (item.get("match") or {}).get("range")
        if bounds is not None and bounds["start"] > bounds["end"]:
            raise _bad(f"{path}[{index}].match.range.start must not be greater than its end")


def _check_grpc_route_match(match: Obj, path: str) -> None:
    _any_of(match, _GRPC_ROUTE_CRITERIA, path)
    if "methodName" in match and "serviceName" not in match:
        # [M GrpcRouteMatch.methodName "you must also specify a serviceName"]
        raise _bad(f"{path}.serviceName is required when methodName is set")
    _check_ranges(match.get("metadata"), f"{path}.metadata")


def _check_retry_policy(policy: Obj | None, kind: str, path: str) -> None:
    """[M HttpRetryPolicy, GrpcRetryPolicy]: "Specify at least one value for at least one of the
    types of RetryEvents"; HTTP events from the documented list. The TCP and gRPC lists are
    enums in the model already."""
    if policy is None:
        return
    _any_of(policy, _RETRY_EVENT_KINDS[kind], path)
    for index, event in enumerate(policy.get("httpRetryEvents") or ()):
        if event not in _HTTP_RETRY_EVENTS:
            raise _bad(
                f"{path}.httpRetryEvents[{index}] must be one of {', '.join(_HTTP_RETRY_EVENTS)}"
                f", not {event!r}"
            )


# Routes ----------------------------------------------------------------------------------------


def check_route_spec(spec: Spec, router: Resource) -> None:
    kind = _exactly_one(spec, ROUTE_KINDS, "Route")
    route = spec[kind]
    path = f"spec.{kind}"
    match = route.get("match") or {}
    if kind in ("httpRoute", "http2Route"):
        _check_http_match(match, f"{path}.match", gateway=False)
    elif kind == "grpcRoute":
        _check_grpc_route_match(match, f"{path}.match")
    if kind in _RETRY_EVENT_KINDS:
        _check_retry_policy(route.get("retryPolicy"), kind, f"{path}.retryPolicy")
    for index, target in enumerate((route.get("action") or {}).get("weightedTargets") or ()):
        if "virtualNode" not in target:
            # [M] required since 2019-01-25; the 2018-10-01 model leaves it optional, yet a
            # target without a node sends traffic nowhere
            raise _bad(f"{path}.action.weightedTargets[{index}].virtualNode is required")
    _check_route_fits_router(kind, match, router)


def _check_route_fits_router(kind: str, match: Obj, router: Resource) -> None:
    protocol = _ROUTE_PROTOCOL[kind]
    protocols = set(listener_protocols(router.spec))
    if protocols and protocol not in protocols:
        # [UG routes: the route type must match the router's listener protocol]
        raise _bad(
            f"spec.{kind} does not match the listener protocol of VirtualRouter {router.name} "
            f"({', '.join(sorted(protocols))})"
        )
    if len(listeners(router.spec)) > 1 and "port" not in match:
        raise _bad(  # [O K8S issue #715]
            "Route must define a port match criteria if the Virtual Router has multiple listeners"
        )
    by_port = _listener_protocols_by_port(router.spec)
    port = match.get("port")
    if port in by_port and by_port[port] != protocol:
        # [I] the same rule, applied to the one listener that match.port picks
        raise _bad(
            f"spec.{kind} does not match the protocol of the listener on port {port} of "
            f"VirtualRouter {router.name} ({by_port[port]})"
        )


def _listener_protocols_by_port(spec: Spec | None) -> dict[int, str]:
    found: dict[int, str] = {}
    for listener in listeners(spec):
        mapping = listener.get("portMapping") or {}
        if "port" in mapping and "protocol" in mapping:
            found[mapping["port"]] = mapping["protocol"]
    return found


def check_route_targets(spec: Spec, mesh: MeshState) -> None:
    """[UG multiple-listeners: routes that send traffic to a resource with multiple listeners
    set a target port]. Targets that do not exist are the caller's NotFound, not ours."""
    kind = route_kind(spec)
    if kind is None:
        return
    targets = (spec[kind].get("action") or {}).get("weightedTargets") or ()
    for index, target in enumerate(targets):
        node = _existing(mesh, VIRTUAL_NODE, target.get("virtualNode", ""))
        if "port" not in target and node is not None and len(listeners(node.spec)) > 1:
            raise _bad(
                f"spec.{kind}.action.weightedTargets[{index}].port is required: VirtualNode "
                f"{node.name} has multiple listeners"
            )


def check_virtual_router_spec(spec: Spec, routes: list[Resource]) -> None:
    _check_listeners(spec)
    for index, name in enumerate(spec.get("serviceNames") or ()):  # 2018-10-01
        _check_not_empty(name, f"spec.serviceNames[{index}]")
    if len(listeners(spec)) > 1:
        missing = [r.name for r in routes if "port" not in _match_of(r.spec, ROUTE_KINDS)]
        if missing:
            raise _bad(  # [O K8S issue #715 comment]
                "All Routes for this Virtual Router must define a port match before adding "
                f"multiple listeners to this Virtual Router. {len(missing)} Route(s) are missing "
                f"port. Listing up to 5 route names: [{', '.join(missing[:5])}]"
            )


# Virtual nodes and gateways --------------------------------------------------------------------


def check_virtual_node_spec(spec: Spec) -> None:
    if listeners(spec) and "serviceDiscovery" not in spec:
        # [M VirtualNodeSpec.serviceDiscovery "If you specify a listener, then you must specify
        # service discovery information"]
        raise _bad("spec.serviceDiscovery is required when spec.listeners are given")
    _check_listeners(spec)
    for index, backend in enumerate(spec.get("backends") or ()):
        if isinstance(backend, str):  # 2018-10-01: a bare service name
            _check_not_empty(backend, f"spec.backends[{index}]")
        else:
            service = backend.get("virtualService") or {}
            _check_not_empty(
                service.get("virtualServiceName"),
                f"spec.backends[{index}].virtualService.virtualServiceName",
            )
    dns = (spec.get("serviceDiscovery") or {}).get("dns") or {}
    for member in ("hostname", "serviceName"):  # 2019-01-25, 2018-10-01
        _check_not_empty(dns.get(member), f"spec.serviceDiscovery.dns.{member}")


def check_virtual_gateway_spec(spec: Spec, gateway_routes: Iterable[Resource] = ()) -> None:
    _check_listeners(spec)
    if len(listeners(spec)) > 1:
        # [I] the router's observed rule (check_virtual_router_spec) applied to gateways, whose
        # routes need the same port match [UG multiple-listeners]
        missing = [
            r.name for r in gateway_routes if "port" not in _match_of(r.spec, GATEWAY_ROUTE_KINDS)
        ]
        if missing:
            raise _bad(
                "All Gateway Routes for this Virtual Gateway must define a port match before "
                f"adding multiple listeners to this Virtual Gateway. {len(missing)} Gateway "
                f"Route(s) are missing port. Listing up to 5 gateway route names: "
                f"[{', '.join(missing[:5])}]"
            )


def _check_listeners(spec: Spec) -> None:
    """Listeners of a node, router or gateway (2018 listeners may lack a port mapping)."""
    first_use: dict[int, int] = {}
    for index, listener in enumerate(listeners(spec)):
        path = f"spec.listeners[{index}]"
        mapping = listener.get("portMapping") or {}
        port, protocol = mapping.get("port"), mapping.get("protocol")
        if port is not None:
            if port in first_use:
                # [I] one port cannot carry two listeners
                raise _bad(
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
        raise _bad(f"{path}.port must match the listener's portMapping.port ({port})")
    if health.get("protocol") == "grpc" and protocol not in (None, "http2", "grpc"):
        raise _bad("GRPC HealthCheck requires listener type of HTTP2 or GRPC.")  # [O TF #21359]


def _check_protocol_key(union: Obj | None, protocol: Any, path: str) -> None:
    for key in union or ():
        if protocol is not None and key != protocol:
            raise _bad(f"{path}.{key} does not match the listener protocol {protocol}")


# Gateway routes --------------------------------------------------------------------------------


def check_gateway_route_spec(spec: Spec) -> None:
    kind = _exactly_one(spec, GATEWAY_ROUTE_KINDS, "GatewayRoute")
    route = spec[kind]
    path = f"spec.{kind}"
    match = route.get("match") or {}
    if kind == "grpcRoute":
        _check_grpc_gateway_route_match(match, f"{path}.match")
    else:
        _check_http_match(match, f"{path}.match", gateway=True)
        _check_rewrite((route.get("action") or {}).get("rewrite"), f"{path}.action.rewrite")


def _check_grpc_gateway_route_match(match: Obj, path: str) -> None:
    _any_of(match, _GRPC_GATEWAY_ROUTE_CRITERIA, path)
    service = match.get("serviceName")
    if service is not None and (service.startswith("aws.app-mesh") or service == "aws.appmesh"):
        # [UG gateway-routes: reserved for App Mesh's internal use]
        raise _bad(f"{path}.serviceName must not be aws.app-mesh* or aws.appmesh")
    if "hostname" in match:
        _one_of(match["hostname"], ("exact", "suffix"), f"{path}.hostname")
    _check_ranges(match.get("metadata"), f"{path}.metadata")


def _check_rewrite(rewrite: Obj | None, path: str) -> None:
    """[K8S validatePrefixRewrite, CDK HttpGatewayRoutePathMatch]. Whether a prefix rewrite also
    needs a prefix match ending in '/' is left open: CDK demands it, the K8S controller dropped
    that check because the API accepted such routes (K8S #712), so it is accepted."""
    if not rewrite:
        return
    _not_both(rewrite, "prefix", "path", path)
    prefix = rewrite.get("prefix") or {}
    _not_both(prefix, "defaultPrefix", "value", f"{path}.prefix")
    value = prefix.get("value")
    if value is not None and not (value.startswith("/") and value.endswith("/")):
        raise _bad(f"{path}.prefix.value must start and end with '/'")
    exact = (rewrite.get("path") or {}).get("exact")
    if exact is not None and not exact.startswith("/"):
        raise _bad(f"{path}.path.exact must start with '/'")


def check_gateway_route_context(spec: Spec, gateway: Resource, mesh: MeshState) -> None:
    """The rules that depend on the gateway and on the target's provider. A missing target
    virtual service is the caller's NotFound, not ours."""
    kind = next((k for k in GATEWAY_ROUTE_KINDS if k in spec), None)
    if kind is None:
        return
    if len(listeners(gateway.spec)) > 1 and "port" not in (spec[kind].get("match") or {}):
        raise _bad(  # [O aws-cdk issue #22452]
            "Gateway route must define a match port if the parent Virtual Gateway has multiple "
            "listeners"
        )
    target = (spec[kind].get("action") or {}).get("target") or {}
    service_name = (target.get("virtualService") or {}).get("virtualServiceName")
    service = _existing(mesh, VIRTUAL_SERVICE, service_name) if service_name else None
    found = provider(service.spec) if service is not None else None
    if "port" in target or found is None:
        return
    provider_kind = _PROVIDER_KINDS[found[0]]
    providing = _existing(mesh, provider_kind, found[1])
    if providing is not None and len(listeners(providing.spec)) > 1:
        # [UG gateway-routes: "Virtual service provider port is required when the provider
        # (router or node) of the selected virtual service has multiple listeners"]
        raise _bad(
            f"spec.{kind}.action.target.port is required: {provider_kind.title} "
            f"{providing.name}, the provider of VirtualService {service_name}, has multiple "
            "listeners"
        )
