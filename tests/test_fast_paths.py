"""The cheaper pieces of the hot path answer exactly what the plain ones did: response bytes
(orjson, with the standard encoder behind it) and resource uids."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from botocore.model import OperationModel

from appmesh_mock.handlers.lifecycle import new_uid
from appmesh_mock.protocol.models import CURRENT_VERSION, get_api
from appmesh_mock.protocol.serializer import serialize_output


def _operation() -> OperationModel:
    return get_api(CURRENT_VERSION).operations["DescribeVirtualNode"]


def _standard(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "document",
    [
        {"virtualNodeName": "n", "metadata": {"createdAt": 1764624000.123, "version": 2}},
        {"spec": {"backends": [], "listeners": [{"portMapping": {"port": 8080}}]}},
        {"meshName": "ünïcode-名前-😀", "tags": {"k": "\"quoted\" \\ and \n newline"}},
        {"n": 2**63 - 1, "m": -(2**63), "f": 0.1, "z": 0.0, "t": True, "x": None},
    ],
    ids=["metadata", "nested", "unicode", "numbers"],
)
def test_response_bytes_are_the_standard_encoders(document: dict[str, Any]) -> None:
    response = serialize_output(_operation(), {"virtualNode": document})
    assert response.body == _standard(document)


def test_what_orjson_refuses_goes_through_the_standard_encoder() -> None:
    document = {"huge": 2**70, "name": "x"}
    body = serialize_output(_operation(), {"virtualNode": document}).body
    assert body == _standard(document)
    assert json.loads(body) == document


def test_uids_are_distinct_version_4_uuids() -> None:
    uids = [new_uid() for _ in range(2000)]
    assert len(set(uids)) == len(uids)
    for uid in uids[:200]:
        parsed = uuid.UUID(uid)
        assert str(parsed) == uid and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_a_remembered_route_match_answers_each_path_with_its_own_labels() -> None:
    from appmesh_mock.protocol import router as router_module

    router = router_module.default_router()
    first = router.match("GET", "/v20190125/meshes/m1/virtualNodes/a%20b")
    again = router.match("GET", "/v20190125/meshes/m1/virtualNodes/a%20b")
    other = router.match("GET", "/v20190125/meshes/m2/virtualNodes/c")
    assert first is not None and other is not None and again == first
    assert first.operation == other.operation == "DescribeVirtualNode"
    assert first.path_params == {"meshName": "m1", "virtualNodeName": "a b"}
    assert other.path_params == {"meshName": "m2", "virtualNodeName": "c"}
    for k in range(router_module._REMEMBERED + 10):  # past the bound, answers stay right
        found = router.match("DELETE", f"/v20190125/meshes/m/virtualNodes/n{k}")
        assert found is not None and found.path_params["virtualNodeName"] == f"n{k}"
    assert router.match("GET", "/v20190125/nothing/here") is None
