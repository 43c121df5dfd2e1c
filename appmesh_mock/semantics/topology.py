"""`topology`: a mesh as a tree of text, a Mermaid flowchart or a Graphviz digraph, drawn
from the API-shaped state document: gateways -> gateway routes -> virtual services ->
routers -> routes -> weighted nodes -> the nodes' backends."""

from __future__ import annotations

import os
from typing import Any

from ..backend import specs
from . import describe
from .document import Document, MeshView, load_document, select_mesh
from .graph import dot, mermaid
from .ordering import in_precedence

FORMATS = ("text", "mermaid", "dot")


def mesh_view(
    document: Document | str | os.PathLike[str],
    mesh_name: str,
    *,
    account_id: str | None = None,
    region: str | None = None,
    mesh_owner: str | None = None,
) -> MeshView:
    view = select_mesh(
        load_document(document),
        mesh_name,
        account_id=account_id,
        region=region,
        mesh_owner=mesh_owner,
    )
    if isinstance(view, str):
        raise ValueError(view)
    return view


def topology(
    document: Document | str | os.PathLike[str],
    mesh_name: str,
    format: str = "text",
    *,
    account_id: str | None = None,
    region: str | None = None,
    mesh_owner: str | None = None,
) -> str:
    """The mesh drawn as `format`: "text" (an indented tree), "mermaid" or "dot". Routes
    and gateway routes are listed in the order they are tried (docs/routing.md)."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    view = mesh_view(
        document, mesh_name, account_id=account_id, region=region, mesh_owner=mesh_owner
    )
    if format == "mermaid":
        return mermaid(view)
    if format == "dot":
        return dot(view)
    return "\n".join(text_lines(view))


def text_lines(view: MeshView) -> list[str]:
    spec = view.mesh.get("spec") or {}
    egress = (spec.get("egressFilter") or {}).get("type", "DROP_ALL")
    tags = ", ".join(f"{t['key']}={t['value']}" for t in view.tags.get(view.name, []))
    lines = [
        f"mesh {view.name}  egress {egress}" + (f"  tags {tags}" if tags else ""),
        f"  {view.mesh.get('metadata', {}).get('arn', '')}",
    ]
    for gateway in view.all("virtualGateway"):
        name = str(gateway["virtualGatewayName"])
        lines.append(f"  gateway {name}  listens {describe.listeners(gateway.get('spec') or {})}")
        for route in in_precedence(view.children("gatewayRoute", name)):
            lines.append(f"    {_gateway_route(route, gateway.get('spec') or {})}")
    routed: set[str] = set()
    for service in view.all("virtualService"):
        kind, provider = specs.provider(service.get("spec")) or ("", "")
        line = f"  service {service['virtualServiceName']}"
        if kind == "virtualRouter":
            router = provider
            lines.append(f"{line}  provided by router {router}")
            router_spec = (view.get("virtualRouter", router) or {}).get("spec") or {}
            lines += [
                f"    {_route(r, router_spec)}"
                for r in in_precedence(view.children("route", router))
            ]
            routed.add(router)
        elif kind == "virtualNode":
            lines.append(f"{line}  provided by node {provider}")
        else:
            lines.append(f"{line}  no provider")
    for resource in view.all("virtualRouter"):
        name = str(resource["virtualRouterName"])
        if name not in routed:
            listens = describe.listeners(resource.get("spec") or {})
            lines.append(f"  router {name}  listens {listens}  (provides no service)")
            router_spec = resource.get("spec") or {}
            lines += [
                f"    {_route(r, router_spec)}" for r in in_precedence(view.children("route", name))
            ]
    for node in view.all("virtualNode"):
        node_spec = node.get("spec") or {}
        calls = describe.backends(node_spec)
        lines.append(
            f"  node {node['virtualNodeName']}  {describe.discovery(node_spec)}"
            + (f"  calls {', '.join(calls)}" if calls else "")
        )
    return lines


def _gateway_route(route: Any, gateway_spec: Any) -> str:
    kind, body = describe.route_body(route.get("spec") or {})
    unserved = describe.unserved(kind, body.get("match") or {}, gateway_spec)
    target = (body.get("action") or {}).get("target") or {}
    service = (target.get("virtualService") or {}).get("virtualServiceName")
    port = f":{target['port']}" if "port" in target else ""
    priority = (route.get("spec") or {}).get("priority")
    notes = describe.rewrite((body.get("action") or {}).get("rewrite") or {})
    return (
        f"gateway route {route['gatewayRouteName']}"
        + ("" if priority is None else f"  priority {priority}")
        + f"  {describe.match(kind, body.get('match') or {}, gateway=True)} -> {service}{port}"
        + (f"  ({notes})" if notes else "")
        + (f"  ({unserved})" if unserved else "")
    )


def _route(route: Any, router_spec: Any) -> str:
    spec = route.get("spec") or {}
    kind, body = describe.route_body(spec)
    unserved = describe.unserved(kind, body.get("match") or {}, router_spec)
    targets = (body.get("action") or {}).get("weightedTargets") or []
    retries = (body.get("retryPolicy") or {}).get("maxRetries")
    return (
        f"route {route['routeName']}"
        + ("" if spec.get("priority") is None else f"  priority {spec['priority']}")
        + f"  {describe.match(kind, body.get('match') or {})} -> {describe.split(targets)}"
        + ("" if retries is None else f"  ({retries} retries)")
        + (f"  ({unserved})" if unserved else "")
    )
