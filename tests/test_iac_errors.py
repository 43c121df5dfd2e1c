"""Bad configuration files (issue 23): each is one ValueError naming the file, the resource
(logical id, address, manifest name) and the member or name at fault, and the mock's state is
what it was before the load; and what the files hold beyond App Mesh is reported, not lost."""

from __future__ import annotations

import builtins
import copy
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from iac_shop import CALLS, CLOUDFORMATION_JSON, KUBERNETES, TERRAFORM_HCL, terraform_plan

from appmesh_mock import mock_appmesh

MESH = {"Type": "AWS::AppMesh::Mesh", "Properties": {"MeshName": "m"}}


def _node(name: str, **spec: Any) -> dict[str, Any]:
    return {"Type": "AWS::AppMesh::VirtualNode", "Properties": {
        "MeshName": {"Fn::GetAtt": ["Mesh", "MeshName"]}, "VirtualNodeName": name,
        "Spec": spec}}


def _refused(source: Any, pattern: str, **options: Any) -> None:
    """`source` is refused with a message matching `pattern`; the state stays as it was."""
    with mock_appmesh() as m:
        client = boto3.client("appmesh", region_name="us-east-1")
        client.create_mesh(meshName="before")
        before = m.export()
        with pytest.raises(ValueError, match=pattern):
            m.load(source, **options)
        assert m.export() == before


def test_a_dependency_cycle_names_its_resources() -> None:
    a, b = _node("a"), _node("b")
    a["DependsOn"] = "B"
    b["Properties"]["Spec"] = {"Backends": [{"VirtualService": {
        "VirtualServiceName": {"Fn::Sub": "${A.VirtualNodeName}.local"}}}]}
    _refused({"Resources": {"Mesh": MESH, "A": a, "B": b}},
             r"dependency cycle among the document: A, the document: B|cycle.*A.*B")


def test_an_unknown_intrinsic_is_named_where_it_is(tmp_path: Path) -> None:
    template = {"Resources": {"Mesh": MESH, "Web": _node("web", ServiceDiscovery={"DNS": {
        "Hostname": {"Fn::Frobnicate": ["a", "b"]}}})}}
    path = tmp_path / "web.json"
    path.write_text(json.dumps(template))
    _refused(path, r"web\.json: Web\.Properties\.Spec\.ServiceDiscovery\.DNS\.Hostname\."
                   r"Fn::Frobnicate: unknown intrinsic function Fn::Frobnicate")


def test_a_missing_parameter_is_named() -> None:
    template = {"Parameters": {"Name": {"Type": "String"}},
                "Resources": {"Mesh": {**MESH, "Properties": {"MeshName": {"Ref": "Name"}}}}}
    _refused(template, r"Mesh\.Properties\.MeshName\.Ref: parameter Name has no Default")


def test_what_only_aws_knows_must_be_given() -> None:
    imported = {"Resources": {"Mesh": MESH, "Web": _node("web", ServiceDiscovery={"DNS": {
        "Hostname": {"Fn::ImportValue": {"Fn::Sub": "${AWS::Region}-lb"}}}})}}
    _refused(imported, r"Fn::ImportValue 'us-east-1-lb' is another stack's export; give its "
                       r"value as parameters\['us-east-1-lb'\]")
    balancer = {"Resources": {"Mesh": MESH, "LB": {"Type": "AWS::ElasticLoadBalancingV2::"
                                                           "LoadBalancer"},
                              "Web": _node("web", ServiceDiscovery={"DNS": {
                                  "Hostname": {"Fn::GetAtt": ["LB", "DNSName"]}}})}}
    _refused(balancer, r"GetAtt LB\.DNSName \(AWS::ElasticLoadBalancingV2::LoadBalancer\) "
                       r"needs AWS; give its value as parameters\['LB\.DNSName'\]")
    with mock_appmesh() as m:
        m.load(copy.deepcopy(balancer), parameters={"LB.DNSName": "lb.example.com"})
        node = boto3.client("appmesh", region_name="us-east-1").describe_virtual_node(
            meshName="m", virtualNodeName="web")["virtualNode"]
        assert node["spec"]["serviceDiscovery"]["dns"]["hostname"] == "lb.example.com"


