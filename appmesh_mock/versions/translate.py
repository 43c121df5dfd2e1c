"""The few spec fields that changed name or form between the two API versions."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..protocol.models import LEGACY_VERSION, get_api

Spec = dict[str, Any]

# Members renamed between the versions: (shape, current name) -> legacy name.
RENAMED_MEMBERS = {("DnsServiceDiscovery", "hostname"): "serviceName"}
_DNS_CURRENT = "hostname"
_DNS_LEGACY = RENAMED_MEMBERS[("DnsServiceDiscovery", _DNS_CURRENT)]


def _renamed_dns(spec: Spec, old: str, new: str) -> None:
    """`spec` (a fresh top-level copy) with its DNS discovery's `old` member named `new`; the
    nested dicts on the way are copied, never changed in place."""
    discovery = spec.get("serviceDiscovery")
    if not isinstance(discovery, dict):
        return
    dns = discovery.get("dns")
    if isinstance(dns, dict) and old in dns:
        renamed = {k: v for k, v in dns.items() if k != old}
        renamed[new] = dns[old]
        spec["serviceDiscovery"] = {**discovery, "dns": renamed}


def _node_to_current(spec: Spec) -> Spec:
    backends = spec.get("backends")
    if backends is not None:
        spec["backends"] = [{"virtualService": {"virtualServiceName": name}} for name in backends]
    _renamed_dns(spec, _DNS_LEGACY, _DNS_CURRENT)
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
    _renamed_dns(spec, _DNS_CURRENT, _DNS_LEGACY)
    return spec


@cache
def _legacy_port_protocols() -> frozenset[str]:
    return frozenset(get_api(LEGACY_VERSION).shape("PortProtocol").enum)


_TO_CURRENT = {"virtualNode": _node_to_current}
_TO_LEGACY = {"virtualNode": _node_to_legacy}


def to_current(kind: str, spec: Spec) -> Spec:
    """A legacy spec rewritten in the current form. The input is left alone: the converters
    get a top-level copy and copy what they change below it (a deep copy of every spec cost
    more than the rest of a legacy create's translation)."""
    convert = _TO_CURRENT.get(kind)
    return convert(dict(spec)) if convert else spec


def to_legacy(kind: str, spec: Spec) -> Spec:
    """A stored (current-form) spec rewritten in the legacy form, before projection; the
    stored spec is left alone, as in `to_current`."""
    convert = _TO_LEGACY.get(kind)
    return convert(dict(spec)) if convert else spec
