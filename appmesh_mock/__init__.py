"""appmesh-mock: an in-memory AWS App Mesh for boto3 tests, driven by botocore's models."""

from .backend.quotas import DEFAULT_QUOTAS
from .errors import StrictModeViolation
from .mock import MockAppMesh, mock_appmesh

__all__ = ["DEFAULT_QUOTAS", "MockAppMesh", "StrictModeViolation", "mock_appmesh"]
__version__ = "0.1.0"
