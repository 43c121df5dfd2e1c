"""Mesh, virtual node, router, service and gateway specs shaped like the configurations the
Terraform AWS provider's App Mesh acceptance tests send to the real service
(`internal/service/appmesh/{mesh,virtual_node,virtual_router,virtual_service,virtual_gateway}
_test.go` in hashicorp/terraform-provider-aws), written out as boto3 specs. Names and values are
our own; the shapes are the provider's. Each entry is (id, spec).
"""

from __future__ import annotations

from typing import Any

from tf_route_variants import ms, s

Spec = dict[str, Any]

PROVIDER_NODE, PROVIDER_ROUTER = "tf-provider-node", "tf-provider-router"
CA_ARN = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444"
CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/55555555-6666-7777-8888-999999999999"
DNS = {"dns": {"hostname": "orders.shop.local"}}


def port_mapping(port: int, protocol: str) -> dict[str, Any]:
    return {"port": port, "protocol": protocol}


def listener(port: int = 8080, protocol: str = "http", **extra: Any) -> dict[str, Any]:
    return {"portMapping": port_mapping(port, protocol), **extra}


def backend(name: str = "payments.shop.local", **extra: Any) -> dict[str, Any]:
    return {"virtualService": {"virtualServiceName": name, **extra}}


def node(*listeners: dict[str, Any], **extra: Any) -> Spec:
    """A node as the provider's tests write most of them: one backend, DNS discovery."""
    return {"backends": [backend()], "listeners": list(listeners) or [listener()],
            "serviceDiscovery": DNS, **extra}


def client_tls(trust: Spec, ports: list[int] | None = None, sans: Spec | None = None) -> Spec:
    validation: dict[str, Any] = {"trust": trust}
    if sans is not None:
        validation["subjectAlternativeNames"] = sans
    tls: dict[str, Any] = {"validation": validation}
    if ports is not None:
        tls["ports"] = ports
    return {"clientPolicy": {"tls": tls}}


FILE_TRUST = {"file": {"certificateChain": "/certs/chain.pem"}}
SDS_TRUST = {"sds": {"secretName": "trusted-bundle"}}
ACM_TRUST = {"acm": {"certificateAuthorityArns": [CA_ARN]}}
SANS = {"match": {"exact": ["orders.example.com", "billing.example.com"]}}
CLIENT_CERTIFICATE = {"file": {"certificateChain": "/certs/client.pem", "privateKey": "/certs/key"}}

BACKEND_DEFAULTS = [
    ("backend-defaults-file-trust", {"backendDefaults": client_tls(FILE_TRUST, [8443])}),
    ("backend-defaults-two-ports", {"backendDefaults": client_tls(
        {"file": {"certificateChain": "/etc/ssl/certs/chain.pem"}}, [443, 8443])}),
    ("backend-defaults-certificate-san-sds", {"backendDefaults": {"clientPolicy": {"tls": {
        "certificate": CLIENT_CERTIFICATE,
        "validation": {"subjectAlternativeNames": {"match": {"exact": ["api.example.com"]}},
                       "trust": SDS_TRUST}}}}}),
]


def listener_tls(mode: str, certificate: Spec, validation: Spec | None = None) -> dict[str, Any]:
    tls: dict[str, Any] = {"mode": mode, "certificate": certificate}
    if validation is not None:
        tls["validation"] = validation
    return {"tls": tls}


SDS_CERT = {"sds": {"secretName": "serving-cert"}}
FILE_CERT = {"file": {"certificateChain": "/certs/serving.pem", "privateKey": "/certs/serving.key"}}
ACM_CERT = {"acm": {"certificateArn": CERT_ARN}}
VALIDATE_FILE = {"subjectAlternativeNames": SANS, "trust": FILE_TRUST}
VALIDATE_SDS = {"trust": SDS_TRUST}
HEALTH_HTTP2_ON_GRPC = {"protocol": "http2", "path": "/ping", "healthyThreshold": 3,
                        "unhealthyThreshold": 5, "timeoutMillis": 2000, "intervalMillis": 5000}
