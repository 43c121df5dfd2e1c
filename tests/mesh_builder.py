"""Small meshes for the routing tests, built through boto3 as users build them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from state_document import state_document

from appmesh_mock.semantics import Resolution, resolve

Listener = tuple[str, int]


class MeshBuilder:
    def __init__(self, client: Any, mesh: str = "shop") -> None:
        self.client = client
        self.mesh = mesh
        client.create_mesh(meshName=mesh)

    def _m(self) -> dict[str, str]:
        return {"meshName": self.mesh}

    def node(
        self,
        name: str,
        listeners: Iterable[Listener] = (("http", 8080),),
        backends: Iterable[str] = (),
    ) -> None:
        spec: dict[str, Any] = {
            "listeners": [{"portMapping": {"port": p, "protocol": k}} for k, p in listeners],
            "serviceDiscovery": {"dns": {"hostname": f"{name}.shop.local"}},
            "backends": [{"virtualService": {"virtualServiceName": b}} for b in backends],
        }
        self.client.create_virtual_node(**self._m(), virtualNodeName=name, spec=spec)

    def router(self, name: str, listeners: Iterable[Listener] = (("http", 8080),)) -> None:
        spec = {"listeners": [{"portMapping": {"port": p, "protocol": k}} for k, p in listeners]}
        self.client.create_virtual_router(**self._m(), virtualRouterName=name, spec=spec)

    def route(
        self,
        router: str,
        name: str,
        targets: Iterable[tuple[str, int]] | str,
        match: dict[str, Any] | None = None,
        *,
        kind: str = "httpRoute",
        priority: int | None = None,
    ) -> None:
        weighted = (
            [{"virtualNode": targets, "weight": 100}]
            if isinstance(targets, str)
            else [{"virtualNode": node, "weight": weight} for node, weight in targets]
        )
        body: dict[str, Any] = {"action": {"weightedTargets": weighted}}
        if match is not None or kind != "tcpRoute":
            body["match"] = {"prefix": "/"} if match is None else match
        spec: dict[str, Any] = {kind: body}
        if priority is not None:
            spec["priority"] = priority
        self.client.create_route(**self._m(), virtualRouterName=router, routeName=name, spec=spec)

    def service(self, name: str, *, router: str | None = None, node: str | None = None) -> None:
        provider: dict[str, Any] = {}
        if router:
            provider = {"virtualRouter": {"virtualRouterName": router}}
        elif node:
            provider = {"virtualNode": {"virtualNodeName": node}}
        spec = {"provider": provider} if provider else {}
        self.client.create_virtual_service(**self._m(), virtualServiceName=name, spec=spec)

    def gateway(self, name: str, listeners: Iterable[Listener] = (("http", 8443),)) -> None:
        spec = {"listeners": [{"portMapping": {"port": p, "protocol": k}} for k, p in listeners]}
        self.client.create_virtual_gateway(**self._m(), virtualGatewayName=name, spec=spec)

    def gateway_route(
        self,
        gateway: str,
        name: str,
        service: str,
        match: dict[str, Any] | None = None,
        *,
        kind: str = "httpRoute",
        rewrite: dict[str, Any] | None = None,
        priority: int | None = None,
        port: int | None = None,
    ) -> None:
        target: dict[str, Any] = {"virtualService": {"virtualServiceName": service}}
        if port is not None:
            target["port"] = port
        action: dict[str, Any] = {"target": target}
        if rewrite is not None:
            action["rewrite"] = rewrite
        default_match = {"serviceName": "shop.Cart"} if kind == "grpcRoute" else {"prefix": "/"}
        spec: dict[str, Any] = {kind: {"match": match or default_match, "action": action}}
        if priority is not None:
            spec["priority"] = priority
        self.client.create_gateway_route(
            **self._m(), virtualGatewayName=gateway, gatewayRouteName=name, spec=spec
        )

    def resolve(self, **request: Any) -> Resolution:
        return resolve(state_document(self.client), self.mesh, **request)


def target_nodes(resolution: Resolution) -> list[str]:
    return [target.virtual_node for target in resolution.targets]
