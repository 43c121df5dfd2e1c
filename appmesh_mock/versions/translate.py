"""The few spec fields that changed name or form between the two API versions."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from ..protocol.models import LEGACY_VERSION, get_api

Spec = dict[str, Any]

# Members renamed between the versions: (shape, current name) -> legacy name.
RENAMED_MEMBERS = {("DnsServiceDiscovery", "hostname"): "serviceName"}
_DNS_CURRENT = "hostname"
_DNS_LEGACY = RENAMED_MEMBERS[("DnsServiceDiscovery", _DNS_CURRENT)]


def _node_to_current(spec: Spec) -> Spec:
    backends = spec.get("backends")
    if backends is not None:
        spec["backends"] = [{"virtualService": {"virtualServiceName": name}} for name in backends]
    dns = spec.get("serviceDiscovery", {}).get("dns")
    if dns is not None and _DNS_LEGACY in dns:
        dns[_DNS_CURRENT] = dns.pop(_DNS_LEGACY)
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
    if dns is not None and _DNS_CURRENT in dns:
        dns[_DNS_LEGACY] = dns.pop(_DNS_CURRENT)
    return spec


@cache
def _legacy_port_protocols() -> frozenset[str]:
    return frozenset(get_api(LEGACY_VERSION).shape("PortProtocol").enum)


_TO_CURRENT = {"virtualNode": _node_to_current}
_TO_LEGACY = {"virtualNode": _node_to_legacy}


def to_current(kind: str, spec: Spec) -> Spec:
    """A legacy spec rewritten in the current form (a copy; the input is left alone)."""
    convert = _TO_CURRENT.get(kind)
    return convert(copy.deepcopy(spec)) if convert else spec


def to_legacy(kind: str, spec: Spec) -> Spec:
    """A stored (current-form) spec rewritten in the legacy form, before projection."""
    convert = _TO_LEGACY.get(kind)
    return convert(copy.deepcopy(spec)) if convert else spec
