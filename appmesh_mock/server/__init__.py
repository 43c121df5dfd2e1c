"""The App Mesh API over real HTTP (`MockServer`, `appmesh-mock serve`), with the server's own
endpoints under `/_appmesh_mock/` and the dashboard.

`MockServer` is loaded on first use, so that the command line can read the defaults below
without starting the in-process machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .mock_server import MockServer

__all__ = ["CONTROL_PREFIX", "DEFAULT_HOST", "DEFAULT_PORT", "MockServer"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566  # LocalStack's edge port, where App Mesh clients often already point
CONTROL_PREFIX = "/_appmesh_mock/"  # the server's own endpoints (server/endpoints.py)


def __getattr__(name: str) -> Any:
    if name != "MockServer":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = importlib.import_module(".mock_server", __name__).MockServer
    globals()[name] = value
    return value
