"""The Resource Groups Tagging API over App Mesh resources, through boto3's
`resourcegroupstaggingapi` client: in-process, over HTTP from the server, and next to moto."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config

from appmesh_mock import MockAppMesh, MockServer

REGION = "us-east-1"
ACCOUNT = "123456789012"


def arn(path: str, account: str = ACCOUNT, region: str = REGION) -> str:
    return f"arn:aws:appmesh:{region}:{account}:{path}"


@pytest.fixture
def appmesh(mock: MockAppMesh) -> Any:
    return boto3.client("appmesh", region_name=REGION)


@pytest.fixture
def tagging(mock: MockAppMesh) -> Any:
    return boto3.client("resourcegroupstaggingapi", region_name=REGION)


def build(appmesh: Any) -> None:
    """Two meshes and one of each kind inside `shop`, some tagged."""
    appmesh.create_mesh(meshName="shop", tags=[{"key": "env", "value": "prod"}])
    appmesh.create_mesh(meshName="lab", tags=[{"key": "env", "value": "dev"}])
    appmesh.create_mesh(meshName="untagged")
    appmesh.create_virtual_node(
        meshName="shop",
        virtualNodeName="web",
        spec={},
        tags=[{"key": "env", "value": "prod"}, {"key": "team", "value": "a"}],
    )
    appmesh.create_virtual_router(
        meshName="shop",
        virtualRouterName="router",
        spec={"listeners": [{"portMapping": {"port": 80, "protocol": "http"}}]},
        tags=[{"key": "team", "value": "b"}],
    )
    appmesh.create_route(
        meshName="shop",
        virtualRouterName="router",
        routeName="all",
        spec={
            "httpRoute": {
                "match": {"prefix": "/"},
                "action": {"weightedTargets": [{"virtualNode": "web", "weight": 1}]},
            }
        },
        tags=[{"key": "team", "value": "b"}],
    )


def arns(response: dict[str, Any]) -> list[str]:
    return [m["ResourceARN"] for m in response["ResourceTagMappingList"]]


def test_get_resources_lists_tagged_resources_in_creation_order(appmesh: Any, tagging: Any) -> None:
    build(appmesh)
    found = tagging.get_resources()
    assert arns(found) == [
        arn("mesh/shop"),
        arn("mesh/lab"),
        arn("mesh/shop/virtualNode/web"),
        arn("mesh/shop/virtualRouter/router"),
        arn("mesh/shop/virtualRouter/router/route/all"),
    ]  # the untagged mesh is not listed
    web = found["ResourceTagMappingList"][2]
    assert web["Tags"] == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "a"}]


def test_resource_type_filters(appmesh: Any, tagging: Any) -> None:
    build(appmesh)
    assert arns(tagging.get_resources(ResourceTypeFilters=["appmesh:mesh"])) == [
        arn("mesh/shop"),
        arn("mesh/lab"),
    ]
    assert arns(
        tagging.get_resources(ResourceTypeFilters=["appmesh:virtualNode", "appmesh:route"])
    ) == [arn("mesh/shop/virtualNode/web"), arn("mesh/shop/virtualRouter/router/route/all")]
    assert len(arns(tagging.get_resources(ResourceTypeFilters=["appmesh"]))) == 5
    assert arns(tagging.get_resources(ResourceTypeFilters=["ec2:instance"])) == []


def test_tag_filters(appmesh: Any, tagging: Any) -> None:
    build(appmesh)
    prod = tagging.get_resources(TagFilters=[{"Key": "env", "Values": ["prod"]}])
    assert arns(prod) == [arn("mesh/shop"), arn("mesh/shop/virtualNode/web")]
    either = tagging.get_resources(TagFilters=[{"Key": "env", "Values": ["prod", "dev"]}])
    assert arns(either) == [arn("mesh/shop"), arn("mesh/lab"), arn("mesh/shop/virtualNode/web")]
    both = tagging.get_resources(
        TagFilters=[{"Key": "env", "Values": ["prod"]}, {"Key": "team"}],
        ResourceTypeFilters=["appmesh:virtualNode", "appmesh:mesh"],
    )
    assert arns(both) == [arn("mesh/shop/virtualNode/web")]


def test_pagination(appmesh: Any, tagging: Any) -> None:
    build(appmesh)
    first = tagging.get_resources(ResourcesPerPage=2)
    assert len(first["ResourceTagMappingList"]) == 2 and first["PaginationToken"]
    pages = list(tagging.get_paginator("get_resources").paginate(ResourcesPerPage=2))
    assert [len(p["ResourceTagMappingList"]) for p in pages] == [2, 2, 1]
    assert pages[-1]["PaginationToken"] == ""
    flat = [a for p in pages for a in arns(p)]
    assert flat == arns(tagging.get_resources())
    with pytest.raises(tagging.exceptions.InvalidParameterException):
        tagging.get_resources(PaginationToken="not-a-token")


def test_resource_arn_list(appmesh: Any, tagging: Any) -> None:
    build(appmesh)
    wanted = [arn("mesh/shop/virtualNode/web"), arn("mesh/untagged"), arn("mesh/missing")]
    assert arns(tagging.get_resources(ResourceARNList=wanted)) == [wanted[0]]
    with pytest.raises(tagging.exceptions.InvalidParameterException, match="ResourceARNList"):
        tagging.get_resources(ResourceARNList=wanted, TagFilters=[{"Key": "env"}])


def test_tag_and_untag_resources_share_app_mesh_tags(appmesh: Any, tagging: Any) -> None:
    build(appmesh)
    untagged = arn("mesh/untagged")
    done = tagging.tag_resources(ResourceARNList=[untagged], Tags={"owner": "me", "env": "qa"})
    assert done["FailedResourcesMap"] == {}
    listed = appmesh.list_tags_for_resource(resourceArn=untagged)["tags"]
    assert sorted((t["key"], t["value"]) for t in listed) == [("env", "qa"), ("owner", "me")]
    # App Mesh's own TagResource is seen by the Tagging API too.
    appmesh.tag_resource(resourceArn=untagged, tags=[{"key": "extra", "value": "1"}])
    tagged = tagging.get_resources(ResourceARNList=[untagged])["ResourceTagMappingList"]
    assert {t["Key"] for t in tagged[0]["Tags"]} == {"owner", "env", "extra"}

    tagging.untag_resources(ResourceARNList=[untagged], TagKeys=["owner", "env", "extra"])
    assert appmesh.list_tags_for_resource(resourceArn=untagged)["tags"] == []
    # Ever tagged: listed with an empty tag set.
    assert tagging.get_resources(ResourceARNList=[untagged])["ResourceTagMappingList"] == [
        {"ResourceARN": untagged, "Tags": []}
    ]


def test_failures_are_reported_per_resource(appmesh: Any, tagging: Any, mock: MockAppMesh) -> None:
    build(appmesh)
    missing, foreign, good = arn("mesh/nope"), "arn:aws:s3:::bucket", arn("mesh/lab")
    done = tagging.tag_resources(ResourceARNList=[missing, foreign, good], Tags={"k": "v"})
    failed = done["FailedResourcesMap"]
    assert set(failed) == {missing, foreign}
    assert failed[missing]["StatusCode"] == 404
    assert failed[missing]["ErrorCode"] == "InvalidParameterException"
    assert "NotFoundException" in failed[missing]["ErrorMessage"]
    assert mock.snapshot()["meshes"]["lab"]["tags"] == {"env": "dev", "k": "v"}
    # Over the tags-per-resource quota: that resource fails and keeps its tags.
    too_many = {f"key{i}": "v" for i in range(50)}
    over = tagging.tag_resources(ResourceARNList=[good], Tags=too_many)["FailedResourcesMap"]
    assert "TooManyTagsException" in over[good]["ErrorMessage"]
    assert mock.snapshot()["meshes"]["lab"]["tags"] == {"env": "dev", "k": "v"}


def test_bad_input_is_refused(tagging: Any) -> None:
    with pytest.raises(tagging.exceptions.InvalidParameterException, match="ResourcesPerPage"):
        tagging.get_resources(ResourcesPerPage=101)
    with pytest.raises(tagging.exceptions.InvalidParameterException, match="TagsPerPage"):
        tagging.get_resources(TagsPerPage=20)
    lax = boto3.client(
        "resourcegroupstaggingapi",
        region_name=REGION,
        config=Config(parameter_validation=False),
    )
    with pytest.raises(lax.exceptions.InvalidParameterException):
        lax.tag_resources(ResourceARNList=[], Tags={"k": "v"})  # the model's minimum of 1
    with pytest.raises(tagging.exceptions.InvalidParameterException, match="does not implement"):
        tagging.get_compliance_summary()


def test_tag_keys_and_values(appmesh: Any, tagging: Any) -> None:
    build(appmesh)
    assert tagging.get_tag_keys()["TagKeys"] == ["env", "team"]
    assert tagging.get_tag_values(Key="team")["TagValues"] == ["a", "b"]


def test_accounts_and_regions_are_separate(appmesh: Any, mock: MockAppMesh) -> None:
    build(appmesh)
    other_region = boto3.client("resourcegroupstaggingapi", region_name="eu-west-1")
    assert other_region.get_resources()["ResourceTagMappingList"] == []
    other_account = boto3.client(
        "resourcegroupstaggingapi",
        region_name=REGION,
        aws_access_key_id="210987654321",
        aws_secret_access_key="s",
    )
    assert other_account.get_resources()["ResourceTagMappingList"] == []
    failed = other_account.tag_resources(ResourceARNList=[arn("mesh/shop")], Tags={"k": "v"})
    refused = failed["FailedResourcesMap"][arn("mesh/shop")]
    assert (refused["StatusCode"], refused["ErrorMessage"].split(":")[0]) == (
        403,
        "ForbiddenException",
    )


def test_server_mode() -> None:
    """The HTTP server answers the Tagging API too, from its own store."""
    with MockServer(isolated=True) as server:
        options = {
            "region_name": REGION,
            "endpoint_url": server.url,
            "aws_access_key_id": "AKIDSERVER",
            "aws_secret_access_key": "s",
        }
        appmesh = boto3.client("appmesh", **options)
        tagging = boto3.client("resourcegroupstaggingapi", **options)
        appmesh.create_mesh(meshName="served")
        served = arn("mesh/served")
        done = tagging.tag_resources(ResourceARNList=[served], Tags={"k": "v"})
        assert done["FailedResourcesMap"] == {}
        found = tagging.get_resources(ResourceTypeFilters=["appmesh:mesh"])
        assert found["ResourceTagMappingList"] == [
            {"ResourceARN": served, "Tags": [{"Key": "k", "Value": "v"}]}
        ]
