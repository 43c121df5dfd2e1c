"""The Resource Groups Tagging API over App Mesh resources: the same tags as App Mesh's own
TagResource / UntagResource / ListTagsForResource, seen across all resources of the caller.

Only App Mesh resources exist here; an ARN of any other service is reported as a failure, and
a resource type filter naming another service matches nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from typing import Any

from ..backend.resources import Resource
from ..errors import InvalidParameterException, ServiceError
from . import tags as tags_ops
from .context import RequestContext
from .table import operation

SERVICE = "appmesh"
DEFAULT_PER_PAGE = 100  # [I] the model's maximum; AWS does not document a default


def resource_type(resource: Resource) -> str:
    """`appmesh:virtualNode`: the service and the kind as its ARN names it. [M] "The string
    for each service name and resource type is the same as that embedded in a resource's ARN"
    (`.../mesh/m/virtualNode/n`); [I] a nested resource is typed by its own kind."""
    return f"{SERVICE}:{resource.kind.key}"


def _owned(ctx: RequestContext) -> Iterator[Resource]:
    """Every resource the caller owns in its region, in creation order: its own meshes and
    what it created in meshes shared with it (their ARNs carry the mesh owner's account)."""
    found: list[Resource] = []
    for backend in ctx.store.backends():
        if backend.region != ctx.region:
            continue
        for mesh in backend.meshes:
            found.extend(r for r in (mesh.resource, *mesh.members()) if _mine(ctx, r))
    return iter(sorted(found, key=lambda r: r.seq))


def _mine(ctx: RequestContext, resource: Resource) -> bool:
    return resource.resource_owner == ctx.account_id and resource.status != "DELETED"


def _listed(resource: Resource) -> bool:
    # [M] "the response includes all resources that are currently tagged or ever had a tag";
    # [M] "GetResources does not return untagged resources".
    return bool(resource.tags) or resource.ever_tagged


def _type_matches(resource: Resource, filters: list[str] | None) -> bool:
    # [M] each filter is service[:resourceType]; a service alone matches all its types.
    if not filters:
        return True
    kind = resource_type(resource)
    return any(f in (SERVICE, kind) for f in filters)


def _tags_match(resource: Resource, filters: list[dict[str, Any]] | None) -> bool:
    # [M] every filter must hold; within one, any listed value; no values: the key with any value.
    for tag_filter in filters or ():
        value = resource.tags.get(tag_filter["Key"])
        if value is None:
            return False
        wanted = tag_filter.get("Values")
        if wanted and value not in wanted:
            return False
    return True


def _mapping(resource: Resource) -> dict[str, Any]:
    tags = [{"Key": k, "Value": v} for k, v in resource.tags.items()]
    return {"ResourceARN": resource.arn, "Tags": tags}


def _token(ctx: RequestContext, after_seq: int) -> str:
    raw = json.dumps(["tagging", ctx.account_id, ctx.region, after_seq]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _after(ctx: RequestContext, token: str | None) -> int:
    if not token:
        return 0
    try:
        name, account, region, after_seq = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError, binascii.Error):
        raise InvalidParameterException("PaginationToken is not a token this API issued") from None
    if (name, account, region) != ("tagging", ctx.account_id, ctx.region) or not isinstance(
        after_seq, int
    ):
        raise InvalidParameterException("PaginationToken was issued for another account/region")
    return after_seq


@operation("GetResources")
def get_resources(
    ctx: RequestContext,
    resource_arn_list: list[str] | None = None,
    resource_type_filters: list[str] | None = None,
    tag_filters: list[dict[str, Any]] | None = None,
    resources_per_page: int | None = None,
    tags_per_page: int | None = None,
    pagination_token: str | None = None,
    include_compliance_details: bool | None = None,  # [I] no tag policies here: no details
    exclude_compliant_resources: bool | None = None,
) -> dict[str, Any]:
    paging = resources_per_page, tags_per_page, pagination_token
    if resource_arn_list is not None:
        # [M] ResourceARNList excludes ResourceTypeFilters, TagFilters and the paging members.
        if resource_type_filters or tag_filters or any(p is not None for p in paging):
            raise InvalidParameterException(
                "ResourceARNList cannot be combined with ResourceTypeFilters, TagFilters, "
                "ResourcesPerPage, TagsPerPage or PaginationToken"
            )
        wanted = set(resource_arn_list)
        # [M] an ARN that does not exist is left out, not an error.
        return {
            "ResourceTagMappingList": [
                _mapping(r) for r in _owned(ctx) if r.arn in wanted and _listed(r)
            ],
            "PaginationToken": "",
        }
    if resources_per_page is not None and not 1 <= resources_per_page <= 100:
        raise InvalidParameterException("ResourcesPerPage must be from 1 to 100")  # [M]
    if tags_per_page is not None and not 100 <= tags_per_page <= 500:
        raise InvalidParameterException("TagsPerPage must be from 100 to 500")  # [M]
    after_seq = _after(ctx, pagination_token)
    limit = resources_per_page or DEFAULT_PER_PAGE
    matching = [
        r
        for r in _owned(ctx)
        if r.seq > after_seq
        and _listed(r)
        and _type_matches(r, resource_type_filters)
        and _tags_match(r, tag_filters)
    ]
    page = matching[:limit]
    # [M] the last page's PaginationToken is empty (botocore's paginator stops on it).
    token = _token(ctx, page[-1].seq) if len(matching) > limit else ""
    return {"ResourceTagMappingList": [_mapping(r) for r in page], "PaginationToken": token}


def _each(ctx: RequestContext, arns: list[str], change: Callable[[str], object]) -> dict[str, Any]:
    """Applies `change` to each ARN in turn; what fails is reported per ARN, the rest done.
    [M] FailedResourcesMap holds an entry per failed ARN and is empty when none failed."""
    failed: dict[str, Any] = {}
    for arn in arns:
        problem: ServiceError | None = None
        if arn.split(":")[2:3] != [SERVICE]:
            problem = InvalidParameterException(
                f"{arn} is not an App Mesh resource (appmesh-mock holds App Mesh resources only)"
            )
        else:
            try:
                change(arn)
            except ServiceError as exc:
                problem = exc
        if problem is not None:
            status = problem.status or ctx.error_status(problem.code)
            # [I] the model's ErrorCode enum has the two codes only: the App Mesh error's own
            # code is kept in the message.
            code = "InternalServiceException" if status >= 500 else "InvalidParameterException"
            failed[arn] = {
                "StatusCode": status,
                "ErrorCode": code,
                "ErrorMessage": f"{problem.code}: {problem.message}",
            }
    return {"FailedResourcesMap": failed}


@operation("TagResources")
def tag_resources(
    ctx: RequestContext, resource_arn_list: list[str], tags: dict[str, str]
) -> dict[str, Any]:
    as_list = [{"key": k, "value": v} for k, v in tags.items()]
    return _each(ctx, resource_arn_list, lambda arn: tags_ops.tag_resource(ctx, arn, as_list))


@operation("UntagResources")
def untag_resources(
    ctx: RequestContext, resource_arn_list: list[str], tag_keys: list[str]
) -> dict[str, Any]:
    return _each(ctx, resource_arn_list, lambda arn: tags_ops.untag_resource(ctx, arn, tag_keys))


@operation("GetTagKeys")
def get_tag_keys(ctx: RequestContext, pagination_token: str | None = None) -> dict[str, Any]:
    _after(ctx, pagination_token)  # [I] one page holds every key: any token is the end
    keys = dict.fromkeys(k for r in _owned(ctx) for k in r.tags)
    return {"TagKeys": list(keys), "PaginationToken": ""}


@operation("GetTagValues")
def get_tag_values(
    ctx: RequestContext, key: str, pagination_token: str | None = None
) -> dict[str, Any]:
    _after(ctx, pagination_token)
    values = dict.fromkeys(r.tags[key] for r in _owned(ctx) if key in r.tags)
    return {"TagValues": list(values), "PaginationToken": ""}
