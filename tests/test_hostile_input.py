"""Input that could be stored but not written back (lone surrogates, deep nesting) is refused
with a BadRequestException and changes nothing, in-process and over HTTP; whatever is stored
can always be serialized."""

from __future__ import annotations

import base64
import http.client
import json
import socket
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_process import ServerProcess

from appmesh_mock import mock_appmesh
from appmesh_mock.backend.persistence import dump
from appmesh_mock.session import RUNTIME

JSON = {"Content-Type": "application/json"}


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b'"deep"' + b"]" * depth


HOSTILE_BODIES: dict[str, bytes] = {
    "surrogate in a name": b'{"meshName": "x\\ud800"}',
    "low surrogate in a spec string": (
        b'{"meshName": "m", "spec": {"egressFilter": {"type": "ALLOW_ALL\\udfff"}}}'
    ),
    "surrogate in a tag": b'{"meshName": "m", "tags": [{"key": "k", "value": "\\uDBFF"}]}',
    "raw surrogate bytes": b'{"meshName": "x\xed\xa0\x80"}',
    "surrogate in a key": b'{"meshName": "m", "spec": {"\\ud800": 1}}',
    "nesting past the limit": b'{"meshName": "m", "spec": {"egressFilter": '
    + deep_json(200)
    + b"}}",
    "nesting past the recursion limit": b'{"meshName": "m", "spec": ' + deep_json(100_000) + b"}",
}


@pytest.mark.parametrize("case", list(HOSTILE_BODIES))
def test_over_http_hostile_bodies_answer_400_and_change_nothing(
    session_server: ServerProcess, case: str
) -> None:
    session_server.reset()
    session_server.client().create_mesh(meshName="before")
    before = session_server.state()
    status, headers, body = session_server.request(
        "PUT", "/v20190125/meshes", HOSTILE_BODIES[case], JSON
    )
    assert status == 400
    assert headers["x-amzn-ErrorType"] == "BadRequestException"
    assert json.loads(body)["message"]
    assert session_server.state() == before
    names = [m["meshName"] for m in session_server.client().list_meshes()["meshes"]]
    assert names == ["before"]


@pytest.mark.parametrize(
    "path",
    [
        "/v20190125/meshes/x%ED%A0%80",  # a surrogate, percent-encoded in UTF-8's style
        "/v20190125/meshes?nextToken=%ED%A0%80",
        "/v20190125/meshes/x\xed\xa0\x80",  # raw bytes in the request target
        "/v20190125/meshes?nextToken="
        + base64.urlsafe_b64encode(deep_json(20_000)).decode(),  # under the 64 KiB line limit
    ],
)
def test_over_http_hostile_paths_and_queries_answer_400(
    session_server: ServerProcess, path: str
) -> None:
    session_server.reset()
    before = session_server.state()
    with socket.create_connection(("127.0.0.1", session_server.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
        response = http.client.HTTPResponse(sock, method="GET")
        response.begin()
        response.read()
    assert (response.status, response.getheader("x-amzn-ErrorType")) == (
        400, "BadRequestException")
    assert session_server.state() == before


def in_process_client() -> Any:
    return boto3.client("appmesh", region_name="us-east-1")


@pytest.mark.parametrize(
    "call",
    [
        {"meshName": "x\ud800"},
        {"meshName": "m", "spec": {"egressFilter": {"type": "\udc00"}}},
        {"meshName": "m", "tags": [{"key": "k\ud83d", "value": "v"}]},
    ],
)
def test_in_process_surrogates_are_a_client_error_and_change_nothing(call: dict[str, Any]) -> None:
    with mock_appmesh() as mock:
        client = in_process_client()
        client.create_mesh(meshName="before")
        before = dump(RUNTIME.store)
        with pytest.raises(client.exceptions.BadRequestException):
            client.create_mesh(**call)
        assert dump(RUNTIME.store) == before
        assert set(mock.snapshot()["meshes"]) == {"before"}


def test_in_process_a_deeply_nested_page_token_is_a_client_error() -> None:
    with mock_appmesh():
        client = in_process_client()
        token = base64.urlsafe_b64encode(deep_json(100_000)).decode()
        with pytest.raises(client.exceptions.BadRequestException):
            client.list_meshes(nextToken=token)


# Any code point, surrogates included (hypothesis leaves them out unless told).
HOSTILE_TEXT = st.text(st.characters(blacklist_categories=()), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=HOSTILE_TEXT, hostname=HOSTILE_TEXT, tag=HOSTILE_TEXT)
def test_every_stored_value_serializes(name: str, hostname: str, tag: str) -> None:
    with mock_appmesh():
        client = in_process_client()
        calls = [
            lambda: client.create_mesh(meshName=name, tags=[{"key": "k", "value": tag}]),
            lambda: client.create_mesh(meshName="fixed"),
            lambda: client.create_virtual_node(
                meshName="fixed",
                virtualNodeName="node",
                spec={"serviceDiscovery": {"dns": {"hostname": hostname}}},
                tags=[{"key": tag, "value": "v"}],
            ),
        ]
        for call in calls:
            try:
                call()
            except ClientError:
                pass
            except UnicodeEncodeError:
                pass  # botocore's own refusal, before any request is sent (a URI member)
        # Every answer that shows the stored values, and the whole state, can be written.
        client.list_meshes()
        for mesh in client.list_meshes()["meshes"]:
            client.describe_mesh(meshName=mesh["meshName"])
            client.list_tags_for_resource(resourceArn=mesh["arn"])
        client.list_virtual_nodes(meshName="fixed")
        json.dumps(dump(RUNTIME.store), ensure_ascii=False).encode("utf-8")
