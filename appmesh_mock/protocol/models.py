"""Loading botocore's App Mesh service models, one per API version."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel, Shape

SERVICE_NAME = "appmesh"
LEGACY_VERSION = "2018-10-01"
CURRENT_VERSION = "2019-01-25"
API_VERSIONS = (LEGACY_VERSION, CURRENT_VERSION)


@dataclass(frozen=True)
class Api:
    """One API version: its botocore model plus lookups compiled once."""

    version: str
    model: ServiceModel
    operations: dict[str, OperationModel] = field(repr=False)

    def shape(self, name: str) -> Shape:
        return self.model.shape_for(name)

    def error_status(self, code: str) -> int:
        """The HTTP status the model gives an error shape (the code is the shape's name)."""
        return _error_statuses(self.version).get(code, 400)


@cache
def get_api(version: str) -> Api:
    if version not in API_VERSIONS:
        raise ValueError(f"unknown App Mesh API version {version!r}")
    raw = _from_boto3_session(version) or Loader().load_service_model(
        SERVICE_NAME, "service-2", api_version=version
    )
    model = ServiceModel(raw, service_name=SERVICE_NAME)
    operations = {name: model.operation_model(name) for name in model.operation_names}
    return Api(version=version, model=model, operations=operations)


def _from_boto3_session(version: str) -> dict[str, Any] | None:
    """The model as boto3's default session already loaded it for its clients, if it did.

    A client asks its session's loader for the latest version under exactly this key, and the
    loader caches per key, so the test's first `boto3.client("appmesh")` has usually paid for
    the file already. Nothing is created here: without a default session this returns None.
    """
    import boto3

    session = boto3.DEFAULT_SESSION
    if session is None or version != CURRENT_VERSION:
        return None
    loader = session._session.get_component("data_loader")
    raw = loader.load_service_model(SERVICE_NAME, "service-2", api_version=None)
    if not isinstance(raw, dict) or raw.get("metadata", {}).get("apiVersion") != version:
        return None
    return raw


@cache
def _error_statuses(version: str) -> dict[str, int]:
    api = get_api(version)
    return {
        shape.name: int(shape.metadata["error"]["httpStatusCode"])
        for shape in api.model.error_shapes
    }
