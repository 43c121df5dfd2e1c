"""Service quotas: today's AWS defaults, overridable per mock."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

DEFAULT_QUOTAS: Mapping[str, int] = MappingProxyType(
    {
        "meshes_per_account": 15,
        "virtual_nodes_per_mesh": 200,
        "virtual_routers_per_mesh": 200,
        "virtual_services_per_mesh": 200,
        "virtual_gateways_per_mesh": 3,
        "routes_per_virtual_router": 50,
        "gateway_routes_per_virtual_gateway": 10,
        "backends_per_virtual_node": 50,
        "weighted_targets_per_route": 10,
        "tags_per_resource": 50,
    }
)


def merge_quotas(overrides: Mapping[str, int] | None) -> dict[str, int]:
    """The defaults with `overrides` applied; an unknown key or a negative value is a mistake."""
    quotas = dict(DEFAULT_QUOTAS)
    for key, value in (overrides or {}).items():
        if key not in quotas:
            raise ValueError(f"unknown quota {key!r}; known quotas: {sorted(quotas)}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"quota {key!r} must be a non-negative integer, not {value!r}")
        quotas[key] = value
    return quotas
