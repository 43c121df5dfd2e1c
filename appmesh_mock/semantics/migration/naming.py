"""Kubernetes names for App Mesh resources, and the backends a migration sends to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..document import MeshView
from ..targets.common import backend_key
from .flat import listener_ports

_BAD = re.compile(r"[^a-z0-9-]+")


def k8s_name(name: str, limit: int = 63) -> str:
    """An RFC 1123 label: lower case, `-` for anything else, at most `limit` characters."""
    label = _BAD.sub("-", name.lower()).strip("-") or "x"
    return label[:limit].rstrip("-")


def default_names(view: MeshView) -> dict[str, str]:
    """App Mesh name -> the target's name the generated configuration uses: a virtual node
    is the Kubernetes Service of its name (on its listener's port), a virtual service the
    Service (or host) of its name, a virtual gateway the Gateway of its name."""
    names: dict[str, str] = {}
    for node in view.all("virtualNode"):
        name = str(node["virtualNodeName"])
        ports = listener_ports(node.get("spec") or {})
        names[name] = k8s_name(name) + (f":{ports[0][0]}" if len(ports) == 1 else "")
    for kind, member in (("virtualService", "virtualServiceName"),
                         ("virtualGateway", "virtualGatewayName")):
        for resource in view.all(kind):
            # 40: the longest VPC Lattice service name, short enough for every target.
            names[str(resource[member])] = re.sub("-+", "-", k8s_name(str(resource[member]), 40))
    return names


def merged_names(view: MeshView, given: Mapping[str, str] | None) -> dict[str, str]:
    names = default_names(view)
    names.update(given or {})
    return names


def node_key(names: Mapping[str, str], node: str, port: Any) -> str:
    """The backend key of a virtual node (the port App Mesh sends to, if the user's name
    for it does not say one)."""
    target = names.get(node, k8s_name(node))
    host, colon, given = target.rpartition(":")
    if colon and given.isdigit():
        return backend_key(host, given)
    return backend_key(target, port)


def node_ref(names: Mapping[str, str], node: str, port: Any) -> tuple[str, int | None]:
    """(Service name, port) for a generated backend reference."""
    target = names.get(node, k8s_name(node))
    host, colon, given = target.rpartition(":")
    if colon and given.isdigit():
        return host, int(given)
    return target, None if port is None else int(port)
