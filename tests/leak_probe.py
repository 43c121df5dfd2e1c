"""Run as a script by test_no_leak.py, in a fresh interpreter: an audit hook refuses and
records every DNS look-up and socket connect, then App Mesh clients made at every stage (before
`appmesh_mock` is imported, before the mock starts, from the default session, a custom
session, a bare botocore session, with a custom endpoint URL, aiobotocore where installed) make
calls while a mock is active. Prints one JSON document: what each call got, and every network
attempt seen while the mock was on and, as a control, after it stopped."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

ATTEMPTS: list[str] = []


def refuse_network(event: str, args: tuple[Any, ...]) -> None:
    if event in ("socket.connect", "socket.getaddrinfo"):
        ATTEMPTS.append(f"{event} {args[:2]!r}")
        raise ConnectionRefusedError(f"audit hook: no network in this test ({event})")


sys.addaudithook(refuse_network)

import boto3  # noqa: E402
import botocore.session  # noqa: E402
from botocore.config import Config  # noqa: E402

ONCE = Config(retries={"total_max_attempts": 1}, connect_timeout=1)
REGION = "us-east-1"

try:
    from aiobotocore.session import get_session as aio_session
except ImportError:  # the main venv: aiobotocore lives in .venv-async
    aio_session = None


def early_clients() -> dict[str, Any]:
    """Clients made before `appmesh_mock` is imported: their sessions never saw the hook."""
    clients = {
        "default session, before import": boto3.client("appmesh", region_name=REGION),
        "custom session, before import": boto3.Session(region_name=REGION).client("appmesh"),
        "botocore session, before import": botocore.session.get_session().create_client(
            "appmesh", region_name=REGION, config=ONCE
        ),
        "closed loopback endpoint, before import": boto3.client(
            "appmesh", region_name=REGION, endpoint_url="http://127.0.0.1:9", config=ONCE
        ),
        "AWS endpoint URL, before import": boto3.client(
            "appmesh",
            region_name=REGION,
            endpoint_url="https://appmesh.us-east-1.amazonaws.com",
            config=ONCE,
        ),
        "tagging API, before import": boto3.client("resourcegroupstaggingapi", region_name=REGION),
    }
    return clients


def call(name: str, client: Any) -> str:
    try:
        if name.startswith("tagging"):
            client.get_resources(ResourceTypeFilters=["appmesh:mesh"])
        else:
            client.list_meshes()
    except Exception as exc:  # what the call got is the result
        return f"{type(exc).__name__}: {exc}"
    return "answered"


async def aio_calls(results: dict[str, str], early: Any) -> None:
    async with aio_session().create_client("appmesh", region_name=REGION) as late:
        for name, client in (("aiobotocore, before import", early), ("aiobotocore", late)):
            try:
                await client.list_meshes()
                results[name] = "answered"
            except Exception as exc:
                results[name] = f"{type(exc).__name__}: {exc}"


async def main() -> None:
    clients = early_clients()
    early_aio = None
    if aio_session is not None:
        early_aio = await aio_session().create_client("appmesh", region_name=REGION).__aenter__()

    from appmesh_mock import mock_appmesh

    clients["default session, before start"] = boto3.client("appmesh", region_name=REGION)
    clients["custom session, before start"] = boto3.Session().client("appmesh", region_name=REGION)
    results: dict[str, str] = {}
    with mock_appmesh():
        clients["custom endpoint, while active"] = boto3.client(
            "appmesh", region_name=REGION, endpoint_url="http://127.0.0.1:9", config=ONCE
        )
        for name, client in clients.items():
            results[name] = call(name, client)
        if early_aio is not None:
            await aio_calls(results, early_aio)
    while_active = list(ATTEMPTS)
    # Control: the same kind of client, with no mock active, is refused by the audit hook.
    control = call("control", clients["AWS endpoint URL, before import"])
    if early_aio is not None:
        await early_aio.__aexit__(None, None, None)
    print(
        json.dumps(
            {
                "results": results,
                "attempts": while_active,
                "control": control,
                "control_attempts": ATTEMPTS[len(while_active) :],
            }
        )
    )


asyncio.run(main())
