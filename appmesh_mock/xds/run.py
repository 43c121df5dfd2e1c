"""`run_envoy`: the real Envoy as virtual gateway or node `name` of a mesh, configured live
over xDS from a store (`m.run_envoy`) or a running server (`appmesh-mock envoy`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

from ..backend.store import Store
from ..dataplane.common import EnvoyConfigError
from ..dataplane.dynamic import resources
from ..semantics.document import Document, load_document, select_mesh
from ..service.export import mesh_document
from .envoy import EnvoyProcess
from .server import XdsServer


class ListenerUrls(dict[int, str]):
    """`http://host:port` of each listener of the running Envoy, by the port its listener
    has in the mesh (a gateway's listener port; 15000 and 15001 for a sidecar); `.url` is the
    first, `.envoy` the process (its admin at `.envoy.admin_url`)."""

    def __init__(self, envoy: EnvoyProcess) -> None:
        super().__init__()
        self.envoy = envoy
        for name, (host, port) in sorted(envoy.listeners().items()):
            mesh_port = name.rpartition("_")[2]  # lds_ingress_0.0.0.0_8080
            shown = f"[{host}]" if ":" in host else host
            self[int(mesh_port) if mesh_port.isdigit() else port] = f"http://{shown}:{port}"

    @property
    def url(self) -> str:
        return next(iter(self.values()))


def node_id(mesh_name: str, gateway: str | None, node: str | None) -> str:
    if (gateway is None) == (node is None):
        raise EnvoyConfigError("give exactly one of gateway= or node=")
    return (
        f"mesh/{mesh_name}/virtualGateway/{gateway}"
        if gateway
        else (f"mesh/{mesh_name}/virtualNode/{node}")
    )


def listener_count(
    document: Document,
    mesh_name: str,
    *,
    gateway: str | None = None,
    node: str | None = None,
    endpoints: Mapping[str, str] | None = None,
) -> int:
    """How many listeners the proxy gets; EnvoyConfigError for an unknown mesh, gateway or
    node or a bad endpoint, before any Envoy starts."""
    view = select_mesh(load_document(document), mesh_name)
    if isinstance(view, str):
        raise EnvoyConfigError(view)
    found = resources(view, gateway=gateway, node=node, endpoints=endpoints, loopback="127.0.0.1")
    return sum(1 for listener in found.listeners if "address" in listener)


@contextlib.contextmanager
def run_envoy(
    store: Store,
    mesh_name: str,
    *,
    gateway: str | None = None,
    node: str | None = None,
    endpoints: Mapping[str, str] | None = None,
) -> Iterator[ListenerUrls]:
    """An Envoy for the life of the block, served by an xDS server of its own over `store`."""
    identity = node_id(mesh_name, gateway, node)
    expected = listener_count(mesh_document(store, mesh_name), mesh_name, gateway=gateway,
                              node=node, endpoints=endpoints)  # fmt: skip
    with XdsServer(store) as server:
        envoy = EnvoyProcess(identity, server.port, endpoints=endpoints, listeners=expected)
        envoy.start()
        try:
            yield ListenerUrls(envoy)
        finally:
            envoy.stop()
