"""Loading a mesh from a CloudFormation template (issue 23) against making the same resources
with boto3: a 1,000-resource template (written as `cdk synth` writes one: generated logical
ids, `Fn::GetAtt` for every name, a few non-App Mesh resources) must load in under 2x the CPU
time of replaying its Create* calls through a boto3 client in the mock. Both sides run in a
fresh, empty mock each round; best of N rounds, the two sides taken in turn.

    .venv/bin/python benchmarks/iac_load.py [--quick] [--yaml]

`--yaml` measures the same template as YAML text with short-form tags instead (PyYAML's parse
included), and `--resources N` another size.
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any

import boto3
from botocore import xform_name
from common import QUOTAS, REGION, machine, table, verdict

from appmesh_mock import mock_appmesh

LIMIT = 2.0
LISTENER = {"PortMapping": {"Port": 8080, "Protocol": "http"}}


def _att(logical: str, name: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical, name]}


def template_and_calls(size: int) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """A template of about `size` App Mesh resources in units of ten (four nodes, a router
    with two routes, a service on a node and one on the router, a gateway route; a gateway
    per ten units), and the Create* calls it makes, in the API's own spelling."""
    resources: dict[str, Any] = {"Mesh": {"Type": "AWS::AppMesh::Mesh",
                                          "Properties": {"MeshName": "bench"}}}
    calls: list[tuple[str, dict[str, Any]]] = [("CreateMesh", {"meshName": "bench"})]
    mesh = _att("Mesh", "MeshName")

    def add(logical: str, kind: str, properties: dict[str, Any], params: dict[str, Any]) -> None:
        resources[logical] = {"Type": f"AWS::AppMesh::{kind}", "Properties": properties}
        calls.append((f"Create{kind}", {"meshName": "bench", **params}))

    for unit in range((size - 1) // 10):
        u = f"U{unit}"
        if unit % 10 == 0:
            gateway = f"Gateway{unit}"
            add(gateway, "VirtualGateway", {"MeshName": mesh, "VirtualGatewayName": gateway,
                                           "Spec": {"Listeners": [LISTENER]}},
                {"virtualGatewayName": gateway, "spec": {"listeners": [
                    {"portMapping": {"port": 8080, "protocol": "http"}}]}})
        for n in range(4):
            name = f"node-{unit}-{n}"
            add(f"{u}Node{n}", "VirtualNode", {
                "MeshName": mesh, "VirtualNodeName": name, "Spec": {
                    "Listeners": [LISTENER],
                    "ServiceDiscovery": {"DNS": {"Hostname": f"{name}.local"}}}},
                {"virtualNodeName": name, "spec": {
                    "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
                    "serviceDiscovery": {"dns": {"hostname": f"{name}.local"}}}})
        router = f"router-{unit}"
        add(f"{u}Router", "VirtualRouter", {"MeshName": mesh, "VirtualRouterName": router,
                                            "Spec": {"Listeners": [LISTENER]}},
            {"virtualRouterName": router, "spec": {"listeners": [
                {"portMapping": {"port": 8080, "protocol": "http"}}]}})
        for r in range(2):
            add(f"{u}Route{r}", "Route", {
                "MeshName": mesh, "VirtualRouterName": _att(f"{u}Router", "VirtualRouterName"),
                "RouteName": f"route-{r}", "Spec": {"HttpRoute": {
                    "Match": {"Prefix": f"/{r}"}, "Action": {"WeightedTargets": [
                        {"VirtualNode": _att(f"{u}Node{r}", "VirtualNodeName"), "Weight": 1}]}}}},
                {"virtualRouterName": router, "routeName": f"route-{r}", "spec": {"httpRoute": {
                    "match": {"prefix": f"/{r}"}, "action": {"weightedTargets": [
                        {"virtualNode": f"node-{unit}-{r}", "weight": 1}]}}}})
        add(f"{u}NodeService", "VirtualService", {
            "MeshName": mesh, "VirtualServiceName": f"n{unit}.local", "Spec": {"Provider": {
                "VirtualNode": {"VirtualNodeName": _att(f"{u}Node2", "VirtualNodeName")}}}},
            {"virtualServiceName": f"n{unit}.local", "spec": {"provider": {
                "virtualNode": {"virtualNodeName": f"node-{unit}-2"}}}})
        add(f"{u}RouterService", "VirtualService", {
            "MeshName": mesh, "VirtualServiceName": f"r{unit}.local", "Spec": {"Provider": {
                "VirtualRouter": {"VirtualRouterName": _att(f"{u}Router", "VirtualRouterName")}}}},
            {"virtualServiceName": f"r{unit}.local", "spec": {"provider": {
                "virtualRouter": {"virtualRouterName": router}}}})
        gateway = f"Gateway{unit - unit % 10}"
        add(f"{u}GatewayRoute", "GatewayRoute", {
            "MeshName": mesh, "VirtualGatewayName": _att(gateway, "VirtualGatewayName"),
            "GatewayRouteName": f"to-{unit}", "Spec": {"HttpRoute": {
                "Match": {"Prefix": f"/u{unit}"}, "Action": {"Target": {"VirtualService": {
                    "VirtualServiceName": _att(f"{u}RouterService", "VirtualServiceName")}}}}}},
            {"virtualGatewayName": gateway, "gatewayRouteName": f"to-{unit}", "spec": {
                "httpRoute": {"match": {"prefix": f"/u{unit}"}, "action": {"target": {
                    "virtualService": {"virtualServiceName": f"r{unit}.local"}}}}}})
        logs = {"LogGroupName": {"Fn::Sub": f"{u}-${{AWS::Region}}"}}
        resources[f"{u}Logs"] = {"Type": "AWS::Logs::LogGroup", "Properties": logs}
    return {"Resources": resources}, calls


def _yaml(template: dict[str, Any]) -> str:
    """The template as YAML with short-form tags, as a hand-written template would be."""
    import json

    import yaml

    text = yaml.safe_dump(json.loads(json.dumps(template)), sort_keys=False)
    return text.replace("Fn::GetAtt:\n", "!GetAtt\n")


def _cpu(fn: Any) -> float:
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 7")
    parser.add_argument("--yaml", action="store_true", help="load YAML text instead")
    parser.add_argument("--resources", type=int, default=1_000)
    args = parser.parse_args()
    template, calls = template_and_calls(args.resources)
    source: Any = _yaml(template) if args.yaml else template
    rounds = 3 if args.quick else 7

    def load() -> None:
        with mock_appmesh(quotas=QUOTAS) as m:
            client = boto3.client("appmesh", region_name=REGION)  # as the replay does
            spent = _cpu(lambda: m.load(source))
            assert client.list_meshes()["meshes"], "nothing loaded"
            times["load"] = min(times["load"], spent)

    def replay() -> None:
        with mock_appmesh(quotas=QUOTAS):
            client = boto3.client("appmesh", region_name=REGION)
            methods = [(getattr(client, xform_name(op)), params) for op, params in calls]
            spent = _cpu(lambda: [method(**params) for method, params in methods])
            times["replay"] = min(times["replay"], spent)

    times = {"load": float("inf"), "replay": float("inf")}
    for _ in range(rounds):
        load()
        replay()
    ratio = times["load"] / times["replay"]
    print(machine())
    table(f"Loading a {len(calls):,}-resource CloudFormation template "
          f"({'YAML text' if args.yaml else 'parsed JSON'}), best of {rounds}",
          ["", "CPU time", "ratio", f"target < {LIMIT}x"],
          [["boto3 replay of its Create* calls", f"{times['replay'] * 1e3:,.1f} ms", "1.00", ""],
           ["m.load(template)", f"{times['load'] * 1e3:,.1f} ms", f"{ratio:.2f}",
            verdict(ratio < LIMIT)]])


if __name__ == "__main__":
    main()
