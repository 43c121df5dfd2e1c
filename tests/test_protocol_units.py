"""Unit tests of the pieces under the boto3 tests: the router, the dispatcher on raw requests
(input boto3 cannot send), account and region identification, page tokens and quota options."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from appmesh_mock import DEFAULT_QUOTAS, mock_appmesh
from appmesh_mock.backend.collection import Collection
from appmesh_mock.backend.quotas import merge_quotas
from appmesh_mock.backend.store import Store
from appmesh_mock.errors import BadRequestException
from appmesh_mock.handlers import pagination
from appmesh_mock.protocol.models import API_VERSIONS, LEGACY_VERSION, get_api
from appmesh_mock.protocol.router import default_router
from appmesh_mock.service.dispatch import Dispatcher
from appmesh_mock.service.identity import identify
from appmesh_mock.service.settings import Settings

SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240101/eu-west-1/appmesh/"
    "aws4_request, SignedHeaders=host, Signature=abc"
}


def sample_uri(uri: str) -> str:
    """A concrete path for a model URI template: every label filled with `x`."""
    path = uri.split("?", 1)[0]
    out = []
    for segment in path.split("/"):
        out.append("x" if segment.startswith("{") else segment)
    return "/".join(out)


# Router -------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", API_VERSIONS)
def test_every_operation_routes_to_itself(version: str) -> None:
    router = default_router()
    for name, operation in get_api(version).operations.items():
        http = operation.http
        found = router.match(http["method"], sample_uri(http["requestUri"]))
        assert found is not None, name
        assert (found.api.version, found.operation) == (version, name)


def test_legacy_paths_have_no_prefix_and_current_ones_do() -> None:
    router = default_router()
    legacy = router.match("GET", "/meshes/m/virtualNodes")
    current = router.match("GET", "/v20190125/meshes/m/virtualNodes")
    assert legacy is not None and current is not None
    assert legacy.api.version == LEGACY_VERSION and legacy.operation == "ListVirtualNodes"
    assert current.api.version == "2019-01-25" and current.operation == "ListVirtualNodes"
    assert legacy.path_params == {"meshName": "m"}


def test_labels_are_percent_decoded() -> None:
    found = default_router().match("GET", "/meshes/a%20b/virtualRouter/r%2B1/routes/x")
    assert found is not None
    assert found.path_params == {"meshName": "a b", "virtualRouterName": "r+1", "routeName": "x"}


# Dispatcher on raw requests -----------------------------------------------------------------


def dispatch(
    method: str, path: str, body: Any = None, query: str = ""
) -> tuple[int, Any, dict[str, str]]:
    dispatcher = Dispatcher(Store(), Settings(strict=True))
    raw = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
    response = dispatcher.handle(method, path, query, SIGNED, raw, host="")
    return response.status, json.loads(response.body), response.headers


def test_a_path_no_operation_answers_is_a_bad_request() -> None:
    status, body, headers = dispatch("GET", "/nowhere")
    assert status == 400
    assert headers["x-amzn-ErrorType"] == "BadRequestException"
    assert "GET /nowhere" in body["message"]


LEGACY_BAD_BODIES: list[tuple[str, Any]] = [
    ("unknown top-level member", {"meshName": "m", "colour": "blue"}),
    ("name is a number", {"meshName": 7}),
    ("name is null-free but an object", {"meshName": {"a": 1}}),
]


@pytest.mark.parametrize(("why", "body"), LEGACY_BAD_BODIES, ids=[w for w, _ in LEGACY_BAD_BODIES])
def test_raw_legacy_create_mesh_bodies_boto3_cannot_send(why: str, body: Any) -> None:
    status, answer, headers = dispatch("PUT", "/meshes", body)
    assert (status, headers["x-amzn-ErrorType"]) == (400, "BadRequestException")
    assert answer["message"]


RAW_NODE_SPECS: list[tuple[str, Any]] = [
    ("unknown spec member", {"logging": {}}),
    ("2019 hostname in dns", {"serviceDiscovery": {"dns": {"hostname": "a"}}}),
    ("listeners as an object", {"listeners": {"portMapping": {"port": 1, "protocol": "http"}}}),
    ("spec as a list", ["listeners"]),
    (
        "backends as 2019 structures",
        {"backends": [{"virtualService": {"virtualServiceName": "a"}}]},
    ),
]


@pytest.mark.parametrize(("why", "spec"), RAW_NODE_SPECS, ids=[w for w, _ in RAW_NODE_SPECS])
def test_raw_legacy_node_specs_boto3_cannot_send(why: str, spec: Any) -> None:
    dispatcher = Dispatcher(Store(), Settings(strict=True))

    def put(path: str, body: dict[str, Any]) -> Any:
        return dispatcher.handle("PUT", path, "", SIGNED, json.dumps(body).encode())

    assert put("/meshes", {"meshName": "m"}).status == 200
    response = put("/meshes/m/virtualNodes", {"virtualNodeName": "n", "spec": spec})
    assert response.status == 400
    assert response.headers["x-amzn-ErrorType"] == "BadRequestException"
    listed = dispatcher.handle("GET", "/meshes/m/virtualNodes", "", SIGNED, b"")
    assert json.loads(listed.body) == {"virtualNodes": []}


def test_malformed_json_and_non_object_bodies_are_bad_requests() -> None:
    for body in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        status, answer, _ = dispatch("PUT", "/meshes", body)
        assert status == 400 and answer["message"]


def test_a_non_integer_limit_is_a_bad_request() -> None:
    status, answer, headers = dispatch("GET", "/meshes", b"", query="limit=ten")
    assert (status, headers["x-amzn-ErrorType"]) == (400, "BadRequestException")
    assert "limit" in answer["message"]


def test_legacy_responses_use_the_2018_shapes_on_the_wire() -> None:
    status, mesh, _ = dispatch("PUT", "/meshes", {"meshName": "m", "clientToken": "t"})
    assert status == 200
    assert set(mesh) == {"meshName", "metadata", "status"}  # the bare object: a payload member
    assert set(mesh["metadata"]) == {"arn", "createdAt", "lastUpdatedAt", "uid", "version"}
    assert isinstance(mesh["metadata"]["createdAt"], float)  # epoch seconds, not a string
    assert mesh["metadata"]["arn"] == "arn:aws:appmesh:eu-west-1:123456789012:mesh/m"


# Account and region -------------------------------------------------------------------------


def auth(key: str, region: str) -> dict[str, str]:
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential={key}/20240101/{region}/appmesh/x"}


def test_identify_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APPMESH_MOCK_ACCOUNT_ID", raising=False)
    headers = auth("999988887777", "ap-south-1")
    assert identify(headers, "", None) == ("999988887777", "ap-south-1")
    assert identify(auth("AKIAEXAMPLE", "ap-south-1"), "", None)[0] == "123456789012"
    monkeypatch.setenv("APPMESH_MOCK_ACCOUNT_ID", "555566667777")
    assert identify(headers, "", None)[0] == "555566667777"
    assert identify(headers, "", "111122223333")[0] == "111122223333"


def test_region_from_the_host_when_unsigned() -> None:
    assert identify({}, "appmesh.sa-east-1.amazonaws.com", None)[1] == "sa-east-1"
    assert identify({}, "localhost", None)[1] == "us-east-1"
    signed = auth("AKIAEXAMPLE", "eu-north-1")
    assert identify(signed, "appmesh.sa-east-1.amazonaws.com", None)[1] == "eu-north-1"


# Page tokens --------------------------------------------------------------------------------


class Item:
    def __init__(self, name: str, seq: int) -> None:
        self.name, self.seq = name, seq


def test_page_tokens_are_bound_to_their_listing() -> None:
    items: Collection[Item] = Collection()
    for seq, name in enumerate("abcde", start=1):
        items.add(Item(name, seq))
    first, token = pagination.page(items, "acct/meshes", 2, None)
    assert [i.name for i in first] == ["a", "b"] and token
    second, token2 = pagination.page(items, "acct/meshes", 2, token)
    assert [i.name for i in second] == ["c", "d"]
    last, token3 = pagination.page(items, "acct/meshes", 2, token2)
    assert [i.name for i in last] == ["e"] and token3 is None
    with pytest.raises(BadRequestException):
        pagination.page(items, "other-acct/meshes", 2, token)
    with pytest.raises(BadRequestException):
        pagination.page(items, "acct/meshes", 2, "%%%")


# Quota options ------------------------------------------------------------------------------


def test_quota_options() -> None:
    assert merge_quotas(None) == dict(DEFAULT_QUOTAS)
    assert merge_quotas({"meshes_per_account": 0})["meshes_per_account"] == 0
    for bad in (
        {"mesh_per_account": 1},
        {"meshes_per_account": -1},
        {"meshes_per_account": 1.5},
        {"meshes_per_account": True},
    ):
        with pytest.raises(ValueError):
            merge_quotas(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DEFAULT_QUOTAS["meshes_per_account"] = 1  # type: ignore[index]


def test_an_operation_without_a_handler_answers_501_not_implemented_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A model operation the mock lacks says so (as LocalStack does), rather than blaming the
    request; boto3 raises it as a ClientError with that code and does not retry it."""
    from appmesh_mock.handlers.table import HANDLERS

    monkeypatch.delitem(HANDLERS, "ListMeshes")
    status, answer, headers = dispatch("GET", "/meshes", b"")
    assert (status, headers["x-amzn-ErrorType"]) == (501, "NotImplemented")
    assert "ListMeshes" in answer["message"]
    with mock_appmesh():
        client = boto3.client("appmesh", region_name="us-east-1")
        with pytest.raises(ClientError) as raised:
            client.list_meshes()
    assert raised.value.response["Error"]["Code"] == "NotImplemented"
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0
