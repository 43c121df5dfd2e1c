"""`m.load(...)`, `m.reset()`, `mock_appmesh(state=...)`: seeding the mock from an exported
document, Describe* outputs or a folder of captured AWS CLI output, all or nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from full_world import ACCOUNT_A, ACCOUNT_B, build_world, client

from appmesh_mock import mock_appmesh

CAPTURED = Path(__file__).resolve().parent.parent / "examples" / "captured"


def _world() -> dict[str, Any]:
    with mock_appmesh() as m:
        build_world()
        client(ACCOUNT_A).create_mesh(meshName="shared")
        m.share_mesh("shared", owner_account_id=ACCOUNT_A, consumer_account_id=ACCOUNT_B)
        client(ACCOUNT_B).create_virtual_node(
            meshName="shared", meshOwner=ACCOUNT_A, virtualNodeName="guest", spec={},
            tags=[{"key": "by", "value": "consumer"}],
        )  # fmt: skip
        return m.export()


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    return _world()


def test_export_load_export_is_identical(world: dict[str, Any]) -> None:
    with mock_appmesh() as m:
        assert m.load(copy.deepcopy(world)) == len(world["resources"])
        assert m.export() == world
        # and boto3 sees the loaded resources as created: tags, consumer access, guards
        node = world["resources"][1]["virtualNode"]
        arn = node["metadata"]["arn"]
        eu = client(ACCOUNT_A, arn.split(":")[3])
        assert eu.list_tags_for_resource(resourceArn=arn)["tags"] == world["resources"][1]["tags"]
        guest = client(ACCOUNT_B).describe_virtual_node(
            meshName="shared", meshOwner=ACCOUNT_A, virtualNodeName="guest"
        )["virtualNode"]
        assert guest["metadata"]["resourceOwner"] == ACCOUNT_B
        updated = client(ACCOUNT_B).update_virtual_node(
            meshName="shared", meshOwner=ACCOUNT_A, virtualNodeName="guest", spec={}
        )["virtualNode"]
        assert updated["metadata"]["version"] == guest["metadata"]["version"] + 1


def test_a_list_of_describe_outputs_and_the_state_option(
    world: dict[str, Any], tmp_path: Path
) -> None:
    items = [{k: v for k, v in item.items() if k != "tags"} for item in world["resources"]]
    items.reverse()  # any order: loading puts them in dependency order
    path = tmp_path / "state.json"
    path.write_text(json.dumps(items))
    with mock_appmesh(state=path) as m:
        exported = m.export()
    assert len(exported["resources"]) == len(items)
    assert {json.dumps(i[next(iter(i))], sort_keys=True) for i in exported["resources"]} == {
        json.dumps(next(iter(i.values())), sort_keys=True) for i in items
    }


def _rename_router(router: dict[str, Any], name: str) -> None:
    """A new name, the ARN following it (so only the name rule can object)."""
    metadata = router["metadata"]
    metadata["arn"] = metadata["arn"].replace(router["virtualRouterName"], name)
    router["virtualRouterName"] = name


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: _rename_router(r[3]["virtualRouter"], "x" * 300), "virtualRouterName"),
        (lambda r: r[4]["route"]["spec"]["httpRoute"]["action"]["weightedTargets"][0].update(
            virtualNode="missing"), "NotFoundException"),
        (lambda r: r[1]["virtualNode"]["metadata"].update(arn="arn:aws:s3:::bucket"), "ARN"),
        (lambda r: r[1]["virtualNode"]["metadata"].update(resourceOwner="000000000000"),
         "resourceOwner"),
        (lambda r: r[1]["virtualNode"].update(unknown=1), "not a member"),
        (lambda r: r[2]["virtualNode"]["metadata"].update(uid=r[1]["virtualNode"]["metadata"][
            "uid"]), "uid"),
        (lambda r: r[1]["virtualNode"]["status"].update(status="DELETED"), "DELETED"),
        (lambda r: r[1]["virtualNode"]["metadata"].update(createdAt="yesterday"), "ISO-8601"),
        (lambda r: r[1].update(tags=[{"key": f"k{i}", "value": "v"} for i in range(60)]),
         "tags must have length"),
    ],
)
def test_a_bad_document_loads_nothing_and_names_the_item(
    world: dict[str, Any], change: Any, words: str
) -> None:
    document = copy.deepcopy(world)
    change(document["resources"])
    with mock_appmesh() as m:
        client().create_mesh(meshName="kept")
        before = m.export()
        with pytest.raises(ValueError, match=words) as caught:
            m.load(document)
        assert "resources[" in str(caught.value)
        assert m.export() == before


def test_quotas_apply_to_what_is_loaded(world: dict[str, Any]) -> None:
    with mock_appmesh(quotas={"virtual_nodes_per_mesh": 1}) as m:
        with pytest.raises(ValueError, match="LimitExceededException"):
            m.load(copy.deepcopy(world))
        assert m.export() == {"resources": []}


def test_loading_twice_conflicts_and_reset_empties(world: dict[str, Any]) -> None:
    with mock_appmesh(state=copy.deepcopy(world)) as m:
        with pytest.raises(ValueError, match="already"):
            m.load(copy.deepcopy(world))
        assert m.export() == world
        m.reset()
        assert m.export() == {"resources": []}
        m.load(copy.deepcopy(world))
        assert m.export() == world


def test_a_folder_of_captured_cli_output_v1_epoch_and_v2_iso() -> None:
    with mock_appmesh(state=CAPTURED) as m:
        exported = m.export()
        appmesh = client("123456789012")
        assert appmesh.list_meshes()["meshes"][0]["meshName"] == "bookstore"
        routes = appmesh.list_routes(meshName="bookstore", virtualRouterName="catalog")
        assert [r["routeName"] for r in routes["routes"]] == ["catalog-split"]
        node = appmesh.describe_virtual_node(meshName="bookstore", virtualNodeName="catalog-v1")
    by_kind = {next(iter(i)): i[next(iter(i))] for i in exported["resources"]}
    assert set(by_kind) == {"mesh", "virtualNode", "virtualRouter", "route", "virtualService",
                            "virtualGateway", "gatewayRoute"}  # fmt: skip
    v1 = json.loads((CAPTURED / "virtual-nodes" / "catalog-v1.json").read_text())
    v2_mesh = json.loads((CAPTURED / "mesh.json").read_text())
    assert isinstance(v1["virtualNode"]["metadata"]["createdAt"], float)  # CLI v1: epoch
    assert isinstance(v2_mesh["mesh"]["metadata"]["createdAt"], str)  # CLI v2: ISO-8601
    assert node["virtualNode"]["metadata"]["uid"] == v1["virtualNode"]["metadata"]["uid"]
    assert node["virtualNode"]["metadata"]["createdAt"].timestamp() == pytest.approx(
        v1["virtualNode"]["metadata"]["createdAt"]
    )
    assert by_kind["mesh"]["metadata"]["createdAt"] == 1717236000.123  # 2024-06-01T10:00:00.123Z


@pytest.mark.appmesh_mock(state=CAPTURED)
def test_the_marker_seeds_from_a_folder(appmesh_client: Any, appmesh_mock: Any) -> None:
    names = [m["meshName"] for m in appmesh_client.list_meshes()["meshes"]]
    assert names == ["bookstore"]
    assert appmesh_mock.calls.operations == ["ListMeshes"]
