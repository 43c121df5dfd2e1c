"""App Mesh's data plane: the Envoy configuration App Mesh gave each proxy (a virtual
gateway, or a virtual node's sidecar), rendered from the API-shaped state document, as
`semantics/` reads it. Pure: issue 22 serves the same resources over xDS."""

from .bootstrap import envoy_config, render
from .common import EnvoyConfigError

__all__ = ["EnvoyConfigError", "envoy_config", "render"]
