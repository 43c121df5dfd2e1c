"""The server under many connections: deep backlog, bounded threads, idle timeout, one write
per answer, and control endpoints that only a local, non-browser caller can use."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from server_process import ServerProcess, running_server

from appmesh_mock import MockServer

LIST = b"GET /v20190125/meshes HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def read_answer(sock: socket.socket) -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(sock, method="GET")
    response.begin()
    response.read()
    return response


def test_two_hundred_simultaneous_connects_are_all_answered(
    session_server: ServerProcess,
) -> None:
    barrier = threading.Barrier(200)
    statuses: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            barrier.wait(timeout=20)
            with socket.create_connection(("127.0.0.1", session_server.port), timeout=20) as s:
                s.sendall(LIST)
                status = read_answer(s).status
            with lock:
                statuses.append(status)
        except BaseException as exc:
            with lock:
                failures.append(exc)

    threads = [threading.Thread(target=one) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert statuses == [200] * 200


def test_idle_connections_do_not_lock_others_out_even_at_a_low_descriptor_limit(
    tmp_path: Path,
) -> None:
    """More idle connections than descriptors: a request still gets through and the server
    lives on (that idle ones give way, rather than time out, is shown without a clock by
    test_past_the_thread_bound_connections_wait_their_turn)."""
    with running_server(tmp_path, "--quiet", open_files=64) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(100)]
        try:
            status, _, body = server.request("GET", "/v20190125/meshes")
            assert (status, json.loads(body)) == (200, {"meshes": []})
            assert server.process.poll() is None
        finally:
            for sock in idle:
                sock.close()


def test_an_idle_kept_alive_connection_is_closed_after_the_timeout() -> None:
    with MockServer(isolated=True, idle_timeout=0.3) as server:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        try:
            sock.sendall(LIST)
            assert read_answer(sock).status == 200
            answered = time.monotonic()
            assert sock.recv(1) == b""  # the server hung up (the 60 s timeout: never reached)
            assert time.monotonic() - answered >= 0.3  # a lower bound: not before the timeout
        finally:
            sock.close()


def test_past_the_thread_bound_connections_wait_their_turn() -> None:
    """Twelve kept-alive connections, four threads and an idle timeout of an hour: all twelve
    are answered only because idle connections give way to waiting ones."""
    with MockServer(isolated=True, max_connections=4, idle_timeout=3600) as server:
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=60) for _ in range(12)]
        try:
            for sock in held:  # kept alive: each answered connection stays open
                sock.sendall(LIST)
            assert [read_answer(sock).status for sock in held] == [200] * 12
        finally:
            for sock in held:
                sock.close()


def test_an_answer_is_one_write_with_nagle_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sends with Nagle on would hold each kept-alive answer ~40 ms behind the client's
    delayed ACK: the server's writes are watched (it runs in this process) rather than
    timed."""
    writes: list[tuple[bytes, int]] = []  # (what the server sent, its TCP_NODELAY)
    send = socket.socket.sendall

    def watched(self: socket.socket, data: bytes, *args: Any) -> None:
        if self.getsockname()[1] == port:  # the server's end of the connection
            writes.append((bytes(data), self.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)))
        send(self, data, *args)

    with MockServer(isolated=True) as server:
        port = server.port
        monkeypatch.setattr(socket.socket, "sendall", watched)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        for _ in range(10):
            connection.request("GET", "/v20190125/meshes")
            assert connection.getresponse().read() == b'{"meshes":[]}'
        connection.close()
    assert len(writes) == 10  # one write per answer: its head and body together
    for data, nodelay in writes:
        assert data.startswith(b"HTTP/1.1 200 ") and data.endswith(b'\r\n\r\n{"meshes":[]}')
        assert nodelay


def test_expect_continue_is_answered_before_the_body() -> None:
    with MockServer(isolated=True) as server:
        body = b'{"meshName": "patient"}'
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(
                b"PUT /v20190125/meshes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body)
            )
            assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
            sock.sendall(body)
            assert read_answer(sock).status == 200


