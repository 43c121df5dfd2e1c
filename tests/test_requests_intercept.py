"""App Mesh calls made with `requests` (signed by hand with botocore's SigV4 signer) are
answered by the mock while it is active; every other request is left alone. The requests go
to appmesh.*.amazonaws.com: were the interception broken, the suite's network guard
(tests/network_guard.py) would refuse them rather than let them reach AWS."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
import requests
import responses
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from requests.adapters import HTTPAdapter

from appmesh_mock import mock_appmesh

ACCOUNT = "210987654321"


def signed(
    method: str,
    url: str,
    document: dict[str, Any] | None = None,
    account: str = ACCOUNT,
    region: str = "eu-west-1",
) -> requests.Response:
    body = json.dumps(document).encode() if document is not None else None
    request = AWSRequest(
        method=method,
        url=url,
        data=body,
        headers={"Content-Type": "application/json"} if body else {},
    )
    SigV4Auth(Credentials(account, "requests-secret"), "appmesh", region).add_auth(request)
    return requests.request(method, url, headers=dict(request.headers), data=body, timeout=5)


@pytest.fixture
def local_site() -> Iterator[tuple[str, list[str]]]:
    """A plain HTTP server on loopback, and the paths that reached it."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"local")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_a_signed_create_is_answered_and_seen_by_boto3() -> None:
    with mock_appmesh() as mock:
        response = signed(
            "PUT", "https://appmesh.eu-west-1.amazonaws.com/v20190125/meshes",
            {"meshName": "signed", "spec": {"egressFilter": {"type": "ALLOW_ALL"}}},
        )
        assert response.status_code == 200
        mesh = response.json()
        assert mesh["metadata"]["arn"] == f"arn:aws:appmesh:eu-west-1:{ACCOUNT}:mesh/signed"
        assert mesh["metadata"]["resourceOwner"] == ACCOUNT

        client = boto3.client(
            "appmesh", region_name="eu-west-1",
            aws_access_key_id=ACCOUNT, aws_secret_access_key="requests-secret",
        )
        assert client.describe_mesh(meshName="signed")["mesh"]["metadata"]["uid"] == (
            mesh["metadata"]["uid"]
        )
        assert set(mock.snapshot(ACCOUNT, "eu-west-1")["meshes"]) == {"signed"}
        assert mock.snapshot() == {"meshes": {}}  # not the default account or region


def test_errors_come_back_in_the_app_mesh_wire_form() -> None:
    with mock_appmesh() as mock:
        missing = signed("GET", "https://appmesh.eu-west-1.amazonaws.com/v20190125/meshes/none")
        assert missing.status_code == 404
        assert missing.headers["x-amzn-ErrorType"] == "NotFoundException"
        assert "none" in missing.json()["message"]

        typed = requests.put(
            "https://appmesh.eu-west-1.amazonaws.com/v20190125/meshes",
            data=b'{"meshName": "plain"}',
            headers={"Content-Type": "text/plain"},
            timeout=5,
        )
        assert typed.status_code == 400
        assert typed.headers["x-amzn-ErrorType"] == "BadRequestException"
        assert mock.snapshot(ACCOUNT, "eu-west-1") == {"meshes": {}}


def test_legacy_paths_and_china_endpoints() -> None:
    with mock_appmesh():
        created = signed(
            "PUT", "https://appmesh.cn-north-1.amazonaws.com.cn/meshes",
            {"meshName": "legacy"}, region="cn-north-1",
        )
        assert created.status_code == 200
        assert created.json()["metadata"]["arn"] == (
            f"arn:aws-cn:appmesh:cn-north-1:{ACCOUNT}:mesh/legacy"
        )
        assert "spec" not in created.json()  # the 2018-10-01 view
        listed = signed(
            "GET", "https://appmesh.cn-north-1.amazonaws.com.cn/v20190125/meshes",
            region="cn-north-1",
        )
        assert [ref["meshName"] for ref in listed.json()["meshes"]] == ["legacy"]


def test_an_unsigned_request_takes_its_region_from_the_host() -> None:
    with mock_appmesh() as mock:
        response = requests.put(
            "https://appmesh.ap-south-1.amazonaws.com/v20190125/meshes",
            json={"meshName": "unsigned"},
            timeout=5,
        )
        assert response.status_code == 200
        assert set(mock.snapshot("123456789012", "ap-south-1")["meshes"]) == {"unsigned"}


def test_other_hosts_are_left_alone(local_site: tuple[str, list[str]]) -> None:
    url, seen = local_site
    with mock_appmesh():
        response = requests.get(f"{url}/v20190125/meshes", timeout=5)
    assert (response.status_code, response.text) == (200, "local")
    assert seen == ["/v20190125/meshes"]


def test_a_responses_mock_of_the_test_keeps_answering_its_hosts() -> None:
    with responses.RequestsMock() as own:
        own.add(responses.GET, "https://api.example.test/things", json={"own": True})
        with mock_appmesh():
            assert requests.get("https://api.example.test/things", timeout=5).json() == {
                "own": True
            }
            mesh = requests.put(
                "https://appmesh.us-east-1.amazonaws.com/v20190125/meshes",
                json={"meshName": "both"},
                timeout=5,
            )
            assert mesh.status_code == 200


def test_interception_lasts_exactly_as_long_as_the_outermost_mock() -> None:
    original = HTTPAdapter.send
    outer = mock_appmesh().start()
    try:
        assert HTTPAdapter.send is not original
        with mock_appmesh():
            pass
        assert HTTPAdapter.send is not original  # the inner mock's stop keeps it on
        response = requests.get(
            "https://appmesh.us-east-1.amazonaws.com/v20190125/meshes", timeout=5
        )
        assert response.json() == {"meshes": []}
    finally:
        outer.stop()
    assert HTTPAdapter.send is original
