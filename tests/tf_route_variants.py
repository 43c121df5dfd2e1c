"""Route and gateway-route specs shaped like the configurations the Terraform AWS provider's App
Mesh acceptance tests send to the real service (`internal/service/appmesh/route_test.go` and
`gateway_route_test.go` in hashicorp/terraform-provider-aws), written out as boto3 specs.

Those tests pass against AWS, so each spec is one the service accepts and echoes back. Names
and values are our own; the shapes (which members appear together) are the provider's.
Each entry is (id, parent listener protocol, spec).
"""

from __future__ import annotations

from typing import Any

Spec = dict[str, Any]

# What the variants test refers to (created by its environment).
NODE_A, NODE_B = "tf-node-a", "tf-node-b"
SERVICE_A, SERVICE_B, MULTI_SERVICE = "tf-svc-a.local", "tf-svc-b.local", "tf-multi.local"


def s(value: int) -> dict[str, Any]:
    return {"unit": "s", "value": value}


def ms(value: int) -> dict[str, Any]:
    return {"unit": "ms", "value": value}


def targets(*weights: int, port: int | None = None) -> dict[str, Any]:
    nodes = (NODE_A, NODE_B)
    chosen = [{"virtualNode": nodes[i], "weight": w} for i, w in enumerate(weights)]
    if port is not None:
        for item in chosen:
            item["port"] = port
    return {"weightedTargets": chosen}


def header(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, **extra}


SIMPLE_RETRY = {"httpRetryEvents": ["server-error"], "maxRetries": 1, "perRetryTimeout": s(15)}
FULL_RETRY = {
    "httpRetryEvents": ["client-error", "gateway-error"],
    "maxRetries": 3,
    "perRetryTimeout": ms(250000),
    "tcpRetryEvents": ["connection-error"],
}
INVERT_AND_RANGE = [
    header("x-flag", invert=True),
    header("x-level", invert=False, match={"range": {"start": 2, "end": 7}}),
]
IDLE = {"idle": ms(250000)}
IDLE_AND_REQUEST = {"idle": s(10), "perRequest": s(5)}


def http(match: Spec, action: Spec | None = None, **extra: Any) -> Spec:
    return {"httpRoute": {"match": match, "action": action or targets(100), **extra}}


def http2(match: Spec, action: Spec | None = None, **extra: Any) -> Spec:
    return {"http2Route": {"match": match, "action": action or targets(100), **extra}}


def grpc(match: Spec, action: Spec | None = None, **extra: Any) -> Spec:
    return {"grpcRoute": {"match": match, "action": action or targets(100), **extra}}


def tcp(action: Spec | None = None, **extra: Any) -> Spec:
    return {"tcpRoute": {"action": action or targets(100), **extra}}


GRPC_METADATA = {"metadata": [header("x-caller", invert=False)]}
GRPC_FULL_MATCH = {
    "methodName": "Lookup", "serviceName": "shop.local", "metadata": INVERT_AND_RANGE}
GRPC_RETRY = {
    "grpcRetryEvents": ["deadline-exceeded", "resource-exhausted"],
    "httpRetryEvents": ["server-error"],
    "maxRetries": 1,
    "perRetryTimeout": s(15),
}
GRPC_FULL_RETRY = {**FULL_RETRY, "grpcRetryEvents": ["cancelled"]}
HTTP2_MATCH = {"prefix": "/", "method": "POST", "scheme": "http", "headers": [header("x-caller")]}
HTTP2_FULL_MATCH = {
    "prefix": "/items", "method": "PUT", "scheme": "https", "headers": INVERT_AND_RANGE}

