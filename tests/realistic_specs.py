"""Realistic 2019-01-25 specs, as a user would write them, for round-trip and topology tests.

Each function returns a fresh dict so that no test can leak changes into another.
"""

from __future__ import annotations

from typing import Any

Spec = dict[str, Any]

ACM_CA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0c2f8b2d-1111-2222"
ACM_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/7e1a2b3c-4444-5555"


def seconds(value: int) -> dict[str, Any]:
    return {"unit": "s", "value": value}


def millis(value: int) -> dict[str, Any]:
    return {"unit": "ms", "value": value}


def node_spec(hostname: str = "colour.prod.svc.cluster.local", port: int = 8080) -> Spec:
    """An HTTP node with every listener feature: health check, TLS, outlier detection,
    connection pool, timeouts, access logging, a backend with its own client policy."""
    return {
        "listeners": [
            {
                "portMapping": {"port": port, "protocol": "http"},
                "healthCheck": {
                    "protocol": "http",
                    "path": "/ping",
                    "port": port,
                    "healthyThreshold": 2,
                    "unhealthyThreshold": 3,
                    "intervalMillis": 5000,
                    "timeoutMillis": 2000,
                },
                "tls": {
                    "mode": "STRICT",
                    "certificate": {"acm": {"certificateArn": ACM_CERT}},
                    "validation": {
                        "trust": {"file": {"certificateChain": "/certs/ca.pem"}},
                        "subjectAlternativeNames": {"match": {"exact": ["colour.local"]}},
                    },
                },
                "outlierDetection": {
                    "maxServerErrors": 5,
                    "maxEjectionPercent": 50,
                    "interval": seconds(10),
                    "baseEjectionDuration": seconds(30),
                },
                "connectionPool": {"http": {"maxConnections": 100, "maxPendingRequests": 10}},
                "timeout": {"http": {"perRequest": seconds(15), "idle": millis(300000)}},
            }
        ],
        "serviceDiscovery": {
            "dns": {
                "hostname": hostname,
                "responseType": "LOADBALANCER",
                "ipPreference": "IPv4_ONLY",
            }
        },
        "backendDefaults": {
            "clientPolicy": {
                "tls": {
                    "enforce": True,
                    "ports": [443],
                    "validation": {"trust": {"acm": {"certificateAuthorityArns": [ACM_CA]}}},
                }
            }
        },
        "backends": [
            {
                "virtualService": {
                    "virtualServiceName": "inventory.prod.svc.cluster.local",
                    "clientPolicy": {
                        "tls": {
                            "validation": {"trust": {"sds": {"secretName": "spiffe://prod"}}},
                            "certificate": {"sds": {"secretName": "client-cert"}},
                        }
                    },
                }
            }
        ],
        "logging": {
            "accessLog": {
                "file": {
                    "path": "/dev/stdout",
                    "format": {"json": [{"key": "status", "value": "%RESPONSE_CODE%"}]},
                }
            }
        },
    }


def cloud_map_node_spec() -> Spec:
    """A gRPC node discovered through AWS Cloud Map, without backends."""
    return {
        "listeners": [
            {
                "portMapping": {"port": 50051, "protocol": "grpc"},
                "healthCheck": {
                    "protocol": "grpc",
                    "healthyThreshold": 3,
                    "unhealthyThreshold": 2,
                    "intervalMillis": 10000,
                    "timeoutMillis": 5000,
                },
                "connectionPool": {"grpc": {"maxRequests": 64}},
                "timeout": {"grpc": {"perRequest": seconds(5)}},
            }
        ],
        "serviceDiscovery": {
            "awsCloudMap": {
                "namespaceName": "prod.local",
                "serviceName": "payments",
                "attributes": [{"key": "stage", "value": "blue"}],
                "ipPreference": "IPv6_PREFERRED",
            }
        },
        "logging": {
            "accessLog": {
                "file": {
                    "path": "/var/log/envoy.log",
                    "format": {"text": "%START_TIME% %RESPONSE_CODE%\n"},
                }
            }
        },
    }


def router_spec(protocol: str = "http", port: int = 8080) -> Spec:
    return {"listeners": [{"portMapping": {"port": port, "protocol": protocol}}]}


def http_route_spec(targets: list[tuple[str, int]], kind: str = "httpRoute") -> Spec:
    """An HTTP (or HTTP/2) route with headers, query parameters, retries and timeouts."""
    return {
        "priority": 10,
        kind: {
            "match": {
                "prefix": "/colour",
                "method": "GET",
                "headers": [
                    {"name": "x-canary", "match": {"exact": "true"}, "invert": False},
                    {"name": "x-build", "match": {"range": {"start": 100, "end": 200}}},
                ],
                "queryParameters": [{"name": "mode", "match": {"exact": "beta"}}],
                **({"scheme": "https"} if kind == "http2Route" else {}),
            },
            "action": {"weightedTargets": [{"virtualNode": n, "weight": w} for n, w in targets]},
            "retryPolicy": {
                "maxRetries": 3,
                "perRetryTimeout": millis(2000),
                "httpRetryEvents": ["server-error", "gateway-error"],
                "tcpRetryEvents": ["connection-error"],
            },
            "timeout": {"perRequest": seconds(15), "idle": seconds(60)},
        },
    }


