"""`MockServer` inside the test process: the same backends as `mock_appmesh`, over HTTP."""

from __future__ import annotations

import http.client
import json
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from appmesh_mock import MockServer, StrictModeViolation, mock_appmesh
from appmesh_mock.backend.store import Store
from appmesh_mock.protocol.serializer import HttpResponse
from appmesh_mock.service.dispatch import Dispatcher
from appmesh_mock.session import RUNTIME


def signed_call(
    server: MockServer,
    method: str,
    path: str,
    document: dict[str, Any] | None = None,
    account: str = "123456789012",
    region: str = "us-east-1",
) -> tuple[int, dict[str, str], Any]:
    """A SigV4-signed App Mesh call over a real socket, as a non-Python client would send it."""
    body = json.dumps(document).encode() if document is not None else b""
    request = AWSRequest(
        method=method,
        url=server.url + path,
        data=body,
        headers={"Content-Type": "application/json"} if body else {},
    )
    SigV4Auth(Credentials(account, "in-process-secret"), "appmesh", region).add_auth(request)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, body=body or None, headers=dict(request.headers))
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read())
    finally:
        connection.close()


def test_serves_the_backends_of_the_active_mock() -> None:
    with mock_appmesh() as mock, MockServer() as server:
        assert server.host == "127.0.0.1"
        assert server.url == f"http://127.0.0.1:{server.port}"
        client = boto3.client("appmesh", region_name="us-east-1")
        client.create_mesh(meshName="from-boto3")

        status, _, created = signed_call(server, "PUT", "/v20190125/meshes", {"meshName": "raw"})
        assert status == 200
        assert created["metadata"]["arn"] == "arn:aws:appmesh:us-east-1:123456789012:mesh/raw"

        assert set(mock.snapshot()["meshes"]) == {"from-boto3", "raw"}
        assert client.describe_mesh(meshName="raw")["mesh"]["metadata"]["uid"] == (
            created["metadata"]["uid"]
        )
        status, _, listed = signed_call(server, "GET", "/v20190125/meshes")
        assert [ref["meshName"] for ref in listed["meshes"]] == ["from-boto3", "raw"]


def test_on_its_own_it_is_an_activation_that_starts_and_ends_empty() -> None:
    assert not RUNTIME.active
    with MockServer() as server:
        assert RUNTIME.active
        assert signed_call(server, "GET", "/v20190125/meshes")[2] == {"meshes": []}
        signed_call(server, "PUT", "/v20190125/meshes", {"meshName": "temporary"})
        # In-process clients are answered by the hook from the same backends meanwhile.
        client = boto3.client("appmesh", region_name="us-east-1")
        assert [m["meshName"] for m in client.list_meshes()["meshes"]] == ["temporary"]
    assert not RUNTIME.active
    with mock_appmesh():
        assert boto3.client("appmesh", region_name="us-east-1").list_meshes()["meshes"] == []


def test_reset_endpoint_clears_the_shared_state_and_keeps_the_mock_quotas() -> None:
    with mock_appmesh(quotas={"meshes_per_account": 1}) as mock, MockServer() as server:
        # botocore retries LimitExceededException; one attempt is enough here.
        client = boto3.client(
            "appmesh", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
        )
        client.create_mesh(meshName="before-reset")

        status, _, body = signed_call(server, "POST", "/_appmesh_mock/reset", {})
        assert (status, body) == (200, {"reset": True})
        assert mock.snapshot() == {"meshes": {}}

        client.create_mesh(meshName="after-reset")
        with pytest.raises(client.exceptions.LimitExceededException):
            client.create_mesh(meshName="one-too-many")
        assert set(mock.snapshot()["meshes"]) == {"after-reset"}


class Exploding(Dispatcher):
    """Fails on one path the way a strict-mode check or a bug would; serves the rest."""

    def __init__(self, failure: Exception) -> None:
        super().__init__(Store())
        self.failure = failure

    def handle(self, method: str, path: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if path == "/v20190125/meshes/explode":
            raise self.failure
        return super().handle(method, path, *args, **kwargs)


@pytest.mark.parametrize(
    "failure",
    [StrictModeViolation("output does not match MeshData"), KeyError("a bug")],
    ids=["strict mode violation", "unexpected exception"],
)
def test_a_failure_inside_becomes_a_500_and_the_server_keeps_serving(
    failure: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    with MockServer(dispatcher=Exploding(failure)) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            connection.request("GET", "/v20190125/meshes/explode")
            response = connection.getresponse()
            assert response.status == 500
            assert response.getheader("x-amzn-ErrorType") == "InternalServerErrorException"
            assert type(failure).__name__ in json.loads(response.read())["message"]

            connection.request("GET", "/v20190125/meshes")  # same connection, still served
            again = connection.getresponse()
            assert (again.status, json.loads(again.read())) == (200, {"meshes": []})
        finally:
            connection.close()
    assert any(record.exc_info for record in caplog.records)  # the traceback is logged


def test_stop_ends_open_connections_and_the_listener() -> None:
    server = MockServer(isolated=True).start()
    port = server.port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/v20190125/meshes")
        assert connection.getresponse().read() == b'{"meshes":[]}'
        server.stop()
        with pytest.raises((http.client.HTTPException, OSError)):
            connection.request("GET", "/v20190125/meshes")
            connection.getresponse()
    finally:
        connection.close()
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=10).request("GET", "/")
    with pytest.raises(RuntimeError):
        server.stop()
    with pytest.raises(RuntimeError):
        _ = server.url


def test_a_private_dispatcher_is_not_the_shared_one() -> None:
    with mock_appmesh() as mock, MockServer(isolated=True) as server:
        signed_call(server, "PUT", "/v20190125/meshes", {"meshName": "private"})
        assert mock.snapshot() == {"meshes": {}}
