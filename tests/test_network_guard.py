"""The suite's network guard (tests/network_guard.py, switched on in conftest.py): a connect
or DNS look-up past loopback is refused with an error naming the address, in sync and asyncio
code, while loopback still works."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
import requests
from network_guard import NetworkRefused

TEST_NET = ("192.0.2.1", 443)  # RFC 5737 documentation range: routed nowhere
AWS_HOST = "appmesh.us-east-1.amazonaws.com"


@pytest.fixture
def expected_refusals() -> Iterator[list[str]]:
    """The guard's record of refusals, emptied after the test: these were meant."""
    import network_guard

    yield network_guard.refused
    network_guard.refused.clear()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server


def test_a_connect_past_loopback_is_refused_naming_the_address(
    expected_refusals: list[str],
) -> None:
    with socket.socket() as sock, pytest.raises(NetworkRefused, match=r"192\.0\.2\.1:443"):
        sock.connect(TEST_NET)
    with socket.socket() as sock, pytest.raises(NetworkRefused):
        sock.connect_ex(TEST_NET)
    with pytest.raises(NetworkRefused, match=r"192\.0\.2\.1:443"):
        socket.create_connection(TEST_NET, timeout=1)
    assert expected_refusals == ["connect to 192.0.2.1:443"] * 3


def test_a_dns_look_up_of_an_aws_name_is_refused(expected_refusals: list[str]) -> None:
    with pytest.raises(NetworkRefused, match=AWS_HOST):
        socket.getaddrinfo(AWS_HOST, 443)
    with pytest.raises(NetworkRefused, match=AWS_HOST):
        socket.gethostbyname(AWS_HOST)
    # What a test would meet if the interception it relies on broke.
    with pytest.raises(requests.ConnectionError, match="loopback only"):
        requests.get(f"https://{AWS_HOST}/v20190125/meshes", timeout=1)
    assert len(expected_refusals) == 3


def test_asyncio_connects_past_loopback_are_refused(expected_refusals: list[str]) -> None:
    async def connect(host: str) -> None:
        await asyncio.open_connection(host, 443)

    with pytest.raises(NetworkRefused, match=r"192\.0\.2\.1:443"):
        asyncio.run(connect(TEST_NET[0]))
    with pytest.raises(NetworkRefused, match=AWS_HOST):
        asyncio.run(connect(AWS_HOST))
    assert len(expected_refusals) == 2


def test_loopback_is_reached(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    for host in ("127.0.0.1", "localhost"):
        with socket.create_connection((host, port), timeout=5) as sock:
            accepted, _ = listener.accept()
            accepted.sendall(b"ok")
            assert sock.recv(2) == b"ok"
            accepted.close()

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        accepted, _ = await asyncio.get_running_loop().sock_accept(listener)
        accepted.sendall(b"ok")
        data = await reader.readexactly(2)
        writer.close()
        accepted.close()
        return data

    listener.setblocking(False)
    assert asyncio.run(exchange()) == b"ok"
