"""Gateway routes: how a virtual gateway's traffic reaches virtual services."""

from __future__ import annotations

from ...backend.kinds import PROVIDER_KINDS, VIRTUAL_SERVICE
from ...backend.resources import MeshState, Resource, Spec
from ...backend.specs import GATEWAY_ROUTE_KINDS, listeners, provider, route_body
from .matches import check_http_match, check_ranges
from .names import Obj, any_of, bad, exactly_one, existing, not_both, one_of

# [CDK validateGrpcGatewayRouteMatch]: a gRPC match must match on something. The K8S controller
# asks more of gateway routes (serviceName or hostname); the weaker rule is the one both agree on.
_GRPC_GATEWAY_ROUTE_CRITERIA = ("serviceName", "hostname", "metadata", "port")


def check_gateway_route_spec(spec: Spec) -> None:
    kind = exactly_one(spec, GATEWAY_ROUTE_KINDS, "GatewayRoute")
    route = spec[kind]
    path = f"spec.{kind}"
    match = route.get("match") or {}
    if kind == "grpcRoute":
        _check_grpc_gateway_route_match(match, f"{path}.match")
    else:
        check_http_match(match, f"{path}.match", gateway=True)
        _check_rewrite((route.get("action") or {}).get("rewrite"), f"{path}.action.rewrite")


def _check_grpc_gateway_route_match(match: Obj, path: str) -> None:
    any_of(match, _GRPC_GATEWAY_ROUTE_CRITERIA, path)
    service = match.get("serviceName")
    if service is not None and (service.startswith("aws.app-mesh") or service == "aws.appmesh"):
        # [UG gateway-routes: reserved for App Mesh's internal use]
        raise bad(f"{path}.serviceName must not be aws.app-mesh* or aws.appmesh")
    if "hostname" in match:
        one_of(match["hostname"], ("exact", "suffix"), f"{path}.hostname")
    check_ranges(match.get("metadata"), f"{path}.metadata")


def _check_rewrite(rewrite: Obj | None, path: str) -> None:
    """[K8S validatePrefixRewrite, CDK HttpGatewayRoutePathMatch]. Whether a prefix rewrite also
    needs a prefix match ending in '/' is left open: CDK demands it, the K8S controller dropped
    that check because the API accepted such routes (K8S #712), so it is accepted."""
    if not rewrite:
        return
    not_both(rewrite, "prefix", "path", path)
    prefix = rewrite.get("prefix") or {}
    not_both(prefix, "defaultPrefix", "value", f"{path}.prefix")
    value = prefix.get("value")
    if value is not None and not (value.startswith("/") and value.endswith("/")):
        raise bad(f"{path}.prefix.value must start and end with '/'")
    exact = (rewrite.get("path") or {}).get("exact")
    if exact is not None and not exact.startswith("/"):
        raise bad(f"{path}.path.exact must start with '/'")


def check_gateway_route_context(spec: Spec, gateway: Resource, mesh: MeshState) -> None:
    """The rules that depend on the gateway and on the target's provider. A missing target
    virtual service is the caller's NotFound, not ours."""
    found_route = route_body(spec, GATEWAY_ROUTE_KINDS)
    if found_route is None:
        return
    kind, body = found_route
    if len(listeners(gateway.spec)) > 1 and "port" not in (body.get("match") or {}):
        raise bad(  # [O aws-cdk issue #22452]
            "Gateway route must define a match port if the parent Virtual Gateway has multiple "
            "listeners"
        )
    target = (body.get("action") or {}).get("target") or {}
    service_name = (target.get("virtualService") or {}).get("virtualServiceName")
    service = existing(mesh, VIRTUAL_SERVICE, service_name) if service_name else None
    found = provider(service.spec) if service is not None else None
    if "port" in target or found is None:
        return
    provider_kind = PROVIDER_KINDS[found[0]]
    providing = existing(mesh, provider_kind, found[1])
    if providing is not None and len(listeners(providing.spec)) > 1:
        # [UG gateway-routes: "Virtual service provider port is required when the provider
        # (router or node) of the selected virtual service has multiple listeners"]
        raise bad(
            f"spec.{kind}.action.target.port is required: {provider_kind.title} "
            f"{providing.name}, the provider of VirtualService {service_name}, has multiple "
            "listeners"
        )
