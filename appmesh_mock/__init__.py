"""appmesh-mock: an in-memory AWS App Mesh for boto3 tests, driven by botocore's models."""

from .backend.quotas import DEFAULT_QUOTAS
from .errors import StrictModeViolation
from .mock import MockAppMesh, mock_appmesh
from .semantics import Resolution, resolve

__all__ = [
    "DEFAULT_QUOTAS",
    "MockAppMesh",
    "Resolution",
    "StrictModeViolation",
    "mock_appmesh",
    "resolve",
]
__version__ = "0.1.0"
