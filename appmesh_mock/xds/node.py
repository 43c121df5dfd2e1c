"""Which proxy an Envoy is, from the node id it sends: a virtual node's or gateway's ARN, or
`mesh/<mesh>/virtualNode/<name>` / `mesh/<mesh>/virtualGateway/<name>` [UG envoy-config:
the node id App Mesh's Envoy image sent, from APPMESH_RESOURCE_ARN or
APPMESH_VIRTUAL_NODE_NAME]."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("virtualGateway", "virtualNode")
# Our node metadata, as `appmesh-mock envoy` sets it: {"endpoints": {node: "host:port"},
# "loopback": "127.0.0.1"} (listeners on that address, on ports the OS picks).
METADATA_KEY = "appmesh_mock"


@dataclass(frozen=True)
class ProxyId:
    mesh: str
    kind: str  # "virtualGateway" or "virtualNode"
    name: str
    account: str | None = None  # from an ARN: the mesh owner's account
    region: str | None = None

    @property
    def path(self) -> str:
        return f"mesh/{self.mesh}/{self.kind}/{self.name}"


def parse_node_id(node_id: str) -> ProxyId | None:
    """The proxy `node_id` names, or None when it names none."""
    account = region = None
    path = node_id
    if node_id.startswith("arn:"):
        parts = node_id.split(":", 5)
        if len(parts) != 6 or parts[2] != "appmesh" or not parts[3] or not parts[4]:
            return None
        region, account, path = parts[3], parts[4], parts[5]
    pieces = path.split("/")
    if len(pieces) != 4 or pieces[0] != "mesh" or pieces[2] not in KINDS:
        return None
    if not pieces[1] or not pieces[3]:
        return None
    return ProxyId(pieces[1], pieces[2], pieces[3], account, region)
