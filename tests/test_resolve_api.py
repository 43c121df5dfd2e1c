"""`appmesh_mock.resolve` as a library call: the document or a path to it, providers, the
calling node's backends, choosing the mesh, bad input, and the explanation."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from mesh_builder import MeshBuilder
from state_document import state_document

import appmesh_mock
from appmesh_mock import mock_appmesh

SVC = "cart.shop.local"


def test_service_provided_directly_by_a_node(mesh: MeshBuilder) -> None:
    # [M CreateVirtualService] requests "are routed to the virtual node or virtual router that
    # is specified as the provider": a node provider takes all of the traffic.
    mesh.node("cart")
    mesh.service(SVC, node="cart")
    result = mesh.resolve(service=SVC)
    assert result.matched and result.virtual_router is None and result.route is None
    assert result.targets == [("cart", 100, 1.0, 8080)]
    assert result.host == SVC and result.path == "/"


def test_service_without_provider(mesh: MeshBuilder) -> None:
    # [UG virtual_services.md] a virtual service may have provider None (created before its
    # nodes or router); [M VirtualServiceProvider] then nothing serves it.
    mesh.service(SVC)
    result = mesh.resolve(service=SVC)
    assert not result.matched and "has no provider" in str(result.reason)
    assert result.steps == [("virtualService", SVC, "has no provider")]


def test_source_reaches_only_its_backends(mesh: MeshBuilder) -> None:
    # [M VirtualNodeSpec.backends] "The backends that the virtual node is expected to send
    # outbound traffic to": a node may call only the virtual services it lists.
    mesh.node("cart")
    mesh.service(SVC, node="cart")
    mesh.service("ledger.shop.local", node="cart")
    mesh.node("front", backends=[SVC])
    allowed = mesh.resolve(service=SVC, source="front")
    assert allowed.matched and allowed.host == SVC  # called by the service's name
    assert allowed.steps[0] == (
        "virtualNode",
        "front",
        f"calls {SVC}, one of its backends",
    )
    refused = mesh.resolve(service="ledger.shop.local", source="front")
    assert not refused.matched and refused.targets == []
    assert "may call only its backends (cart.shop.local)" in str(refused.reason)
    unknown = mesh.resolve(service=SVC, source="nobody")
    assert not unknown.matched and "no virtual node 'nobody'" in str(unknown.reason)


def test_missing_resources_say_so(mesh: MeshBuilder) -> None:
    assert "no virtual service 'nope'" in str(mesh.resolve(service="nope").reason)
    assert "no virtual gateway 'gw'" in str(mesh.resolve(gateway="gw").reason)
    document = state_document(mesh.client)
    assert "no mesh 'other'" in str(appmesh_mock.resolve(document, "other", service=SVC).reason)


def test_resolve_reads_a_document_file(mesh: MeshBuilder, tmp_path: Path) -> None:
    mesh.node("cart")
    mesh.service(SVC, node="cart")
    state = tmp_path / "state.json"
    state.write_text(json.dumps(state_document(mesh.client)))
    for source in (state, str(state)):
        assert appmesh_mock.resolve(source, "shop", service=SVC).targets[0].virtual_node == "cart"


def test_bad_arguments_raise_value_error(mesh: MeshBuilder) -> None:
    document = state_document(mesh.client)
    with pytest.raises(ValueError, match="exactly one of service"):
        appmesh_mock.resolve(document, "shop")
    with pytest.raises(ValueError, match="exactly one of service"):
        appmesh_mock.resolve(document, "shop", service=SVC, gateway="gw")
    with pytest.raises(ValueError, match="gateway request has none"):
        appmesh_mock.resolve(document, "shop", gateway="gw", source="front")
    with pytest.raises(ValueError, match="must start with '/'"):
        appmesh_mock.resolve(document, "shop", service=SVC, path="cart")
    with pytest.raises(ValueError, match="state document"):
        appmesh_mock.resolve({"meshes": []}, "shop", service=SVC)
    with pytest.raises(ValueError, match=r"resources\[0\] must hold exactly one"):
        appmesh_mock.resolve({"resources": [{"mesh": {}, "route": {}}]}, "shop", service=SVC)


def test_mesh_chosen_by_account_region_and_owner() -> None:
    # The document holds every account and region; account and region come from each ARN
    # (the shared format in docs/routing.md). The same mesh name in two places is ambiguous.
    with mock_appmesh():
        documents = []
        for account, region, node in (
            ("111111111111", "us-east-1", "east"),
            ("222222222222", "eu-west-1", "west"),
        ):
            with mock_appmesh(account_id=account):
                builder = MeshBuilder(boto3.client("appmesh", region_name=region))
                builder.node(node)
                builder.service(SVC, node=node)
                documents.append(state_document(builder.client))
        document = {"resources": [item for d in documents for item in d["resources"]]}
        ambiguous = appmesh_mock.resolve(document, "shop", service=SVC)
        assert not ambiguous.matched and "several accounts or regions" in str(ambiguous.reason)
        for kwargs, node in (
            ({"account_id": "111111111111"}, "east"),
            ({"region": "eu-west-1"}, "west"),
            ({"mesh_owner": "222222222222"}, "west"),
        ):
            result = appmesh_mock.resolve(document, "shop", service=SVC, **kwargs)
            assert result.targets[0].virtual_node == node, kwargs
        assert "no mesh 'shop' for account 333333333333" in str(
            appmesh_mock.resolve(document, "shop", service=SVC, account_id="333333333333").reason
        )


def test_explanation_and_json_form(mesh: MeshBuilder) -> None:
    mesh.node("v1")
    mesh.node("v2")
    mesh.router("cart")
    mesh.route("cart", "canary", [("v1", 90), ("v2", 10)])
    mesh.service(SVC, router="cart")
    result = mesh.resolve(service=SVC, path="/items")
    text = str(result)
    assert "Virtual service cart.shop.local: provided by virtual router cart." in text
    assert "Route canary: the only route that matches." in text
    assert text.endswith(
        "Traffic for cart.shop.local/items goes to v1:8080 90% (weight 90),"
        " v2:8080 10% (weight 10)."
    )
    as_json = json.loads(json.dumps(result.to_dict()))
    assert as_json["route"] == "canary" and as_json["path"] == "/items"
    assert as_json["targets"][1] == {"virtual_node": "v2", "weight": 10, "share": 0.1, "port": 8080}
    assert as_json["steps"][0] == {
        "kind": "virtualService",
        "name": SVC,
        "rule": "provided by virtual router cart",
    }


def test_mock_resolve_and_topology_read_the_mock_state() -> None:
    # MockAppMesh.resolve / .topology are appmesh_mock.resolve / topology over the mock's own
    # state document: the same answer as over the document read back through boto3.
    with mock_appmesh() as m:
        builder = MeshBuilder(boto3.client("appmesh", region_name="us-east-1"))
        builder.node("cart")
        builder.node("front", backends=[SVC])
        builder.service(SVC, node="cart")
        direct = m.resolve("shop", service=SVC, source="front", path="/a?b=1")
        assert direct == appmesh_mock.resolve(
            state_document(builder.client), "shop", service=SVC, source="front", path="/a?b=1"
        )
        assert direct.matched and direct.targets == [("cart", 100, 1.0, 8080)]
        assert (
            m.topology("shop").splitlines()[-1]
            == "  node front  dns front.shop.local  calls " + SVC
        )
        assert m.topology("shop", "mermaid").startswith("flowchart LR")


def test_a_consumer_account_finds_a_mesh_shared_with_it() -> None:
    # The document's "shares" (export()) say which accounts a mesh is shared with, so the
    # consumer's account_id finds the owner's mesh without naming mesh_owner.
    with mock_appmesh() as m:
        builder = MeshBuilder(boto3.client("appmesh", region_name="us-east-1"))
        builder.node("cart")
        builder.service(SVC, node="cart")
        m.share_mesh("shop", owner_account_id="123456789012", consumer_account_id="210987654321")
        shared = m.resolve("shop", service=SVC, account_id="210987654321")
        assert shared.matched and shared.targets[0].virtual_node == "cart"
        assert not m.resolve("shop", service=SVC, account_id="999999999999").matched
