"""`appmesh_mock.migrate` / `m.migrate` and `check_equivalence`: the target configuration in
every form a team holds it, the ledger, YAML output, and clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from mesh_builder import MeshBuilder
from state_document import state_document

import appmesh_mock
from appmesh_mock import MockAppMesh


@pytest.fixture
def shop(mesh: MeshBuilder) -> MeshBuilder:
    mesh.node("v1")
    mesh.node("v2")
    mesh.router("cart")
    mesh.route("cart", "split", [("v1", 3), ("v2", 1)])
    mesh.service("cart.shop.local", router="cart")
    mesh.gateway("edge")
    mesh.gateway_route("edge", "cart", "cart.shop.local", {"prefix": "/cart/"})
    return mesh


def test_each_form_of_a_configuration_checks_the_same(
    mock: MockAppMesh, shop: MeshBuilder, tmp_path: Path
) -> None:
    migration = mock.migrate("shop", to="istio")
    assert migration.differences and migration.differences.requests > 0
    text = migration.to_yaml()
    assert [d["kind"] for d in yaml.safe_load_all(text)] == [
        "VirtualService", "Gateway", "VirtualService"]
    (tmp_path / "one.yaml").write_text(text, encoding="utf-8")
    folder = tmp_path / "many"
    folder.mkdir()
    migration.to_yaml(folder)
    assert len(list(folder.iterdir())) == 3
    forms: list[Any] = [migration.documents, text, tmp_path / "one.yaml", str(folder)]
    for form in forms:
        report = mock.check_equivalence("shop", form, to="istio")
        assert report, form
        assert report.requests == migration.differences.requests


def test_a_saved_document_migrates_as_the_live_mock(mock: MockAppMesh, shop: MeshBuilder,
                                                   tmp_path: Path) -> None:
    saved = tmp_path / "state.json"
    saved.write_text(json.dumps(state_document(shop.client), default=str), encoding="utf-8")
    offline = appmesh_mock.migrate(str(saved), "shop", to="gateway-api")
    live = mock.migrate("shop", to="gateway-api")
    assert offline.documents == live.documents
    report = appmesh_mock.check_equivalence(str(saved), "shop", live.documents, to="gateway-api")
    # The same differences; only a migration knows which its ledger declared.
    assert [d.to_dict() | {"declared": None} for d in report.differences] == [
        d.to_dict() | {"declared": None} for d in live.differences.differences]


def test_the_report_is_of_what_was_generated_whatever_changes_after(
        mock: MockAppMesh, shop: MeshBuilder) -> None:
    """`differences` is checked when first read (it costs seconds on a large mesh), yet it is
    the report of the documents and the mesh as they were when `migrate` returned."""
    expected = mock.migrate("shop", to="gateway-api").differences.to_dict()
    document = state_document(shop.client)
    migration = appmesh_mock.migrate(document, "shop", to="gateway-api")
    migration.documents.clear()  # the caller's own list, edited
    for item in document["resources"]:  # the caller's document, edited in place
        if "gatewayRoute" in item:
            item["gatewayRoute"]["spec"]["httpRoute"]["match"]["prefix"] = "/elsewhere/"
    shop.client.delete_gateway_route(meshName="shop", virtualGatewayName="edge",
                                     gatewayRouteName="cart")
    assert migration.differences.to_dict() == expected
    assert migration.differences.requests > 0


def test_the_ledger_accounts_for_every_field(mock: MockAppMesh, shop: MeshBuilder) -> None:
    migration = mock.migrate("shop", to="gateway-api")
    fields = {(e.resource, e.field): e for e in migration.ledger}
    assert fields[("route cart/split", "action.weightedTargets[].weight")].status == "mapped"
    prefix = fields[("gatewayRoute edge/cart", "match.prefix")]
    assert (prefix.status, prefix.cause) == ("approximated", "PREFIX_SEMANTICS")
    assert {e.status for e in migration.ledger} <= {"mapped", "approximated", "dropped"}
    # Every difference the generated configuration shows, the ledger announced.
    assert migration.differences.differences
    assert all(d.declared for d in migration.differences.differences)


def test_the_weights_carry_over(mock: MockAppMesh, shop: MeshBuilder) -> None:
    (route, *_) = mock.migrate("shop", to="gateway-api").documents
    assert [(r["name"], r["weight"]) for r in route["spec"]["rules"][0]["backendRefs"]] == [
        ("v1", 3), ("v2", 1)]


def test_hypothesis_adds_requests(mock: MockAppMesh, shop: MeshBuilder) -> None:
    report = mock.migrate("shop", to="istio").differences
    assert report.generated > 0
    assert not any("Hypothesis is not installed" in note for note in report.notes)


@pytest.mark.parametrize(
    ("target", "to", "message"),
    [
        ("kind: [unclosed", "istio", "not valid YAML"),
        ("- 1\n- 2\n", "istio", "a target document is a mapping"),
        ([{"kind": "HTTPRoute"}, 3], "gateway-api", "holds dicts"),
        ([], "linkerd", "to must be one of"),
        ({"kind": "HTTPRoute", "spec": {"parentRefs": [
            {"kind": "Service", "name": "cart-shop-local"}], "rules": 5}},
         "gateway-api", "configuration is malformed"),
        ({"kind": "VirtualService", "spec": {"hosts": ["cart-shop-local"], "http": [
            {"match": "everything"}]}}, "istio", "configuration is malformed"),
    ],
)
def test_bad_input_is_a_clear_error(mock: MockAppMesh, shop: MeshBuilder, target: Any,
                                    to: str, message: str) -> None:
    before = mock.export()
    with pytest.raises(ValueError, match=message):
        mock.check_equivalence("shop", target, to=to)
    assert mock.export() == before


def test_an_unknown_mesh_is_a_clear_error(mock: MockAppMesh, shop: MeshBuilder) -> None:
    with pytest.raises(ValueError, match="there is no mesh 'other'"):
        appmesh_mock.migrate(state_document(boto3.client("appmesh", region_name="us-east-1")),
                             "other", to="istio")
