"""Assertions shared by the API tests: errors as boto3 users see them, metadata blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

STATUS = {
    "BadRequestException": 400,
    "ConflictException": 409,
    "ForbiddenException": 403,
    "LimitExceededException": 400,
    "NotFoundException": 404,
    "ResourceInUseException": 409,
    "TooManyTagsException": 400,
}


@contextmanager
def expect_error(code: str, match: str | None = None) -> Iterator[None]:
    """The block must fail with `code`, the model's status for it, and a non-empty message
    (containing `match` when given)."""
    with pytest.raises(ClientError) as caught:
        yield
    error = caught.value.response["Error"]
    assert error["Code"] == code, error
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == STATUS[code]
    assert error["Message"]
    if match is not None:
        assert match in error["Message"], error["Message"]


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_ACCOUNT = re.compile(r"\d{12}")


def check_metadata(
    metadata: dict[str, Any],
    arn: str,
    version: int = 1,
    owner: str = "123456789012",
    resource_owner: str | None = None,
) -> None:
    """The 2019 metadata block: exact ARN and version, owners as accounts, a UUID4 uid and
    timestamps that botocore parsed as datetimes."""
    assert metadata["arn"] == arn
    assert metadata["version"] == version
    assert metadata["meshOwner"] == owner
    assert metadata["resourceOwner"] == (resource_owner or owner)
    assert _ACCOUNT.fullmatch(metadata["meshOwner"])
    assert _ACCOUNT.fullmatch(metadata["resourceOwner"])
    assert _UUID.fullmatch(metadata["uid"])
    assert isinstance(metadata["createdAt"], datetime)
    assert metadata["lastUpdatedAt"] >= metadata["createdAt"]
