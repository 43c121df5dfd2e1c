"""Gateway routes: how a virtual gateway's traffic reaches virtual services."""

from __future__ import annotations

from ...backend.kinds import PROVIDER_KINDS, VIRTUAL_SERVICE
from ...backend.resources import MeshState, Resource, Spec
from ...backend.specs import GATEWAY_ROUTE_KINDS, listeners, provider, route_body
from .matches import check_http_match
from .names import bad, exactly_one, existing


def check_gateway_route_spec(spec: Spec) -> None:
    """[M GatewayRouteSpec "Specify one gateway route type"], then an HTTP match's prefix.

    Accepted for want of a service-side source (docs/fidelity.md): a gRPC match with no
    criterion [CDK validateGrpcGatewayRouteMatch; K8S], the reserved `aws.app-mesh*` service
    names [UG gateway-routes.md, a note on the console's Service name field], and any rewrite
    the shapes allow: prefix and path together, `defaultPrefix` with `value`, a value without
    the slashes [K8S validatePrefixRewrite, CDK HttpGatewayRoutePathMatch: client-side; the K8S
    controller dropped a stricter rewrite check when the API accepted such routes, K8S #712]."""
    kind = exactly_one(spec, GATEWAY_ROUTE_KINDS, "GatewayRoute")
    if kind != "grpcRoute":
        check_http_match(spec[kind].get("match") or {}, f"spec.{kind}.match")


def check_gateway_route_context(spec: Spec, gateway: Resource, mesh: MeshState) -> None:
    """The rules that depend on the gateway and on the target's provider. A missing target
    virtual service is the caller's NotFound, not ours."""
    found_route = route_body(spec, GATEWAY_ROUTE_KINDS)
    if found_route is None:
        return
    kind, body = found_route
    if len(listeners(gateway.spec)) > 1 and "port" not in (body.get("match") or {}):
        raise bad(  # [O aws-cdk issue #22452: the service's own message]
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
        # [UG gateway-routes.md "Virtual service provider port is required when the provider
        # (router or node) of the selected virtual service has multiple listeners"; RM#120, an
        # App Mesh engineer: the API gained `port` wherever several listeners are ambiguous;
        # the route twin is observed, see check_route_targets]
        raise bad(
            f"spec.{kind}.action.target.port is required: {provider_kind.title} "
            f"{providing.name}, the provider of VirtualService {service_name}, has multiple "
            "listeners"
        )