def path_route_spec(target: str) -> Spec:
    """An HTTP route matching an exact path instead of a prefix."""
    return {
        "httpRoute": {
            "match": {"path": {"exact": "/healthz"}},
            "action": {"weightedTargets": [{"virtualNode": target, "weight": 1}]},
        }
    }


def grpc_route_spec(target: str) -> Spec:
    return {
        "priority": 0,
        "grpcRoute": {
            "match": {
                "serviceName": "payments.Ledger",
                "methodName": "Post",
                "metadata": [
                    {"name": "myMetadata", "match": {"prefix": "tenant-"}},
                    {"name": "region", "invert": True, "match": {"suffix": "-gov"}},
                ],
            },
            "action": {"weightedTargets": [{"virtualNode": target, "weight": 100}]},
            "retryPolicy": {
                "maxRetries": 2,
                "perRetryTimeout": seconds(1),
                "grpcRetryEvents": ["unavailable", "deadline-exceeded"],
                "httpRetryEvents": ["stream-error"],
            },
            "timeout": {"perRequest": seconds(5), "idle": seconds(30)},
        },
    }


def tcp_route_spec(target: str, port: int | None = None) -> Spec:
    route: dict[str, Any] = {
        "action": {"weightedTargets": [{"virtualNode": target, "weight": 1}]},
        "timeout": {"idle": seconds(600)},
    }
    if port is not None:
        route["match"] = {"port": port}
    return {"tcpRoute": route}


def service_spec(router: str | None = None, node: str | None = None) -> Spec:
    if router is not None:
        return {"provider": {"virtualRouter": {"virtualRouterName": router}}}
    if node is not None:
        return {"provider": {"virtualNode": {"virtualNodeName": node}}}
    return {}


def gateway_spec(port: int = 443) -> Spec:
    return {
        "listeners": [
            {
                "portMapping": {"port": port, "protocol": "http"},
                "healthCheck": {
                    "protocol": "http",
                    "path": "/",
                    "healthyThreshold": 2,
                    "unhealthyThreshold": 2,
                    "intervalMillis": 5000,
                    "timeoutMillis": 2000,
                },
                "tls": {"mode": "PERMISSIVE", "certificate": {"acm": {"certificateArn": ACM_CERT}}},
                "connectionPool": {"http": {"maxConnections": 1024}},
            }
        ],
        "backendDefaults": {
            "clientPolicy": {
                "tls": {"validation": {"trust": {"file": {"certificateChain": "/certs/ca.pem"}}}}
            }
        },
        "logging": {"accessLog": {"file": {"path": "/dev/stdout"}}},
    }


def gateway_route_spec(service: str, kind: str = "httpRoute") -> Spec:
    """An HTTP(/2) gateway route with hostname and prefix rewrites."""
    return {
        "priority": 5,
        kind: {
            "match": {
                "prefix": "/shop/",
                "hostname": {"suffix": ".example.com"},
                "headers": [{"name": "x-tenant", "match": {"prefix": "acme"}}],
                "queryParameters": [{"name": "v", "match": {"exact": "2"}}],
                "method": "POST",
            },
            "action": {
                "target": {"virtualService": {"virtualServiceName": service}, "port": 8080},
                "rewrite": {
                    "hostname": {"defaultTargetHostname": "DISABLED"},
                    "prefix": {"value": "/"},
                },
            },
        },
    }


def grpc_gateway_route_spec(service: str) -> Spec:
    return {
        "grpcRoute": {
            "match": {
                "serviceName": "payments.Ledger",
                "hostname": {"exact": "api.example.com"},
                "metadata": [{"name": "tenant", "match": {"exact": "acme"}}],
            },
            "action": {
                "target": {"virtualService": {"virtualServiceName": service}},
                "rewrite": {"hostname": {"defaultTargetHostname": "ENABLED"}},
            },
        }
    }


def path_gateway_route_spec(service: str) -> Spec:
    """An exact-path match with a path rewrite."""
    return {
        "httpRoute": {
            "match": {"path": {"exact": "/old/checkout"}},
            "action": {
                "target": {"virtualService": {"virtualServiceName": service}},
                "rewrite": {"path": {"exact": "/checkout"}},
            },
        }
    }