def test_a_bad_member_names_the_resource_and_the_member() -> None:
    template = {"Resources": {"Mesh": MESH, "Web": _node("web", Listeners=[
        {"PortMaping": {"Port": 80, "Protocol": "http"}}])}}
    _refused(template, r"Web: Properties\.Spec\.Listeners\[0\]\.PortMaping: not a member of "
                       r"Listener")
    wrong = {"Resources": {"Mesh": MESH, "Web": _node("web", Listeners=[
        {"PortMapping": {"Port": 80, "Protocol": "smtp"}}])}}
    _refused(wrong, r"Web: BadRequestException: .*spec\.listeners\[0\]\.portMapping\.protocol")


def test_a_service_rule_stops_the_whole_load() -> None:
    template = copy.deepcopy(CLOUDFORMATION_JSON)
    route = template["Resources"]["meshrouterroute4E5F6A7B"]["Properties"]["Spec"]
    route["HttpRoute"]["Action"]["WeightedTargets"][1]["VirtualNode"] = "nowhere"
    _refused(template, r"meshrouterroute4E5F6A7B: NotFoundException: .*nowhere")


def test_a_plan_with_unknown_values_is_refused() -> None:
    plan = terraform_plan({"aws_appmesh_virtual_node.payments": {"mesh_name": True}})
    _refused(plan, r"aws_appmesh_virtual_node\.payments: mesh_name is unknown until apply")


def test_terraform_names_its_missing_variable_and_its_circle(tmp_path: Path) -> None:
    _refused(TERRAFORM_HCL, r"aws_appmesh_route\.orders\..*weight: var\.canary_weight has "
                            r"no default; give it in parameters", format="terraform")
    circle = 'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_appmesh_mesh" "m" {\n' \
             '  name = local.a\n}\n'
    _refused(circle, r"circular reference: local\.a -> local\.b -> local\.a",
             format="terraform")


def test_a_manifest_that_refers_to_a_missing_node_is_named() -> None:
    manifests = KUBERNETES.replace("virtualNodeRef: {name: orders-v1}",
                                   "virtualNodeRef: {name: orders-v3}")
    _refused(manifests, r"VirtualRouter shop/orders-router.*refers to VirtualNode orders-v3 "
                        r"in namespace shop, which is not in the files loaded",
             parameters={"DOMAIN": "shop.local"})


