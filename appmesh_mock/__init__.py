"""appmesh-mock: an in-memory AWS App Mesh for boto3 tests, driven by botocore's models.

The mock and the semantics are loaded on first use (PEP 562), so that importing the package,
as pytest does for its plugin, loads neither botocore nor boto3.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .backend.quotas import DEFAULT_QUOTAS
from .errors import AppMeshMockFallbackWarning, StrictModeViolation

if TYPE_CHECKING:
    from .inprocess.botocore_hook import patch_client
    from .mock import MockAppMesh, mock_appmesh
    from .semantics import Resolution, resolve
    from .semantics.migration import Equivalence, Migration, check_equivalence, migrate
    from .server import MockServer

__all__ = [
    "DEFAULT_QUOTAS",
    "AppMeshMockFallbackWarning",
    "Equivalence",
    "Migration",
    "MockAppMesh",
    "MockServer",
    "Resolution",
    "StrictModeViolation",
    "check_equivalence",
    "migrate",
    "mock_appmesh",
    "patch_client",
    "resolve",
]
__version__ = "0.1.0"

_LAZY = {
    "MockAppMesh": ".mock",
    "mock_appmesh": ".mock",
    "MockServer": ".server",
    "patch_client": ".inprocess.botocore_hook",
    "Resolution": ".semantics",
    "resolve": ".semantics",
    "Migration": ".semantics.migration",
    "Equivalence": ".semantics.migration",
    "migrate": ".semantics.migration",
    "check_equivalence": ".semantics.migration",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if module_name == ".inprocess.botocore_hook":
        importlib.import_module(".mock", __name__)  # the hook is installed with the mock
    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value
    return value