ROUTES: list[tuple[str, str, Spec]] = [
    ("http-prefix", "http", http({"prefix": "/"})),
    ("http-two-targets", "http", http({"prefix": "/items"}, targets(90, 10))),
    ("http-port-match", "http", http({"prefix": "/", "port": 8080}, targets(100, port=8080))),
    ("http-port-match-two-targets", "http",
     http({"prefix": "/items", "port": 8080}, targets(90, 10, port=8080))),
    ("http-query-parameter", "http",
     http({"prefix": "/", "queryParameters": [{"name": "colour", "match": {"exact": "blue"}}]},
          targets(100, port=8080))),
    ("http-weights-99-and-0", "http", http({"prefix": "/items"}, targets(99, 0))),
    ("http-idle-timeout", "http", http({"prefix": "/"}, timeout=IDLE)),
    ("http-idle-and-per-request-timeout", "http", http({"prefix": "/"}, timeout=IDLE_AND_REQUEST)),
    ("http-method-and-header", "http",
     http({"prefix": "/", "method": "POST", "headers": [header("x-caller", invert=False)]})),
    ("http-header-invert-and-range", "http",
     http({"prefix": "/items", "method": "PUT", "headers": INVERT_AND_RANGE})),
    ("http-priority-42", "http", {**http({"prefix": "/"}), "priority": 42}),
    ("http-priority-1000", "http", {**http({"prefix": "/"}), "priority": 1000}),
    ("http-retry", "http", http({"prefix": "/"}, retryPolicy=SIMPLE_RETRY)),
    ("http-retry-max-0", "http",
     http({"prefix": "/"}, retryPolicy={**SIMPLE_RETRY, "maxRetries": 0})),
    ("http-retry-http-and-tcp-events", "http", http({"prefix": "/"}, retryPolicy=FULL_RETRY)),
    ("http2-method-scheme-header", "http2", http2(HTTP2_MATCH, retryPolicy=SIMPLE_RETRY)),
    ("http2-invert-range-full-retry", "http2", http2(HTTP2_FULL_MATCH, retryPolicy=FULL_RETRY)),
    ("http2-path-exact-without-prefix", "http2",
     http2({"method": "POST", "scheme": "http", "path": {"exact": "/health"}},
           targets(100, port=8080), retryPolicy=SIMPLE_RETRY)),
    ("http2-port-match", "http2",
     http2({**HTTP2_MATCH, "port": 8080}, targets(100, port=8080), retryPolicy=SIMPLE_RETRY)),
    ("http2-port-match-full", "http2",
     http2({**HTTP2_FULL_MATCH, "port": 8080}, targets(100, port=8080), retryPolicy=FULL_RETRY)),
    ("http2-idle-timeout", "http2", http2(HTTP2_MATCH, timeout=IDLE)),
    ("http2-idle-and-per-request-timeout", "http2", http2(HTTP2_MATCH, timeout=IDLE_AND_REQUEST)),
    ("grpc-metadata", "grpc", grpc(GRPC_METADATA, retryPolicy=GRPC_RETRY)),
    ("grpc-method-service-metadata", "grpc",
     grpc(GRPC_FULL_MATCH, targets(90, 10), retryPolicy=GRPC_FULL_RETRY)),
    ("grpc-weights-99-and-0", "grpc", grpc(GRPC_FULL_MATCH, targets(99, 0),
                                           retryPolicy=GRPC_FULL_RETRY)),
    ("grpc-retry-max-0", "grpc", grpc(GRPC_METADATA, retryPolicy={**GRPC_RETRY, "maxRetries": 0})),
    ("grpc-port-match", "grpc",
     grpc({**GRPC_METADATA, "port": 8080}, targets(100, port=8080), retryPolicy=GRPC_RETRY)),
    ("grpc-port-match-full", "grpc",
     grpc({**GRPC_FULL_MATCH, "port": 8080}, targets(90, 10, port=8080),
          retryPolicy=GRPC_FULL_RETRY)),
    ("grpc-idle-timeout", "grpc", grpc(GRPC_METADATA, timeout=IDLE)),
    ("grpc-idle-and-per-request-timeout", "grpc", grpc(GRPC_METADATA, timeout=IDLE_AND_REQUEST)),
    ("grpc-empty-match", "grpc", grpc({})),
    ("tcp", "tcp", tcp()),
    ("tcp-two-targets", "tcp", tcp(targets(90, 10))),
    ("tcp-port-match", "tcp", tcp(targets(100, port=8080), match={"port": 8080})),
    ("tcp-port-match-two-targets", "tcp", tcp(targets(90, 10, port=8080), match={"port": 8080})),
    ("tcp-weights-99-and-0", "tcp", tcp(targets(99, 0))),
    ("tcp-idle-timeout-ms", "tcp", tcp(timeout=IDLE)),
    ("tcp-idle-timeout-s", "tcp", tcp(timeout={"idle": s(10)})),
]


