"""Tags through the default client: on create, TagResource (upsert), UntagResource, listing."""

from __future__ import annotations

from typing import Any

import pytest
from assertions import expect_error
from realistic_specs import (
    gateway_route_spec,
    gateway_spec,
    node_spec,
    path_route_spec,
    router_spec,
    service_spec,
)

from appmesh_mock import MockAppMesh

Tags = list[dict[str, str]]


def tags(**pairs: str) -> Tags:
    return [{"key": k, "value": v} for k, v in pairs.items()]


def listed(client: Any, arn: str) -> dict[str, str]:
    """All tags of `arn` as a dict, after checking that no key is listed twice."""
    found = client.list_tags_for_resource(resourceArn=arn)["tags"]
    keys = [tag["key"] for tag in found]
    assert len(keys) == len(set(keys)), found
    return {tag["key"]: tag["value"] for tag in found}


def _create_everything(client: Any, with_tags: Tags | None = None) -> dict[str, str]:
    """One resource of each of the seven kinds; returns kind -> ARN."""
    extra: dict[str, Any] = {"tags": with_tags} if with_tags is not None else {}
    arns = {}
    arns["mesh"] = client.create_mesh(meshName="prod", **extra)["mesh"]["metadata"]["arn"]
    m = {"meshName": "prod"}
    arns["virtualNode"] = client.create_virtual_node(
        **m, virtualNodeName="vn", spec=node_spec(), **extra
    )["virtualNode"]["metadata"]["arn"]
    arns["virtualRouter"] = client.create_virtual_router(
        **m, virtualRouterName="vr", spec=router_spec(), **extra
    )["virtualRouter"]["metadata"]["arn"]
    arns["route"] = client.create_route(
        **m, virtualRouterName="vr", routeName="r", spec=path_route_spec("vn"), **extra
    )["route"]["metadata"]["arn"]
    arns["virtualService"] = client.create_virtual_service(
        **m, virtualServiceName="vs.local", spec=service_spec(router="vr"), **extra
    )["virtualService"]["metadata"]["arn"]
    arns["virtualGateway"] = client.create_virtual_gateway(
        **m, virtualGatewayName="vg", spec=gateway_spec(), **extra
    )["virtualGateway"]["metadata"]["arn"]
    arns["gatewayRoute"] = client.create_gateway_route(
        **m,
        virtualGatewayName="vg",
        gatewayRouteName="gr",
        spec=gateway_route_spec("vs.local"),
        **extra,
    )["gatewayRoute"]["metadata"]["arn"]
    return arns


def test_every_kind_takes_tags_on_create(appmesh_client: Any) -> None:
    arns = _create_everything(appmesh_client, tags(team="payments", env="prod"))
    assert len(arns) == 7
    for arn in arns.values():
        assert listed(appmesh_client, arn) == {"team": "payments", "env": "prod"}


