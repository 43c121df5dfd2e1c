"""`m.load(source, format=..., parameters=...)` with the files that describe a mesh
(issue 23): one mesh written as boto3 calls and in every format loads to the same state; each
source form (path, folder, cdk.out, string, parsed document) and the format's own rules
(intrinsics, variables, references, default names); bad input is one error naming where, and
leaves the state as it was."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from iac_shop import (
    CALLS,
    CLOUDFORMATION_JSON,
    CLOUDFORMATION_YAML,
    KUBERNETES,
    TERRAFORM_HCL,
    TERRAFORM_STATE,
    terraform_plan,
)

from appmesh_mock import mock_appmesh

SHOP = {"MeshName": "shop", "DOMAIN": "shop.local", "canary_weight": 10}


def comparable(document: dict[str, Any]) -> list[Any]:
    """The exported state apart from uids and times, in ARN order."""
    found = []
    for item in copy.deepcopy(document["resources"]):
        (kind,) = [key for key in item if key != "tags"]
        metadata = item[kind]["metadata"]
        for volatile in ("uid", "createdAt", "lastUpdatedAt"):
            metadata.pop(volatile)
        found.append(item)
    return sorted(found, key=lambda i: json.dumps(i, sort_keys=True))


@pytest.fixture(scope="module")
def called() -> list[Any]:
    with mock_appmesh() as m:
        client = boto3.client("appmesh", region_name="us-east-1")
        for operation, params in CALLS:
            getattr(client, operation)(**params)
        return comparable(m.export())


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _cdk_out(folder: Path) -> Path:
    out = folder / "cdk.out"
    _write(out, "ShopStack.template.json", json.dumps(CLOUDFORMATION_JSON, indent=1))
    _write(out, "ShopStack.assets.json", json.dumps({"version": "36.0.0", "files": {}}))
    _write(out, "tree.json", json.dumps({"version": "tree-0.1", "tree": {"id": "App"}}))
    _write(out, "manifest.json", json.dumps({"version": "36.0.0", "artifacts": {
        "ShopStack.assets": {"type": "cdk:asset-manifest",
                             "properties": {"file": "ShopStack.assets.json"}},
        "ShopStack": {"type": "aws:cloudformation:stack", "environment": "aws://unknown/unknown",
                      "properties": {"templateFile": "ShopStack.template.json"}},
        "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}))
    return out


def _sources(tmp_path: Path) -> dict[str, tuple[Any, str | None]]:
    return {
        "cloudformation yaml file": (_write(tmp_path, "shop.yaml", CLOUDFORMATION_YAML), None),
        "cloudformation yaml string": (CLOUDFORMATION_YAML, "cloudformation"),
        "cloudformation json document": (copy.deepcopy(CLOUDFORMATION_JSON), None),
        "cdk.out folder": (_cdk_out(tmp_path), None),
        "terraform .tf folder": (_write(tmp_path, "tf/main.tf", TERRAFORM_HCL).parent, None),
        "terraform .tf string": (TERRAFORM_HCL, "terraform"),
        "terraform state": (_write(tmp_path, "state.json", json.dumps(TERRAFORM_STATE)), None),
        "terraform plan": (terraform_plan(), "terraform"),
        "kubernetes manifests": (_write(tmp_path, "k8s/shop.yaml", KUBERNETES), None),
    }


FORMS = ["cloudformation yaml file", "cloudformation yaml string", "cloudformation json document",
         "cdk.out folder", "terraform .tf folder", "terraform .tf string", "terraform state",
         "terraform plan", "kubernetes manifests"]


@pytest.mark.parametrize("form", FORMS)
def test_one_mesh_in_every_format_loads_to_the_state_its_calls_make(
    form: str, called: list[Any], tmp_path: Path
) -> None:
    source, format = _sources(tmp_path)[form]
    with mock_appmesh() as m:
        report = m.load(source, format=format, parameters=SHOP)
        assert report == len(CALLS)
        assert comparable(m.export()) == called
        # what the files held besides App Mesh is named, not dropped silently
        if form.startswith(("cloudformation", "cdk")):
            assert any("AWS::" in line and "not App Mesh" in line for line in report.not_loaded)
        if form.startswith("kubernetes"):
            assert any("podSelector" in line for line in report.not_loaded)
            assert any("Deployment" in line for line in report.not_loaded)
        # and boto3 sees ordinary resources: the route routes as the calls' route does
        resolved = m.resolve("shop", gateway="ingress", path="/orders/1",
                             headers={"x-canary": "1"})
        assert sorted(t.virtual_node for t in resolved.targets) == ["orders-v1", "orders-v2"]


def test_the_state_option_and_the_marker_take_a_template(tmp_path: Path) -> None:
    path = _write(tmp_path, "cdk.template.json", json.dumps(CLOUDFORMATION_JSON))
    with mock_appmesh(state=str(path)):
        client = boto3.client("appmesh", region_name="us-east-1")
        names = client.list_virtual_nodes(meshName="shop")["virtualNodes"]
        assert sorted(n["virtualNodeName"] for n in names) == ["orders-v1", "orders-v2",
                                                              "payments"]


def test_the_format_named_must_be_the_files_format() -> None:
    with mock_appmesh() as m, pytest.raises(ValueError, match="not a kubernetes document"):
        m.load(copy.deepcopy(CLOUDFORMATION_JSON), format="kubernetes")
    with mock_appmesh() as m, pytest.raises(ValueError, match="format must be one of"):
        m.load(copy.deepcopy(CLOUDFORMATION_JSON), format="cdk")


def test_the_load_region_and_account_are_the_mocks(tmp_path: Path) -> None:
    with mock_appmesh(account_id="210987654321") as m:
        m.load(copy.deepcopy(CLOUDFORMATION_JSON), parameters={"AWS::Region": "eu-west-1"})
        client = boto3.client("appmesh", region_name="eu-west-1")
        mesh = client.describe_mesh(meshName="shop")["mesh"]
        assert mesh["metadata"]["arn"] == "arn:aws:appmesh:eu-west-1:210987654321:mesh/shop"


def test_the_examples_of_docs_state_md_run() -> None:
    """Each Python block of docs/state.md's section on configuration files, as written."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "state.md").read_text("utf-8")
    section = page.split("## Loading the files that describe a mesh", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = re.findall(r"^```python\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 3
    for block in blocks:
        exec(compile(block, "docs/state.md", "exec"), {})
