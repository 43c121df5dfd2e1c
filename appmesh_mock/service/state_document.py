"""The API-shaped state document read straight from the store, for the dashboard and
`resolve` (issue 12) until `MockAppMesh.export()` (issue 11) provides the same document.

`{"resources": [{"<kind>": {...the 2019-01-25 Describe output...}, "tags": [...]}, ...]}`,
each mesh followed by its members, parents before children.
"""

from __future__ import annotations

import copy
from typing import Any

from ..backend.resources import Resource
from ..backend.store import Store
from ..handlers import views


def _item(resource: Resource) -> dict[str, Any]:
    tags = [{"key": key, "value": value} for key, value in resource.tags.items()]
    return {resource.kind.key: copy.deepcopy(views.describe(resource)), "tags": tags}


def state_document(store: Store) -> dict[str, Any]:
    """Every account and region the store holds; a deep copy, safe to change."""
    resources: list[dict[str, Any]] = []
    with store.lock:
        for backend in store.backends():
            for mesh in backend.meshes:
                resources.append(_item(mesh.resource))
                resources.extend(_item(member) for member in mesh.members())
    return {"resources": resources}
