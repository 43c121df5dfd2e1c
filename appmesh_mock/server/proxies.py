"""The Envoys connected over xDS (appmesh_mock/xds/): `GET /_appmesh_mock/xds` as JSON (the
xDS ports and each proxy's status; `appmesh-mock envoy` finds the port there), and the
dashboard's table of a mesh's proxies."""

from __future__ import annotations

import time
from collections.abc import Sequence
from html import escape

from ..protocol.serializer import HttpResponse
from ..service.dispatch import Dispatcher
from ..xds.registry import ProxyStatus, ports_of, proxies_of
from .control import ControlRequest, EndpointTable, json_response

ENDPOINTS = EndpointTable()


@ENDPOINTS.route("GET", "xds")
def _xds(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    """`{"ports": [...], "proxies": [{node_id, peer, mesh, version_sent, last_ack, last_nack,
    nack_error, nacks, waiting, connected_at, types}, ...]}`; no ports: xDS is off."""
    proxies = [status.as_dict() for status in proxies_of(dispatcher.store)]
    return json_response({"ports": ports_of(dispatcher.store), "proxies": proxies})


def section(proxies: Sequence[ProxyStatus], mesh_name: str) -> str:
    """The proxies of `mesh_name`: node id, last version sent, last ACK, last NACK and why."""
    rows = []
    for status in proxies:
        if status.mesh != mesh_name:
            continue
        refused = (
            ""
            if status.last_nack is None
            else (f"{escape(status.last_nack)}: {escape(status.nack_error or '')}")
        )
        since = time.strftime("%H:%M:%S", time.localtime(status.connected_at))
        rows.append(
            f"<tr><td>{escape(status.node_id)}</td><td>{escape(status.peer)} since {since}</td>"
            f"<td>{escape(status.version_sent or '-')}</td>"
            f"<td>{escape(status.last_ack or '-')}</td>"
            f"<td>{refused or '-'} ({status.nacks})</td>"
            f"<td>{escape(status.waiting or '')}</td></tr>"
        )
    if not rows:
        return ""
    return (
        '<h2>Connected proxies</h2><table class="proxies"><tr><th>node id</th><th>from</th>'
        "<th>version sent</th><th>last ACK</th><th>last NACK (count)</th><th>waiting for</th>"
        f"</tr>{''.join(rows)}</table>"
    )
