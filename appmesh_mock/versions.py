"""How a spec written through one API version reads through the other.

Both versions share one store. The few fields that changed name or form are translated here;
the rest of a spec is projected onto the reader's shape, so what has no counterpart is kept in
the store but left out of the other version's view.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from .protocol.models import LEGACY_VERSION, get_api

Spec = dict[str, Any]


def _node_to_current(spec: Spec) -> Spec:
    backends = spec.get("backends")
    if backends is not None:
        spec["backends"] = [
            {"virtualService": {"virtualServiceName": name}} for name in backends
        ]
    dns = spec.get("serviceDiscovery", {}).get("dns")
    if dns is not None and "serviceName" in dns:
        dns["hostname"] = dns.pop("serviceName")
    return spec


def _node_to_legacy(spec: Spec) -> Spec:
    listeners = spec.get("listeners")
    if listeners is not None:
        # A listener on a protocol the 2018 API lacks (http2, grpc) has no 2018 counterpart at
        # all; projecting it would show its port with no protocol.
        known = _legacy_port_protocols()
        spec["listeners"] = [
            listener
            for listener in listeners
            if listener.get("portMapping", {}).get("protocol") in known
        ]
    backends = spec.get("backends")
    if backends is not None:
        spec["backends"] = [
            b["virtualService"]["virtualServiceName"] for b in backends if "virtualService" in b
        ]
    dns = spec.get("serviceDiscovery", {}).get("dns")
    if dns is not None and "hostname" in dns:
        dns["serviceName"] = dns.pop("hostname")
    return spec


@cache
def _legacy_port_protocols() -> frozenset[str]:
    return frozenset(get_api(LEGACY_VERSION).shape("PortProtocol").enum)


_TO_CURRENT = {"virtualNode": _node_to_current}
_TO_LEGACY = {"virtualNode": _node_to_legacy}


def translate(kind: str, spec: Spec | None, source: str, target: str) -> Spec:
    """`spec` (in `source`'s form) rewritten in `target`'s form, before projection."""
    if spec is None:
        return {}
    if source == target:
        return spec
    converted = copy.deepcopy(spec)
    step = _TO_LEGACY if target == LEGACY_VERSION else _TO_CURRENT
    convert = step.get(kind)
    return convert(converted) if convert else converted
