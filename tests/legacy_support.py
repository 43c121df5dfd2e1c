"""Helpers for the tests of the original App Mesh API (2018-10-01): clients, error checks,
"state unchanged" checks, a ticking clock and small spec builders in the 2018 shapes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from appmesh_mock import MockAppMesh
from appmesh_mock.session import RUNTIME

LEGACY = "2018-10-01"
REGION = "us-east-1"
ACCOUNT = "123456789012"
ARN_PREFIX = f"arn:aws:appmesh:{REGION}:{ACCOUNT}:"
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")

STATUS = {
    "BadRequestException": 400,
    "ConflictException": 409,
    "LimitExceededException": 400,
    "NotFoundException": 404,
    "ResourceInUseException": 409,
}


def legacy_client(validate: bool = True) -> Any:
    """A 2018-10-01 client as users make one. It tries once: botocore retries
    LimitExceededException as throttling, which would only slow the quota tests down.
    `validate=False` turns botocore's own parameter validation off, so bad input reaches the
    mock as it would reach AWS from a client that does not validate."""
    config = Config(parameter_validation=validate, retries={"total_max_attempts": 1})
    return boto3.client("appmesh", region_name=REGION, api_version=LEGACY, config=config)


@dataclass
class Caught:
    code: str = ""
    status: int = 0
    message: str = ""
    response: dict[str, Any] = field(default_factory=dict)


@contextmanager
def expect_error(code: str, match: str | None = None) -> Iterator[Caught]:
    """The block must fail with `code` and the model's HTTP status for it, and a message."""
    caught = Caught()
    with pytest.raises(ClientError) as raised:
        yield caught
    response = raised.value.response
    caught.code = response["Error"]["Code"]
    caught.status = response["ResponseMetadata"]["HTTPStatusCode"]
    caught.message = response["Error"].get("Message", "")
    caught.response = response
    assert (caught.code, caught.status) == (code, STATUS[code]), response
    assert caught.message, response
    if match is not None:
        assert match in caught.message, caught.message


@contextmanager
def refused(mock: MockAppMesh, code: str, match: str | None = None) -> Iterator[Caught]:
    """The block must fail with `code` and leave every account's state exactly as it was."""
    before = all_state(mock)
    with expect_error(code, match) as caught:
        yield caught
    assert all_state(mock) == before


def all_state(mock: MockAppMesh) -> dict[str, Any]:
    """What the default account holds in the default region (the tests use no other)."""
    return mock.snapshot(ACCOUNT, REGION)


def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each request sees a later time (1.5 s per call), so "lastUpdatedAt moves" is checked
    exactly, with no sleeping and no dependence on the wall clock's resolution."""
    ticks = iter(range(1, 1_000_000))

    def clock() -> float:
        return 1_700_000_000.0 + 1.5 * next(ticks)

    monkeypatch.setattr(RUNTIME.store, "clock", clock)


def strip(response: dict[str, Any]) -> dict[str, Any]:
    """A response without ResponseMetadata, for comparing two answers."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


# Spec builders (2018-10-01 shapes) -----------------------------------------------------------


def health_check(port: int | None = None) -> dict[str, Any]:
    check: dict[str, Any] = {
        "healthyThreshold": 2,
        "intervalMillis": 5000,
        "path": "/ping",
        "protocol": "http",
        "timeoutMillis": 2000,
        "unhealthyThreshold": 2,
    }
    if port is not None:
        check["port"] = port
    return check


def node_spec(
    service_name: str = "app.local",
    port: int = 8080,
    backends: list[str] | None = None,
    with_health_check: bool = False,
) -> dict[str, Any]:
    listener: dict[str, Any] = {"portMapping": {"port": port, "protocol": "http"}}
    if with_health_check:
        listener["healthCheck"] = health_check(port)
    spec: dict[str, Any] = {
        "listeners": [listener],
        "serviceDiscovery": {"dns": {"serviceName": service_name}},
    }
    if backends is not None:
        spec["backends"] = backends
    return spec


def router_spec(*service_names: str) -> dict[str, Any]:
    return {"serviceNames": list(service_names or ("app.local",))}


def route_spec(*targets: tuple[str, int], prefix: str = "/") -> dict[str, Any]:
    return {
        "httpRoute": {
            "match": {"prefix": prefix},
            "action": {
                "weightedTargets": [{"virtualNode": node, "weight": w} for node, w in targets]
            },
        }
    }


def build_mesh(client: Any, mesh: str = "m") -> None:
    """mesh `m`: nodes `a` and `b`, router `r`, route `rt` sending 70/30 to a and b."""
    client.create_mesh(meshName=mesh)
    client.create_virtual_node(meshName=mesh, virtualNodeName="a", spec=node_spec("a.local"))
    client.create_virtual_node(meshName=mesh, virtualNodeName="b", spec=node_spec("b.local"))
    client.create_virtual_router(meshName=mesh, virtualRouterName="r", spec=router_spec())
    client.create_route(
        meshName=mesh,
        virtualRouterName="r",
        routeName="rt",
        spec=route_spec(("a", 70), ("b", 30)),
    )
