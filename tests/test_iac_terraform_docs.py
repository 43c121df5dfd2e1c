"""Terraform `show -json` documents of the hashicorp/aws provider's documented App Mesh examples
(registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/appmesh_*: "Basic",
"AWS Cloud Map Service Discovery", "Listener Health Check", "Logging", "HTTP Header Routing",
"Retry Policy", "TCP Routing", "Access Logs and TLS"), written as the state lists each
resource's attributes; the names and values are the examples', the empty attributes the
schema's. Each loads to the spec the provider would have sent, as Describe returns it."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from appmesh_mock import mock_appmesh

MESH = "simpleapp"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0d6a4a5b-1c2d-4e3f-8a9b-0c1d2e3f4a5b"


def _state(*resources: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    base = [("aws_appmesh_mesh", "simple", {"name": MESH, "spec": []}),
            *(("aws_appmesh_virtual_node", n.replace("-", "_"), {
                "name": n, "mesh_name": MESH, "spec": [{
                    "listener": [{"port_mapping": [{"port": 8080, "protocol": "http"}]}],
                    "service_discovery": [{"dns": [{"hostname": f"{n}.simpleapp.local"}]}]}]})
              for n in ("serviceBv1", "serviceBv2")),
            ("aws_appmesh_virtual_router", "serviceb", {
                "name": "serviceB", "mesh_name": MESH,
                "spec": [{"listener": [{"port_mapping": [{"port": 8080, "protocol": "http"}]}]}]})]
    return {"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {
        "resources": [{"address": f"{t}.{n}", "mode": "managed", "type": t, "name": n,
                       "values": {"id": "x", "arn": "x", "tags_all": {}, **v}}
                      for t, n, v in (*base, *resources)]}}}


def _node(**spec: Any) -> tuple[str, str, dict[str, Any]]:
    listener = {"port_mapping": [{"port": 8080, "protocol": "http"}], "health_check": [],
                "timeout": [], "tls": [], "connection_pool": [], "outlier_detection": []}
    return ("aws_appmesh_virtual_node", "serviceb1", {
        "name": "serviceBv1-docs", "mesh_name": MESH, "mesh_owner": "123456789012",
        "tags": {"Name": "serviceBv1"}, "spec": [{
            "backend": [{"virtual_service": [{"virtual_service_name": "servicea.simpleapp.local",
                                              "client_policy": []}]}],
            "backend_defaults": [], "logging": [], "listener": [listener],
            "service_discovery": [{"dns": [{"hostname": "serviceb.simpleapp.local",
                                            "ip_preference": "", "response_type": ""}],
                                   "aws_cloud_map": []}], **spec}]})


NODE_API = {"backends": [{"virtualService": {"virtualServiceName": "servicea.simpleapp.local"}}],
            "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
            "serviceDiscovery": {"dns": {"hostname": "serviceb.simpleapp.local"}}}


def _route(**spec: Any) -> tuple[str, str, dict[str, Any]]:
    return ("aws_appmesh_route", "serviceb", {
        "name": "serviceB-route", "mesh_name": MESH, "virtual_router_name": "serviceB",
        "spec": [{"grpc_route": [], "http2_route": [], "http_route": [], "tcp_route": [],
                  "priority": 0, **spec}]})


def _http(match: dict[str, Any], **extra: Any) -> list[dict[str, Any]]:
    return [{"match": [{"prefix": "/", "method": "", "scheme": "", "header": [], "path": [],
                        "query_parameter": [], "port": 0, **match}],
             "action": [{"weighted_target": [{"virtual_node": "serviceBv1", "weight": 90},
                                             {"virtual_node": "serviceBv2", "weight": 10}]}],
             "retry_policy": [], "timeout": [], **extra}]


SPLIT = {"weightedTargets": [{"virtualNode": "serviceBv1", "weight": 90},
                             {"virtualNode": "serviceBv2", "weight": 10}]}

CASES: list[tuple[str, tuple[str, str, dict[str, Any]], str, dict[str, Any]]] = [
    ("virtual node: basic", _node(), "virtualNode", NODE_API),
    ("virtual node: Cloud Map service discovery",
     _node(service_discovery=[{"dns": [], "aws_cloud_map": [{
         "attributes": {"stack": "blue"}, "service_name": "serviceb1",
         "namespace_name": "example.local"}]}]),
     "virtualNode", {**NODE_API, "serviceDiscovery": {"awsCloudMap": {
         "attributes": [{"key": "stack", "value": "blue"}], "serviceName": "serviceb1",
         "namespaceName": "example.local"}}}),
    ("virtual node: listener health check",
     _node(listener=[{"port_mapping": [{"port": 8080, "protocol": "http"}], "health_check": [{
         "protocol": "http", "path": "/ping", "healthy_threshold": 2, "unhealthy_threshold": 2,
         "timeout_millis": 2000, "interval_millis": 5000, "port": 0}]}]),
     "virtualNode", {**NODE_API, "listeners": [{
         "portMapping": {"port": 8080, "protocol": "http"}, "healthCheck": {
             "protocol": "http", "path": "/ping", "healthyThreshold": 2,
             "unhealthyThreshold": 2, "timeoutMillis": 2000, "intervalMillis": 5000}}]}),
    ("virtual node: logging",
     _node(logging=[{"access_log": [{"file": [{"path": "/dev/stdout", "format": []}]}]}]),
     "virtualNode", {**NODE_API, "logging": {"accessLog": {"file": {"path": "/dev/stdout"}}}}),
    ("route: HTTP routing", _route(http_route=_http({})), "route",
     {"httpRoute": {"match": {"prefix": "/"}, "action": SPLIT}}),
    ("route: HTTP header routing",
     _route(http_route=_http({"method": "POST", "scheme": "https", "header": [{
         "name": "clientRequestId", "invert": False, "match": [{
             "prefix": "123", "exact": "", "regex": "", "suffix": "", "range": []}]}]})),
     "route", {"httpRoute": {"match": {"prefix": "/", "method": "POST", "scheme": "https",
                                       "headers": [{"name": "clientRequestId", "invert": False,
                                                    "match": {"prefix": "123"}}]},
                             "action": SPLIT}}),
    ("route: retry policy",
     _route(http_route=_http({}, retry_policy=[{
         "http_retry_events": ["server-error"], "max_retries": 1, "tcp_retry_events": [],
         "per_retry_timeout": [{"unit": "s", "value": 15}]}])),
     "route", {"httpRoute": {"match": {"prefix": "/"}, "action": SPLIT, "retryPolicy": {
         "httpRetryEvents": ["server-error"], "maxRetries": 1,
         "perRetryTimeout": {"unit": "s", "value": 15}}}}),
    ("route: TCP routing",
     _route(tcp_route=[{"action": [{"weighted_target": [
         {"virtual_node": "serviceBv1", "weight": 100, "port": 0}]}], "timeout": [],
         "match": []}]),
     "route", {"tcpRoute": {"action": {"weightedTargets": [
         {"virtualNode": "serviceBv1", "weight": 100}]}}}),
    ("virtual gateway: access logs and TLS",
     ("aws_appmesh_virtual_gateway", "example", {
         "name": "example-virtual-gateway", "mesh_name": MESH, "spec": [{
             "backend_defaults": [],
             "listener": [{"port_mapping": [{"port": 8080, "protocol": "http"}],
                           "health_check": [], "connection_pool": [], "tls": [{
                               "certificate": [{"acm": [{"certificate_arn": CERT}],
                                                "file": [], "sds": []}],
                               "mode": "STRICT", "validation": []}]}],
             "logging": [{"access_log": [{"file": [{"path": "/var/log/access.log",
                                                    "format": []}]}]}]}]}),
     "virtualGateway", {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"},
                                       "tls": {"certificate": {"acm": {"certificateArn": CERT}},
                                               "mode": "STRICT"}}],
                        "logging": {"accessLog": {"file": {"path": "/var/log/access.log"}}}}),
]


@pytest.mark.parametrize(("case", "resource", "kind", "spec"), CASES, ids=[c[0] for c in CASES])
def test_a_documented_example_loads_to_the_spec_the_provider_sends(
    case: str, resource: tuple[str, str, dict[str, Any]], kind: str, spec: dict[str, Any]
) -> None:
    with mock_appmesh() as m:
        assert m.load(_state(resource)) == 5
        client = boto3.client("appmesh", region_name="us-east-1")
        name = resource[2]["name"]
        names: dict[str, str] = {"meshName": MESH, f"{kind}Name": name}
        if kind == "route":
            names["virtualRouterName"] = "serviceB"
        described = getattr(client, f"describe_{_snake(kind)}")(**names)[kind]
        assert described["spec"] == _described(kind, spec)
        if "tags" in resource[2]:
            tags = client.list_tags_for_resource(resourceArn=described["metadata"]["arn"])
            assert tags["tags"] == [{"key": k, "value": v} for k, v in resource[2]["tags"].items()]


def _snake(kind: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in kind)


def _described(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """What Describe adds to a spec as sent: a node's backends list is always there."""
    return {"backends": [], **spec} if kind == "virtualNode" else spec
