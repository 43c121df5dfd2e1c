"""Bad HTTP sent straight down a socket to `appmesh-mock serve`: each gets a clean App Mesh
error (status, `x-amzn-ErrorType`, JSON `message`), nothing changes, and the server goes on
answering."""

from __future__ import annotations

import http.client
import json
import socket
from typing import Any

import pytest
from server_process import ServerProcess

MIB = 1 << 20


@pytest.fixture
def server(server: ServerProcess) -> ServerProcess:
    server.client("123456789012").create_mesh(meshName="present")
    return server


def exchange(server: ServerProcess, data: bytes, method: str = "GET") -> http.client.HTTPResponse:
    """Sends raw bytes and reads one response; the socket is half-closed after sending so a
    server waiting for more body bytes sees the end."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        response.body = response.read()  # type: ignore[attr-defined]
        return response


def request_bytes(
    method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    all_headers = dict(headers or {})
    if "Transfer-Encoding" not in all_headers:
        all_headers = {"Content-Length": str(len(body)), **all_headers}
    lines += [f"{name}: {value}" for name, value in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def chunked(body: bytes, size: int = 64 * 1024) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


JSON = {"Content-Type": "application/json"}
CHUNKED_JSON = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
TOO_MANY_HEADERS = {f"X-Filler-{n}": "x" for n in range(120)}

BAD_REQUESTS: dict[str, tuple[bytes, int]] = {
    "malformed JSON": (
        request_bytes("PUT", "/v20190125/meshes", b'{"meshName": "half', JSON), 400),
    "JSON that is not an object": (
        request_bytes("PUT", "/v20190125/meshes", b'["meshName"]', JSON), 400),
    "text/plain body": (
        request_bytes("PUT", "/v20190125/meshes", b'{"meshName": "typed"}',
                      {"Content-Type": "text/plain"}), 400),
    "form-encoded body": (
        request_bytes("PUT", "/v20190125/meshes", b"meshName=form",
                      {"Content-Type": "application/x-www-form-urlencoded"}), 400),
    "unknown path": (request_bytes("GET", "/v20190125/nowhere"), 400),
    "unknown path outside the API": (request_bytes("GET", "/index.html"), 400),
    "unknown method": (request_bytes("BREW", "/v20190125/meshes"), 400),
    "method the path does not take": (request_bytes("PATCH", "/v20190125/meshes"), 400),
    "unknown control endpoint": (request_bytes("GET", "/_appmesh_mock/nothing"), 400),
    "oversized body": (
        request_bytes("PUT", "/v20190125/meshes", b" " * (MIB + 1), JSON), 413),
    "oversized chunked body": (
        request_bytes("PUT", "/v20190125/meshes", chunked(b" " * (2 * MIB)), CHUNKED_JSON), 413),
    "malformed chunk size": (
        request_bytes("PUT", "/v20190125/meshes", b"zz\r\n{}\r\n0\r\n\r\n", CHUNKED_JSON), 400),
    "invalid percent-encoding in the path": (request_bytes("GET", "/v20190125/meshes/%ff"), 400),
    "invalid percent-encoding in the query": (
        request_bytes("GET", "/v20190125/meshes?nextToken=%C3%28"), 400),
    "Content-Length that is not a number": (
        request_bytes("PUT", "/v20190125/meshes", b"{}", {**JSON, "Content-Length": "ten"}),
        400),
    "body shorter than its Content-Length": (
        request_bytes("PUT", "/v20190125/meshes", b"{}", {**JSON, "Content-Length": "90"}),
        400),
    "garbled request line": (b"NOT AN HTTP REQUEST AT ALL\r\n\r\n", 400),
    "too many headers": (request_bytes("GET", "/v20190125/meshes", b"", TOO_MANY_HEADERS), 431),
}


@pytest.mark.parametrize("case", list(BAD_REQUESTS))
def test_bad_http_gets_a_clean_app_mesh_error_and_the_server_keeps_serving(
    server: ServerProcess, case: str
) -> None:
    data, status = BAD_REQUESTS[case]
    before = server.state()

    response = exchange(server, data)

    assert response.status == status
    expected_type = "BadRequestException"
    assert response.getheader("x-amzn-ErrorType") == expected_type
    assert response.getheader("Content-Type") == "application/json"
    body: dict[str, Any] = json.loads(response.body)  # type: ignore[attr-defined]
    assert set(body) == {"message"} and body["message"]
    assert server.state() == before
    client = server.client("123456789012")
    assert [m["meshName"] for m in client.list_meshes()["meshes"]] == ["present"]


def test_the_oversized_answer_is_catchable_in_boto3(server: ServerProcess) -> None:
    client = server.client("123456789012")
    with pytest.raises(client.exceptions.BadRequestException) as caught:
        client.create_mesh(meshName="big", spec={"egressFilter": {"type": "x" * (MIB + 10)}})
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "limit" in caught.value.response["Error"]["Message"]


def test_a_kept_alive_connection_is_still_served_after_an_error(server: ServerProcess) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("PUT", "/v20190125/meshes", body=b"{not json", headers=JSON)
        refused = connection.getresponse()
        assert (refused.status, json.loads(refused.read())["message"]) == (
            400, "the request body is not valid JSON")
        connection.request("GET", "/v20190125/meshes/present")
        answered = connection.getresponse()
        assert answered.status == 200
        assert json.loads(answered.read())["meshName"] == "present"
    finally:
        connection.close()


def test_a_chunked_body_is_read_whole(server: ServerProcess) -> None:
    body = json.dumps({"meshName": "chunky", "spec": {}}).encode()
    response = exchange(
        server,
        request_bytes("PUT", "/v20190125/meshes", chunked(body, size=5), CHUNKED_JSON),
    )
    assert response.status == 200
    client = server.client("123456789012")
    assert [m["meshName"] for m in client.list_meshes()["meshes"]] == ["present", "chunky"]


def test_a_json_body_without_content_type_is_accepted(server: ServerProcess) -> None:
    status, _, body = server.request("PUT", "/v20190125/meshes", b'{"meshName": "untyped"}')
    assert status == 200
    assert json.loads(body)["meshName"] == "untyped"
