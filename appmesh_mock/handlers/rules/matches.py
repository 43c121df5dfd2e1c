"""Match criteria and retry policies, shared by routes and gateway routes."""

from __future__ import annotations

from .names import Obj, any_of, bad

# [M HttpRetryPolicy.httpRetryEvents]: the model types them as free strings but lists these.
_HTTP_RETRY_EVENTS = ("client-error", "gateway-error", "server-error", "stream-error")
RETRY_EVENT_KINDS = {
    "httpRoute": ("httpRetryEvents", "tcpRetryEvents"),
    "http2Route": ("httpRetryEvents", "tcpRetryEvents"),
    "grpcRoute": ("grpcRetryEvents", "httpRetryEvents", "tcpRetryEvents"),
}


def check_http_match(match: Obj, path: str) -> None:
    """[M HttpRouteMatch.prefix, HttpGatewayRouteMatch.prefix] "must always start with /".

    Everything else a match may hold is accepted (docs/fidelity.md): a match with none of
    prefix, path and hostname [O howto-multiple-listeners' gateway route `{"port": 2222}`,
    deployed; an App Mesh engineer, aws-cdk PR #15395: the service sets the prefix to `/`];
    both prefix and path; a path or hostname with both or neither of its two members; a
    path.exact without a leading `/` [K8S, TF, CDK: client-side checks only]; and the
    reserved `/aws-appmesh*` prefixes of gateway routes [UG gateway-routes.md: a note on the
    console's Match prefix field]."""
    prefix = match.get("prefix")
    if prefix is not None and not prefix.startswith("/"):
        raise bad(f"{path}.prefix must start with '/'")


def check_grpc_route_match(match: Obj, path: str) -> None:
    """An empty match (`match: {}`) is accepted: the Terraform provider's acceptance test
    grpcRouteWithEmptyMatch sends one to AWS and passes [TF]; the CDK's demand for a criterion
    (validateGrpcRouteMatch) is a client rule."""
    if "methodName" in match and "serviceName" not in match:
        # [M GrpcRouteMatch.methodName "you must also specify a serviceName"]
        raise bad(f"{path}.serviceName is required when methodName is set")


def check_retry_policy(policy: Obj | None, kind: str, path: str) -> None:
    """[M HttpRetryPolicy, GrpcRetryPolicy]: "Specify at least one value for at least one of the
    types of RetryEvents"; HTTP events from the documented list. The TCP and gRPC lists are
    enums in the model already."""
    if policy is None:
        return
    any_of(policy, RETRY_EVENT_KINDS[kind], path)
    for index, event in enumerate(policy.get("httpRetryEvents") or ()):
        if event not in _HTTP_RETRY_EVENTS:
            raise bad(
                f"{path}.httpRetryEvents[{index}] must be one of {', '.join(_HTTP_RETRY_EVENTS)}"
                f", not {event!r}"
            )
