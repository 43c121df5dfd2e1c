"""Which account and region a request speaks for."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
ACCOUNT_ENV = "APPMESH_MOCK_ACCOUNT_ID"

# (access key, region) of a SigV4 credential scope.
Scope = tuple[str, str]

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/([^/]+)/")
_HOST_REGION = re.compile(r"(?:appmesh|tagging)\.([a-z0-9-]+)\.amazonaws")
_ACCOUNT = re.compile(r"\d{12}")


def signed_scope(headers: Mapping[str, Any]) -> Scope | None:
    """The credential scope of a SigV4 `Authorization` header; None if unsigned."""
    authorization = headers.get("Authorization") or headers.get("authorization") or ""
    if isinstance(authorization, bytes):
        authorization = authorization.decode("latin-1")
    found = _CREDENTIAL.search(authorization)
    return (found.group(1), found.group(2)) if found else None


def fixed_account(account_id: str | None) -> str | None:
    """The account every request speaks for, when one is fixed: the option, else the env."""
    return account_id or os.environ.get(ACCOUNT_ENV) or None


def default_region() -> str:
    """The region of a boto3 client made without one: AWS_REGION, AWS_DEFAULT_REGION, else
    us-east-1 (the mock sets neither)."""
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def identify(
    headers: Mapping[str, Any], host: str, account_id: str | None, scope: Scope | None = None
) -> tuple[str, str]:
    """(account, region): the fixed `account_id`, else env APPMESH_MOCK_ACCOUNT_ID (read per
    request: a test may set it at any time), else a 12-digit access key, else a default; the
    region from the SigV4 credential scope, else the host name. `scope` is the one signing
    would produce, for a request answered before it is signed; else it is read from
    `headers`."""
    if scope is None:
        scope = signed_scope(headers)
    account = fixed_account(account_id)
    if not account:
        key = scope[0] if scope else ""
        account = key if _ACCOUNT.fullmatch(key) else DEFAULT_ACCOUNT_ID
    if scope:
        region = scope[1]
    else:
        from_host = _HOST_REGION.search(host)
        region = from_host.group(1) if from_host else DEFAULT_REGION
    return account, region
