"""A first end-to-end pass through boto3: the engine answers both API versions."""

from __future__ import annotations

from typing import Any

import boto3
import pytest


def test_create_and_describe_mesh(appmesh_client: Any) -> None:
    created = appmesh_client.create_mesh(meshName="m1")["mesh"]
    described = appmesh_client.describe_mesh(meshName="m1")["mesh"]
    assert described == created
    assert created["metadata"]["arn"] == "arn:aws:appmesh:us-east-1:123456789012:mesh/m1"
    assert created["spec"] == {}


def test_missing_mesh_is_not_found(appmesh_client: Any) -> None:
    with pytest.raises(appmesh_client.exceptions.NotFoundException) as caught:
        appmesh_client.describe_mesh(meshName="absent")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_legacy_client_reads_the_same_store(appmesh_client: Any) -> None:
    appmesh_client.create_mesh(meshName="shared")
    legacy = boto3.client("appmesh", region_name="us-east-1", api_version="2018-10-01")
    mesh = legacy.describe_mesh(meshName="shared")["mesh"]
    assert mesh["meshName"] == "shared"
    assert "spec" not in mesh and "meshOwner" not in mesh["metadata"]
