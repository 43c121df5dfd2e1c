"""One mesh ("shop": two versions of an orders service behind a router with a header route and
retries, a payments service on a node, an ingress gateway) written the way each tool's users
write it: as boto3 calls, a CloudFormation template in YAML (short forms) and in JSON (long
forms, as CDK synthesizes it), Terraform `.tf` and `terraform show -json` state, and App Mesh
controller manifests. Every form must load to the state the calls make."""

from __future__ import annotations

from typing import Any

MESH = "shop"
HEALTH = {"protocol": "http", "path": "/ping", "healthyThreshold": 2, "unhealthyThreshold": 2,
          "timeoutMillis": 2000, "intervalMillis": 5000}


def _node(name: str, backend: str | None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}, "healthCheck": HEALTH}],
        "serviceDiscovery": {"dns": {"hostname": f"{name}.shop.local"}},
    }
    if backend:
        spec["backends"] = [{"virtualService": {"virtualServiceName": backend}}]
    return {"meshName": MESH, "virtualNodeName": name, "spec": spec}


CALLS: list[tuple[str, dict[str, Any]]] = [
    ("create_mesh", {"meshName": MESH, "spec": {"egressFilter": {"type": "ALLOW_ALL"}}}),
    ("create_virtual_node", _node("payments", None)),
    ("create_virtual_node", _node("orders-v1", "payments.shop.local")),
    ("create_virtual_node", _node("orders-v2", "payments.shop.local")),
    ("create_virtual_router", {"meshName": MESH, "virtualRouterName": "orders-router", "spec": {
        "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}}),
    ("create_route", {"meshName": MESH, "virtualRouterName": "orders-router",
                      "routeName": "orders-route", "spec": {"priority": 10, "httpRoute": {
        "match": {"prefix": "/", "headers": [
            {"name": "x-canary", "invert": False, "match": {"exact": "1"}}]},
        "action": {"weightedTargets": [{"virtualNode": "orders-v1", "weight": 90},
                                       {"virtualNode": "orders-v2", "weight": 10}]},
        "retryPolicy": {"maxRetries": 2, "perRetryTimeout": {"unit": "ms", "value": 500},
                        "httpRetryEvents": ["server-error"]}}}}),
    ("create_virtual_service", {"meshName": MESH, "virtualServiceName": "payments.shop.local",
                                "spec": {"provider": {"virtualNode": {
                                    "virtualNodeName": "payments"}}}}),
    ("create_virtual_service", {"meshName": MESH, "virtualServiceName": "orders.shop.local",
                                "spec": {"provider": {"virtualRouter": {
                                    "virtualRouterName": "orders-router"}}}}),
    ("create_virtual_gateway", {"meshName": MESH, "virtualGatewayName": "ingress", "spec": {
        "listeners": [{"portMapping": {"port": 8088, "protocol": "http"}}]}}),
    ("create_gateway_route", {"meshName": MESH, "virtualGatewayName": "ingress",
                              "gatewayRouteName": "to-orders", "spec": {"httpRoute": {
        "match": {"prefix": "/orders"},
        "action": {"target": {"virtualService": {
            "virtualServiceName": "orders.shop.local"}}}}}}),
]

_YAML_NODE = """
  {logical}:
    Type: AWS::AppMesh::VirtualNode
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualNodeName: {name}
      Spec:
        Listeners:
          - PortMapping: {{Port: 8080, Protocol: http}}
            HealthCheck:
              Protocol: http
              Path: /ping
              HealthyThreshold: 2
              UnhealthyThreshold: "2"
              TimeoutMillis: 2000
              IntervalMillis: 5000
        ServiceDiscovery:
          DNS:
            Hostname: !Sub "{name}.${{Domain}}"
"""
_YAML_BACKENDS = """        Backends:
          - VirtualService:
              VirtualServiceName: !GetAtt PaymentsService.VirtualServiceName
"""

CLOUDFORMATION_YAML = """AWSTemplateFormatVersion: 2010-09-09
Parameters:
  MeshName:
    Type: String
  Domain:
    Type: String
    Default: shop.local
  Canary:
    Type: String
    AllowedValues: ["true", "false"]
    Default: "true"
Conditions:
  WithCanary: !Equals [!Ref Canary, "true"]
Resources:
  Mesh:
    Type: AWS::AppMesh::Mesh
    Properties:
      MeshName: !Ref MeshName
      Spec:
        EgressFilter:
          Type: ALLOW_ALL
""" + _YAML_NODE.format(logical="PaymentsNode", name="payments") + _YAML_NODE.format(
    logical="OrdersV1", name="orders-v1") + _YAML_BACKENDS + _YAML_NODE.format(
    logical="OrdersV2", name="orders-v2") + _YAML_BACKENDS + """
  Router:
    Type: AWS::AppMesh::VirtualRouter
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualRouterName: orders-router
      Spec:
        Listeners:
          - PortMapping: {Port: 8080, Protocol: http}
  Route:
    Type: AWS::AppMesh::Route
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualRouterName: !GetAtt Router.VirtualRouterName
      RouteName: orders-route
      Spec:
        Priority: 10
        HttpRoute:
          Match:
            Prefix: /
            Headers:
              - Name: x-canary
                Invert: false
                Match: {Exact: "1"}
          Action:
            WeightedTargets:
              - VirtualNode: !GetAtt OrdersV1.VirtualNodeName
                Weight: !If [WithCanary, 90, 100]
              - !If
                - WithCanary
                - VirtualNode: !GetAtt OrdersV2.VirtualNodeName
                  Weight: 10
                - !Ref AWS::NoValue
          RetryPolicy:
            MaxRetries: 2
            PerRetryTimeout: {Unit: ms, Value: 500}
            HttpRetryEvents: !Split [",", "server-error"]
  PaymentsService:
    Type: AWS::AppMesh::VirtualService
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualServiceName: !Join [".", [payments, !Ref Domain]]
      Spec:
        Provider:
          VirtualNode:
            VirtualNodeName: !GetAtt PaymentsNode.VirtualNodeName
  OrdersService:
    Type: AWS::AppMesh::VirtualService
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualServiceName: !Sub
        - "orders.${Suffix}"
        - Suffix: !Select [1, !Split [",", !Sub "x,${Domain}"]]
      Spec:
        Provider:
          VirtualRouter:
            VirtualRouterName: !GetAtt Router.VirtualRouterName
  Gateway:
    Type: AWS::AppMesh::VirtualGateway
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualGatewayName: ingress
      Spec:
        Listeners:
          - PortMapping: {Port: 8088, Protocol: http}
  GatewayRoute:
    Type: AWS::AppMesh::GatewayRoute
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualGatewayName: !GetAtt Gateway.VirtualGatewayName
      GatewayRouteName: to-orders
      Spec:
        HttpRoute:
          Match: {Prefix: /orders}
          Action:
            Target:
              VirtualService:
                VirtualServiceName: !GetAtt OrdersService.VirtualServiceName
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub "${MeshName}-envoy"
"""


def _cfn_node(name: str, backend: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "Listeners": [{"PortMapping": {"Port": 8080, "Protocol": "http"},
                       "HealthCheck": {"Protocol": "http", "Path": "/ping",
                                       "HealthyThreshold": 2, "UnhealthyThreshold": 2,
                                       "TimeoutMillis": 2000, "IntervalMillis": 5000}}],
        "ServiceDiscovery": {"DNS": {"Hostname": {"Fn::Join": ["", [name, ".shop.local"]]}}},
    }
    if backend:
        spec["Backends"] = [{"VirtualService": {"VirtualServiceName": {
            "Fn::GetAtt": ["meshpayments1234ABCD", "VirtualServiceName"]}}}]
    return {"Type": "AWS::AppMesh::VirtualNode", "Properties": {
        "MeshName": {"Fn::GetAtt": ["meshshop9F1E2D3C", "MeshName"]},
        "VirtualNodeName": name, "Spec": spec}}


def _mesh_name() -> dict[str, Any]:
    return {"Fn::GetAtt": ["meshshop9F1E2D3C", "MeshName"]}


# As `cdk synth` writes a stack: generated logical ids, long-form intrinsics, literal names.
CLOUDFORMATION_JSON: dict[str, Any] = {"Resources": {
    "meshshop9F1E2D3C": {"Type": "AWS::AppMesh::Mesh", "Properties": {
        "MeshName": "shop", "Spec": {"EgressFilter": {"Type": "ALLOW_ALL"}}}},
    "meshpaymentsnode5A6B7C8D": _cfn_node("payments", False),
    "meshordersv1E4F5A6B7": _cfn_node("orders-v1", True),
    "meshordersv2C8D9E0F1": _cfn_node("orders-v2", True),
    "meshrouter0A1B2C3D": {"Type": "AWS::AppMesh::VirtualRouter", "Properties": {
        "MeshName": _mesh_name(), "VirtualRouterName": "orders-router",
        "Spec": {"Listeners": [{"PortMapping": {"Port": 8080, "Protocol": "http"}}]}}},
    "meshrouterroute4E5F6A7B": {"Type": "AWS::AppMesh::Route", "Properties": {
        "MeshName": _mesh_name(), "RouteName": "orders-route",
        "VirtualRouterName": {"Fn::GetAtt": ["meshrouter0A1B2C3D", "VirtualRouterName"]},
        "Spec": {"Priority": 10, "HttpRoute": {
            "Match": {"Prefix": "/", "Headers": [
                {"Name": "x-canary", "Invert": False, "Match": {"Exact": "1"}}]},
            "Action": {"WeightedTargets": [
                {"VirtualNode": {"Fn::GetAtt": ["meshordersv1E4F5A6B7", "VirtualNodeName"]},
                 "Weight": 90},
                {"VirtualNode": {"Fn::GetAtt": ["meshordersv2C8D9E0F1", "VirtualNodeName"]},
                 "Weight": 10}]},
            "RetryPolicy": {"MaxRetries": 2, "PerRetryTimeout": {"Unit": "ms", "Value": 500},
                            "HttpRetryEvents": ["server-error"]}}}}},
    "meshpayments1234ABCD": {"Type": "AWS::AppMesh::VirtualService", "Properties": {
        "MeshName": _mesh_name(), "VirtualServiceName": "payments.shop.local",
        "Spec": {"Provider": {"VirtualNode": {"VirtualNodeName": {
            "Fn::GetAtt": ["meshpaymentsnode5A6B7C8D", "VirtualNodeName"]}}}}}},
    "meshorders8E9F0A1B": {"Type": "AWS::AppMesh::VirtualService", "Properties": {
        "MeshName": _mesh_name(), "VirtualServiceName": "orders.shop.local",
        "Spec": {"Provider": {"VirtualRouter": {"VirtualRouterName": {
            "Fn::GetAtt": ["meshrouter0A1B2C3D", "VirtualRouterName"]}}}}}},
    "meshingress2C3D4E5F": {"Type": "AWS::AppMesh::VirtualGateway", "Properties": {
        "MeshName": _mesh_name(), "VirtualGatewayName": "ingress",
        "Spec": {"Listeners": [{"PortMapping": {"Port": 8088, "Protocol": "http"}}]}}},
    "meshingressroute6A7B8C9D": {"Type": "AWS::AppMesh::GatewayRoute", "Properties": {
        "MeshName": _mesh_name(), "GatewayRouteName": "to-orders",
        "VirtualGatewayName": {"Fn::GetAtt": ["meshingress2C3D4E5F", "VirtualGatewayName"]},
        "Spec": {"HttpRoute": {"Match": {"Prefix": "/orders"}, "Action": {"Target": {
            "VirtualService": {"VirtualServiceName": {
                "Fn::GetAtt": ["meshorders8E9F0A1B", "VirtualServiceName"]}}}}}}}},
    "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:"}},
}}

TERRAFORM_HCL = """
variable "domain" {
  type    = string
  default = "shop.local"
}

variable "primary_weight" {
  type    = number
  default = 90
}

variable "canary_weight" {
  type = number
}

locals {
  mesh = "shop"
}

resource "aws_appmesh_mesh" "shop" {
  name = local.mesh
  spec {
    egress_filter {
      type = "ALLOW_ALL"
    }
  }
}
""" + "".join(f"""
resource "aws_appmesh_virtual_node" "{key}" {{
  name      = "{name}"
  mesh_name = aws_appmesh_mesh.shop.id
  spec {{
    listener {{
      port_mapping {{
        port     = 8080
        protocol = "http"
      }}
      health_check {{
        protocol            = "http"
        path                = "/ping"
        healthy_threshold   = 2
        unhealthy_threshold = 2
        timeout_millis      = 2000
        interval_millis     = 5000
      }}
    }}
    service_discovery {{
      dns {{
        hostname = "{name}.${{var.domain}}"
      }}
    }}
    {backend}
  }}
}}
""" for key, name, backend in (
    ("payments", "payments", ""),
    *((f"orders_{v}", f"orders-{v}", """backend {
      virtual_service {
        virtual_service_name = aws_appmesh_virtual_service.payments.name
      }
    }""") for v in ("v1", "v2")),
)) + """
resource "aws_appmesh_virtual_router" "orders" {
  name      = "orders-router"
  mesh_name = aws_appmesh_mesh.shop.name
  spec {
    listener {
      port_mapping {
        port     = 8080
        protocol = "http"
      }
    }
  }
}

resource "aws_appmesh_route" "orders" {
  name                = "orders-route"
  mesh_name           = aws_appmesh_mesh.shop.id
  virtual_router_name = aws_appmesh_virtual_router.orders.name
  spec {
    priority = 10
    http_route {
      match {
        prefix = "/"
        header {
          name   = "x-canary"
          invert = false
          match {
            exact = "1"
          }
        }
      }
      action {
        weighted_target {
          virtual_node = aws_appmesh_virtual_node.orders_v1.name
          weight       = var.primary_weight
        }
        weighted_target {
          virtual_node = aws_appmesh_virtual_node.orders_v2.name
          weight       = var.canary_weight
        }
      }
      retry_policy {
        http_retry_events = ["server-error"]
        max_retries       = 2
        per_retry_timeout {
          unit  = "ms"
          value = 500
        }
      }
    }
  }
}

resource "aws_appmesh_virtual_service" "payments" {
  name      = "payments.${var.domain}"
  mesh_name = aws_appmesh_mesh.shop.id
  spec {
    provider {
      virtual_node {
        virtual_node_name = aws_appmesh_virtual_node.payments.name
      }
    }
  }
}

resource "aws_appmesh_virtual_service" "orders" {
  name      = "orders.${var.domain}"
  mesh_name = aws_appmesh_mesh.shop.id
  spec {
    provider {
      virtual_router {
        virtual_router_name = aws_appmesh_virtual_router.orders.name
      }
    }
  }
}

resource "aws_appmesh_virtual_gateway" "ingress" {
  name      = "ingress"
  mesh_name = aws_appmesh_mesh.shop.id
  spec {
    listener {
      port_mapping {
        port     = 8088
        protocol = "http"
      }
    }
  }
}

resource "aws_appmesh_gateway_route" "orders" {
  name                 = "to-orders"
  mesh_name            = aws_appmesh_mesh.shop.id
  virtual_gateway_name = aws_appmesh_virtual_gateway.ingress.name
  spec {
    http_route {
      match {
        prefix = "/orders"
      }
      action {
        target {
          virtual_service {
            virtual_service_name = aws_appmesh_virtual_service.orders.name
          }
        }
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "envoy" {
  name = "shop-envoy"
}
"""

KUBERNETES = """apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {mesh: shop, gateway: ingress}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata: {name: shop}
spec:
  namespaceSelector: {matchLabels: {mesh: shop}}
  egressFilter: {type: ALLOW_ALL}
""" + "".join(f"""---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {{name: {name}, namespace: shop}}
spec:
  awsName: {name}
  podSelector: {{matchLabels: {{app: {name}}}}}
  listeners:
    - portMapping: {{port: 8080, protocol: http}}
      healthCheck: {{protocol: http, path: /ping, healthyThreshold: 2, unhealthyThreshold: 2,
                    timeoutMillis: 2000, intervalMillis: 5000}}
  serviceDiscovery:
    dns:
      hostname: {name}.${{DOMAIN}}
{backends}""" for name, backends in (
    ("payments", ""),
    *((f"orders-{v}", "  backends:\n    - virtualService: {virtualServiceRef: {name: payments}}\n")
      for v in ("v1", "v2")),
)) + """---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualRouter
metadata: {name: orders-router, namespace: shop}
spec:
  awsName: orders-router
  listeners:
    - portMapping: {port: 8080, protocol: http}
  routes:
    - name: orders-route
      priority: 10
      httpRoute:
        match:
          prefix: /
          headers:
            - {name: x-canary, invert: false, match: {exact: "1"}}
        action:
          weightedTargets:
            - {virtualNodeRef: {name: orders-v1}, weight: 90}
            - {virtualNodeRef: {name: orders-v2, namespace: shop}, weight: 10}
        retryPolicy:
          maxRetries: 2
          perRetryTimeout: {unit: ms, value: 500}
          httpRetryEvents: [server-error]
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: payments, namespace: shop}
spec:
  awsName: payments.${DOMAIN}
  provider:
    virtualNode: {virtualNodeRef: {name: payments}}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: orders, namespace: shop}
spec:
  awsName: orders.${DOMAIN}
  provider:
    virtualRouter: {virtualRouterRef: {name: orders-router}}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualGateway
metadata: {name: ingress, namespace: shop}
spec:
  awsName: ingress
  namespaceSelector: {matchLabels: {gateway: ingress}}
  podSelector: {matchLabels: {app: ingress}}
  listeners:
    - portMapping: {port: 8088, protocol: http}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: GatewayRoute
metadata: {name: to-orders, namespace: shop}
spec:
  awsName: to-orders
  httpRoute:
    match: {prefix: /orders}
    action:
      target:
        virtualService: {virtualServiceRef: {name: orders}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders-v1, namespace: shop}
spec:
  template:
    spec:
      containers: [{name: app, image: "${ORDERS_IMAGE}"}]
"""


def _computed(kind: str, path: str) -> dict[str, Any]:
    """The attributes the provider reads back after apply (the load leaves them out)."""
    return {"id": "0e2f4a6c-8b1d-4f3e-a5c7-9d1b3f5e7a9c" if kind != "mesh" else MESH,
            "arn": f"arn:aws:appmesh:us-east-1:123456789012:mesh/{path}",
            "created_date": "2026-11-02T10:00:00Z", "last_updated_date": "2026-11-02T10:00:00Z",
            "resource_owner": "123456789012", "mesh_owner": "123456789012",
            "tags": {}, "tags_all": {}}


def _tf_node(name: str, backend: str | None) -> dict[str, Any]:
    return {"name": name, "mesh_name": MESH, **_computed("node", f"shop/virtualNode/{name}"),
            "spec": [{
                "backend": [{"virtual_service": [{"client_policy": [],
                                                  "virtual_service_name": backend}]}]
                if backend else [],
                "backend_defaults": [], "logging": [],
                "listener": [{
                    "connection_pool": [], "outlier_detection": [], "timeout": [], "tls": [],
                    "health_check": [{"healthy_threshold": 2, "interval_millis": 5000,
                                      "path": "/ping", "port": 0, "protocol": "http",
                                      "timeout_millis": 2000, "unhealthy_threshold": 2}],
                    "port_mapping": [{"port": 8080, "protocol": "http"}]}],
                "service_discovery": [{"aws_cloud_map": [], "dns": [{
                    "hostname": f"{name}.shop.local", "ip_preference": "",
                    "response_type": ""}]}]}]}


def _tf_service(name: str, provider: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "mesh_name": MESH, **_computed("service", f"shop/virtualService/{name}"),
            "spec": [{"provider": [{"virtual_node": [], "virtual_router": [], **provider}]}]}


def _listener(port: int) -> list[dict[str, Any]]:
    return [{"port_mapping": [{"port": port, "protocol": "http"}]}]


# `terraform show -json` after `terraform apply` of TERRAFORM_HCL: each resource's attributes
# as the provider's schema (registry.terraform.io/providers/hashicorp/aws, aws_appmesh_*)
# lists them, unset ones as "", 0 or [].
TERRAFORM_VALUES: list[tuple[str, str, dict[str, Any]]] = [
    ("aws_appmesh_mesh", "shop", {"name": MESH, **_computed("mesh", "shop"), "spec": [{
        "egress_filter": [{"type": "ALLOW_ALL"}], "service_discovery": []}]}),
    ("aws_appmesh_virtual_node", "payments", _tf_node("payments", None)),
    ("aws_appmesh_virtual_node", "orders_v1", _tf_node("orders-v1", "payments.shop.local")),
    ("aws_appmesh_virtual_node", "orders_v2", _tf_node("orders-v2", "payments.shop.local")),
    ("aws_appmesh_virtual_router", "orders", {
        "name": "orders-router", "mesh_name": MESH,
        **_computed("router", "shop/virtualRouter/orders-router"),
        "spec": [{"listener": _listener(8080)}]}),
    ("aws_appmesh_route", "orders", {
        "name": "orders-route", "mesh_name": MESH, "virtual_router_name": "orders-router",
        **_computed("route", "shop/virtualRouter/orders-router/route/orders-route"),
        "spec": [{"grpc_route": [], "http2_route": [], "tcp_route": [], "priority": 10,
                  "http_route": [{
                      "match": [{"prefix": "/", "path": [], "method": "", "scheme": "",
                                 "port": 0, "query_parameter": [], "header": [{
                                     "name": "x-canary", "invert": False, "match": [{
                                         "exact": "1", "prefix": "", "suffix": "",
                                         "regex": "", "range": []}]}]}],
                      "action": [{"weighted_target": [
                          {"virtual_node": "orders-v1", "weight": 90, "port": 0},
                          {"virtual_node": "orders-v2", "weight": 10, "port": 0}]}],
                      "retry_policy": [{"max_retries": 2, "http_retry_events": ["server-error"],
                                        "tcp_retry_events": [], "per_retry_timeout": [
                                            {"unit": "ms", "value": 500}]}],
                      "timeout": []}]}]}),
    ("aws_appmesh_virtual_service", "payments", _tf_service("payments.shop.local", {
        "virtual_node": [{"virtual_node_name": "payments"}]})),
    ("aws_appmesh_virtual_service", "orders", _tf_service("orders.shop.local", {
        "virtual_router": [{"virtual_router_name": "orders-router"}]})),
    ("aws_appmesh_virtual_gateway", "ingress", {
        "name": "ingress", "mesh_name": MESH,
        **_computed("gateway", "shop/virtualGateway/ingress"),
        "spec": [{"backend_defaults": [], "logging": [], "listener": _listener(8088)}]}),
    ("aws_appmesh_gateway_route", "orders", {
        "name": "to-orders", "mesh_name": MESH, "virtual_gateway_name": "ingress",
        **_computed("gateway route", "shop/virtualGateway/ingress/gatewayRoute/to-orders"),
        "spec": [{"grpc_route": [], "http2_route": [], "priority": 0, "http_route": [{
            "match": [{"prefix": "/orders", "header": [], "hostname": [], "path": [],
                       "query_parameter": [], "port": 0}],
            "action": [{"rewrite": [], "target": [{"port": 0, "virtual_service": [
                {"virtual_service_name": "orders.shop.local"}]}]}]}]}]}),
    ("aws_cloudwatch_log_group", "envoy", {"name": "shop-envoy", "arn": "arn:aws:logs:..."}),
]


def _resource(kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": values, "sensitive_values": {}}


TERRAFORM_STATE: dict[str, Any] = {
    "format_version": "1.0", "terraform_version": "1.9.8",
    "values": {"root_module": {"resources": [_resource(*r) for r in TERRAFORM_VALUES[:5]],
                               "child_modules": [{"address": "module.edge", "resources": [
                                   _resource(*r) for r in TERRAFORM_VALUES[5:]]}]}},
}


def terraform_plan(unknown: dict[str, Any] | None = None) -> dict[str, Any]:
    """`terraform show -json PLAN` for a first apply: planned values without the computed
    attributes, which `after_unknown` marks; `unknown` marks more of one resource."""
    computed = ("id", "arn", "created_date", "last_updated_date", "resource_owner", "tags_all")
    resources, changes = [], []
    for kind, name, values in TERRAFORM_VALUES:
        planned = {k: v for k, v in values.items() if k not in computed}
        marks: dict[str, Any] = dict.fromkeys(computed, True)
        marks.update((unknown or {}).get(f"{kind}.{name}", {}))
        for key in marks:
            planned.pop(key, None)
        resources.append(_resource(kind, name, planned))
        changes.append({"address": f"{kind}.{name}", "type": kind, "name": name,
                        "change": {"actions": ["create"], "before": None, "after": planned,
                                   "after_unknown": marks}})
    return {"format_version": "1.2", "terraform_version": "1.9.8",
            "planned_values": {"root_module": {"resources": resources}},
            "resource_changes": changes}
