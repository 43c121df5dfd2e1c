"""Routes and the virtual routers that hold them."""

from __future__ import annotations

from ...backend.kinds import VIRTUAL_NODE
from ...backend.resources import MeshState, Resource, Spec
from ...backend.specs import ROUTE_KINDS, listeners, route_body, route_match
from .listeners import check_listeners
from .matches import RETRY_EVENT_KINDS, check_grpc_route_match, check_http_match, check_retry_policy
from .names import Obj, bad, exactly_one, existing


def check_route_spec(spec: Spec, router: Resource) -> None:
    """A route of another protocol than its router's listeners (or than the listener its
    match.port names) is accepted: the CDK's integ.mesh stack put tcp, grpc and http2 routes
    on an http router and AWS took them [O realworld-meshes/cdk-integ-mesh.json]; the only
    source against them is a sentence of the console walkthrough [UG routes.md]. Such a route
    serves no listener, and `resolve` never chooses it (docs/routing.md rule 7)."""
    kind = exactly_one(spec, ROUTE_KINDS, "Route")
    route = spec[kind]
    path = f"spec.{kind}"
    match = route.get("match") or {}
    if kind in ("httpRoute", "http2Route"):
        check_http_match(match, f"{path}.match")
    elif kind == "grpcRoute":
        check_grpc_route_match(match, f"{path}.match")
    if kind in RETRY_EVENT_KINDS:
        check_retry_policy(route.get("retryPolicy"), kind, f"{path}.retryPolicy")
    _check_total_weight(route, path)
    if len(listeners(router.spec)) > 1 and "port" not in match:
        raise bad(  # [O K8S issue #715: the service's own message]
            "Route must define a port match criteria if the Virtual Router has multiple listeners"
        )


def _check_total_weight(route: Obj, path: str) -> None:
    """[M WeightedTarget: "The total weight for all targets combined must be less than or equal
    to 100."] The same service answers both API versions, so legacy-version routes (whose model
    does not say it) are held to it too. A lower total is fine (99 + 0 in the Terraform
    provider's tests; 1 + 1 was recorded as accepted, appmesh-behaviour.md §9.2)."""
    targets = (route.get("action") or {}).get("weightedTargets") or ()
    total = sum(target.get("weight", 0) for target in targets)
    if total > 100:
        raise bad(
            f"{path}.action.weightedTargets: the total weight for all targets combined must be "
            f"less than or equal to 100, not {total}"
        )


def check_route_targets(spec: Spec, mesh: MeshState) -> None:
    """[O TF #35294: the service refused ports missing on a route's targets once their node had
    several listeners; RM#120, an App Mesh engineer; UG multiple-listeners]. Targets that do
    not exist are the caller's NotFound, not ours."""
    found = route_body(spec)
    if found is None:
        return
    kind, body = found
    targets = (body.get("action") or {}).get("weightedTargets") or ()
    for index, target in enumerate(targets):
        node = existing(mesh, VIRTUAL_NODE, target.get("virtualNode", ""))
        if "port" not in target and node is not None and len(listeners(node.spec)) > 1:
            raise bad(
                f"spec.{kind}.action.weightedTargets[{index}].port is required: VirtualNode "
                f"{node.name} has multiple listeners"
            )


def check_virtual_router_spec(spec: Spec, routes: list[Resource]) -> None:
    check_listeners(spec)
    if len(listeners(spec)) > 1:
        missing = [r.name for r in routes if "port" not in route_match(r.spec)]
        if missing:
            raise bad(  # [O K8S issue #715 comment, TF issue #35294: the service's message]
                "All Routes for this Virtual Router must define a port match before adding "
                f"multiple listeners to this Virtual Router. {len(missing)} Route(s) are missing "
                f"port. Listing up to 5 route names: [{', '.join(missing[:5])}]"
            )
