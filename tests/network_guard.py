"""No test reaches past loopback: socket connects and DNS look-ups of anything but a loopback
address or `localhost` raise `NetworkRefused`, naming the address.

The mock answers App Mesh calls in-process; if its interception broke, a test that sends a
signed request to appmesh.*.amazonaws.com would otherwise go to AWS and could even pass. The
guard is a patch on `socket` (not an audit hook, which can never be removed), active for the
whole session through tests/conftest.py. It covers this interpreter only: the tests that run
`appmesh-mock serve`, the AWS CLI, Cloud Custodian or node in a subprocess point them at a
server on 127.0.0.1 by construction, and those processes set AWS_EC2_METADATA_DISABLED.

`NetworkRefused` is a ConnectionRefusedError, so that libraries behave as they would with no
network (botocore, urllib3 and asyncio report it as a failed connection, the message kept);
each refusal is also recorded, and the test that caused one fails even if a library swallowed
the error (see `refused`).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

refused: list[str] = []  # what was refused, in order; emptied by the test that expects it


class NetworkRefused(ConnectionRefusedError):
    """A test tried to reach past loopback."""


def _parse(host: Any) -> tuple[str, ipaddress.IPv4Address | ipaddress.IPv6Address | None]:
    """`host` (str or bytes; None: the local wildcard) as a plain name, and as an address
    when it is one."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = "" if host is None else str(host).strip("[]").split("%", 1)[0].rstrip(".").lower()
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return name, None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return name, address


def is_local(host: Any) -> bool:
    """Whether `host` (a name or an address) is this machine, known without DNS."""
    name, address = _parse(host)
    if address is None:
        return name in ("", *LOCAL_NAMES)
    return address.is_loopback or address.is_unspecified  # 0.0.0.0 and :: mean this host


def needs_dns(host: Any) -> bool:
    """Whether looking `host` up asks a name server (an address literal never does: a connect
    to it is checked on its own)."""
    name, address = _parse(host)
    return address is None and name not in ("", *LOCAL_NAMES)


def _refuse(what: str) -> NetworkRefused:
    message = f"the test suite reaches loopback only: {what} refused (tests/network_guard.py)"
    refused.append(what)
    return NetworkRefused(message)


def _check_address(sock: socket.socket, address: Any) -> None:
    inet = sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple)
    if inet and not is_local(address[0]):
        raise _refuse(f"connect to {address[0]}:{address[1]}")


@contextmanager
def refusing_network() -> Iterator[None]:
    """Patches `socket` so that only loopback is reached, until the block ends."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    getaddrinfo, gethostbyname = socket.getaddrinfo, socket.gethostbyname

    def guarded_connect(self: socket.socket, address: Any) -> None:
        _check_address(self, address)
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        _check_address(self, address)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if needs_dns(host):
            raise _refuse(f"DNS look-up of {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    def guarded_gethostbyname(host: str) -> str:
        if needs_dns(host):
            raise _refuse(f"DNS look-up of {host!r}")
        return gethostbyname(host)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", guarded_connect)
        patch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
        patch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
        patch.setattr(socket, "gethostbyname", guarded_gethostbyname)
        yield
