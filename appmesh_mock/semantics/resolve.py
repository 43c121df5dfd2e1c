"""`resolve`: where the mesh sends one request, by the documented routing rules
(docs/routing.md), over an API-shaped state document."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ..backend import specs
from .document import Document, MeshView, load_document, select_mesh
from .gateways import through_gateway
from .request import QueryInput, Request
from .result import Resolution
from .routers import through_service


def resolve(
    document: Document | str | os.PathLike[str],
    mesh_name: str,
    *,
    service: str | None = None,
    gateway: str | None = None,
    source: str | None = None,
    path: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    query: QueryInput = None,
    port: int | None = None,
    host: str | None = None,
    scheme: str = "http",
    account_id: str | None = None,
    region: str | None = None,
    mesh_owner: str | None = None,
) -> Resolution:
    """Where a request goes in `mesh_name`.

    From inside the mesh: `service` is the virtual service called and `source`, if given,
    the calling virtual node. Through a virtual gateway: `gateway` is its name, `host` the
    Host header and `port` the listener port. For gRPC, `path` is `/package.Service/Method`
    and metadata goes in `headers`. A query string in `path` counts as `query` too.
    """
    if (service is None) == (gateway is None):
        raise ValueError("give exactly one of service= (inside the mesh) or gateway=")
    if gateway is not None and source is not None:
        raise ValueError("source= is the calling virtual node; a gateway request has none")
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/', got {path!r}")
    view = select_mesh(
        load_document(document),
        mesh_name,
        account_id=account_id,
        region=region,
        mesh_owner=mesh_owner,
    )
    result = Resolution()
    if isinstance(view, str):
        return result.refuse(view)
    request = Request.build(path, method, scheme, host, port, headers, query)
    if gateway is not None:
        entered = through_gateway(view, gateway, request, result)
        if entered is None:
            return result
        service, request = entered
    else:
        if source is not None and not _may_call(view, source, str(service), result):
            return result
        # [M HttpRouteMatch.prefix] inside the mesh, clients call the service by its name.
        result.host = host if host is not None else service
    assert service is not None
    through_service(view, service, request, result)
    result.path = request.path
    return result


def _may_call(view: MeshView, source: str, service: str, result: Resolution) -> bool:
    """[M VirtualNodeSpec.backends] "The backends that the virtual node is expected to send
    outbound traffic to" [UG virtual_nodes.md]: a node reaches only the services it lists."""
    node = view.get("virtualNode", source)
    if node is None:
        result.refuse(f"there is no virtual node {source!r} (the source) in mesh {view.name!r}")
        return False
    backends = specs.backend_services(node.get("spec"))
    if service not in backends:
        listed = ", ".join(backends) or "none"
        result.step("virtualNode", source, f"its backends are {listed}")
        result.refuse(
            f"virtual node {source!r} may call only its backends ({listed}); "
            f"{service!r} is not one of them, so the request is refused"
        )
        return False
    result.step("virtualNode", source, f"calls {service}, one of its backends")
    return True
