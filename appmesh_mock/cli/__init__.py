"""The `appmesh-mock` command: serve, the server's controls, and questions about a mesh."""

from .commands import main

__all__ = ["main"]
