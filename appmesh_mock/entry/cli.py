"""Deprecated path of the console command's `main` (console scripts installed before the move
still name it): use `appmesh_mock.cli.main`. Kept for one release."""

from __future__ import annotations

import warnings

from ..cli import main

__all__ = ["main"]

warnings.warn(
    "appmesh_mock.entry.cli is deprecated; use appmesh_mock.cli", DeprecationWarning, stacklevel=2
)
