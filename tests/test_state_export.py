"""`MockAppMesh.export()` and `GET /_appmesh_mock/export`: the API-shaped state document."""

from __future__ import annotations

import itertools
import json
import urllib.request
from typing import Any

from full_world import ACCOUNT_A, ACCOUNT_B, REGIONS, build_world, client
from state_document import state_document

from appmesh_mock import MockServer, mock_appmesh

KIND_ORDER = ("mesh", "virtualNode", "virtualRouter", "route", "virtualService",
              "virtualGateway", "gatewayRoute")


def _kind(item: dict[str, Any]) -> str:
    (kind,) = [key for key in item if key != "tags"]
    return kind


def _place(item: dict[str, Any]) -> tuple[str, str]:
    parts = item[_kind(item)]["metadata"]["arn"].split(":")
    return parts[4], parts[3]


def test_export_is_what_describe_and_list_tags_show_for_every_account_and_region() -> None:
    with mock_appmesh() as mock:
        build_world()
        exported = mock.export()
        for account in (ACCOUNT_A, ACCOUNT_B):
            for region in REGIONS:
                seen = state_document(client(account, region))["resources"]
                mine = [i for i in exported["resources"] if _place(i) == (account, region)]
                assert mine == seen
    assert len(exported["resources"]) == 5 * 10
    assert "shares" not in exported
    assert json.loads(json.dumps(exported)) == exported


def test_export_lists_each_mesh_in_dependency_order() -> None:
    with mock_appmesh() as mock:
        build_world()
        kinds = [_kind(item) for item in mock.export()["resources"]]
    meshes = [i for i, kind in enumerate(kinds) if kind == "mesh"] + [len(kinds)]
    for start, end in itertools.pairwise(meshes):
        ranks = [KIND_ORDER.index(kind) for kind in kinds[start:end]]
        assert ranks == sorted(ranks)
        assert ranks[0] == 0 and 0 not in ranks[1:]


def test_export_is_a_copy_and_shows_shares() -> None:
    owner, consumer = ACCOUNT_A, ACCOUNT_B
    with mock_appmesh() as mock:
        client(owner).create_mesh(meshName="shared")
        mock.share_mesh("shared", owner_account_id=owner, consumer_account_id=consumer)
        client(consumer).create_virtual_node(
            meshName="shared", meshOwner=owner, virtualNodeName="guest", spec={}
        )
        exported = mock.export()
        exported["resources"][1]["virtualNode"]["spec"]["backends"].append("changed")
        again = mock.export()
    guest = again["resources"][1]["virtualNode"]
    assert guest["spec"] == {"backends": []}
    assert guest["metadata"]["resourceOwner"] == consumer
    assert guest["metadata"]["arn"].split(":")[4] == consumer
    assert again["shares"] == [
        {"meshArn": f"arn:aws:appmesh:us-east-1:{owner}:mesh/shared", "consumer": consumer}
    ]


def test_the_server_exports_the_same_document() -> None:
    with mock_appmesh() as mock, MockServer() as server:
        build_world()
        with urllib.request.urlopen(f"{server.url}/_appmesh_mock/export") as answer:
            assert answer.headers["Content-Type"] == "application/json"
            assert json.load(answer) == mock.export()
