"""VPC Lattice: the calls `migrate` writes are valid for botocore's `vpc-lattice` model and
accepted by moto's vpc-lattice mock, and naive hand-written calls are caught with their cause
(priorities, the rules-per-listener quota, a matcher Lattice lacks) while the correct ones are
equivalent."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator
from mesh_builder import MeshBuilder
from moto import mock_aws
from test_migration_realworld import EXAMPLES, FILES, _document, _meshes

from appmesh_mock import MockAppMesh, migrate

PLACEHOLDER = re.compile(r"\$\{(\w+)\.([^}]*)\}")


def _replay(calls: list[dict[str, Any]]) -> int:
    """The calls against moto's vpc-lattice, each reference replaced by the id an earlier
    call returned (and `${vpc}` by a VPC made for it)."""
    client = boto3.client("vpc-lattice", region_name="us-east-1")
    vpc = boto3.client("ec2", region_name="us-east-1").create_vpc(CidrBlock="10.0.0.0/16")
    made: dict[str, str] = {"vpc": vpc["Vpc"]["VpcId"]}

    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        if value == "${vpc}":
            return made["vpc"]
        if isinstance(value, str):
            return PLACEHOLDER.sub(lambda m: made[f"{m.group(1)}.{m.group(2)}"], value)
        return value

    for call in calls:
        params = fill(call["params"])
        answer = getattr(client, re.sub(r"(?<!^)(?=[A-Z])", "_", call["operation"]).lower())(
            **params)
        kind = call["operation"]
        if kind == "CreateListener":
            service = call["params"]["serviceIdentifier"][len("${CreateService."):-1]
            made[f"CreateListener.{service}.{params['name']}"] = answer["id"]
        elif kind in ("CreateService", "CreateTargetGroup"):
            made[f"{kind}.{params['name']}"] = answer["id"]
    return len(calls)


def _valid(calls: list[dict[str, Any]]) -> list[str]:
    model = get_session().get_service_model("vpc-lattice")
    problems = []
    for call in calls:
        shape = model.operation_model(call["operation"]).input_shape
        report = ParamValidator().validate(call["params"], shape)
        if report.has_errors():
            problems.append(f"{call['operation']}: {report.generate_report()}")
    return problems


def _documents() -> list[tuple[str, dict[str, Any]]]:
    found = [(name, build()) for name, build in sorted(EXAMPLES.items())]
    return found + [(f.name, _document(f)) for f in FILES[:12]]


@pytest.mark.parametrize(("name", "document"), _documents(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_the_calls_are_valid_and_moto_takes_them(name: str, document: dict[str, Any]) -> None:
    for mesh in _meshes(document):
        calls = migrate(document, mesh, to="vpc-lattice").documents
        assert _valid(calls) == [], (name, mesh)
        with mock_aws():
            assert _replay(calls) == len(calls)


def _split_mesh(mesh: MeshBuilder, routes: int) -> None:
    mesh.node("catalog-v1")
    mesh.node("catalog-v2")
    mesh.router("catalog")
    for index in range(routes):
        mesh.route("catalog", f"r{index}", "catalog-v2", {"prefix": f"/p{index}/"},
                   priority=index)
    mesh.route("catalog", "rest", "catalog-v1", {"prefix": "/"}, priority=99)
    mesh.service("catalog.shop.local", router="catalog")


BACKENDS = {"catalog.shop.local": "catalog", "catalog-v1": "catalog-v1:8080",
            "catalog-v2": "catalog-v2:8080"}


def _calls(rules: list[tuple[int, dict[str, Any], str]],
           default: str | None = "catalog-v1") -> list[dict[str, Any]]:
    groups = [{"operation": "CreateTargetGroup", "params": {
        "name": name, "type": "IP",
        "config": {"port": 8080, "protocol": "HTTP", "vpcIdentifier": "${vpc}"}}}
        for name in ("catalog-v1", "catalog-v2")]
    listener = {"operation": "CreateListener", "params": {
        "serviceIdentifier": "${CreateService.catalog}", "name": "http-8080",
        "protocol": "HTTP", "port": 8080, "defaultAction": {"forward": {"targetGroups": [
            {"targetGroupIdentifier": f"${{CreateTargetGroup.{default}}}", "weight": 1}]}}
        if default else {"fixedResponse": {"statusCode": 404}}}}
    made = [{"operation": "CreateRule", "params": {
        "serviceIdentifier": "${CreateService.catalog}",
        "listenerIdentifier": "${CreateListener.catalog.http-8080}",
        "name": f"r{priority}", "priority": priority, "match": {"httpMatch": match},
        "action": {"forward": {"targetGroups": [
            {"targetGroupIdentifier": f"${{CreateTargetGroup.{group}}}", "weight": 1}]}}}}
        for priority, match, group in rules]
    return [*groups, {"operation": "CreateService", "params": {"name": "catalog"}}, listener,
            *made]


def _prefix(path: str) -> dict[str, Any]:
    return {"pathMatch": {"match": {"prefix": path}}}


def test_rules_past_the_listener_quota_are_refused(mock: MockAppMesh, mesh: MeshBuilder) -> None:
    _split_mesh(mesh, 6)
    naive = _calls([(i + 1, _prefix(f"/p{i}/"), "catalog-v2") for i in range(6)])
    report = mock.check_equivalence("shop", naive, to="vpc-lattice", backends=BACKENDS)
    assert {d.cause for d in report.differences} == {"QUOTA"}
    assert {d.request.path for d in report.differences} >= {"/p5/", "/p5/x"}
    fits = _calls([(1, {"pathMatch": {"match": {"prefix": "/p"}}}, "catalog-v2")])
    within = mock.check_equivalence("shop", fits, to="vpc-lattice", backends=BACKENDS)
    assert "QUOTA" not in {d.cause for d in within.differences}


def test_lattice_takes_the_lowest_priority_number(mock: MockAppMesh, mesh: MeshBuilder) -> None:
    mesh.node("catalog-v1")
    mesh.node("catalog-v2")
    mesh.router("catalog")
    beta = {"prefix": "/", "headers": [{"name": "x-beta", "match": {"exact": "1"}}]}
    mesh.route("catalog", "beta", "catalog-v2", beta, priority=0)
    mesh.route("catalog", "api", "catalog-v1", {"path": {"exact": "/api"}}, priority=1)
    mesh.service("catalog.shop.local", router="catalog")
    header = {"headerMatches": [{"name": "x-beta", "match": {"exact": "1"},
                                 "caseSensitive": True}]}
    exact = {"pathMatch": {"match": {"exact": "/api"}}}
    naive = _calls([(1, exact, "catalog-v1"), (2, header, "catalog-v2")], default=None)
    report = mock.check_equivalence("shop", naive, to="vpc-lattice", backends=BACKENDS)
    assert {d.cause for d in report.differences} == {"PRECEDENCE"}
    kept = _calls([(1, header, "catalog-v2"), (2, exact, "catalog-v1")], default=None)
    assert mock.check_equivalence("shop", kept, to="vpc-lattice", backends=BACKENDS)


def test_query_matching_has_no_counterpart(mock: MockAppMesh, mesh: MeshBuilder) -> None:
    mesh.node("catalog-v1")
    mesh.node("catalog-v2")
    mesh.router("catalog")
    query = {"prefix": "/", "queryParameters": [{"name": "beta", "match": {"exact": "1"}}]}
    mesh.route("catalog", "beta", "catalog-v2", query, priority=0)
    mesh.route("catalog", "rest", "catalog-v1", {"prefix": "/"}, priority=1)
    mesh.service("catalog.shop.local", router="catalog")
    naive = _calls([(1, _prefix("/"), "catalog-v2")])
    report = mock.check_equivalence("shop", naive, to="vpc-lattice", backends=BACKENDS)
    assert {d.cause for d in report.differences} == {"MATCHER_UNSUPPORTED"}
    migration = mock.migrate("shop", to="vpc-lattice")
    assert any(e.field == "match.queryParameters" and e.cause == "MATCHER_UNSUPPORTED"
               for e in migration.ledger)
    assert all(d.declared for d in migration.differences.differences)


# ECS Service Connect -----------------------------------------------------------------------


def _ecs_valid(documents: list[dict[str, Any]]) -> list[str]:
    model = get_session().get_service_model("ecs")
    shape = model.shape_for("ServiceConnectConfiguration")
    problems = []
    for document in documents:
        report = ParamValidator().validate(document["serviceConnectConfiguration"], shape)
        if report.has_errors():
            problems.append(f"{document['service']}: {report.generate_report()}")
    return problems


@pytest.mark.parametrize(("name", "document"), _documents(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_service_connect_configuration_is_valid_for_ecs(name: str,
                                                        document: dict[str, Any]) -> None:
    for mesh in _meshes(document):
        assert _ecs_valid(migrate(document, mesh, to="service-connect").documents) == []


def test_service_connect_sends_an_alias_to_one_service(mock: MockAppMesh,
                                                       mesh: MeshBuilder) -> None:
    mesh.node("catalog-v1")
    mesh.node("catalog-v2")
    mesh.router("catalog")
    mesh.route("catalog", "split", [("catalog-v1", 90), ("catalog-v2", 10)])
    mesh.service("catalog.shop.local", router="catalog")
    mesh.service("cart.shop.local", node="catalog-v2")
    migration = mock.migrate("shop", to="service-connect")
    by_service = {d["service"]: d["serviceConnectConfiguration"] for d in migration.documents}
    aliases = {s["clientAliases"][0]["dnsName"]: name for name, config in by_service.items()
               for s in config["services"]}
    assert aliases == {"catalog.shop.local": "catalog-v1", "cart.shop.local": "catalog-v2"}
    # The split cannot be kept: every request to the catalog differs, as the ledger says.
    causes = {d.cause for d in migration.differences.differences}
    assert causes == {"NOT_REPRESENTABLE"}
    assert all(d.declared and d.entry.name == "catalog.shop.local"
               for d in migration.differences.differences)