def test_a_resource_whose_condition_is_false_is_reported() -> None:
    template = {"Parameters": {"Env": {"Type": "String", "Default": "dev"}},
                "Conditions": {"Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
                "Resources": {"Mesh": MESH, "Canary": {**_node("canary"), "Condition": "Prod"}}}
    with mock_appmesh() as m:
        report = m.load(copy.deepcopy(template))
        assert report == 1
        assert report.not_loaded == ("the document: Canary: condition Prod is false",)
        assert m.load(copy.deepcopy(template) | {"Resources": {
            "Canary": template["Resources"]["Canary"], "Mesh": {
                **MESH, "Properties": {"MeshName": "m2"}}}},
            parameters={"Env": "prod"}) == 2


def test_without_the_iac_extra_yaml_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_import = builtins.__import__

    def no_yaml(name: str, *args: Any, **kwargs: Any) -> Any:
        if name in ("yaml", "hcl2"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_yaml)
    (tmp_path / "main.tf").write_text(TERRAFORM_HCL)
    _refused(KUBERNETES, r"reading YAML needs PyYAML: pip install 'appmesh-mock\[iac\]'")
    _refused(tmp_path, r"main\.tf: reading Terraform's \.tf files needs python-hcl2: "
                       r"pip install 'appmesh-mock\[iac\]'")


def test_a_parameter_outside_its_allowed_values_is_refused() -> None:
    template = {"Parameters": {"Egress": {"Type": "String", "AllowedValues": ["ALLOW_ALL"]}},
                "Resources": {"Mesh": {**MESH, "Properties": {
                    "MeshName": "m", "Spec": {"EgressFilter": {"Type": {"Ref": "Egress"}}}}}}}
    _refused(template, r"parameter Egress = 'DROP' is not one of its AllowedValues",
             parameters={"Egress": "DROP"})


def test_count_and_for_each_are_refused_by_name() -> None:
    module = 'resource "aws_appmesh_mesh" "m" {\n  for_each = toset(["a", "b"])\n' \
             '  name = each.key\n}\n'
    _refused(module, r"aws_appmesh_mesh\.m: count and for_each are not read", format="terraform")


def test_a_folder_reports_the_files_that_are_no_configuration(tmp_path: Path) -> None:
    (tmp_path / "mesh.json").write_text(json.dumps(CLOUDFORMATION_JSON))
    (tmp_path / "parameters.json").write_text(json.dumps(
        [{"ParameterKey": "ProjectName", "ParameterValue": "shop"}]))
    with mock_appmesh() as m:
        report = m.load(tmp_path)
        assert report == len(CALLS)
        assert "parameters.json: not a CloudFormation, Terraform or Kubernetes document " \
               "(it reads as state)" in report.not_loaded


def test_a_mesh_another_account_owns_is_not_created_but_used() -> None:
    manifests = """
apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata: {name: shared}
spec:
  meshOwner: "111122223333"
  namespaceSelector: {}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: web, namespace: apps}
spec:
  awsName: web
"""
    with mock_appmesh(account_id="444455556666") as m:
        with mock_appmesh(account_id="111122223333"):  # the owner makes and shares it
            boto3.client("appmesh", region_name="us-east-1").create_mesh(meshName="shared")
        m.share_mesh("shared", owner_account_id="111122223333",
                     consumer_account_id="444455556666")
        report = m.load(manifests)
        assert report == 1
        assert any("owned by account 111122223333: not created" in n for n in report.not_loaded)
        node = boto3.client("appmesh", region_name="us-east-1").describe_virtual_node(
            meshName="shared", meshOwner="111122223333", virtualNodeName="web")["virtualNode"]
        assert node["metadata"]["resourceOwner"] == "444455556666"


def test_a_gateway_route_goes_to_the_gateway_whose_selectors_match() -> None:
    gateway = """---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualGateway
metadata: {{name: {name}, namespace: edge}}
spec:
  namespaceSelector: {{matchLabels: {{gateway: shared}}}}
  gatewayRouteSelector: {{matchLabels: {{via: {name}}}}}
  listeners: [{{portMapping: {{port: 8080, protocol: http}}}}]
"""
    manifests = """apiVersion: v1
kind: Namespace
metadata: {name: edge, labels: {mesh: m, gateway: shared}}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: Mesh
metadata: {name: m}
spec: {namespaceSelector: {matchLabels: {mesh: m}}}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: web, namespace: edge}
spec: {}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualService
metadata: {name: web, namespace: edge}
spec: {provider: {virtualNode: {virtualNodeRef: {name: web}}}}
---
apiVersion: appmesh.k8s.aws/v1beta2
kind: GatewayRoute
metadata: {name: to-web, namespace: edge, labels: {via: public}}
spec:
  httpRoute:
    match: {prefix: /}
    action: {target: {virtualService: {virtualServiceRef: {name: web}}}}
""" + gateway.format(name="public") + gateway.format(name="private")
    with mock_appmesh() as m:
        m.load(manifests)
        client = boto3.client("appmesh", region_name="us-east-1")
        routes = {g: client.list_gateway_routes(meshName="m", virtualGatewayName=f"{g}_edge")
                  ["gatewayRoutes"] for g in ("public", "private")}
        assert [r["gatewayRouteName"] for r in routes["public"]] == ["to-web_edge"]
        assert routes["private"] == []
