"""What the mesh does with a request: route resolution and topology pictures, computed from
the API-shaped state document (`MockAppMesh.export()`), never from the store directly."""

from .resolve import resolve
from .result import Resolution, Step, Target
from .topology import topology

__all__ = ["Resolution", "Step", "Target", "resolve", "topology"]