def control(server: ServerProcess, method: str, name: str, headers: dict[str, str]) -> int:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        lines = [f"{method} /_appmesh_mock/{name} HTTP/1.1", "Content-Length: 0"]
        lines += [f"{key}: {value}" for key, value in headers.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return read_answer(sock).status


EVIL = "http://evil.example"
LOCAL = "http://127.0.0.1:4566"


@pytest.mark.parametrize(
    "headers",
    [
        # What a page of another origin makes a browser send (a form, `fetch` no-cors)
        {"Host": "127.0.0.1", "Content-Type": "text/plain", "Origin": EVIL},
        {"Host": "127.0.0.1:4566", "Origin": EVIL, "Sec-Fetch-Site": "cross-site"},
        {
            "Host": "localhost",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "https://evil.example:8443",
            "Sec-Fetch-Site": "cross-site",
        },
        {"Host": "127.0.0.1", "Sec-Fetch-Site": "cross-site"},  # the browser hid the Origin
        {"Host": "127.0.0.1", "Sec-Fetch-Site": "same-site"},
        {"Host": "127.0.0.1", "X-Appmesh-Mock": "1", "Origin": "https://evil.example"},
        {"Host": "127.0.0.1", "X-Appmesh-Mock": "1", "Origin": "null"},  # sandboxed, file:
        {"Host": "evil.example:4566", "X-Appmesh-Mock": "1"},  # DNS rebinding
        {"Host": "evil.example:4566"},
        {"X-Appmesh-Mock": "1"},  # no Host at all
    ],
)
def test_a_reset_a_browser_or_a_foreign_host_could_send_is_refused(
    session_server: ServerProcess, headers: dict[str, str]
) -> None:
    session_server.reset()
    session_server.client().create_mesh(meshName="kept")
    assert control(session_server, "POST", "reset", headers) == 403
    assert [m["meshName"] for m in session_server.client().list_meshes()["meshes"]] == ["kept"]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "[2001:db8::1]:4566"])
def test_state_is_not_shown_to_a_foreign_host(session_server: ServerProcess, host: str) -> None:
    assert control(session_server, "GET", "state", {"Host": host}) == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "127.0.0.1:4566"},  # curl -X POST, a script: no Origin, no Sec-Fetch-Site
        {"Host": "localhost", "Content-Type": "text/plain"},
        {"Host": "localhost:4566", "Content-Type": "application/json"},
        {"Host": "[::1]:4566", "X-Appmesh-Mock": "yes"},
        # The dashboard's own page, and a local development page on another port
        {"Host": "127.0.0.1:4566", "Origin": LOCAL, "Sec-Fetch-Site": "same-origin"},
        {"Host": "127.0.0.1", "Origin": "http://localhost:3000", "Sec-Fetch-Site": "cross-site"},
        {"Host": "127.0.0.1", "Sec-Fetch-Site": "none"},  # typed into the address bar
    ],
)
def test_a_local_reset_is_answered(
    session_server: ServerProcess, headers: dict[str, str]
) -> None:
    session_server.client().create_mesh(meshName=f"gone-{len(headers)}")
    assert control(session_server, "POST", "reset", headers) == 200
    assert session_server.client().list_meshes()["meshes"] == []
    assert control(session_server, "GET", "state", {"Host": headers["Host"]}) == 200


def test_a_link_from_another_site_opens_the_dashboard(session_server: ServerProcess) -> None:
    """A navigation is a GET: its answer goes to the browser's tab, not to the linking page."""
    headers = {"Host": "127.0.0.1:4566", "Sec-Fetch-Site": "cross-site"}
    assert control(session_server, "GET", "ui", headers) == 200


def test_an_allowed_host_name_is_answered(tmp_path: Path) -> None:
    with running_server(tmp_path, "--quiet", "--allow-host", "appmesh") as server:
        assert control(server, "GET", "state", {"Host": "appmesh:4566"}) == 200
        assert control(server, "GET", "state", {"Host": "other:4566"}) == 403