def to_service(name: str, port: int | None = None) -> dict[str, Any]:
    target: dict[str, Any] = {"virtualService": {"virtualServiceName": name}}
    if port is not None:
        target["port"] = port
    return {"target": target}


def gw_http(kind: str, match: Spec, action: Spec | None = None) -> Spec:
    return {kind: {"match": match, "action": action or to_service(SERVICE_A)}}


DISABLED_REWRITE = {
    "hostname": {"defaultTargetHostname": "DISABLED"},
    "prefix": {"defaultPrefix": "DISABLED"},
}
PATH_REWRITE = {"path": {"exact": "/rewritten"}}


def _http_gateway_variants(kind: str, protocol: str) -> list[tuple[str, str, Spec]]:
    name = kind.removesuffix("Route")
    return [
        (f"{name}-prefix", protocol, gw_http(kind, {"prefix": "/"})),
        (f"{name}-prefix-users", protocol, gw_http(kind, {"prefix": "/users"},
                                                   to_service(SERVICE_B))),
        (f"{name}-target-port", protocol,
         gw_http(kind, {"prefix": "/"}, to_service(MULTI_SERVICE, 8080))),
        (f"{name}-target-port-8081", protocol,
         gw_http(kind, {"prefix": "/users"}, to_service(MULTI_SERVICE, 8081))),
        (f"{name}-match-port", protocol, gw_http(kind, {"prefix": "/", "port": 8080})),
        (f"{name}-path-regex", protocol, gw_http(kind, {"path": {"regex": "/.*"}})),
        (f"{name}-hostname-exact", protocol,
         gw_http(kind, {"hostname": {"exact": "shop.example.com"}})),
        (f"{name}-rewrite-disabled", protocol,
         gw_http(kind, {"prefix": "/"}, {**to_service(SERVICE_A), "rewrite": DISABLED_REWRITE})),
        (f"{name}-rewrite-path", protocol,
         gw_http(kind, {"path": {"exact": "/original"}},
                 {**to_service(SERVICE_A), "rewrite": PATH_REWRITE})),
    ]


GATEWAY_ROUTES: list[tuple[str, str, Spec]] = [
    ("grpc-service-name-priority", "grpc",
     {"grpcRoute": {"match": {"serviceName": "shop"}, "action": to_service(SERVICE_A)},
      "priority": 7}),
    ("grpc-target-port", "grpc",
     {"grpcRoute": {"match": {"serviceName": "multi"}, "action": to_service(MULTI_SERVICE, 8081)}}),
    ("grpc-match-port", "grpc",
     {"grpcRoute": {"match": {"serviceName": "shop", "port": 8080},
                    "action": to_service(SERVICE_B)}}),
    *_http_gateway_variants("httpRoute", "http"),
    *_http_gateway_variants("http2Route", "http2"),
    ("http2-header", "http2", gw_http("http2Route", {"prefix": "/", "headers": [header("x-a")]})),
    ("http2-header-invert-and-range", "http2",
     gw_http("http2Route", {"prefix": "/users", "headers": INVERT_AND_RANGE})),
    ("http2-query-parameter", "http2",
     gw_http("http2Route", {"prefix": "/",
                            "queryParameters": [{"name": "colour", "match": {"exact": "blue"}}]})),
]
