"""Next to moto's `mock_aws`: App Mesh calls are answered by this mock alone, moto's own App
Mesh backend never sees them, and every other service stays moto's. Both nesting orders,
stacked decorators, and the one case that needs `patch_client`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

moto = pytest.importorskip("moto")
from moto.appmesh.models import appmesh_backends  # noqa: E402

from appmesh_mock import mock_appmesh, patch_client  # noqa: E402
from appmesh_mock.inprocess import botocore_hook  # noqa: E402

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account, and this mock's


def appmesh() -> Any:
    return boto3.client("appmesh", region_name=REGION)


def moto_meshes() -> list[str]:
    """What moto's App Mesh backend holds, read from moto itself."""
    return list(appmesh_backends[ACCOUNT][REGION].meshes)


def assert_answered_here_and_moto_untouched() -> None:
    created = appmesh().create_mesh(meshName="shop")["mesh"]
    # This mock's answer: a uid, the status object and the ARN of App Mesh's documented form.
    assert created["metadata"]["arn"] == f"arn:aws:appmesh:{REGION}:{ACCOUNT}:mesh/shop"
    assert created["status"] == {"status": "ACTIVE"}
    appmesh().create_virtual_node(meshName="shop", virtualNodeName="node", spec={})
    assert [m["meshName"] for m in appmesh().list_meshes()["meshes"]] == ["shop"]
    assert moto_meshes() == []
    # Other services are still moto's.
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="moto-bucket")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["moto-bucket"]


def test_appmesh_inside_moto() -> None:
    with moto.mock_aws():
        with mock_appmesh():
            assert_answered_here_and_moto_untouched()
        # This mock is off: moto answers App Mesh again, from its own (empty) state.
        assert appmesh().list_meshes()["meshes"] == []


def test_moto_inside_appmesh() -> None:
    with mock_appmesh():
        with moto.mock_aws():
            assert_answered_here_and_moto_untouched()
        # moto is off: the mesh is still this mock's.
        assert [m["meshName"] for m in appmesh().list_meshes()["meshes"]] == ["shop"]


@moto.mock_aws
@mock_appmesh
def test_stacked_moto_outside() -> None:
    assert_answered_here_and_moto_untouched()


@mock_appmesh
@moto.mock_aws
def test_stacked_appmesh_outside() -> None:
    assert_answered_here_and_moto_untouched()


@pytest.fixture
def unhooked_client() -> Iterator[Any]:
    """A client like one made before `appmesh_mock` was imported: without this mock's hook."""
    client = appmesh()
    client.meta.events.unregister(botocore_hook.EVENT, botocore_hook.before_send)
    yield client


def test_client_without_the_hook_needs_patch_client(unhooked_client: Any) -> None:
    with moto.mock_aws(), mock_appmesh():
        # moto's catch-all hook answers first: such a client reaches moto...
        unhooked_client.create_mesh(meshName="to-moto")
        assert moto_meshes() == ["to-moto"]
        assert appmesh().list_meshes()["meshes"] == []
        # ...until it is patched.
        patch_client(unhooked_client).create_mesh(meshName="here")
        assert [m["meshName"] for m in appmesh().list_meshes()["meshes"]] == ["here"]
        assert moto_meshes() == ["to-moto"]
    with mock_appmesh():
        # Without moto, the transport guard answers it, patched or not.
        unhooked_client.meta.events.unregister(
            botocore_hook.EVENT, unique_id=botocore_hook.UNIQUE_ID
        )
        unhooked_client.create_mesh(meshName="guarded")
        assert [m["meshName"] for m in appmesh().list_meshes()["meshes"]] == ["guarded"]


def test_tagging_api_next_to_moto() -> None:
    """App-Mesh-only Tagging API calls are this mock's; any other goes to moto."""
    with moto.mock_aws(), mock_appmesh():
        appmesh().create_mesh(meshName="shop", tags=[{"key": "env", "value": "prod"}])
        mesh_arn = f"arn:aws:appmesh:{REGION}:{ACCOUNT}:mesh/shop"
        tagging = boto3.client("resourcegroupstaggingapi", region_name=REGION)
        found = tagging.get_resources(ResourceTypeFilters=["appmesh:mesh"])
        assert [m["ResourceARN"] for m in found["ResourceTagMappingList"]] == [mesh_arn]
        done = tagging.tag_resources(ResourceARNList=[mesh_arn], Tags={"team": "a"})
        assert done["FailedResourcesMap"] == {}
        tags = appmesh().list_tags_for_resource(resourceArn=mesh_arn)["tags"]
        assert {t["key"] for t in tags} == {"env", "team"}
        # No filter: moto answers, from its own resources (a tagged S3 bucket), not App Mesh's.
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="tagged-bucket")
        s3.put_bucket_tagging(
            Bucket="tagged-bucket", Tagging={"TagSet": [{"Key": "env", "Value": "prod"}]}
        )
        everything = tagging.get_resources()["ResourceTagMappingList"]
        assert [m["ResourceARN"] for m in everything] == ["arn:aws:s3:::tagged-bucket"]
