"""Tags on any resource, named by ARN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..backend.collection import Snapshot
from ..backend.resources import Resource
from ..errors import ForbiddenException, NotFoundException, TooManyTagsException
from . import pagination
from .context import RequestContext
from .table import operation


def _resource(ctx: RequestContext, arn: str) -> Resource:
    found = ctx.store.by_arn(arn)
    # The ARN index spans every region; a client reaches only its own region's resources.
    if found is None or found.region != ctx.region:
        raise NotFoundException(f"no App Mesh resource has the ARN {arn}")
    if found.resource_owner != ctx.account_id:  # [UG sharing]
        raise ForbiddenException(f"account {ctx.account_id} cannot access the tags of {arn}")
    return found


@operation("TagResource")
def tag_resource(
    ctx: RequestContext, resource_arn: str, tags: list[dict[str, str]]
) -> dict[str, Any]:
    resource = _resource(ctx, resource_arn)
    merged = {**resource.tags, **{tag["key"]: tag["value"] for tag in tags}}
    limit = ctx.quotas["tags_per_resource"]
    if len(merged) > limit:  # [M TooManyTagsException]
        raise TooManyTagsException(
            f"a resource can have at most {limit} tags; none of the tags in this request were "
            "applied"
        )
    resource.tags = merged
    ctx.store.touch(resource)
    return {}


@operation("UntagResource")
def untag_resource(ctx: RequestContext, resource_arn: str, tag_keys: list[str]) -> dict[str, Any]:
    resource = _resource(ctx, resource_arn)
    resource.ever_tagged = resource.ever_tagged or bool(resource.tags)  # see handlers/tagging
    resource.tags = {k: v for k, v in resource.tags.items() if k not in set(tag_keys)}
    ctx.store.touch(resource)
    return {}


@dataclass(frozen=True)
class _Tag:
    name: str
    value: str
    seq: int


@operation("ListTagsForResource")
def list_tags_for_resource(
    ctx: RequestContext,
    resource_arn: str,
    limit: int | None = None,
    next_token: str | None = None,
) -> dict[str, Any]:
    resource = _resource(ctx, resource_arn)
    tags = Snapshot([_Tag(k, v, i) for i, (k, v) in enumerate(resource.tags.items(), 1)])
    found, token = pagination.page(tags, f"{ctx.account_id}/tags/{resource.uid}", limit, next_token)
    out: dict[str, Any] = {"tags": [{"key": t.name, "value": t.value} for t in found]}
    if token:
        out["nextToken"] = token
    return out