ACCESS_LOG = {"accessLog": {"file": {"path": "/dev/stdout"}}}
JSON_FORMAT = {"json": [{"key": "status", "value": "%RC%"}]}
JSON_ACCESS_LOG = {"accessLog": {"file": {"path": "/var/log/access.log", "format": JSON_FORMAT}}}

NODES: list[tuple[str, Spec]] = [
    ("empty-spec", {}),
    *BACKEND_DEFAULTS,
    ("backend-client-policy-acm-trust",
     node(backends=[backend(**client_tls(ACM_TRUST, [8443]))])),
    ("backend-client-policy-file-trust",
     node(backends=[backend(**client_tls(FILE_TRUST, [8443]))])),
    ("backend-client-policy-san", node(backends=[backend(**client_tls(
        FILE_TRUST, [443, 8443], {"match": {"exact": ["pay.example.com"]}}))])),
    ("cloud-map-with-attributes", node(serviceDiscovery={"awsCloudMap": {
        "namespaceName": "shop-ns", "serviceName": "orders",
        "attributes": [{"key": "stage", "value": "canary"}]}})),
    ("connection-pool-tcp", node(listener(protocol="tcp",
                                          connectionPool={"tcp": {"maxConnections": 4}}))),
    ("connection-pool-http-and-dns-options", node(
        listener(connectionPool={"http": {"maxConnections": 8, "maxPendingRequests": 16}}),
        serviceDiscovery={"dns": {"hostname": "orders.shop.local", "ipPreference": "IPv4_ONLY",
                                  "responseType": "ENDPOINTS"}})),
    ("connection-pool-http2", node(listener(protocol="http2",
                                            connectionPool={"http2": {"maxRequests": 32}}))),
    ("connection-pool-grpc", node(listener(protocol="grpc",
                                           connectionPool={"grpc": {"maxRequests": 4}}))),
    ("health-check-http2-on-grpc-listener", node(listener(protocol="grpc",
                                                          healthCheck=HEALTH_HTTP2_ON_GRPC))),
    ("health-check-tcp-with-port", {
        "backends": [backend("stock.shop.local"), backend("prices.shop.local")],
        "listeners": [listener(8081, healthCheck={
            "protocol": "tcp", "port": 8081, "healthyThreshold": 4, "unhealthyThreshold": 9,
            "timeoutMillis": 3000, "intervalMillis": 7000})],
        "serviceDiscovery": {"dns": {"hostname": "orders-b.shop.local"}}}),
    ("outlier-detection-tcp", node(listener(protocol="tcp", outlierDetection={
        "baseEjectionDuration": ms(250000), "interval": s(10),
        "maxEjectionPercent": 50, "maxServerErrors": 5}))),
    ("outlier-detection-http", node(listener(outlierDetection={
        "baseEjectionDuration": s(6), "interval": ms(10000),
        "maxEjectionPercent": 60, "maxServerErrors": 6}))),
    ("timeout-tcp", node(listener(protocol="tcp", timeout={"tcp": {"idle": ms(250000)}}))),
    ("timeout-http", node(listener(timeout={"http": {"idle": s(10), "perRequest": s(5)}}))),
    ("timeout-http2", node(listener(protocol="http2",
                                    timeout={"http2": {"idle": s(10), "perRequest": s(5)}}))),
    ("timeout-grpc", node(listener(protocol="grpc",
                                   timeout={"grpc": {"idle": s(10), "perRequest": s(5)}}))),
    ("tls-file-permissive", node(listener(**listener_tls("PERMISSIVE", FILE_CERT)))),
    ("tls-acm-strict", node(listener(**listener_tls("STRICT", ACM_CERT)))),
    ("tls-sds-validation-file-trust",
     node(listener(**listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_FILE)))),
    ("tls-sds-validation-sds-trust",
     node(listener(**listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_SDS)))),
    ("two-listeners-with-validation", node(
        listener(8080, **listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_FILE)),
        listener(8081, **listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_FILE)))),
    ("three-listeners-http-http-grpc", node(
        listener(8080, **listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_SDS)),
        listener(8081, **listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_SDS)),
        listener(8082, "grpc", **listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_SDS)))),
    ("access-log-file", node(logging=ACCESS_LOG)),
    ("access-log-json", node(logging=JSON_ACCESS_LOG)),
]


