"""Deprecated path of `MockServer`: use `from appmesh_mock import MockServer` (or
`appmesh_mock.server`). Kept for one release."""

from __future__ import annotations

import warnings

from ..server import DEFAULT_HOST, DEFAULT_PORT, MockServer

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "MockServer"]

warnings.warn(
    "appmesh_mock.entry.server is deprecated; import MockServer from appmesh_mock "
    "(or appmesh_mock.server)",
    DeprecationWarning,
    stacklevel=2,
)
