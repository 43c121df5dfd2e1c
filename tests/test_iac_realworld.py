"""The original files in ../shared/realworld-templates (issue 23): every CloudFormation
template and CDK snapshot a ../shared/realworld-meshes file was converted from loads to the
state that replaying its calls gives (with the parameters its notes name); the App Mesh
controller manifests load with their placeholders filled, the controller's scaffolds are
refused saying why, and the Terraform files load or name what they lack."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from botocore import xform_name
from iac_realworld import CONVERTED, TEMPLATES, Converted
from realworld_meshes import FOLDER, read_files
from test_iac_formats import comparable

from appmesh_mock import mock_appmesh

ACCOUNT = "123456789012"
pytestmark = pytest.mark.skipif(not TEMPLATES.is_dir() or not FOLDER.is_dir(),
                                reason="../shared/realworld-templates is absent")
FILES = {mesh_file.name: mesh_file for mesh_file in read_files()} if FOLDER.is_dir() else {}


def _replayed(calls: list[dict[str, Any]]) -> None:
    client = boto3.client("appmesh", region_name="us-east-1")
    for call in calls:
        getattr(client, xform_name(call["operation"]))(**call["params"])


@pytest.mark.parametrize("converted", CONVERTED, ids=lambda c: c.mesh_file)
def test_a_template_loads_to_the_state_its_converted_calls_give(
    converted: Converted, tmp_path: Path
) -> None:
    calls = FILES[converted.mesh_file].calls
    with mock_appmesh(account_id=ACCOUNT) as m:
        _replayed(calls[: converted.calls])
        expected = comparable(m.export())
    # several templates of one walkthrough (exports and imports between them): one folder
    for index, template in enumerate(converted.templates):
        shutil.copy(TEMPLATES / template, tmp_path / f"{index}-{Path(template).name}")
    source = tmp_path if len(converted.templates) > 1 else TEMPLATES / converted.templates[0]
    with mock_appmesh(account_id=ACCOUNT) as m:
        _replayed(calls[: converted.before])  # made outside the templates
        loaded = m.load(source, parameters=converted.parameters)
        assert loaded == len(calls[: converted.calls]) - converted.before
        assert comparable(m.export()) == expected


K8S = "aws-app-mesh-examples/walkthroughs/"
MANIFESTS = sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.glob(f"{K8S}howto-k8s-*/**/*")
                   if p.is_file() and ".yaml" in p.name) if TEMPLATES.is_dir() else []
PLACEHOLDERS = {
    "APP_NAMESPACE": "howto-k8s", "MESH_NAME": "howto-k8s", "CLOUDMAP_NAMESPACE": "howto.local",
    "AWS_ACCOUNT_ID": ACCOUNT, "AWS_DEFAULT_REGION": "us-east-1",
    "FRONT_APP_CA_CERT": "/certs/ca_cert.pem",
    "CERTIFICATE_ARN": "arn:aws:acm:us-east-1:123456789012:certificate/0d6a4a5b",
    "ROOT_CA_ARN": "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/1a2b3c4d",
}


def _appmesh_objects(path: Path) -> list[dict[str, Any]]:
    text = path.read_text("utf-8")
    for name, value in PLACEHOLDERS.items():
        text = text.replace(f"${{{name}}}", value)
    return [d for d in yaml.safe_load_all(text) if d and str(d.get("apiVersion", ""))
            .startswith("appmesh.k8s.aws/") and d["kind"] != "BackendGroup"]


def _aws_name(obj: dict[str, Any]) -> str:
    spec, metadata = obj.get("spec") or {}, obj["metadata"]
    if spec.get("awsName"):
        return str(spec["awsName"])
    namespace = metadata.get("namespace", "default")
    if obj["kind"] == "Mesh":
        return str(metadata["name"])
    separator = "." if obj["kind"] == "VirtualService" else "_"
    return f"{metadata['name']}{separator}{namespace}"


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_a_controller_manifest_loads_every_object_under_its_aws_name(manifest: str) -> None:
    objects = _appmesh_objects(TEMPLATES / manifest)
    routes = sum(len((o.get("spec") or {}).get("routes") or []) for o in objects)
    with mock_appmesh() as m:
        report = m.load(TEMPLATES / manifest, format="kubernetes", parameters=PLACEHOLDERS)
        assert report == len(objects) + routes
        assert any("Deployment" in line for line in report.not_loaded)
        client = boto3.client("appmesh", region_name="us-east-1")
        (mesh,) = client.list_meshes()["meshes"]
        for obj in objects:
            kind = obj["kind"]
            if kind in ("Mesh", "GatewayRoute"):
                continue
            names = {"meshName": mesh["meshName"], f"{kind[0].lower()}{kind[1:]}Name":
                     _aws_name(obj)}
            assert getattr(client, f"describe_{xform_name(kind)}")(**names)


def test_a_manifest_placeholder_without_a_value_is_named() -> None:
    manifest = TEMPLATES / K8S / "howto-k8s-http2/v1beta2/manifest.yaml.template"
    with mock_appmesh() as m, pytest.raises(ValueError, match=r"\$\{MESH_NAME\}.*parameters"):
        m.load(manifest, parameters={"APP_NAMESPACE": "x"})
    # the images of Deployments are left alone: only App Mesh objects need their values


SCAFFOLDS = TEMPLATES / "aws-app-mesh-controller-for-k8s/config/samples"


@pytest.mark.parametrize("kind", ["mesh", "virtualnode", "virtualservice", "virtualrouter",
                                  "virtualgateway", "gatewayroute"])
def test_a_controller_scaffold_is_refused_saying_why(kind: str) -> None:
    # (a node alone has no Mesh either: the spec is checked first, as it is the reason)
    with mock_appmesh() as m, pytest.raises(ValueError, match=r"spec\.foo: not a field of"):
        m.load(SCAFFOLDS / f"appmesh_v1beta2_{kind}.yaml")


def test_a_backend_group_is_reported_not_loaded() -> None:
    with mock_appmesh() as m:
        report = m.load(SCAFFOLDS / "appmesh_v1beta2_backendgroup.yaml")
        assert report == 0
        assert "BackendGroup" in report.not_loaded[0]


HELLO = TEMPLATES / "hello-ecs-app-mesh"
# What the kept files refer to but do not hold (the repository's other files were not kept):
# the default-tags data source and the redis virtual service, given through parameters.
HELLO_MISSING = {"data.aws_default_tags.default.tags[\"Name\"]": "hello",
                 "aws_appmesh_virtual_service.redis_blue.name": "redis.apps"}


def test_a_terraform_module_names_what_it_lacks(tmp_path: Path) -> None:
    with mock_appmesh() as m:
        with pytest.raises(ValueError, match=r"counter_blue\.tf: aws_appmesh_virtual_node\."
                                             r"counter_blue\..*redis_blue\.name is not in"):
            m.load(HELLO)
        # its routes send traffic to counter_green, whose file was not kept
        with pytest.raises(ValueError, match=r"router_counter\.tf: aws_appmesh_route\."
                                             r"counter_header_green\..*counter_green\.name"):
            m.load(HELLO, parameters=HELLO_MISSING)
        assert m.export()["resources"] == []
        # with a counter_green node beside them (the blue one's twin), the module loads
        module = tmp_path / "hello"
        shutil.copytree(HELLO, module)
        blue = (HELLO / "appmesh_node_counter_blue.tf").read_text("utf-8")
        (module / "appmesh_node_counter_green.tf").write_text(blue.replace("blue\"", "green\""))
        report = m.load(module, parameters=HELLO_MISSING)
        declared = sum(f.read_text("utf-8").count('resource "aws_appmesh_')
                       for f in module.glob("*.tf"))
        assert report == declared
        assert any("aws_service_discovery_private_dns_namespace" in n for n in report.not_loaded)
        client = boto3.client("appmesh", region_name="us-east-1")
        route = client.describe_route(meshName="apps", virtualRouterName="counter-router",
                                      routeName="counter")["route"]
        targets = route["spec"]["httpRoute"]["action"]["weightedTargets"]
        assert [(t["virtualNode"], t["weight"]) for t in targets] == [
            ("counter_blue", 5), ("counter_green", 95)]
        green = m.resolve("apps", service="counter", headers={"color": "green"})
        assert [t.virtual_node for t in green.targets] == ["counter_green"]


def test_a_terraform_file_with_a_service_discovery_namespace_takes_its_name() -> None:
    canary = TEMPLATES / "tf-appmesh-ecs-canary-release/appmesh.tf"
    name = "aws_service_discovery_private_dns_namespace.example.name"
    with mock_appmesh() as m:
        with pytest.raises(ValueError, match=name.replace(".", r"\.")):
            m.load(canary)
        m.load(canary, parameters={name: "example.local"})
        client = boto3.client("appmesh", region_name="us-east-1")
        node = client.describe_virtual_node(meshName="example", virtualNodeName="example1")
        cloud_map = node["virtualNode"]["spec"]["serviceDiscovery"]["awsCloudMap"]
        assert cloud_map["namespaceName"] == "example.local"
