"""Match criteria and retry policies, shared by routes and gateway routes."""

from __future__ import annotations

from .names import Obj, any_of, bad, one_of

_RESERVED_PREFIXES = ("/aws-appmesh", "/aws-app-mesh")
# [M HttpRetryPolicy.httpRetryEvents]: the model types them as free strings but lists these.
_HTTP_RETRY_EVENTS = ("client-error", "gateway-error", "server-error", "stream-error")
RETRY_EVENT_KINDS = {
    "httpRoute": ("httpRetryEvents", "tcpRetryEvents"),
    "http2Route": ("httpRetryEvents", "tcpRetryEvents"),
    "grpcRoute": ("grpcRetryEvents", "httpRetryEvents", "tcpRetryEvents"),
}


def check_prefix(prefix: str, path: str, gateway: bool) -> None:
    if not prefix.startswith("/"):
        raise bad(f"{path} must start with '/'")  # [M HttpRouteMatch.prefix, both versions]
    if gateway and prefix.startswith(_RESERVED_PREFIXES):
        # [UG gateway-routes: reserved for App Mesh's internal use]
        raise bad(f"{path} must not start with /aws-appmesh or /aws-app-mesh")


def check_http_match(match: Obj, path: str, gateway: bool) -> None:
    """Neither `prefix` nor `path` on a route, and both together anywhere, are accepted
    (docs/fidelity.md): an App Mesh engineer wrote that the service sets the prefix match to
    `/` when the path is omitted [CDK PR #15395], and the model, CloudFormation's resource
    schema and the Terraform provider's schema all leave both optional and neither excludes the
    other. Only the K8S controller's webhook refuses either, which is its own rule."""
    if "prefix" in match:
        check_prefix(match["prefix"], f"{path}.prefix", gateway)
    if gateway:
        # [K8S "Either prefix or path or hostname must be specified"; TF AtLeastOneOf]: every
        # source that speaks of a gateway route's match asks for one of these, none says less
        any_of(match, ("prefix", "path", "hostname"), path)
    if "path" in match:
        one_of(match["path"], ("exact", "regex"), f"{path}.path")
        exact = match["path"].get("exact")
        if exact is not None and not exact.startswith("/"):
            raise bad(f"{path}.path.exact must start with '/'")  # [CDK]
    if "hostname" in match:
        one_of(match["hostname"], ("exact", "suffix"), f"{path}.hostname")
    check_ranges(match.get("headers"), f"{path}.headers")


def check_ranges(items: list[Obj] | None, path: str) -> None:
    """[M MatchRange: start included, end excluded]. start > end can match nothing; start ==
    end (also empty) is accepted: only the K8S controller rejects it, nothing says the service
    does."""
    for index, item in enumerate(items or ()):
        bounds = (item.get("match") or {}).get("range")
        if bounds is not None and bounds["start"] > bounds["end"]:
            raise bad(f"{path}[{index}].match.range.start must not be greater than its end")


def check_grpc_route_match(match: Obj, path: str) -> None:
    """An empty match (`match: {}`) is accepted: the Terraform provider's acceptance test
    grpcRouteWithEmptyMatch sends one to AWS and passes [TF]; the CDK's demand for a criterion
    (validateGrpcRouteMatch) is a client rule."""
    if "methodName" in match and "serviceName" not in match:
        # [M GrpcRouteMatch.methodName "you must also specify a serviceName"]
        raise bad(f"{path}.serviceName is required when methodName is set")
    check_ranges(match.get("metadata"), f"{path}.metadata")


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