def test_every_kind_can_be_tagged_and_untagged(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    arns = _create_everything(appmesh_client)
    for arn in arns.values():
        assert listed(appmesh_client, arn) == {}
        assert appmesh_client.tag_resource(resourceArn=arn, tags=tags(owner="me")) is not None
        assert listed(appmesh_client, arn) == {"owner": "me"}
        appmesh_client.untag_resource(resourceArn=arn, tagKeys=["owner"])
        assert listed(appmesh_client, arn) == {}


def test_tagging_does_not_touch_the_resource(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    arn = appmesh_client.create_mesh(meshName="prod")["mesh"]["metadata"]["arn"]
    before = appmesh_mock.snapshot()["meshes"]["prod"]
    appmesh_client.tag_resource(resourceArn=arn, tags=tags(a="1"))
    after = appmesh_mock.snapshot()["meshes"]["prod"]
    assert after["tags"] == {"a": "1"}
    assert {**after, "tags": {}} == before


def test_tag_resource_upserts_by_key(appmesh_client: Any) -> None:
    arn = appmesh_client.create_mesh(meshName="prod", tags=tags(team="a", env="dev"))["mesh"][
        "metadata"
    ]["arn"]
    appmesh_client.tag_resource(resourceArn=arn, tags=tags(env="prod", cost="42"))
    assert listed(appmesh_client, arn) == {"team": "a", "env": "prod", "cost": "42"}
    # The same pairs again change nothing.
    appmesh_client.tag_resource(resourceArn=arn, tags=tags(env="prod", cost="42"))
    assert listed(appmesh_client, arn) == {"team": "a", "env": "prod", "cost": "42"}
    # An empty value is a value.
    appmesh_client.tag_resource(resourceArn=arn, tags=tags(team=""))
    assert listed(appmesh_client, arn)["team"] == ""


def test_untag_removes_only_the_keys_named(appmesh_client: Any) -> None:
    arn = appmesh_client.create_mesh(meshName="prod", tags=tags(a="1", b="2", c="3"))["mesh"][
        "metadata"
    ]["arn"]
    appmesh_client.untag_resource(resourceArn=arn, tagKeys=["a", "c", "not-there"])
    assert listed(appmesh_client, arn) == {"b": "2"}


def test_more_than_fifty_tags_applies_none(appmesh_client: Any, appmesh_mock: MockAppMesh) -> None:
    first = [{"key": f"k{i}", "value": "v"} for i in range(45)]
    arn = appmesh_client.create_mesh(meshName="prod", tags=first)["mesh"]["metadata"]["arn"]
    before = appmesh_mock.snapshot()
    # 3 overwrite existing keys, 6 are new: 51 in all.
    batch = [{"key": f"k{i}", "value": "new"} for i in range(42, 51)]
    with expect_error("TooManyTagsException", "50"):
        appmesh_client.tag_resource(resourceArn=arn, tags=batch)
    assert appmesh_mock.snapshot() == before
    assert len(listed(appmesh_client, arn)) == 45
    # Exactly 50 is fine.
    appmesh_client.tag_resource(resourceArn=arn, tags=batch[:8])
    assert len(listed(appmesh_client, arn)) == 50


def test_create_with_more_tags_than_the_model_allows_creates_nothing(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    too_many = [{"key": f"k{i}", "value": "v"} for i in range(51)]
    with expect_error("BadRequestException", "tags"):
        appmesh_client.create_mesh(meshName="prod", tags=too_many)
    assert appmesh_mock.snapshot() == {"meshes": {}}


@pytest.mark.appmesh_mock(quotas={"tags_per_resource": 2})
def test_create_over_the_tag_quota_is_too_many_tags(
    appmesh_client: Any, appmesh_mock: MockAppMesh
) -> None:
    appmesh_client.create_mesh(meshName="prod")
    before = appmesh_mock.snapshot()
    with expect_error("TooManyTagsException"):
        appmesh_client.create_virtual_node(
            meshName="prod", virtualNodeName="vn", spec={}, tags=tags(a="1", b="2", c="3")
        )
    assert appmesh_mock.snapshot() == before
    node = appmesh_client.create_virtual_node(
        meshName="prod", virtualNodeName="vn", spec={}, tags=tags(a="1", b="2")
    )
    with expect_error("TooManyTagsException"):
        appmesh_client.tag_resource(
            resourceArn=node["virtualNode"]["metadata"]["arn"], tags=tags(c="3")
        )


def test_bad_tags_change_nothing(appmesh_client: Any, appmesh_mock: MockAppMesh) -> None:
    arn = appmesh_client.create_mesh(meshName="prod", tags=tags(a="1"))["mesh"]["metadata"]["arn"]
    before = appmesh_mock.snapshot()
    with expect_error("BadRequestException", "key"):
        appmesh_client.tag_resource(resourceArn=arn, tags=[{"key": "k" * 129, "value": "v"}])
    with expect_error("BadRequestException", "value"):
        appmesh_client.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v" * 257}])
    assert appmesh_mock.snapshot() == before


def test_unknown_arn_is_not_found(appmesh_client: Any, appmesh_mock: MockAppMesh) -> None:
    appmesh_client.create_mesh(meshName="prod")
    before = appmesh_mock.snapshot()
    arn = "arn:aws:appmesh:us-east-1:123456789012:mesh/prod/virtualNode/ghost"
    with expect_error("NotFoundException", "ghost"):
        appmesh_client.tag_resource(resourceArn=arn, tags=tags(a="1"))
    with expect_error("NotFoundException", "ghost"):
        appmesh_client.untag_resource(resourceArn=arn, tagKeys=["a"])
    with expect_error("NotFoundException", "ghost"):
        appmesh_client.list_tags_for_resource(resourceArn=arn)
    with expect_error("NotFoundException"):
        appmesh_client.list_tags_for_resource(resourceArn="not-an-arn")
    assert appmesh_mock.snapshot() == before


def test_tags_go_away_with_their_resource(appmesh_client: Any) -> None:
    appmesh_client.create_mesh(meshName="prod")
    node = appmesh_client.create_virtual_node(
        meshName="prod", virtualNodeName="vn", spec={}, tags=tags(team="a")
    )
    arn = node["virtualNode"]["metadata"]["arn"]
    appmesh_client.tag_resource(resourceArn=arn, tags=tags(extra="b"))
    appmesh_client.delete_virtual_node(meshName="prod", virtualNodeName="vn")
    with expect_error("NotFoundException"):
        appmesh_client.list_tags_for_resource(resourceArn=arn)
    with expect_error("NotFoundException"):
        appmesh_client.tag_resource(resourceArn=arn, tags=tags(late="c"))
    again = appmesh_client.create_virtual_node(meshName="prod", virtualNodeName="vn", spec={})
    assert again["virtualNode"]["metadata"]["arn"] == arn
    assert listed(appmesh_client, arn) == {}


def test_a_recreated_mesh_starts_untagged(appmesh_client: Any) -> None:
    arn = appmesh_client.create_mesh(meshName="prod", tags=tags(a="1"))["mesh"]["metadata"]["arn"]
    appmesh_client.delete_mesh(meshName="prod")
    appmesh_client.create_mesh(meshName="prod")
    assert listed(appmesh_client, arn) == {}


def test_list_tags_pages_and_limits(appmesh_client: Any, appmesh_mock: MockAppMesh) -> None:
    many = [{"key": f"k{i:02}", "value": str(i)} for i in range(50)]
    arn = appmesh_client.create_mesh(meshName="prod", tags=many)["mesh"]["metadata"]["arn"]
    first = appmesh_client.list_tags_for_resource(resourceArn=arn, limit=50)
    assert first["tags"] == many
    assert "nextToken" not in first
    page = appmesh_client.list_tags_for_resource(resourceArn=arn, limit=1)
    assert page["tags"] == many[:1]
    rest = appmesh_client.list_tags_for_resource(resourceArn=arn, nextToken=page["nextToken"])
    assert rest["tags"] == many[1:]
    before = appmesh_mock.snapshot()
    with expect_error("BadRequestException", "limit"):
        appmesh_client.list_tags_for_resource(resourceArn=arn, limit=51)
    assert appmesh_mock.snapshot() == before


def test_a_key_given_twice_on_create_is_stored_once(appmesh_client: Any) -> None:
    arn = appmesh_client.create_mesh(
        meshName="prod", tags=[{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]
    )["mesh"]["metadata"]["arn"]
    # Tags upsert by key, within one request as across requests: the later value wins.
    assert listed(appmesh_client, arn) == {"a": "2"}
