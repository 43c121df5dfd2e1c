"""Testing failure and asserting calls with appmesh-mock (docs/testing-failure.md).

Run: .venv/bin/python -m pytest examples/test_failure_and_calls.py
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from appmesh_mock import MockAppMesh, mock_appmesh


# The code under test ---------------------------------------------------------------------
def ensure_mesh(client: Any, name: str) -> dict[str, Any]:
    """The mesh `name`, created if it does not exist yet."""
    try:
        return dict(client.describe_mesh(meshName=name)["mesh"])
    except client.exceptions.NotFoundException:
        return dict(client.create_mesh(meshName=name)["mesh"])


def shift_traffic(client: Any, mesh: str, router: str, route: str, canary_weight: int) -> None:
    """Sends `canary_weight`% of a route's traffic to its second target."""
    spec = client.describe_route(meshName=mesh, virtualRouterName=router, routeName=route)[
        "route"
    ]["spec"]
    targets = spec["httpRoute"]["action"]["weightedTargets"]
    targets[0]["weight"], targets[1]["weight"] = 100 - canary_weight, canary_weight
    client.update_route(meshName=mesh, virtualRouterName=router, routeName=route, spec=spec)


# The tests -------------------------------------------------------------------------------
@mock_appmesh(pass_mock="m")
def test_ensure_mesh_survives_two_throttles(m: MockAppMesh) -> None:
    m.add_fault("CreateMesh", error="TooManyRequestsException", times=2)
    retrying = Config(retries={"mode": "standard", "total_max_attempts": 3})
    client = boto3.client("appmesh", region_name="us-east-1", config=retrying)

    mesh = ensure_mesh(client, "shop")

    assert mesh["status"]["status"] == "ACTIVE"
    assert [(call.operation, call.status) for call in m.calls] == [
        ("DescribeMesh", 404),
        ("CreateMesh", 429),  # throttled by the fault...
        ("CreateMesh", 429),
        ("CreateMesh", 200),  # ...and boto3's retries got through
    ]


@mock_appmesh(pass_mock="m")
def test_a_failure_that_outlasts_the_retries_reaches_the_caller(m: MockAppMesh) -> None:
    m.add_fault("DescribeMesh", error="ServiceUnavailableException")
    client = boto3.client("appmesh", region_name="us-east-1",
                          config=Config(retries={"total_max_attempts": 1}))  # fmt: skip
    with pytest.raises(ClientError) as caught:
        ensure_mesh(client, "shop")
    assert caught.value.response["Error"]["Code"] == "ServiceUnavailableException"
    assert not m.calls.of("CreateMesh")  # it never went on to create anything


@mock_appmesh(pass_mock="m")
def test_shift_traffic_makes_exactly_one_update(m: MockAppMesh) -> None:
    client = boto3.client("appmesh", region_name="us-east-1")
    client.create_mesh(meshName="shop")
    for node in ("cart-v1", "cart-v2"):
        client.create_virtual_node(meshName="shop", virtualNodeName=node, spec={})
    listeners = [{"portMapping": {"port": 8080, "protocol": "http"}}]
    client.create_virtual_router(meshName="shop", virtualRouterName="cart",
                                 spec={"listeners": listeners})  # fmt: skip
    action = {"weightedTargets": [{"virtualNode": "cart-v1", "weight": 100},
                                  {"virtualNode": "cart-v2", "weight": 0}]}  # fmt: skip
    route = {"httpRoute": {"match": {"prefix": "/"}, "action": action}}
    client.create_route(meshName="shop", virtualRouterName="cart", routeName="split", spec=route)
    m.calls.clear()  # only what the code under test does

    shift_traffic(client, "shop", "cart", "split", canary_weight=10)

    (update,) = m.calls.of("UpdateRoute")
    weights = update.params["spec"]["httpRoute"]["action"]["weightedTargets"]
    assert [(t["virtualNode"], t["weight"]) for t in weights] == [("cart-v1", 90), ("cart-v2", 10)]
    assert m.calls.operations == ["DescribeRoute", "UpdateRoute"]
