"""Match criteria and retry policies, shared by routes and gateway routes."""

from __future__ import annotations

from .names import Obj, any_of, bad, not_both, one_of

_RESERVED_PREFIXES = ("/aws-appmesh", "/aws-app-mesh")
# [M HttpRetryPolicy.httpRetryEvents]: the model types them as free strings but lists these.
_HTTP_RETRY_EVENTS = ("client-error", "gateway-error", "server-error", "stream-error")
RETRY_EVENT_KINDS = {
    "httpRoute": ("httpRetryEvents", "tcpRetryEvents"),
    "http2Route": ("httpRetryEvents", "tcpRetryEvents"),
    "grpcRoute": ("grpcRetryEvents", "httpRetryEvents", "tcpRetryEvents"),
}
# [CDK validateGrpcRouteMatch]: a gRPC match must match on something.
_GRPC_ROUTE_CRITERIA = ("serviceName", "methodName", "metadata", "port")


def check_prefix(prefix: str, path: str, gateway: bool) -> None:
    if not prefix.startswith("/"):
        raise bad(f"{path} must start with '/'")  # [M HttpRouteMatch.prefix, both versions]
    if gateway and prefix.startswith(_RESERVED_PREFIXES):
        # [UG gateway-routes: reserved for App Mesh's internal use]
        raise bad(f"{path} must not start with /aws-appmesh or /aws-app-mesh")


def check_http_match(match: Obj, path: str, gateway: bool) -> None:
    if "prefix" in match:
        check_prefix(match["prefix"], f"{path}.prefix", gateway)
    # [K8S] prefix and path are two ways of matching the path; a match uses one.
    not_both(match, "prefix", "path", path)
    if gateway:
        any_of(match, ("prefix", "path", "hostname"), path)  # [K8S; TF AtLeastOneOf]
    else:
        any_of(match, ("prefix", "path"), path)  # [K8S]
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
    any_of(match, _GRPC_ROUTE_CRITERIA, path)
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