def gateway(*listeners: dict[str, Any], **extra: Any) -> Spec:
    return {"listeners": list(listeners) or [listener()], **extra}


GATEWAYS: list[tuple[str, Spec]] = [
    ("http-listener", gateway()),
    *[(name, gateway(**spec)) for name, spec in BACKEND_DEFAULTS],
    ("connection-pool-grpc", gateway(listener(protocol="grpc",
                                              connectionPool={"grpc": {"maxRequests": 4}}))),
    ("connection-pool-http", gateway(listener(8081, connectionPool={
        "http": {"maxConnections": 8, "maxPendingRequests": 16}}))),
    ("connection-pool-http2", gateway(listener(protocol="http2",
                                               connectionPool={"http2": {"maxRequests": 8}}))),
    ("health-check-http2-on-grpc-listener", gateway(listener(protocol="grpc",
                                                             healthCheck=HEALTH_HTTP2_ON_GRPC))),
    ("health-check-grpc-with-port", gateway(listener(8081, "http2", healthCheck={
        "protocol": "grpc", "port": 8081, "healthyThreshold": 4, "unhealthyThreshold": 9,
        "timeoutMillis": 3000, "intervalMillis": 7000}))),
    ("tls-acm-strict", gateway(listener(**listener_tls("STRICT", ACM_CERT)))),
    ("tls-file-permissive", gateway(listener(**listener_tls("PERMISSIVE", FILE_CERT)))),
    ("tls-sds-validation-file-trust",
     gateway(listener(**listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_FILE)))),
    ("tls-sds-strict-validation-sds-trust",
     gateway(listener(**listener_tls("STRICT", SDS_CERT, VALIDATE_SDS)))),
    ("two-listeners-permissive", gateway(
        listener(8080, **listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_FILE)),
        listener(8081, **listener_tls("PERMISSIVE", SDS_CERT, VALIDATE_FILE)))),
    ("two-listeners-strict", gateway(
        listener(8080, **listener_tls("STRICT", SDS_CERT, VALIDATE_FILE)),
        listener(8081, **listener_tls("STRICT", SDS_CERT, VALIDATE_FILE)))),
    ("access-log-file", gateway(logging=ACCESS_LOG)),
    ("access-log-json", gateway(logging=JSON_ACCESS_LOG)),
]

MESHES: list[tuple[str, Spec]] = [
    ("empty-spec", {}),
    ("egress-allow-all", {"egressFilter": {"type": "ALLOW_ALL"}}),
    ("egress-drop-all", {"egressFilter": {"type": "DROP_ALL"}}),
    ("ip-preference-ipv6", {"serviceDiscovery": {"ipPreference": "IPv6_PREFERRED"}}),
    ("ip-preference-ipv4-only", {"serviceDiscovery": {"ipPreference": "IPv4_ONLY"}}),
]

ROUTERS: list[tuple[str, Spec]] = [
    ("http-8080", {"listeners": [{"portMapping": port_mapping(8080, "http")}]}),
    ("http-8081", {"listeners": [{"portMapping": port_mapping(8081, "http")}]}),
    ("http-and-http2", {"listeners": [{"portMapping": port_mapping(8080, "http")},
                                      {"portMapping": port_mapping(8081, "http2")}]}),
]

SERVICES: list[tuple[str, Spec]] = [
    ("empty-spec", {}),
    ("node-provider", {"provider": {"virtualNode": {"virtualNodeName": PROVIDER_NODE}}}),
    ("router-provider", {"provider": {"virtualRouter": {"virtualRouterName": PROVIDER_ROUTER}}}),
]
