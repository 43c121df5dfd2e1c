"""The marker of a state document nobody changes once made: `service.export.mesh_document`
makes them, and readers (`semantics/`, `dataplane/`) may keep what they compute from one for
as long as they hold the same object."""

from __future__ import annotations

from typing import Any


class SharedDocument(dict[str, Any]):
    """A read-only state document (by contract: nothing changes it once made)."""
